import { diffArrays } from 'diff';
import { normalizeText } from './text.ts';

/**
 * Word-level diffs on the NFC text identity. Words are runs of non-space
 * characters; spaces (including U+00A0 and U+202F, which French typography
 * needs) are tokens of their own, so a changed tone mark is exactly one word
 * changed and a changed non-breaking space shows as such.
 */

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Splits text into word and whitespace tokens. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(/\s+|[^\s]+/gu) ?? [];
}

/** The word diff from `before` to `after`. NFD and NFC forms of the same text are no change. */
export function diffWords(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(tokenize(before), tokenize(after))) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  return parts;
}

/** Number of words (non-space tokens) added and removed. */
export function countChangedWords(parts: DiffPart[]): { added: number; removed: number } {
  const words = (text: string) => tokenize(text).filter((t) => !/^\s+$/u.test(t)).length;
  return {
    added: parts.filter((p) => p.kind === 'added').reduce((n, p) => n + words(p.text), 0),
    removed: parts.filter((p) => p.kind === 'removed').reduce((n, p) => n + words(p.text), 0),
  };
}

export function isUnchanged(parts: DiffPart[]): boolean {
  return parts.every((p) => p.kind === 'same');
}

/** A pair as a version (or the draft) holds it. */
export interface VersionPair {
  id: string;
  kind: string;
  vi: string;
  fr: string;
}

export type PairChange =
  | { status: 'added'; id: string; after: VersionPair }
  | { status: 'removed'; id: string; before: VersionPair }
  | {
      status: 'changed' | 'unchanged';
      id: string;
      moved: boolean;
      before: VersionPair;
      after: VersionPair;
      vi: DiffPart[];
      fr: DiffPart[];
    };

/**
 * Pair-by-pair diff of two texts of a declaration: pairs are matched by their
 * stable id; a pair is "moved" when it is outside the longest common
 * subsequence of the ids both sides share (so moving one pair marks one pair).
 */
export function diffVersions(before: VersionPair[], after: VersionPair[]): PairChange[] {
  const beforeById = new Map(before.map((p) => [p.id, p]));
  const afterIds = new Set(after.map((p) => p.id));
  const commonBefore = before.filter((p) => afterIds.has(p.id)).map((p) => p.id);
  const commonAfter = after.filter((p) => beforeById.has(p.id)).map((p) => p.id);
  const moved = new Set(diffArrays(commonBefore, commonAfter).flatMap((c) => (c.added || c.removed ? c.value : [])));
  const changes: PairChange[] = [];
  for (const pair of after) {
    const old = beforeById.get(pair.id);
    if (!old) {
      changes.push({ status: 'added', id: pair.id, after: pair });
      continue;
    }
    const vi = diffWords(old.vi, pair.vi);
    const fr = diffWords(old.fr, pair.fr);
    changes.push({
      status: isUnchanged(vi) && isUnchanged(fr) ? 'unchanged' : 'changed',
      id: pair.id,
      moved: moved.has(pair.id),
      before: old,
      after: pair,
      vi,
      fr,
    });
  }
  // Removed pairs go where they stood: after the pair that preceded them.
  before.forEach((pair, index) => {
    if (afterIds.has(pair.id)) return;
    const prev = before.slice(0, index).reverse().find((p) => afterIds.has(p.id));
    const at = prev ? changes.findIndex((c) => c.id === prev.id) + 1 : 0;
    changes.splice(at, 0, { status: 'removed', id: pair.id, before: pair });
  });
  return changes;
}
