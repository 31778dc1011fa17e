import { describe, expect, it } from 'vitest';
import { canonicalCell, plainCell, type RunInput } from '../../shared/canonicalText.ts';
import { countChangedWords, diffCells, diffVersions, diffWords, isUnchanged, tokenize, type DiffPart, type VersionPair } from '../../shared/diff.ts';
import { seeded } from '../helpers/random.ts';
import { pairHash } from '../../shared/hash.ts';

const plain = (vi: string, fr: string) => ({ vi: plainCell(vi), fr: plainCell(fr) });
/** One paragraph of runs: strings plain, [text, ...marks] formatted. */
const cell = (...runs: Array<string | [string, ...string[]]>) =>
  canonicalCell([runs.map((r): RunInput => (typeof r === 'string' ? { text: r } : { text: r[0], marks: r.slice(1) }))]);

const changed = (before: string, after: string) => diffWords(before, after).filter((p) => p.kind !== 'same');

describe('word diff on the text identity', () => {
  it('counts a changed tone mark as exactly one word changed', () => {
    const parts = diffWords('phát triển bền vững', 'phát triển bển vững');
    expect(parts.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'bền' },
      { kind: 'added', text: 'bển' },
    ]);
    expect(countChangedWords(parts)).toEqual({ added: 1, removed: 1, formatted: 0 });
  });

  it('sees no change between NFD and NFC forms of the same Vietnamese text', () => {
    const nfc = 'Hà Nội, ư ơ ấ ẫ ỹ ặ Đ';
    expect(isUnchanged(diffWords(nfc, nfc.normalize('NFD')))).toBe(true);
    expect(pairHash(plain(nfc, 'x'))).toBe(pairHash(plain(nfc.normalize('NFD'), 'x')));
  });

  it('keeps French spaces and quotes: « », U+00A0 and U+202F are part of the text', () => {
    const before = 'le thème «\u00A0coopération\u00A0» ; fin\u202F!';
    expect(tokenize(before).join('')).toBe(before);
    expect(changed(before, 'le thème « coopération » ; fin !').map((p) => p.kind)).toContain('added');
    expect(changed(before, before.replace('coopération', 'coopérations'))).toEqual([
      { kind: 'removed', text: 'coopération' },
      { kind: 'added', text: 'coopérations' },
    ]);
    expect(pairHash(plain('a', 'b\u00A0:'))).not.toBe(pairHash(plain('a', 'b :')));
  });

  it('cannot confuse which language a text belongs to', () => {
    expect(pairHash(plain('ab', 'c'))).not.toBe(pairHash(plain('a', 'bc')));
  });
});

describe('word diff of formatting', () => {
  it('reports a word bolded as "formatted", not as removed and added, with its runs before and after', () => {
    const parts = diffCells(cell('Hai bên nhất trí'), cell('Hai bên ', ['nhất', 'strong'], ' trí'));
    expect(parts).toEqual([
      { kind: 'same', text: 'Hai bên ' },
      { kind: 'formatted', text: 'nhất', runs: [{ text: 'nhất', marks: ['strong'] }], before: [{ text: 'nhất' }] },
      { kind: 'same', text: ' trí' },
    ]);
    expect(countChangedWords(parts)).toEqual({ added: 0, removed: 0, formatted: 1 });
    expect(isUnchanged(parts)).toBe(false);
    // Removing the bold again, and bold turned into italic, are formatting changes too.
    expect(diffCells(cell(['Hai', 'strong'], ' bên'), cell('Hai bên')).map((p) => p.kind)).toEqual(['formatted', 'same']);
    expect(diffCells(cell(['Hai', 'strong'], ' bên'), cell(['Hai', 'em'], ' bên'))[0]).toEqual({
      kind: 'formatted',
      text: 'Hai',
      runs: [{ text: 'Hai', marks: ['em'] }],
      before: [{ text: 'Hai', marks: ['strong'] }],
    });
  });

  it('keeps formatting changes apart from words added and removed, and carries the bold of unchanged and added words', () => {
    const before = cell(['Les', 'strong'], ' parties conviennent');
    const after = cell(['Les', 'strong'], ' deux ', ['parties', 'em'], ' conviennent');
    expect(diffCells(before, after)).toEqual([
      { kind: 'same', text: 'Les ', runs: [{ text: 'Les', marks: ['strong'] }, { text: ' ' }] },
      { kind: 'added', text: 'deux ' },
      { kind: 'formatted', text: 'parties', runs: [{ text: 'parties', marks: ['em'] }], before: [{ text: 'parties' }] },
      { kind: 'same', text: ' conviennent' },
    ]);
    // A word half bolded is that word formatted; a word retyped and bolded is removed and added.
    expect(diffCells(cell('coopération'), cell(['coop', 'strong'], 'ération')).map((p) => p.kind)).toEqual(['formatted']);
    expect(diffCells(cell('coopération'), cell(['coopérations', 'strong'])).map((p) => p.kind)).toEqual(['removed', 'added']);
  });

  it('gives back both texts with their formatting, whatever was edited (seeded)', () => {
    const words = ['Hai', 'bên', 'nhất', 'trí', 'été', '«\u00A0oui\u00A0»', 'fin\u202F!', '\n', ' ', '  '];
    const randomCell = (random: ReturnType<typeof seeded>) =>
      canonicalCell([
        Array.from({ length: 1 + random.int(12) }, (): RunInput => ({
          text: `${random.pick(words)}${random.chance(0.7) ? ' ' : ''}`,
          marks: [...(random.chance(0.3) ? ['strong'] : []), ...(random.chance(0.2) ? ['em'] : [])],
        })),
      ]);
    /** One side of the diff as a cell again (the paragraph breaks are "\n" in the parts' text). */
    const side = (parts: DiffPart[], which: 'before' | 'after') =>
      canonicalCell([
        parts.flatMap((p) => {
          if (p.kind === (which === 'after' ? 'removed' : 'added')) return [];
          return (which === 'before' && p.kind === 'formatted' ? p.before : p.runs) ?? [{ text: p.text }];
        }),
      ]);
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed);
      const before = randomCell(random);
      const after = random.chance(0.2) ? before : randomCell(random);
      const parts = diffCells(before, after);
      expect(side(parts, 'before'), `seed ${seed}`).toEqual(before);
      expect(side(parts, 'after'), `seed ${seed}`).toEqual(after);
      for (const part of parts) if (part.runs) expect(part.runs.map((r) => r.text).join(''), `seed ${seed}`).toBe(part.text);
    }
  });

  it('sees no change where only the split of runs or NFD/NFC differ', () => {
    const a = canonicalCell([[{ text: 'Vie\u0302\u0323t', marks: ['strong'] }, { text: ' Nam', marks: ['strong'] }]]);
    const b = cell(['Việt Nam', 'strong']);
    expect(isUnchanged(diffCells(a, b))).toBe(true);
  });
});

