import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { ModelErrorReason } from '../../shared/errors.ts';
import {
  PAIR_KINDS,
  deletePair,
  getPair,
  insertPair,
  mergeWithNext,
  movePair,
  orderArray,
  paragraphsMap,
  readAllPairs,
  readOrder,
  readPairText,
  setPairKind,
  splitPair,
  type CellContent,
  type PairKind,
} from '../../shared/model/index.ts';
import { expectModelError, runsOf, texts } from './helpers.ts';

/** A doc with pairs a, b, c, d (vi "A1".., fr "A2"..). */
function docWith(ids: string[] = ['a', 'b', 'c', 'd']): Y.Doc {
  const doc = new Y.Doc();
  for (const id of ids) insertPair(doc, { id, vi: `${id.toUpperCase()} vi`, fr: `${id.toUpperCase()} fr` });
  return doc;
}

const bold = { strong: true };
const italic = { em: true };

describe('insertPair', () => {
  it('appends at the end when afterId is omitted, with kind operative and empty cells by default', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc);
    expect(id).toMatch(/^p[a-z0-9]{12}$/);
    expect(readOrder(doc)).toEqual([id]);
    expect(readPairText(doc, id)).toEqual({ id, kind: 'operative', vi: '', fr: '' });
    const second = insertPair(doc, { vi: 'Điều 2', fr: 'Article 2' });
    expect(second).not.toBe(id);
    expect(readOrder(doc)).toEqual([id, second]);
    expect(readPairText(doc, second)).toEqual({ id: second, kind: 'operative', vi: 'Điều 2', fr: 'Article 2' });
  });

  it('inserts at the start when afterId is null', () => {
    const doc = docWith();
    const id = insertPair(doc, { id: 'z', kind: 'title', vi: 'Tuyên bố chung', fr: 'Déclaration commune' }, null);
    expect(readOrder(doc)).toEqual(['z', 'a', 'b', 'c', 'd']);
    expect(id).toBe('z');
    expect(readPairText(doc, 'z')).toEqual({ id: 'z', kind: 'title', vi: 'Tuyên bố chung', fr: 'Déclaration commune' });
  });

  it('inserts at the start of an empty doc when afterId is null', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'x' }, null);
    expect(readOrder(doc)).toEqual(['x']);
  });

  it('inserts right after a given pair', () => {
    const doc = docWith();
    insertPair(doc, { id: 'x' }, 'b');
    expect(readOrder(doc)).toEqual(['a', 'b', 'x', 'c', 'd']);
    insertPair(doc, { id: 'y' }, 'a');
    expect(readOrder(doc)).toEqual(['a', 'y', 'b', 'x', 'c', 'd']);
  });

  it('inserts at the end when given the last pair', () => {
    const doc = docWith();
    insertPair(doc, { id: 'x' }, 'd');
    expect(readOrder(doc)).toEqual(['a', 'b', 'c', 'd', 'x']);
  });

  it('inserts after the visible occurrence when the order holds duplicates and ghosts', () => {
    const doc = docWith(['a', 'b']);
    // A stale duplicate of "a" at the end, and a ghost id without content.
    orderArray(doc).push(['a', 'ghost']);
    insertPair(doc, { id: 'x' }, 'a');
    expect(readOrder(doc)).toEqual(['a', 'x', 'b']);
  });

  it('stores every kind', () => {
    const doc = new Y.Doc();
    for (const kind of PAIR_KINDS) insertPair(doc, { id: kind, kind });
    expect(readAllPairs(doc).map((p) => p.kind)).toEqual([...PAIR_KINDS]);
  });

  it('splits a string on "\\n" into paragraphs, keeping empty ones', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'Một\n\nHai', fr: 'Un\nDeux' });
    expect(runsOf(doc, id, 'vi')).toEqual([[{ text: 'Một' }], [], [{ text: 'Hai' }]]);
    expect(runsOf(doc, id, 'fr')).toEqual([[{ text: 'Un' }], [{ text: 'Deux' }]]);
    expect(readPairText(doc, id)).toMatchObject({ vi: 'Một\n\nHai', fr: 'Un\nDeux' });
  });

  it('stores runs with their marks', () => {
    const doc = new Y.Doc();
    const content: CellContent = [
      [{ text: 'Les parties ' }, { text: 'conviennent', marks: bold }, { text: ' de ', marks: { strong: true, em: true } }, { text: 'coopérer', marks: italic }],
      [{ text: 'Article 2' }],
    ];
    const id = insertPair(doc, { fr: content, vi: [] });
    expect(runsOf(doc, id, 'fr')).toEqual(content);
    expect(runsOf(doc, id, 'vi')).toEqual([[]]);
    expect(readPairText(doc, id)?.fr).toBe('Les parties conviennent de coopérer\nArticle 2');
  });

  it('fails with pair_not_found naming the id when afterId is unknown, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => insertPair(doc, { id: 'x' }, 'nope-42'), ModelErrorReason.PairNotFound, 'nope-42');
    expect(getPair(doc, 'x')).toBeUndefined();
  });

  it('fails with invalid_kind on an unknown kind, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => insertPair(doc, { id: 'x', kind: 'appendix' as PairKind }), ModelErrorReason.InvalidKind, 'appendix');
  });
});

