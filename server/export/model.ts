import { createHash } from 'node:crypto';
import type { VersionPair } from '../../shared/diff.ts';
import type { DocumentSummary } from '../../shared/protocol.ts';
import { normalizeText } from '../../shared/text.ts';
import type { Store } from '../store/types.ts';
import { VersionService, type VersionSummary } from '../versions/service.ts';

/** How the two languages are laid out. */
export const LAYOUTS = ['parallel', 'vi', 'fr', 'sequential'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** Everything an export shows — and nothing else (no comments of any kind). */
export interface ExportModel {
  documentId: string;
  title: { vi: string; fr: string };
  parties: DocumentSummary['parties'];
  pairs: Array<VersionPair & { number: number }>;
  version: { number: number; createdAt: string; hash: string } | null;
  signedOff: boolean;
  signatures: Array<{ partyName: string; headName: string; signedAt: string; fingerprint: string }>;
  generatedAt: string;
}

/** A short fingerprint of a signature: what a reader can compare with the verifier's output. */
export function signatureFingerprint(signature: string): string {
  return createHash('sha256').update(Buffer.from(signature, 'base64')).digest('hex').slice(0, 16);
}

/** Builds the export of a version (or of the live draft), NFC throughout, bold and italic kept. */
export async function buildExportModel(
  store: Store,
  versions: VersionService,
  document: DocumentSummary,
  which: number | 'draft',
): Promise<ExportModel> {
  const pairs = await versions.pairsOf(document.id, which);
  let summary: VersionSummary | undefined;
  let title = document.title;
  if (which !== 'draft') {
    summary = (await versions.list(document.id)).find((v) => v.number === which);
    title = VersionService.parse(await versions.get(document.id, which)).title;
  }
  const partyName = (id: string) => document.parties.find((p) => p.id === id)?.name ?? { vi: id, fr: id };
  return {
    documentId: document.id,
    title: { vi: normalizeText(title.vi), fr: normalizeText(title.fr) },
    parties: document.parties,
    // Pairs come canonical (NFC runs) from the version or the draft.
    pairs: pairs.map((p, i) => ({ ...p, number: i + 1 })),
    version: summary ? { number: summary.number, createdAt: summary.createdAt, hash: summary.hash } : null,
    signedOff: summary?.signedOff ?? false,
    signatures: (summary?.signatures ?? []).map((s) => ({
      partyName: `${partyName(s.partyId).vi} / ${partyName(s.partyId).fr}`,
      headName: s.byName,
      signedAt: s.signedAt,
      fingerprint: signatureFingerprint(s.signature),
    })),
    generatedAt: new Date().toISOString(),
  };
}

/** The watermark of anything not signed off. */
export const DRAFT_WATERMARK = 'DRAFT / DỰ THẢO / PROJET';

/** "Version 3 — 2026-11-23 10:05 UTC — SHA-256 ab12…" or the draft notice, in both languages. */
export function versionLine(model: ExportModel): string {
  if (!model.version) return `Dự thảo đang soạn / Projet en cours — ${formatUtc(model.generatedAt)}`;
  return `Phiên bản / Version ${model.version.number} — ${formatUtc(model.version.createdAt)} — SHA-256 ${model.version.hash}`;
}

export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
