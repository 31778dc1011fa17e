import { canonicalCell, cellText, hasMarks, plainCell, type CanonicalCell } from '../../shared/canonicalText.ts';
import type { VersionPair } from '../../shared/diff.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import { normalizeText } from '../../shared/text.ts';

/**
 * The forms of a version's text (docs/ARCHITECTURE.md, "Version formats"):
 * - v1, cut before formatting was part of the agreed text: each language a
 *   plain NFC string;
 * - v2, cut after that but before versions recorded their parties: each
 *   language its canonical runs (shared/canonicalText.ts), bold and italic
 *   included;
 * - v3, cut since: the runs, and the parties whose heads must sign it, names
 *   included, in what the hash covers (what a head signs names who else must
 *   sign).
 * Versions are cut as v3; v1 and v2 versions keep their form (their parties
 * are in `versions.required_parties`), so they keep verifying.
 */
export type VersionFormat = 'accord-version-v1' | 'accord-version-v2' | 'accord-version-v3';

/** The format versions are cut in. */
export const CURRENT_VERSION_FORMAT = 'accord-version-v3';

/** What a version fixes: the whole text, numbered and chained to its predecessor (pairs read in canonical form, whatever the format). */
interface VersionContentBase {
  documentId: string;
  number: number;
  createdAt: string;
  title: { vi: string; fr: string };
  pairs: VersionPair[];
  prevHash: string | null;
}

/** Plain text (a pair with bold or italic cannot be written in it). */
export interface VersionContentV1 extends VersionContentBase {
  format: 'accord-version-v1';
}

/** Runs, no parties. */
export interface VersionContentV2 extends VersionContentBase {
  format: 'accord-version-v2';
}

/** Runs and the parties it was cut for. */
export interface VersionContentV3 extends VersionContentBase {
  format: 'accord-version-v3';
  parties: PartySummary[];
}

export type VersionContent = VersionContentV1 | VersionContentV2 | VersionContentV3;

/** Whether a version of this format names its parties in its text (v3); older ones were cut before the chain of record. */
export const recordsParties = (format: VersionFormat): boolean => format === 'accord-version-v3';

/** Parties in canonical form: fixed key order, NFC names. */
export function canonicalParties(parties: PartySummary[]): PartySummary[] {
  return parties.map((p) => ({ id: p.id, name: { vi: normalizeText(p.name.vi), fr: normalizeText(p.name.fr) } }));
}

/** A run as written into a v2 or v3 version: fixed key order, `marks` only when there are some. */
const runsJson = (cell: CanonicalCell) => cell.map((paragraph) => paragraph.map((run) => (run.marks ? { text: run.text, marks: [...run.marks] } : { text: run.text })));

function plainOfV1(cell: CanonicalCell): string {
  if (hasMarks(cell)) throw new Error('a version of the first format cannot hold bold or italic');
  return cellText(cell);
}

/**
 * The canonical serialisation a version's hash covers: fixed key order,
 * canonical text, no whitespace. Any change to any character, to the bold or
 * italic of any (v2, v3), or to the parties or their names (v3) changes the hash.
 */
export function serializeVersion(content: VersionContent): string {
  const v1 = content.format === 'accord-version-v1';
  const title = { vi: normalizeText(content.title.vi), fr: normalizeText(content.title.fr) };
  const pairs = content.pairs.map((p) =>
    v1 ? { id: p.id, kind: p.kind, vi: plainOfV1(p.vi), fr: plainOfV1(p.fr) } : { id: p.id, kind: p.kind, vi: runsJson(p.vi), fr: runsJson(p.fr) },
  );
  const head = { format: content.format, documentId: content.documentId, number: content.number, createdAt: content.createdAt, title };
  if (content.format !== 'accord-version-v3') return JSON.stringify({ ...head, pairs, prevHash: content.prevHash });
  return JSON.stringify({ ...head, parties: canonicalParties(content.parties), pairs, prevHash: content.prevHash });
}

/** A pair as a version's JSON holds it: strings in v1, runs in v2 and v3. */
interface StoredPair {
  id: string;
  kind: string;
  vi: unknown;
  fr: unknown;
}

const FORMATS: readonly VersionFormat[] = ['accord-version-v1', 'accord-version-v2', 'accord-version-v3'];

function readCell(value: unknown, format: VersionFormat): CanonicalCell {
  if (format === 'accord-version-v1') {
    if (typeof value !== 'string') throw new Error('a v1 version holds each language as a string');
    return plainCell(value);
  }
  if (!Array.isArray(value) || !value.every((p) => Array.isArray(p) && p.every((r) => typeof r?.text === 'string'))) {
    throw new Error(`a ${format.slice(-2)} version holds each language as paragraphs of runs`);
  }
  return canonicalCell(value);
}

function readParties(value: unknown): PartySummary[] {
  const ok = Array.isArray(value) && value.every((p) => typeof p?.id === 'string' && typeof p?.name?.vi === 'string' && typeof p?.name?.fr === 'string');
  if (!ok) throw new Error('a v3 version names its parties as {id, name: {vi, fr}}');
  return canonicalParties(value as PartySummary[]);
}

/**
 * A stored version's content, its pairs and (v3) its parties in canonical
 * form (throws on anything else: not readable). A field its format does not
 * have is dropped when it is serialized again: the verifier, comparing that
 * with the stored bytes, names it.
 */
export function parseVersionContent(serialized: string): VersionContent {
  const raw = JSON.parse(serialized) as Omit<VersionContent, 'pairs' | 'format'> & { format: unknown; pairs: StoredPair[]; parties?: unknown };
  const format = raw.format as VersionFormat;
  if (!FORMATS.includes(format)) throw new Error(`unknown version format ${String(raw.format)}`);
  if (!Array.isArray(raw.pairs)) throw new Error('a version holds its pairs as a list');
  const pairs = raw.pairs.map((p) => ({ id: p.id, kind: p.kind, vi: readCell(p.vi, format), fr: readCell(p.fr, format) }));
  if (format === 'accord-version-v3') return { ...raw, format, pairs, parties: readParties(raw.parties) };
  return { ...raw, format, pairs } as VersionContent;
}

export function versionHash(serialized: string): string {
  return sha256Hex(serialized);
}