describe('deletePair', () => {
  it('removes the id from the order and its content from the doc', () => {
    const doc = docWith();
    deletePair(doc, 'b');
    expect(readOrder(doc)).toEqual(['a', 'c', 'd']);
    expect(getPair(doc, 'b')).toBeUndefined();
    expect(readPairText(doc, 'b')).toBeUndefined();
    expect(paragraphsMap(doc).has('b')).toBe(false);
    expect(orderArray(doc).toArray()).not.toContain('b');
    deletePair(doc, 'a');
    deletePair(doc, 'd');
    expect(texts(doc)).toEqual([['C vi', 'C fr']]);
    deletePair(doc, 'c');
    expect(readOrder(doc)).toEqual([]);
  });

  it('removes every occurrence of the id, duplicates included', () => {
    const doc = docWith();
    orderArray(doc).push(['b']);
    orderArray(doc).insert(0, ['b']);
    deletePair(doc, 'b');
    expect(orderArray(doc).toArray()).toEqual(['a', 'c', 'd']);
  });

  it('fails with pair_not_found naming the id, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => deletePair(doc, 'missing-id'), ModelErrorReason.PairNotFound, 'missing-id');
    deletePair(doc, 'a');
    expectModelError(doc, () => deletePair(doc, 'a'), ModelErrorReason.PairNotFound, '"a"');
  });
});

