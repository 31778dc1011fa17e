import { diffArrays } from 'diff';
import { cellText, hasMarks, plainCell, type CanonicalCell, type CanonicalPair, type CanonicalRun } from './canonicalText.ts';
import { normalizeText } from './text.ts';

/**
 * Word-level diffs on the agreed text (canonicalText.ts). Words are runs of
 * non-space characters; spaces (including U+00A0 and U+202F, which French
 * typography needs) are tokens of their own, so a changed tone mark is
 * exactly one word changed and a changed non-breaking space shows as such.
 * Words are matched by their text; a word whose text stayed but whose bold
 * or italic changed is "formatted", not removed and added again.
 */

export interface DiffPart {
  kind: 'same' | 'added' | 'removed' | 'formatted';
  text: string;
  /** The part's runs, when some of it is bold or italic (absent: all plain). "formatted": always, as it is now. */
  runs?: CanonicalRun[];
  /** "formatted" only, always: the runs of the same words before. */
  before?: CanonicalRun[];
}

/** Splits text into word and whitespace tokens. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(/\s+|[^\s]+/gu) ?? [];
}

/** A token with its formatting: `format` is '' when plain, else a key equal for equal formatting of the same text. */
interface Token {
  text: string;
  runs?: CanonicalRun[];
  format: string;
}

const sameMarks = (a: CanonicalRun['marks'], b: CanonicalRun['marks']): boolean => (a ?? []).join() === (b ?? []).join();

/** Appends runs, merging a run into the last one when their marks are the same. */
function appendRuns(into: CanonicalRun[], runs: readonly CanonicalRun[]): void {
  for (const run of runs) {
    const last = into.at(-1);
    if (last && sameMarks(last.marks, run.marks)) into[into.length - 1] = run.marks ? { text: last.text + run.text, marks: run.marks } : { text: last.text + run.text };
    else into.push(run.marks ? { text: run.text, marks: run.marks } : { text: run.text });
  }
}

/** The tokens of a cell (its plain text, paragraphs separated by "\n"), each with the runs it covers. */
function tokensOf(cell: CanonicalCell): Token[] {
  const words = cellText(cell).match(/\s+|[^\s]+/gu) ?? [];
  if (!hasMarks(cell)) return words.map((text) => ({ text, format: '' }));
  // Where the formatted runs lie in the plain text.
  const spans: Array<{ start: number; end: number; marks: CanonicalRun['marks'] }> = [];
  let pos = 0;
  cell.forEach((paragraph, i) => {
    if (i > 0) pos += 1; // the paragraph separator, plain
    for (const run of paragraph) {
      if (run.marks) spans.push({ start: pos, end: pos + run.text.length, marks: run.marks });
      pos += run.text.length;
    }
  });
  let at = 0;
  let next = 0;
  return words.map((text) => {
    const start = at;
    const end = (at += text.length);
    while (next < spans.length && spans[next]!.end <= start) next++;
    if (next >= spans.length || spans[next]!.start >= end) return { text, format: '' };
    const runs: CanonicalRun[] = [];
    let cursor = start;
    for (let s = next; s < spans.length && spans[s]!.start < end; s++) {
      const span = spans[s]!;
      const from = Math.max(span.start, start);
      if (from > cursor) runs.push({ text: text.slice(cursor - start, from - start) });
      const to = Math.min(span.end, end);
      runs.push({ text: text.slice(from - start, to - start), marks: span.marks });
      cursor = to;
    }
    if (cursor < end) runs.push({ text: text.slice(cursor - start) });
    return { text, runs, format: runs.map((r) => `${r.text.length}:${(r.marks ?? []).join('+')}`).join('|') };
  });
}

/** Adds a token's text and runs to a part; `field` holds runs only once some of the part is formatted. */
function addToken(part: DiffPart, field: 'runs' | 'before', token: Token, textBefore: string): void {
  const runs = part[field];
  if (token.runs) {
    const into = runs ?? (textBefore ? [{ text: textBefore }] : []);
    appendRuns(into, token.runs);
    part[field] = into;
  } else if (runs) {
    appendRuns(runs, [{ text: token.text }]);
  }
}

/** The word diff from `before` to `after`: text changes, and formatting changes of words that stayed. */
export function diffCells(before: CanonicalCell, after: CanonicalCell): DiffPart[] {
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], token: Token, old?: Token) => {
    let part = parts.at(-1);
    if (!part || part.kind !== kind) parts.push((part = { kind, text: '' }));
    const textBefore = part.text;
    addToken(part, 'runs', token, textBefore);
    if (old) addToken(part, 'before', old, textBefore);
    part.text += token.text;
  };
  const oldTokens = tokensOf(before);
  const newTokens = tokensOf(after);
  let o = 0;
  let n = 0;
  for (const change of diffArrays(oldTokens.map((t) => t.text), newTokens.map((t) => t.text))) {
    const count = change.count ?? change.value.length;
    for (let k = 0; k < count; k++) {
      if (change.added) push('added', newTokens[n++]!);
      else if (change.removed) push('removed', oldTokens[o++]!);
      else {
        const old = oldTokens[o++]!;
        const now = newTokens[n++]!;
        if (old.format === now.format) push('same', now);
        else push('formatted', now, old);
      }
    }
  }
  for (const part of parts) {
    if (part.kind !== 'formatted') continue;
    part.runs ??= [{ text: part.text }];
    part.before ??= [{ text: part.text }];
  }
  return parts;
}

/** The word diff of two plain texts. NFD and NFC forms of the same text are no change. */
export function diffWords(before: string, after: string): DiffPart[] {
  return diffCells(plainCell(before), plainCell(after));
}

/** Number of words (non-space tokens) added, removed, and kept with their formatting changed. */
export function countChangedWords(parts: DiffPart[]): { added: number; removed: number; formatted: number } {
  const words = (kind: DiffPart['kind']) =>
    parts.filter((p) => p.kind === kind).reduce((n, p) => n + tokenize(p.text).filter((t) => !/^\s+$/u.test(t)).length, 0);
  return { added: words('added'), removed: words('removed'), formatted: words('formatted') };
}

export function isUnchanged(parts: DiffPart[]): boolean {
  return parts.every((p) => p.kind === 'same');
}

/** A pair as a version (or the draft) holds it: canonical runs in both languages. */
export type VersionPair = CanonicalPair;

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
    const vi = diffCells(old.vi, pair.vi);
    const fr = diffCells(old.fr, pair.fr);
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
