import type { VersionPair } from '../../shared/diff.ts';
import type { DocumentSummary, PartySummary } from '../../shared/protocol.ts';
import { normalizeText } from '../../shared/text.ts';
import type { ChainHead, StoredSignature, StoredVersion } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { buildAttestation, signatureDigest, type ExportAttestation } from '../versions/attestation.ts';
import { VersionService } from '../versions/service.ts';

/** How the two languages are laid out. */
export const LAYOUTS = ['parallel', 'vi', 'fr', 'sequential'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** One line of the sign-off block: a party the version needs, and its head's signature once given. */
export interface SignOffLine {
  partyName: string;
  /** The party's name in each language (the signature blocks for handwritten signatures). */
  party: { vi: string; fr: string };
  signature: { headName: string; signedAt: string; fingerprint: string } | null;
}

/** Everything an export shows — and nothing else (no comments of any kind). */
export interface ExportModel {
  documentId: string;
  title: { vi: string; fr: string };
  /** A version's parties are those it was cut for; the draft's, the document's today. */
  parties: PartySummary[];
  /** Only operative paragraphs are numbered (1, 2, 3…, as a declaration is filed): the title, preamble and closing have no number. */
  pairs: Array<VersionPair & { number: number | null }>;
  version: { number: number; createdAt: string; hash: string } | null;
  signedOff: boolean;
  /** A version's: one line per party it was cut for, in their order (the draft has none). */
  signOff: SignOffLine[];
  /** What ties the file to the record (attestation.ts). */
  attestation: ExportAttestation;
  /** The records themselves, for the JSON export (null for the draft's version). */
  record: { version: StoredVersion | null; signatures: StoredSignature[]; head: ChainHead | null; publicKeyPem: string };
  generatedAt: string;
}

/** A short fingerprint of a signature: what a reader can compare with the verifier's output. */
export function signatureFingerprint(signature: string): string {
  return signatureDigest(signature).slice(0, 16);
}

/** Builds the export of a version (or of the live draft), NFC throughout, bold and italic kept. */
export async function buildExportModel(
  store: Store,
  versions: VersionService,
  document: DocumentSummary,
  which: number | 'draft',
): Promise<ExportModel> {
  const pairs = await versions.pairsOf(document.id, which);
  const stored = which === 'draft' ? null : await versions.get(document.id, which);
  const parties = stored ? stored.requiredParties : document.parties;
  const title = stored ? VersionService.parse(stored).title : document.title;
  const given = stored ? (await store.listSignatures(document.id)).filter((s) => s.version === stored.number) : [];
  // In the order of the parties it was cut for: the block reads the same whenever it is printed.
  const signatures = parties.flatMap((p) => given.filter((s) => s.partyId === p.id));
  const head = (await versions.head(document.id)) ?? null;
  const name = (p: PartySummary) => `${normalizeText(p.name.vi)} / ${normalizeText(p.name.fr)}`;
  return {
    documentId: document.id,
    title: { vi: normalizeText(title.vi), fr: normalizeText(title.fr) },
    parties,
    // Pairs come canonical (NFC runs, bold and italic kept) from the version or the draft.
    pairs: numberOperative(pairs),
    version: stored ? { number: stored.number, createdAt: stored.createdAt, hash: stored.hash } : null,
    signedOff: !!stored && parties.length > 0 && parties.every((p) => given.some((s) => s.partyId === p.id)),
    signOff: stored
      ? parties.map((p) => {
          const s = given.find((x) => x.partyId === p.id);
          return { partyName: name(p), party: { vi: normalizeText(p.name.vi), fr: normalizeText(p.name.fr) }, signature: s ? { headName: s.signerName, signedAt: s.signedAt, fingerprint: signatureFingerprint(s.signature) } : null };
        })
      : [],
    attestation: buildAttestation(document.id, stored, signatures, head ?? undefined, versions.keyFingerprint),
    record: { version: stored, signatures, head, publicKeyPem: versions.publicKeyPem },
    generatedAt: new Date().toISOString(),
  };
}

/** Numbers the operative paragraphs 1, 2, 3… in order; every other kind gets none. */
export function numberOperative<P extends { kind: string }>(pairs: readonly P[]): Array<P & { number: number | null }> {
  let next = 0;
  return pairs.map((p) => ({ ...p, number: p.kind === 'operative' ? ++next : null }));
}

/** The watermark of anything not signed off. */
export const DRAFT_WATERMARK = 'DRAFT / DỰ THẢO / PROJET';

/** The sign-off block's heading and lines, the same words in the PDF and the DOCX. */
export function signOffLines(model: ExportModel): { heading: string; lines: string[] } {
  const heading = model.signedOff ? 'Đã ký / Signé par toutes les parties' : 'Chữ ký / Signatures';
  if (model.signOff.length === 0) return { heading, lines: ['Chưa có chữ ký / Aucune signature'] };
  return {
    heading,
    lines: model.signOff.map((l) =>
      l.signature ? `${l.partyName} — ${l.signature.headName} — ${formatUtc(l.signature.signedAt)} — Ed25519 ${l.signature.fingerprint}` : `${l.partyName} — chưa ký / pas encore signé`,
    ),
  };
}

/**
 * When the file says it was made: a version's export is reproducible (the
 * same version and chain head give the same bytes, so anyone can export again
 * and compare), so it carries the version's time; the draft, the moment.
 */
export function exportDate(model: ExportModel): Date {
  return new Date(model.version ? model.version.createdAt : model.generatedAt);
}

/** "Version 3 — 2026-11-23 10:05 UTC — SHA-256 ab12…" or the draft notice, in both languages. */
export function versionLine(model: ExportModel): string {
  if (!model.version) return `Dự thảo đang soạn / Projet en cours — ${formatUtc(model.generatedAt)}`;
  return `Phiên bản / Version ${model.version.number} — ${formatUtc(model.version.createdAt)} — SHA-256 ${model.version.hash}`;
}

export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
