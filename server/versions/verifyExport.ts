import { z } from 'zod';
import { readZipEntry } from '../export/zipEntry.ts';
import type { StoredSignature } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { decodeAttestation, parseAttestation, signatureDigest, type ExportAttestation } from './attestation.ts';
import { parseVersionContent, serializeVersion, versionHash } from './canonical.ts';
import { chainEntries, chainLinks, headPayload, legacySignaturePayload, signaturePayload, versionSealPayload } from './chain.ts';
import type { ServerKey } from './serverKey.ts';

/**
 * `accord verify --against FILE`: checks an export (PDF, DOCX or JSON)
 * against the store. The file's attestation (attestation.ts) says which
 * version, which signatures and which chain head it was exported at; the
 * store must still hold each of them, unchanged. An export made before a
 * rollback of the whole database is what reveals the rollback: its chain head
 * is signed, and the rolled-back store no longer contains it. A JSON export
 * carries the record itself, so its text, seal and signatures are checked too.
 * A PDF or DOCX is identified by its attestation only: its printed text is not
 * compared (edit the text of a PDF and this check still passes — compare the
 * version's hash with the one printed, or use the JSON export).
 */

export type ExportKind = 'pdf' | 'docx' | 'json';

export interface ExportCheck {
  ok: boolean;
  kind: ExportKind | null;
  attestation: ExportAttestation | null;
  /** What was checked and holds. */
  confirmed: string[];
  problems: string[];
}

const JsonExport = z.object({
  format: z.literal('accord-export-v1'),
  attestation: z.unknown(),
  version: z
    .object({
      number: z.number().int(),
      hash: z.string(),
      seq: z.number().int().nullable(),
      prevLink: z.string().nullable(),
      seal: z.string().nullable(),
      requiredParties: z.array(z.object({ id: z.string(), name: z.object({ vi: z.string(), fr: z.string() }) })),
      content: z.string(),
    })
    .nullable(),
  signatures: z.array(
    z.object({
      partyId: z.string(),
      accountId: z.string(),
      signerName: z.string(),
      signedAt: z.string(),
      format: z.enum(['v1', 'v2']),
      seq: z.number().int().nullable(),
      prevLink: z.string().nullable(),
      signature: z.string(),
    }),
  ),
});
type JsonExport = z.infer<typeof JsonExport>;

/** The attestation a PDF carries in its document information (the last one, should the file have been updated). */
function pdfAttestation(bytes: Buffer): string | undefined {
  const text = bytes.toString('latin1');
  const refs = [...text.matchAll(/\/AccordAttestation\s+(?:\(([A-Za-z0-9_-]+)\)|(\d+)\s+0\s+R)/g)];
  const last = refs.at(-1);
  if (!last) return undefined;
  if (last[1]) return last[1];
  const objects = [...text.matchAll(new RegExp(`(?:^|\\s)${last[2]}\\s+0\\s+obj\\s*\\(([A-Za-z0-9_-]+)\\)`, 'g'))];
  return objects.at(-1)?.[1];
}

function docxAttestation(bytes: Buffer): string | undefined {
  const custom = readZipEntry(bytes, 'docProps/custom.xml')?.toString('utf8');
  return custom ? /name="AccordAttestation"[^>]*>\s*<vt:lpwstr>([A-Za-z0-9_-]+)<\/vt:lpwstr>/.exec(custom)?.[1] : undefined;
}

/** What a file says of itself: its kind, its attestation and, for JSON, the record it carries. */
export function readExport(bytes: Buffer): { kind: ExportKind; attestation: ExportAttestation; json?: JsonExport } {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    const encoded = pdfAttestation(bytes);
    if (!encoded) throw new Error('this PDF carries no Accord attestation (not an Accord export, or its metadata was stripped)');
    return { kind: 'pdf', attestation: decodeAttestation(encoded) };
  }
  if (bytes.readUInt32LE(0) === 0x04034b50) {
    let encoded: string | undefined;
    try {
      encoded = docxAttestation(bytes);
    } catch (error) {
      throw new Error(`this file is not a readable DOCX (${(error as Error).message})`);
    }
    if (!encoded) throw new Error('this DOCX carries no Accord attestation (not an Accord export, or its properties were stripped)');
    return { kind: 'docx', attestation: decodeAttestation(encoded) };
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error('this file is neither a PDF, a DOCX nor an Accord JSON export');
  }
  const parsed = JsonExport.safeParse(value);
  if (!parsed.success) throw new Error(`this JSON is not an Accord export (${parsed.error.issues[0]?.path.join('.') || 'format'})`);
  return { kind: 'json', attestation: parseAttestation(parsed.data.attestation), json: parsed.data };
}

