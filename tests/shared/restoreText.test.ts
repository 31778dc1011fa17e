import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { canonicalCell, plainCell, readAllPairContents, type CanonicalPair } from '../../shared/canonicalText.ts';
import { deletePair, getPair, insertPair, movePair, setPairKind } from '../../shared/model/index.ts';
import { restoreText } from '../../shared/restoreText.ts';

const pair = (id: string, vi: string, fr: string, kind = 'operative'): CanonicalPair => ({ id, kind, vi: plainCell(vi), fr: plainCell(fr) });

describe('restoring a version\'s text into a doc', () => {
  it('gives back the pairs, their order, kinds, text and formatting, changing only the pairs that differ', () => {
    const doc = new Y.Doc();
    for (const p of ['a', 'b', 'c', 'd']) insertPair(doc, { id: p, vi: `${p} vi`, fr: `${p} fr` });
    const version: CanonicalPair[] = [
      ...readAllPairContents(doc).slice(0, 3),
      { ...pair('d', 'd vi', ''), fr: canonicalCell([[{ text: 'd ', marks: [] }, { text: 'gras', marks: ['strong'] }]]) },
    ];
    version[0] = { ...version[0]!, kind: 'preamble' };
    restoreText(doc, version);
    const restored = readAllPairContents(doc);
    // Since the version: a pair added, one deleted, one moved, a kind and a text changed.
    insertPair(doc, { id: 'e', vi: 'mới', fr: 'nouveau' }, 'a');
    deletePair(doc, 'b');
    movePair(doc, 'd', 0);
    setPairKind(doc, 'a', 'closing');
    getPair(doc, 'c')!.cell('fr').delete(0, 1);
    const untouched: unknown = getPair(doc, 'd')!.cell('vi');
    const touched: string[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const type of tr.changed.keys()) if (type === untouched || type.parent === untouched) touched.push('d.vi');
    });
    expect(restoreText(doc, restored)).toEqual({ changed: 2, added: 1, removed: 1, reordered: true });
    expect(readAllPairContents(doc)).toEqual(restored);
    expect(touched).toEqual([]);
    // Again: nothing left to change.
    expect(restoreText(doc, restored)).toEqual({ changed: 0, added: 0, removed: 0, reordered: false });
  });
});