describe('diff of two versions', () => {
  const p = (id: string, vi = id, fr = id): VersionPair => ({ id, kind: 'operative', vi: plainCell(vi), fr: plainCell(fr) });

  it('shows added, removed, moved and changed pairs as such', () => {
    const before = [p('a'), p('b'), p('c'), p('d', 'một hai', 'un deux')];
    const after = [p('a'), p('c'), p('b'), p('d', 'một ba', 'un deux'), p('e')];
    const withoutC = [p('a'), p('b'), p('d', 'một ba', 'un deux'), p('e')];
    const moved = diffVersions(before, after);
    expect(moved.map((c) => [c.id, c.status])).toEqual([
      ['a', 'unchanged'],
      ['c', 'unchanged'],
      ['b', 'unchanged'],
      ['d', 'changed'],
      ['e', 'added'],
    ]);
    // Swapping two neighbours moves one of them, not every pair after it.
    expect(moved.filter((c) => 'moved' in c && c.moved).map((c) => c.id)).toHaveLength(1);
    expect(moved.filter((c) => 'moved' in c && c.moved).map((c) => c.id)[0]).toMatch(/^[bc]$/);
    const d = moved.find((c) => c.id === 'd')!;
    expect(d.status === 'changed' && d.vi.filter((x) => x.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'hai' },
      { kind: 'added', text: 'ba' },
    ]);
    // Bold added to one word of a pair: that pair changed, nothing else.
    const bolded = [p('a'), p('b'), p('c'), { ...p('d', 'một hai', 'un deux'), fr: cell(['un', 'strong'], ' deux') }];
    expect(diffVersions(before, bolded).map((c) => [c.id, c.status])).toEqual([
      ['a', 'unchanged'],
      ['b', 'unchanged'],
      ['c', 'unchanged'],
      ['d', 'changed'],
    ]);
    expect(diffVersions(before, withoutC).map((c) => [c.id, c.status])).toEqual([
      ['a', 'unchanged'],
      ['b', 'unchanged'],
      ['c', 'removed'],
      ['d', 'changed'],
      ['e', 'added'],
    ]);
  });

  it('numbers the before side by its own order: a moved pair says where it was, a removed pair its own ¶', () => {
    // Before: a b c d e f g; after: g moved to the top, c removed, h added.
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => p(id));
    const after = ['g', 'a', 'b', 'd', 'e', 'f', 'h'].map((id) => p(id));
    const changes = diffVersions(before, after);
    const where = Object.fromEntries(changes.map((c) => [c.id, [c.status === 'added' ? null : c.from, c.status === 'removed' ? null : c.to]]));
    expect(where).toEqual({ g: [7, 1], a: [1, 2], b: [2, 3], c: [3, null], d: [4, 4], e: [5, 5], f: [6, 6], h: [null, 7] });
    const g = changes.find((c) => c.id === 'g')!;
    expect(g.status !== 'added' && g.status !== 'removed' && g.moved).toBe(true);
  });
});
