import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChainHead, StoredSignature, StoredVersion } from '../store/agreementTypes.ts';

/**
 * What every export carries about the record it came from (PDF: the document
 * information entry `AccordAttestation`; DOCX: the custom property of that
 * name; JSON: the field `attestation`; all three also as a visible line):
 * the version and its hash, the signatures' fingerprints, and the chain head
 * at the moment of the export, signed by the server key. `accord verify
 * --against FILE` checks a file's attestation against the store: a store
 * rolled back, cut or rewritten since the export no longer holds that head.
 */
export interface ExportAttestation {
  format: 'accord-attestation-v1';
  documentId: string;
  version: { number: number; hash: string; seq: number | null; seal: string | null } | null;
  signatures: Array<{ partyId: string; seq: number | null; sha256: string }>;
  head: { seq: number; link: string; attestedAt: string; signature: string } | null;
  keyFingerprint: string;
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const AttestationSchema = z.strictObject({
  format: z.literal('accord-attestation-v1'),
  documentId: z.string().min(1).max(64),
  version: z.strictObject({ number: z.number().int().positive(), hash: Hex64, seq: z.number().int().nullable(), seal: z.string().max(200).nullable() }).nullable(),
  signatures: z.array(z.strictObject({ partyId: z.string().min(1).max(64), seq: z.number().int().nullable(), sha256: Hex64 })).max(100),
  head: z.strictObject({ seq: z.number().int().positive(), link: Hex64, attestedAt: z.string().max(40), signature: z.string().max(200) }).nullable(),
  keyFingerprint: Hex64,
});

/** SHA-256 (hex) of a signature's bytes: how an export names a signature. */
export function signatureDigest(signature: string): string {
  return createHash('sha256').update(Buffer.from(signature, 'base64')).digest('hex');
}

export function buildAttestation(
  documentId: string,
  version: StoredVersion | null,
  signatures: StoredSignature[],
  head: ChainHead | undefined,
  keyFingerprint: string,
): ExportAttestation {
  return {
    format: 'accord-attestation-v1',
    documentId,
    version: version ? { number: version.number, hash: version.hash, seq: version.seq, seal: version.seal } : null,
    signatures: signatures.map((s) => ({ partyId: s.partyId, seq: s.seq, sha256: signatureDigest(s.signature) })),
    head: head ? { seq: head.seq, link: head.link, attestedAt: head.attestedAt, signature: head.signature } : null,
    keyFingerprint,
  };
}

/** Base64url of its JSON: survives PDF strings and XML properties without escaping. */
export function encodeAttestation(attestation: ExportAttestation): string {
  return Buffer.from(JSON.stringify(attestation), 'utf8').toString('base64url');
}

/** Checks that a value is an attestation (throws with a reason when it is not one). */
export function parseAttestation(value: unknown): ExportAttestation {
  const parsed = AttestationSchema.safeParse(value);
  if (!parsed.success) throw new Error(`its Accord attestation is malformed (${parsed.error.issues[0]?.path.join('.') || 'format'})`);
  return parsed.data;
}

/** Reads an encoded attestation (throws with a reason when it is not one). */
export function decodeAttestation(encoded: string): ExportAttestation {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new Error('its Accord attestation is not readable');
  }
  return parseAttestation(value);
}

/** The attestation as people read it, under the sign-off block: chain entry, link, key. */
export function attestationLine(attestation: ExportAttestation): string {
  const head = attestation.head ? `${attestation.head.seq} · ${attestation.head.link}` : '—';
  return `Accord — chuỗi / chaîne ${head} — khóa / clé Ed25519 ${attestation.keyFingerprint.slice(0, 16)}`;
}