describe('movePair', () => {
  it('moves a pair up', () => {
    const doc = docWith();
    movePair(doc, 'c', 1);
    expect(readOrder(doc)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('moves a pair down', () => {
    const doc = docWith();
    movePair(doc, 'b', 2);
    expect(readOrder(doc)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('moves a pair to the start and to the end', () => {
    const doc = docWith();
    movePair(doc, 'c', 0);
    expect(readOrder(doc)).toEqual(['c', 'a', 'b', 'd']);
    movePair(doc, 'a', 3);
    expect(readOrder(doc)).toEqual(['c', 'b', 'd', 'a']);
    movePair(doc, 'a', 0);
    expect(readOrder(doc)).toEqual(['a', 'c', 'b', 'd']);
    movePair(doc, 'd', 3);
    expect(readOrder(doc)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('to its own position leaves the order as it was', () => {
    const doc = docWith();
    movePair(doc, 'b', 1);
    expect(readOrder(doc)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('moves only the id: the content is the same Y object, not recreated', () => {
    const doc = docWith();
    const before = getPair(doc, 'b')!;
    const cell = before.cell('vi');
    movePair(doc, 'b', 3);
    const after = getPair(doc, 'b')!;
    expect(after.map).toBe(before.map);
    expect(after.cell('vi')).toBe(cell);
    expect(readPairText(doc, 'b')).toEqual({ id: 'b', kind: 'operative', vi: 'B vi', fr: 'B fr' });
  });

  it('collapses duplicate occurrences left by concurrent moves', () => {
    const doc = docWith();
    orderArray(doc).push(['b']);
    movePair(doc, 'b', 2);
    expect(orderArray(doc).toArray()).toEqual(['a', 'c', 'b', 'd']);
  });

  it('fails with invalid_index outside 0..count-1 or on a non-integer, and changes nothing', () => {
    const doc = docWith();
    for (const index of [-1, 4, 5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectModelError(doc, () => movePair(doc, 'b', index), ModelErrorReason.InvalidIndex);
    }
    expect(readOrder(doc)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails with pair_not_found naming the id, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => movePair(doc, 'ghost', 0), ModelErrorReason.PairNotFound, 'ghost');
  });
});

describe('setPairKind', () => {
  it('changes the kind and nothing else', () => {
    const doc = docWith();
    for (const kind of PAIR_KINDS) {
      setPairKind(doc, 'b', kind);
      expect(readPairText(doc, 'b')).toEqual({ id: 'b', kind, vi: 'B vi', fr: 'B fr' });
      expect(getPair(doc, 'b')?.kind).toBe(kind);
    }
    expect(readOrder(doc)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fails with invalid_kind on an unknown kind, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => setPairKind(doc, 'b', 'annex' as PairKind), ModelErrorReason.InvalidKind, 'annex');
  });

  it('fails with pair_not_found naming the id, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => setPairKind(doc, 'unknown-pair', 'title'), ModelErrorReason.PairNotFound, 'unknown-pair');
  });
});

describe('splitPair', () => {
  const vi = 'Hai bên nhất trí tăng cường hợp tác';
  const fr = 'Les deux parties conviennent de renforcer la coopération';

  it('cuts each language at its own offset and inserts the new pair right after', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'a', vi: 'A', fr: 'A' });
    insertPair(doc, { id: 'b', kind: 'preamble', vi, fr });
    insertPair(doc, { id: 'c', vi: 'C', fr: 'C' });
    const viAt = vi.indexOf('tăng');
    const frAt = fr.indexOf('renforcer');
    const id = splitPair(doc, 'b', { vi: viAt, fr: frAt });
    expect(id).not.toBe('b');
    expect(readOrder(doc)).toEqual(['a', 'b', id, 'c']);
    expect(readPairText(doc, 'b')).toEqual({ id: 'b', kind: 'preamble', vi: vi.slice(0, viAt), fr: fr.slice(0, frAt) });
    expect(readPairText(doc, id)).toEqual({ id, kind: 'preamble', vi: vi.slice(viAt), fr: fr.slice(frAt) });
  });

  it('at every offset of a one-paragraph cell, the two halves are the text cut there', () => {
    for (let at = 0; at <= vi.length; at++) {
      const doc = new Y.Doc();
      insertPair(doc, { id: 'p', vi, fr });
      const frAt = Math.min(at, fr.length);
      const id = splitPair(doc, 'p', { vi: at, fr: frAt });
      expect(texts(doc)).toEqual([
        [vi.slice(0, at), fr.slice(0, frAt)],
        [vi.slice(at), fr.slice(frAt)],
      ]);
      expect(readOrder(doc)).toEqual(['p', id]);
    }
  });

  it('cuts one language only: the other stays whole in the first pair and the new one is empty there', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi, fr });
    const id = splitPair(doc, 'p', { fr: 4 });
    expect(texts(doc)).toEqual([
      [vi, 'Les '],
      ['', fr.slice(4)],
    ]);
    const doc2 = new Y.Doc();
    insertPair(doc2, { id: 'p', vi, fr });
    const id2 = splitPair(doc2, 'p', { vi: 3 });
    expect(texts(doc2)).toEqual([
      ['Hai', fr],
      [vi.slice(3), ''],
    ]);
    expect(runsOf(doc2, id2, 'fr')).toEqual([[]]);
    expect(runsOf(doc, id, 'vi')).toEqual([[]]);
  });

  it('with no offset at all adds an empty pair after it', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi, fr });
    const id = splitPair(doc, 'p', {});
    expect(texts(doc)).toEqual([
      [vi, fr],
      ['', ''],
    ]);
    expect(readOrder(doc)).toEqual(['p', id]);
  });

  it('at the start leaves the first pair empty; at the end leaves the new one empty', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi, fr });
    splitPair(doc, 'p', { vi: 0, fr: fr.length });
    expect(texts(doc)).toEqual([
      ['', fr],
      [vi, ''],
    ]);
    // Every cell still has one paragraph (the editor schema needs paragraph+).
    for (const id of readOrder(doc)) {
      expect(runsOf(doc, id, 'vi').length).toBe(1);
      expect(runsOf(doc, id, 'fr').length).toBe(1);
    }
  });

  it('cuts across paragraphs (offsets count one "\\n" between paragraphs)', () => {
    const text = 'Điều 1. Một\nĐiều 2. Hai\nĐiều 3. Ba';
    const secondStart = text.indexOf('Điều 2');
    const cases: Array<{ at: number; first: string; second: string }> = [
      // In the middle of the second paragraph.
      { at: secondStart + 5, first: text.slice(0, secondStart + 5), second: text.slice(secondStart + 5) },
      // At the end of the first paragraph: the new pair starts with an empty paragraph.
      { at: secondStart - 1, first: 'Điều 1. Một', second: '\nĐiều 2. Hai\nĐiều 3. Ba' },
      // At the start of the second paragraph: no empty paragraph on either side.
      { at: secondStart, first: 'Điều 1. Một', second: 'Điều 2. Hai\nĐiều 3. Ba' },
      // In the last paragraph.
      { at: text.length - 2, first: text.slice(0, text.length - 2), second: 'Ba' },
      { at: text.length, first: text, second: '' },
      { at: 0, first: '', second: text },
    ];
    for (const { at, first, second } of cases) {
      const doc = new Y.Doc();
      insertPair(doc, { id: 'p', vi: text, fr: 'x' });
      const id = splitPair(doc, 'p', { vi: at });
      expect([readPairText(doc, 'p')?.vi, readPairText(doc, id)?.vi], `split at ${at}`).toEqual([first, second]);
    }
  });

  it('cuts at the boundary of empty paragraphs', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: 'A\n\nB', fr: '' });
    const id = splitPair(doc, 'p', { vi: 2 });
    expect([readPairText(doc, 'p')?.vi, readPairText(doc, id)?.vi]).toEqual(['A', '\nB']);
  });

  it('keeps bold and italic on both sides of the cut, including inside a marked run', () => {
    const doc = new Y.Doc();
    insertPair(doc, {
      id: 'p',
      vi: [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: bold }, { text: ' tăng cường' }]],
      fr: [[{ text: 'Les parties ' }, { text: 'conviennent de', marks: italic }, { text: ' coopérer', marks: { strong: true, em: true } }]],
    });
    // Cut vi inside the bold run ("nhất| trí"), fr inside the italic run ("conviennent| de").
    const id = splitPair(doc, 'p', { vi: 'Hai bên nhất'.length, fr: 'Les parties conviennent'.length });
    expect(runsOf(doc, 'p', 'vi')).toEqual([[{ text: 'Hai bên ' }, { text: 'nhất', marks: bold }]]);
    expect(runsOf(doc, id, 'vi')).toEqual([[{ text: ' trí', marks: bold }, { text: ' tăng cường' }]]);
    expect(runsOf(doc, 'p', 'fr')).toEqual([[{ text: 'Les parties ' }, { text: 'conviennent', marks: italic }]]);
    expect(runsOf(doc, id, 'fr')).toEqual([[{ text: ' de', marks: italic }, { text: ' coopérer', marks: { strong: true, em: true } }]]);
  });

  it('keeps marks of the paragraphs that move to the new pair', () => {
    const doc = new Y.Doc();
    const content: CellContent = [[{ text: 'Un ' }, { text: 'deux', marks: bold }], [{ text: 'trois', marks: italic }, { text: ' quatre' }]];
    insertPair(doc, { id: 'p', fr: content, vi: '' });
    const id = splitPair(doc, 'p', { fr: 2 });
    expect(runsOf(doc, 'p', 'fr')).toEqual([[{ text: 'Un' }]]);
    expect(runsOf(doc, id, 'fr')).toEqual([[{ text: ' ' }, { text: 'deux', marks: bold }], [{ text: 'trois', marks: italic }, { text: ' quatre' }]]);
  });

  it('fails with invalid_offset outside 0..length or on a non-integer, and changes nothing', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: 'Một\nHai', fr: 'Un' });
    for (const at of [
      { vi: -1 },
      { vi: 8 },
      { fr: 3 },
      { fr: 0.5 },
      { vi: Number.NaN },
      // A valid offset in one language must not be applied when the other is invalid.
      { vi: 2, fr: 99 },
      { vi: 99, fr: 1 },
    ]) {
      expectModelError(doc, () => splitPair(doc, 'p', at), ModelErrorReason.InvalidOffset);
    }
    expect(texts(doc)).toEqual([['Một\nHai', 'Un']]);
  });

  it('fails with pair_not_found naming the id, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => splitPair(doc, 'no-such-pair', { vi: 0 }), ModelErrorReason.PairNotFound, 'no-such-pair');
  });
});

