import type { VersionPair } from '../../shared/diff.ts';
import { sha256Hex } from '../../shared/hash.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import { normalizeText } from '../../shared/text.ts';

/** What a version fixes: the whole text, numbered and chained to its predecessor. */
interface VersionContentBase {
  documentId: string;
  number: number;
  createdAt: string;
  title: { vi: string; fr: string };
  pairs: VersionPair[];
  prevHash: string | null;
}

/** Versions cut before versions recorded their parties (their parties are in `versions.required_parties`). */
export interface VersionContentV1 extends VersionContentBase {
  format: 'accord-version-v1';
}

/**
 * Versions since: the parties whose heads must sign it are part of what the
 * hash covers — what a head signs names who else must sign.
 */
export interface VersionContentV2 extends VersionContentBase {
  format: 'accord-version-v2';
  parties: PartySummary[];
}

export type VersionContent = VersionContentV1 | VersionContentV2;

/** Parties in canonical form: fixed key order, NFC names. */
export function canonicalParties(parties: PartySummary[]): PartySummary[] {
  return parties.map((p) => ({ id: p.id, name: { vi: normalizeText(p.name.vi), fr: normalizeText(p.name.fr) } }));
}

/**
 * The canonical serialisation a version's hash covers: fixed key order, NFC
 * text, no whitespace. Any change to any character changes the hash.
 */
export function serializeVersion(content: VersionContent): string {
  const title = { vi: normalizeText(content.title.vi), fr: normalizeText(content.title.fr) };
  const pairs = content.pairs.map((p) => ({ id: p.id, kind: p.kind, vi: normalizeText(p.vi), fr: normalizeText(p.fr) }));
  if (content.format === 'accord-version-v1') {
    return JSON.stringify({ format: content.format, documentId: content.documentId, number: content.number, createdAt: content.createdAt, title, pairs, prevHash: content.prevHash });
  }
  return JSON.stringify({
    format: content.format,
    documentId: content.documentId,
    number: content.number,
    createdAt: content.createdAt,
    title,
    parties: canonicalParties(content.parties),
    pairs,
    prevHash: content.prevHash,
  });
}

export function versionHash(serialized: string): string {
  return sha256Hex(serialized);
}
