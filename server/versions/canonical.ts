import { canonicalCell, cellText, hasMarks, plainCell, type CanonicalCell } from '../../shared/canonicalText.ts';
import type { VersionPair } from '../../shared/diff.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { normalizeText } from '../../shared/text.ts';

/**
 * The forms of a version's text. v1 (cut before formatting was part of the
 * agreed text): each language a plain NFC string. v2: each language its
 * canonical runs (shared/canonicalText.ts), bold and italic included. Versions
 * are cut as v2; v1 versions keep their form, so they keep verifying.
 */
export type VersionFormat = 'accord-version-v1' | 'accord-version-v2';

/** What a version fixes: the whole text, numbered and chained to its predecessor (pairs read in canonical form, whatever the format). */
export interface VersionContent {
  format: VersionFormat;
  documentId: string;
  number: number;
  createdAt: string;
  title: { vi: string; fr: string };
  pairs: VersionPair[];
  prevHash: string | null;
}

/** A pair as a version's JSON holds it: strings in v1, runs in v2. */
interface StoredPair {
  id: string;
  kind: string;
  vi: unknown;
  fr: unknown;
}

/** A run as written into a v2 version: fixed key order, `marks` only when there are some. */
const runsJson = (cell: CanonicalCell) => cell.map((paragraph) => paragraph.map((run) => (run.marks ? { text: run.text, marks: [...run.marks] } : { text: run.text })));

function plainOfV1(cell: CanonicalCell): string {
  if (hasMarks(cell)) throw new Error('a version of the first format cannot hold bold or italic');
  return cellText(cell);
}

/**
 * The canonical serialisation a version's hash covers: fixed key order,
 * canonical text, no whitespace. Any change to any character, or to the bold
 * or italic of any (v2), changes the hash.
 */
export function serializeVersion(content: VersionContent): string {
  const v1 = content.format === 'accord-version-v1';
  return JSON.stringify({
    format: content.format,
    documentId: content.documentId,
    number: content.number,
    createdAt: content.createdAt,
    title: { vi: normalizeText(content.title.vi), fr: normalizeText(content.title.fr) },
    pairs: content.pairs.map((p) =>
      v1 ? { id: p.id, kind: p.kind, vi: plainOfV1(p.vi), fr: plainOfV1(p.fr) } : { id: p.id, kind: p.kind, vi: runsJson(p.vi), fr: runsJson(p.fr) },
    ),
    prevHash: content.prevHash,
  });
}

function readCell(value: unknown, format: VersionFormat): CanonicalCell {
  if (format === 'accord-version-v1') {
    if (typeof value !== 'string') throw new Error('a v1 version holds each language as a string');
    return plainCell(value);
  }
  if (!Array.isArray(value) || !value.every((p) => Array.isArray(p) && p.every((r) => typeof r?.text === 'string'))) {
    throw new Error('a v2 version holds each language as paragraphs of runs');
  }
  return canonicalCell(value);
}

/** A stored version's content, its pairs in canonical form (throws on anything else: not readable). */
export function parseVersionContent(serialized: string): VersionContent {
  const raw = JSON.parse(serialized) as Omit<VersionContent, 'pairs'> & { pairs: StoredPair[] };
  if (raw.format !== 'accord-version-v1' && raw.format !== 'accord-version-v2') throw new Error(`unknown version format ${String(raw.format)}`);
  return { ...raw, pairs: raw.pairs.map((p) => ({ id: p.id, kind: p.kind, vi: readCell(p.vi, raw.format), fr: readCell(p.fr, raw.format) })) };
}

export function versionHash(serialized: string): string {
  return sha256Hex(serialized);
}

/** The exact bytes a party head's signature covers. */
export function signaturePayload(fields: {
  documentId: string;
  version: number;
  hash: string;
  partyId: string;
  accountId: string;
  signedAt: string;
}): Buffer {
  return Buffer.from(
    JSON.stringify(['accord-signature-v1', fields.documentId, fields.version, fields.hash, fields.partyId, fields.accountId, fields.signedAt]),
    'utf8',
  );
}
