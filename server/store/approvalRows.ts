import { canonicalCell, cellText, plainCell, type PairContent } from '../../shared/canonicalText.ts';
import type { StoredApproval } from './agreementTypes.ts';

/**
 * Approvals as rows of the `approvals` table. The approved text is kept twice:
 * `text_vi`/`text_fr`, its plain text, and `content`, its canonical runs (JSON
 * `{vi, fr}`). Rows written before formatting was part of the agreed text have
 * no `content`: their text was recorded plain, and is read back as such.
 */

export interface ApprovalRow {
  document_id: string;
  pair_id: string;
  party_id: string;
  status: 'agreed' | 'reserved';
  reason: string | null;
  hash: string;
  text_vi: string;
  text_fr: string;
  content: string | null;
  account_id: string;
  created_at: string;
}

/** The parameters of the insert, in its column order. */
export function approvalParameters(a: StoredApproval): unknown[] {
  const content = JSON.stringify({ vi: a.text.vi, fr: a.text.fr });
  return [a.documentId, a.pairId, a.partyId, a.status, a.reason, a.hash, cellText(a.text.vi), cellText(a.text.fr), content, a.accountId, a.createdAt];
}

function approvedText(row: ApprovalRow): PairContent {
  if (row.content === null) return { vi: plainCell(row.text_vi), fr: plainCell(row.text_fr) };
  const content = JSON.parse(row.content) as PairContent;
  return { vi: canonicalCell(content.vi), fr: canonicalCell(content.fr) };
}

export function approvalOfRow(row: ApprovalRow): StoredApproval {
  return {
    documentId: row.document_id,
    pairId: row.pair_id,
    partyId: row.party_id,
    status: row.status,
    reason: row.reason,
    hash: row.hash,
    text: approvedText(row),
    accountId: row.account_id,
    createdAt: row.created_at,
  };
}
