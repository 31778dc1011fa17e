import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { capturePair, deletePair, insertPair, readCell, readOrder, restorePair, getPair } from '../../shared/model/index.ts';
import { readDeletedPair } from '../../server/history/deletedPairs.ts';

/** Bringing a deleted pair back under its own id (issue 21, point 2). */

function threePairs() {
  const doc = new Y.Doc();
  const a = insertPair(doc, { kind: 'title', vi: 'Tiêu đề', fr: 'Titre' });
  const b = insertPair(doc, { kind: 'operative', vi: [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: { strong: true } }]], fr: 'Les deux parties' });
  const c = insertPair(doc, { kind: 'closing', vi: 'Kết thúc', fr: 'Fin' });
  return { doc, a, b, c };
}

describe('restorePair', () => {
  it('puts a pair back after the pair it followed, with its id, kind and formatted text', () => {
    const { doc, a, b, c } = threePairs();
    const before = capturePair(doc, b)!;
    expect(before).toMatchObject({ id: b, kind: 'operative', afterId: a, index: 1 });
    deletePair(doc, b);
    expect(restorePair(doc, before)).toBe(true);
    expect(readOrder(doc)).toEqual([a, b, c]);
    expect(readCell(getPair(doc, b)!.cell('vi'))).toEqual([[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: { strong: true } }]]);
  });

  it('falls back to its old place when the pair it followed is gone too, and does nothing when the pair is there', () => {
    const { doc, a, b, c } = threePairs();
    const before = capturePair(doc, b)!;
    deletePair(doc, b);
    deletePair(doc, a);
    expect(restorePair(doc, before)).toBe(true);
    expect(readOrder(doc)).toEqual([c, b]);
    expect(restorePair(doc, before)).toBe(false);
    expect(readOrder(doc)).toEqual([c, b]);
  });
});

describe('readDeletedPair (the server reads a pair as its deletion ends)', () => {
  it('reads the text, marks, kind and place the transaction removed, on a garbage-collected doc', () => {
    const { doc, a, b } = threePairs();
    let read: ReturnType<typeof readDeletedPair>;
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      read ??= readDeletedPair(tr, doc, b);
    });
    deletePair(doc, b);
    expect(read!).toEqual({ ...capturePairBefore(), id: b });
    function capturePairBefore() {
      return { kind: 'operative', vi: [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: { strong: true } }]], fr: [[{ text: 'Les deux parties' }]], afterId: a, index: 1 };
    }
  });

  it('ignores text deleted before the pair was', () => {
    const { doc, b } = threePairs();
    const text = (getPair(doc, b)!.cell('fr').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete(0, 4); // "Les "
    let read: ReturnType<typeof readDeletedPair>;
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      read ??= readDeletedPair(tr, doc, b);
    });
    deletePair(doc, b);
    expect(read!.fr).toEqual([[{ text: 'deux parties' }]]);
  });
});
