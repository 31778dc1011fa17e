import type { VersionPair } from '../../shared/diff.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { normalizeText } from '../../shared/text.ts';

/** What a version fixes: the whole text, numbered and chained to its predecessor. */
export interface VersionContent {
  format: 'accord-version-v1';
  documentId: string;
  number: number;
  createdAt: string;
  title: { vi: string; fr: string };
  pairs: VersionPair[];
  prevHash: string | null;
}

/**
 * The canonical serialisation a version's hash covers: fixed key order, NFC
 * text, no whitespace. Any change to any character changes the hash.
 */
export function serializeVersion(content: VersionContent): string {
  return JSON.stringify({
    format: content.format,
    documentId: content.documentId,
    number: content.number,
    createdAt: content.createdAt,
    title: { vi: normalizeText(content.title.vi), fr: normalizeText(content.title.fr) },
    pairs: content.pairs.map((p) => ({ id: p.id, kind: p.kind, vi: normalizeText(p.vi), fr: normalizeText(p.fr) })),
    prevHash: content.prevHash,
  });
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
