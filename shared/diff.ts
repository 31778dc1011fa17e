import { diffArrays } from 'diff';
import { cellText, plainCell, type CanonicalCell, type CanonicalPair, type CanonicalRun } from './canonicalText.ts';
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

/** A cell flattened: its plain text (paragraphs separated by "\n") and where each formatted run lies in it. */
interface Flat {
  text: string;
  spans: Array<{ start: number; end: number; marks: NonNullable<CanonicalRun['marks']> }>;
}

function flatten(cell: CanonicalCell): Flat {
  const spans: Flat['spans'] = [];
  let pos = 0;
  cell.forEach((paragraph, i) => {
    if (i > 0) pos += 1; // the paragraph separator, plain
    for (const run of paragraph) {
      if (run.marks) spans.push({ start: pos, end: pos + run.text.length, marks: run.marks });
      pos += run.text.length;
    }
  });
  return { text: cellText(cell), spans };
}

const WORDS = /\s+|[^\s]+/gu;

/**
 * A key of each token's formatting, equal for equal formatting of the same
 * text: '' when plain, else the lengths and marks of the formatted stretches
 * within it.
 */
function formatKeys(flat: Flat, words: string[]): string[] {
  const keys: string[] = [];
  const marksKeys = flat.spans.map((span) => span.marks.join('+'));
  let at = 0;
  let next = 0;
  for (const word of words) {
    const start = at;
    const end = (at += word.length);
    while (next < flat.spans.length && flat.spans[next]!.end <= start) next++;
    const first = flat.spans[next];
    if (!first || first.start >= end) keys.push('');
    // A word formatted throughout (the usual case): its marks are the key.
    else if (first.start <= start && first.end >= end) keys.push(marksKeys[next]!);
    else {
      const stretches: string[] = [];
      for (let s = next; s < flat.spans.length && flat.spans[s]!.start < end; s++) {
        const span = flat.spans[s]!;
        stretches.push(`${Math.max(span.start, start) - start}-${Math.min(span.end, end) - start}:${marksKeys[s]}`);
      }
      keys.push(stretches.join(';'));
    }
  }
  return keys;
}

/** The runs of characters `start` to `end` of a flattened cell, or undefined when none of them is formatted. */
function runsIn(flat: Flat, start: number, end: number): CanonicalRun[] | undefined {
  const runs: CanonicalRun[] = [];
  let cursor = start;
  for (const span of flat.spans) {
    if (span.end <= start) continue;
    if (span.start >= end) break;
    const from = Math.max(span.start, start);
    if (from > cursor) runs.push({ text: flat.text.slice(cursor, from) });
    cursor = Math.min(span.end, end);
    runs.push({ text: flat.text.slice(from, cursor), marks: span.marks });
  }
  if (runs.length === 0) return undefined;
  if (cursor < end) runs.push({ text: flat.text.slice(cursor, end) });
  return runs;
}

/** The word diff of two texts without any formatting: parts straight from jsdiff's changes. */
function diffPlain(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  for (const change of diffArrays(before.match(WORDS) ?? [], after.match(WORDS) ?? [])) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
    const text = change.value.join('');
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  }
  return parts;
}

const sameSpans = (a: Flat['spans'], b: Flat['spans']): boolean =>
  a.length === b.length && a.every((span, i) => span.start === b[i]!.start && span.end === b[i]!.end && span.marks.join() === b[i]!.marks.join());

/** A part while it grows: where it lies in the old and in the new text. */
interface Span {
  kind: DiffPart['kind'];
  old: [number, number];
  now: [number, number];
}