/** The record a JSON export carries, checked on its own: its text against its hash, its seal and signatures with the key. */
function checkJsonRecord(documentId: string, json: JsonExport, attestation: ExportAttestation, key: ServerKey, problems: string[], confirmed: string[]): void {
  const v = json.version;
  if (!v) return;
  // Read as the verifier reads a stored version (any format, runs and parties in canonical form), written back canonically.
  let canonical: string | undefined;
  try {
    canonical = serializeVersion(parseVersionContent(v.content));
  } catch {
    problems.push('the file: its version text is not readable');
  }
  if (canonical === undefined || canonical !== v.content || versionHash(canonical) !== v.hash || v.hash !== attestation.version?.hash) {
    problems.push('the file: its version text does not match the hash it carries (the file was edited)');
  } else confirmed.push(`the file: its text is exactly what hash ${v.hash.slice(0, 16)}… covers`);
  if (v.seal !== null && v.seq !== null) {
    const sealed = key.verify(versionSealPayload({ documentId, seq: v.seq, prevLink: v.prevLink, number: v.number, hash: v.hash, requiredParties: v.requiredParties }), v.seal);
    if (!sealed) problems.push('the file: its version seal does not verify with the server key');
    else confirmed.push('the file: its version seal verifies with the server key');
  }
  for (const s of json.signatures) {
    const payload =
      s.format === 'v2' && s.seq !== null
        ? signaturePayload({ documentId, seq: s.seq, prevLink: s.prevLink, version: v.number, hash: v.hash, partyId: s.partyId, accountId: s.accountId, signerName: s.signerName, signedAt: s.signedAt })
        : legacySignaturePayload({ documentId, version: v.number, hash: v.hash, partyId: s.partyId, accountId: s.accountId, signedAt: s.signedAt });
    if (!key.verify(payload, s.signature)) problems.push(`the file: the signature of party "${s.partyId}" does not verify with the server key`);
    else if (!attestation.signatures.some((a) => a.partyId === s.partyId && a.sha256 === signatureDigest(s.signature))) problems.push(`the file: the signature of party "${s.partyId}" is not the one its attestation names`);
  }
}

/** Checks an export against the store (and, for JSON, on its own); names what holds and every problem. */
export async function checkExport(store: Store, key: ServerKey, bytes: Buffer, expectedDocumentId?: string): Promise<ExportCheck> {
  const confirmed: string[] = [];
  const problems: string[] = [];
  let read: ReturnType<typeof readExport>;
  try {
    read = readExport(bytes);
  } catch (error) {
    return { ok: false, kind: null, attestation: null, confirmed, problems: [(error as Error).message] };
  }
  const { kind, attestation } = read;
  const documentId = attestation.documentId;
  const done = (): ExportCheck => ({ ok: problems.length === 0, kind, attestation, confirmed, problems });
  if (expectedDocumentId && documentId !== expectedDocumentId) {
    problems.push(`it is an export of declaration "${documentId}", not "${expectedDocumentId}"`);
    return done();
  }
  if (attestation.keyFingerprint !== key.fingerprint) {
    problems.push(`it was exported by a server with another key (Ed25519 ${attestation.keyFingerprint.slice(0, 16)}), not this one (${key.fingerprint.slice(0, 16)})`);
    return done();
  }
  if (!(await store.getDocument(documentId))) {
    problems.push(`the store has no declaration "${documentId}" (deleted)`);
    return done();
  }
  if (read.json) checkJsonRecord(documentId, read.json, attestation, key, problems, confirmed);

  const versions = await store.listVersions(documentId);
  const signatures = await store.listSignatures(documentId);
  const head = attestation.head;
  if (head) {
    if (!key.verify(headPayload(documentId, head.seq, head.link), head.signature)) {
      problems.push('its chain head is not signed by the server key (the file was forged or altered)');
    } else {
      const links = chainLinks(documentId, chainEntries(versions, signatures));
      if (links.get(head.seq) === head.link) confirmed.push(`its chain head (entry ${head.seq}, signed by the server key) is in the store's chain`);
      else if (!links.has(head.seq)) problems.push(`the store's chain no longer reaches entry ${head.seq}, the chain head this file was exported at: the store was cut back or rolled back since`);
      else problems.push(`the store's entry ${head.seq} is not the one this file was exported at: the store was rewritten since`);
    }
  }
  const v = attestation.version;
  if (v) {
    const stored = versions.find((x) => x.number === v.number);
    if (!stored) problems.push(`version ${v.number}, which this file is an export of, is no longer in the store (deleted)`);
    else if (stored.hash !== v.hash || stored.seal !== v.seal || stored.seq !== v.seq) problems.push(`the store's version ${v.number} is not the one this file shows: its hash, seal or place differ (rewritten)`);
    else {
      confirmed.push(`version ${v.number} has the same hash, seal and place in the store`);
      if (read.json?.version && read.json.version.content !== stored.content) problems.push(`the store's text of version ${v.number} differs from the file's`);
    }
    const mine = signatures.filter((s) => s.version === v.number);
    const digestOf = (s: StoredSignature) => signatureDigest(s.signature);
    for (const a of attestation.signatures) {
      const s = mine.find((x) => x.partyId === a.partyId);
      if (!s) problems.push(`the signature of party "${a.partyId}" this file shows is no longer in the store (deleted)`);
      else if (digestOf(s) !== a.sha256) problems.push(`the store's signature of party "${a.partyId}" is not the one this file shows (replaced)`);
    }
    if (attestation.signatures.length > 0 && problems.length === 0) confirmed.push(`the signatures it shows are in the store: ${attestation.signatures.map((a) => a.partyId).join(', ')}`);
    const since = mine.filter((s) => !attestation.signatures.some((a) => a.partyId === s.partyId));
    if (since.length > 0) confirmed.push(`signed since the export by: ${since.map((s) => s.partyId).join(', ')}`);
  }
  return done();
}