describe('mergeWithNext', () => {
  function merged(vi1: CellContent | string, vi2: CellContent | string): string | undefined {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: vi1, fr: '' });
    insertPair(doc, { id: 'q', vi: vi2, fr: '' });
    mergeWithNext(doc, 'p');
    expect(readOrder(doc)).toEqual(['p']);
    return readPairText(doc, 'p')?.vi;
  }

  it('joins the next pair into this one, language by language, and deletes it', () => {
    const doc = docWith();
    setPairKind(doc, 'b', 'preamble');
    setPairKind(doc, 'c', 'closing');
    mergeWithNext(doc, 'b');
    expect(readOrder(doc)).toEqual(['a', 'b', 'd']);
    expect(readPairText(doc, 'b')).toEqual({ id: 'b', kind: 'preamble', vi: 'B vi C vi', fr: 'B fr C fr' });
    expect(getPair(doc, 'c')).toBeUndefined();
    expect(paragraphsMap(doc).has('c')).toBe(false);
    expect(orderArray(doc).toArray()).toEqual(['a', 'b', 'd']);
  });

  it('inserts a space between words only when neither side has one', () => {
    expect(merged('Hà Nội', 'Toulouse')).toBe('Hà Nội Toulouse');
    expect(merged('Hà Nội ', 'Toulouse')).toBe('Hà Nội Toulouse');
    expect(merged('Hà Nội', ' Toulouse')).toBe('Hà Nội Toulouse');
    expect(merged('Hà Nội ', ' Toulouse')).toBe('Hà Nội  Toulouse');
    expect(merged('Il a dit\u00A0:', '«\u00A0oui\u00A0»')).toBe('Il a dit\u00A0: «\u00A0oui\u00A0»');
    expect(merged('Article\u202F', '1')).toBe('Article\u202F1');
    expect(merged('la coopération\u00A0', '»')).toBe('la coopération\u00A0»');
  });

  it('with an empty side takes the other as it is', () => {
    expect(merged('', 'Toulouse')).toBe('Toulouse');
    expect(merged('Hà Nội', '')).toBe('Hà Nội');
    expect(merged('', '')).toBe('');
    expect(merged('\n', 'Toulouse')).toBe('Toulouse');
  });

  it('fills an empty cell in place: its first paragraph is kept, not recreated', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: '\n', fr: '' });
    insertPair(doc, { id: 'q', vi: [[{ text: 'Hà Nội', marks: bold }], [{ text: 'Huế' }]], fr: '' });
    const paragraph = getPair(doc, 'p')!.cell('vi').get(0);
    mergeWithNext(doc, 'p');
    expect(getPair(doc, 'p')!.cell('vi').get(0)).toBe(paragraph);
    expect(runsOf(doc, 'p', 'vi')).toEqual([[{ text: 'Hà Nội', marks: bold }], [{ text: 'Huế' }]]);
  });

  it('joins the first paragraph of the next to the last one of this, and appends the rest', () => {
    expect(merged('A\nB', 'C\nD')).toBe('A\nB C\nD');
    expect(merged('A\n', 'C\nD')).toBe('A\nC\nD');
    expect(merged('A', '\nC')).toBe('A\nC');
  });

  it('keeps marks of both sides, the added space carrying none', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: '', fr: [[{ text: 'Les parties' }, { text: ' conviennent', marks: bold }]] });
    insertPair(doc, { id: 'q', vi: '', fr: [[{ text: 'de coopérer', marks: italic }], [{ text: 'Article 2', marks: bold }]] });
    mergeWithNext(doc, 'p');
    expect(runsOf(doc, 'p', 'fr')).toEqual([
      [{ text: 'Les parties' }, { text: ' conviennent', marks: bold }, { text: ' ' }, { text: 'de coopérer', marks: italic }],
      [{ text: 'Article 2', marks: bold }],
    ]);
  });

  it('undoes a split made next to a space, text and marks alike', () => {
    const viContent: CellContent = [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: bold }, { text: ' tăng cường ' }, { text: 'hợp tác', marks: italic }]];
    const frContent: CellContent = [[{ text: 'Les parties ' }, { text: 'conviennent de', marks: bold }, { text: ' renforcer' }]];
    const viText = 'Hai bên nhất trí tăng cường hợp tác';
    const frText = 'Les parties conviennent de renforcer';
    const nextToSpace = (text: string) => [...Array(text.length + 1).keys()].filter((i) => text[i - 1] === ' ' || text[i] === ' ');
    for (const viAt of nextToSpace(viText)) {
      for (const frAt of [undefined, ...nextToSpace(frText).filter((_, k) => k % 3 === viAt % 3)]) {
        const doc = new Y.Doc();
        insertPair(doc, { id: 'p', vi: viContent, fr: frContent });
        insertPair(doc, { id: 'z', vi: 'sau', fr: 'après' });
        splitPair(doc, 'p', frAt === undefined ? { vi: viAt } : { vi: viAt, fr: frAt });
        mergeWithNext(doc, 'p');
        expect(texts(doc), `vi ${viAt}, fr ${frAt}`).toEqual([
          [viText, frText],
          ['sau', 'après'],
        ]);
        expect(runsOf(doc, 'p', 'vi')).toEqual(viContent);
        expect(runsOf(doc, 'p', 'fr')).toEqual(frContent);
      }
    }
  });

  it('undoes a split at the end of a paragraph', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: 'Một\nHai', fr: 'Un\nDeux' });
    splitPair(doc, 'p', { vi: 3, fr: 2 });
    mergeWithNext(doc, 'p');
    expect(texts(doc)).toEqual([['Một\nHai', 'Un\nDeux']]);
  });

  it('fails with no_next_pair on the last pair, and changes nothing', () => {
    const doc = docWith();
    const error = expectModelError(doc, () => mergeWithNext(doc, 'd'), ModelErrorReason.NoNextPair, '"d"');
    expect(error.name).toBe('ModelError');
    const single = docWith(['only']);
    expectModelError(single, () => mergeWithNext(single, 'only'), ModelErrorReason.NoNextPair);
  });

  it('fails with pair_not_found naming the id, and changes nothing', () => {
    const doc = docWith();
    expectModelError(doc, () => mergeWithNext(doc, 'pXYZ'), ModelErrorReason.PairNotFound, 'pXYZ');
  });

  it('skips ghosts and duplicates in the order to find the next pair', () => {
    const doc = docWith(['a', 'b']);
    orderArray(doc).insert(1, ['ghost', 'a']);
    mergeWithNext(doc, 'a');
    expect(texts(doc)).toEqual([['A vi B vi', 'A fr B fr']]);
  });
});