/** The word diff from `before` to `after`: text changes, and formatting changes of words that stayed. */
export function diffCells(before: CanonicalCell, after: CanonicalCell): DiffPart[] {
  const old = flatten(before);
  const now = flatten(after);
  // Most pairs of two versions are the same (no need to cut them into words), and most have no formatting at all.
  if (old.text === now.text && sameSpans(old.spans, now.spans)) {
    if (!now.text) return [];
    const runs = runsIn(now, 0, now.text.length);
    return [runs ? { kind: 'same', text: now.text, runs } : { kind: 'same', text: now.text }];
  }
  if (old.spans.length === 0 && now.spans.length === 0) return diffPlain(old.text, now.text);
  const oldWords = old.text.match(WORDS) ?? [];
  const newWords = now.text.match(WORDS) ?? [];
  const oldKeys = formatKeys(old, oldWords);
  const newKeys = formatKeys(now, newWords);
  // Parts are consecutive stretches of both texts: grow each by character offsets, cut their runs at the end.
  const spans: Span[] = [];
  let o = 0;
  let n = 0;
  const grow = (kind: DiffPart['kind'], oldLength: number, newLength: number) => {
    if (oldLength === 0 && newLength === 0) return;
    let last = spans.at(-1);
    if (!last || last.kind !== kind) spans.push((last = { kind, old: [o, o], now: [n, n] }));
    last.old[1] = o += oldLength;
    last.now[1] = n += newLength;
  };
  let oi = 0;
  let ni = 0;
  for (const change of diffArrays(oldWords, newWords)) {
    const count = change.count ?? change.value.length;
    let length = 0;
    if (change.added || change.removed) {
      for (let k = 0; k < count; k++) length += (change.added ? newWords[ni++] : oldWords[oi++])!.length;
      if (change.added) grow('added', 0, length);
      else grow('removed', length, 0);
      continue;
    }
    // Words kept: as many "same" or "formatted" in a row as there are, grown at once (both texts have them, of equal length).
    let kind: DiffPart['kind'] = 'same';
    for (let k = 0; k < count; k++, oi++, ni++) {
      const next = oldKeys[oi] === newKeys[ni] ? 'same' : 'formatted';
      if (next !== kind) {
        grow(kind, length, length);
        kind = next;
        length = 0;
      }
      length += newWords[ni]!.length;
    }
    grow(kind, length, length);
  }
  return spans.map(({ kind, old: [os, oe], now: [ns, ne] }): DiffPart => {
    if (kind === 'removed') {
      const runs = runsIn(old, os, oe);
      return runs ? { kind, text: old.text.slice(os, oe), runs } : { kind, text: old.text.slice(os, oe) };
    }
    const text = now.text.slice(ns, ne);
    const runs = runsIn(now, ns, ne);
    if (kind === 'formatted') return { kind, text, runs: runs ?? [{ text }], before: runsIn(old, os, oe) ?? [{ text }] };
    return runs ? { kind, text, runs } : { kind, text };
  });
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

/**
 * Where a pair stands: `from` its ¶ number in the "before" text, `to` in the
 * "after" text, each counted in that text's own order (1-based).
 */
export type PairChange =
  | { status: 'added'; id: string; to: number; after: VersionPair }
  | { status: 'removed'; id: string; from: number; before: VersionPair }
  | {
      status: 'changed' | 'unchanged';
      id: string;
      from: number;
      to: number;
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
  const beforeNumber = new Map(before.map((p, i) => [p.id, i + 1]));
  const changes: PairChange[] = [];
  for (const [index, pair] of after.entries()) {
    const to = index + 1;
    const old = beforeById.get(pair.id);
    if (!old) {
      changes.push({ status: 'added', id: pair.id, to, after: pair });
      continue;
    }
    const vi = diffCells(old.vi, pair.vi);
    const fr = diffCells(old.fr, pair.fr);
    changes.push({
      status: isUnchanged(vi) && isUnchanged(fr) ? 'unchanged' : 'changed',
      id: pair.id,
      from: beforeNumber.get(pair.id)!,
      to,
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
    changes.splice(at, 0, { status: 'removed', id: pair.id, from: index + 1, before: pair });
  });
  return changes;
}
