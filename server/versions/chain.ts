import { sha256Hex } from '../../shared/hash.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import type { StoredSignature, StoredVersion } from '../store/agreementTypes.ts';
import { canonicalParties } from './canonical.ts';

/**
 * The chain of record of one declaration: every version cut and every
 * signature, in the order they happened, numbered 1, 2, 3… (`seq`). Each
 * entry is bound to the one before it by `prevLink`, the link of that entry
 * (a SHA-256 over its fields and its own signature, and over the link before
 * it): dropping, reordering or rewriting an entry changes every link after
 * it. A version's seal and a head's signature are Ed25519 signatures by the
 * server key that cover `prevLink`, so each entry also vouches for the whole
 * chain before it. The newest link, signed (the *chain head*), is kept outside
 * the rows that can be deleted (chain_heads, the file beside the key, every
 * export), so that deleting the last entries is seen too.
 */

/** One entry of the chain. */
export type ChainEntry = { kind: 'version'; seq: number | null; prevLink: string | null; version: StoredVersion } | { kind: 'signature'; seq: number | null; prevLink: string | null; signature: StoredSignature };

/** Versions and signatures in chain order (entries without a seq — not in the chain — last). */
export function chainEntries(versions: StoredVersion[], signatures: StoredSignature[]): ChainEntry[] {
  const entries: ChainEntry[] = [
    ...versions.map((version): ChainEntry => ({ kind: 'version', seq: version.seq, prevLink: version.prevLink, version })),
    ...signatures.map((signature): ChainEntry => ({ kind: 'signature', seq: signature.seq, prevLink: signature.prevLink, signature })),
  ];
  return entries.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
}

const bytes = (fields: unknown[]): Buffer => Buffer.from(JSON.stringify(fields), 'utf8');

/** The exact bytes a version's seal (the server key's signature at the cut) covers. */
export function versionSealPayload(v: { documentId: string; seq: number; prevLink: string | null; number: number; hash: string; requiredParties: PartySummary[] }): Buffer {
  return bytes(['accord-version-seal-v1', v.documentId, v.seq, v.prevLink, v.number, v.hash, canonicalParties(v.requiredParties)]);
}

/**
 * The exact bytes a party head's signature covers (since the chain): the
 * version's hash, the party, the head and their name as the sign-off block
 * shows it, the time, and the chain up to it (`prevLink`).
 */
export function signaturePayload(fields: {
  documentId: string;
  seq: number;
  prevLink: string | null;
  version: number;
  hash: string;
  partyId: string;
  accountId: string;
  signerName: string;
  signedAt: string;
}): Buffer {
  return bytes(['accord-signature-v2', fields.documentId, fields.seq, fields.prevLink, fields.version, fields.hash, fields.partyId, fields.accountId, fields.signerName, fields.signedAt]);
}

/** What signatures made before the chain covered (format "v1"): still checked as they were made. */
export function legacySignaturePayload(fields: { documentId: string; version: number; hash: string; partyId: string; accountId: string; signedAt: string }): Buffer {
  return bytes(['accord-signature-v1', fields.documentId, fields.version, fields.hash, fields.partyId, fields.accountId, fields.signedAt]);
}

/** The exact bytes a chain head's attestation covers: "the chain of this declaration has `seq` entries, the last with this link". */
export function headPayload(documentId: string, seq: number, link: string): Buffer {
  return bytes(['accord-chain-head-v1', documentId, seq, link]);
}

/**
 * The link of an entry: SHA-256 over the link before it and everything the
 * entry records (legacy entries have no signature over their place in the
 * chain, so their link is what holds them in it).
 */
export function entryLink(documentId: string, entry: ChainEntry): string {
  if (entry.kind === 'version') {
    const v = entry.version;
    return sha256Hex(JSON.stringify(['accord-link-v1', documentId, entry.seq, entry.prevLink, 'version', v.number, v.hash, canonicalParties(v.requiredParties), v.seal]));
  }
  const s = entry.signature;
  return sha256Hex(JSON.stringify(['accord-link-v1', documentId, entry.seq, entry.prevLink, 'signature', s.version, s.partyId, s.accountId, s.signerName, s.signedAt, s.format, s.signature]));
}

/** Each entry's link by seq, as the store's entries give them (each from its own recorded prevLink). */
export function chainLinks(documentId: string, entries: ChainEntry[]): Map<number, string> {
  const links = new Map<number, string>();
  for (const entry of entries) if (entry.seq !== null) links.set(entry.seq, entryLink(documentId, entry));
  return links;
}
