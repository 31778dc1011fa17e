import { describe, expect, it } from 'vitest';
import { countChangedWords, diffVersions, diffWords, isUnchanged, tokenize, type VersionPair } from '../../shared/diff.ts';
import { pairHash } from '../../shared/hash.ts';

const changed = (before: string, after: string) => diffWords(before, after).filter((p) => p.kind !== 'same');

describe('word diff on the text identity', () => {
  it('counts a changed tone mark as exactly one word changed', () => {
    const parts = diffWords('phát triển bền vững', 'phát triển bển vững');
    expect(parts.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'bền' },
      { kind: 'added', text: 'bển' },
    ]);
    expect(countChangedWords(parts)).toEqual({ added: 1, removed: 1 });
  });

  it('sees no change between NFD and NFC forms of the same Vietnamese text', () => {
    const nfc = 'Hà Nội, ư ơ ấ ẫ ỹ ặ Đ';
    expect(isUnchanged(diffWords(nfc, nfc.normalize('NFD')))).toBe(true);
    expect(pairHash({ vi: nfc, fr: 'x' })).toBe(pairHash({ vi: nfc.normalize('NFD'), fr: 'x' }));
  });

  it('keeps French spaces and quotes: « », U+00A0 and U+202F are part of the text', () => {
    const before = 'le thème «\u00A0coopération\u00A0» ; fin\u202F!';
    expect(tokenize(before).join('')).toBe(before);
    expect(changed(before, 'le thème « coopération » ; fin !').map((p) => p.kind)).toContain('added');
    expect(changed(before, before.replace('coopération', 'coopérations'))).toEqual([
      { kind: 'removed', text: 'coopération' },
      { kind: 'added', text: 'coopérations' },
    ]);
    expect(pairHash({ vi: 'a', fr: 'b\u00A0:' })).not.toBe(pairHash({ vi: 'a', fr: 'b :' }));
  });

  it('cannot confuse which language a text belongs to', () => {
    expect(pairHash({ vi: 'ab', fr: 'c' })).not.toBe(pairHash({ vi: 'a', fr: 'bc' }));
  });
});

describe('diff of two versions', () => {
  const p = (id: string, vi = id, fr = id): VersionPair => ({ id, kind: 'operative', vi, fr });

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
    expect(diffVersions(before, withoutC).map((c) => [c.id, c.status])).toEqual([
      ['a', 'unchanged'],
      ['b', 'unchanged'],
      ['c', 'removed'],
      ['d', 'changed'],
      ['e', 'added'],
    ]);
  });
});