describe('reading the doc', () => {
  it('readOrder: first occurrence wins, ids without content and non-strings are skipped', () => {
    const doc = docWith(['a', 'b', 'c']);
    const order = orderArray(doc) as unknown as Y.Array<unknown>;
    order.insert(0, ['c', 'ghost']);
    order.push(['a', 42, 'b']);
    expect(readOrder(doc)).toEqual(['c', 'a', 'b']);
    expect(readAllPairs(doc).map((p) => p.id)).toEqual(['c', 'a', 'b']);
  });

  it('getPair and readPairText: undefined for unknown or malformed pairs', () => {
    const doc = docWith(['a']);
    expect(getPair(doc, 'nope')).toBeUndefined();
    expect(readPairText(doc, 'nope')).toBeUndefined();
    const broken = new Y.Map<unknown>();
    paragraphsMap(doc).set('broken', broken);
    broken.set('kind', 'title');
    broken.set('vi', 'not a fragment');
    expect(getPair(doc, 'broken')).toBeUndefined();
    expect(readPairText(doc, 'broken')).toBeUndefined();
  });

  it('getPair: an unknown kind reads as operative', () => {
    const doc = docWith(['a']);
    getPair(doc, 'a')!.map.set('kind', 'weird');
    expect(getPair(doc, 'a')?.kind).toBe('operative');
    expect(readPairText(doc, 'a')?.kind).toBe('operative');
  });

  it('readAllPairs: every pair in reading order with both languages', () => {
    const doc = docWith(['a', 'b']);
    movePair(doc, 'b', 0);
    expect(readAllPairs(doc)).toEqual([
      { id: 'b', kind: 'operative', vi: 'B vi', fr: 'B fr' },
      { id: 'a', kind: 'operative', vi: 'A vi', fr: 'A fr' },
    ]);
  });
});
