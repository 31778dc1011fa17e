import type Database from 'better-sqlite3';
import type { PartySummary } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import { approvalOfRow, approvalParameters, type ApprovalRow } from './approvalRows.ts';
import {
  ChainConflict,
  type AgreementStore,
  type ChainHead,
  type PartyRemoval,
  type StoredApproval,
  type StoredSignature,
  type StoredStructureApproval,
  type StoredVersion,
  type VersionLabel,
} from './agreementTypes.ts';
import { StructureApprovalRows } from './structureApprovalRows.ts';

/**
 * Approvals (their rows: approvalRows.ts), structure approvals
 * (structureApprovalRows.ts), versions, signatures and chain heads in SQLite (the agreement half of SqliteStore, on its connection).
 * Appends to a chain check, in the same IMMEDIATE transaction, that the head
 * they were signed against is still the stored one and that no entry lies
 * past it.
 */

type VersionRow = {
  document_id: string;
  number: number;
  created_at: string;
  created_by: string;
  content: string;
  hash: string;
  prev_hash: string | null;
  seq: number | null;
  prev_link: string | null;
  seal: string | null;
  required_parties: string;
  name?: string | null;
  note?: string | null;
  cut_by?: string | null;
};
type SignatureRow = {
  document_id: string;
  version: number;
  party_id: string;
  account_id: string;
  signer_name: string;
  signed_at: string;
  format: string;
  seq: number | null;
  prev_link: string | null;
  signature: string;
};
type HeadRow = { document_id: string; seq: number; link: string; attested_at: string; signature: string };

/** A stored party list; an unreadable one (only a tampered row) reads as none, which the verifier reports. */
function partiesOf(json: string): PartySummary[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter((p): p is PartySummary => typeof p?.id === 'string' && typeof p?.name?.vi === 'string' && typeof p?.name?.fr === 'string');
  } catch {
    return [];
  }
}

/** Who cut a version, as stored (JSON); unreadable or absent reads as not recorded. */
function cutByOf(json: string | null | undefined): VersionLabel['cutBy'] {
  if (!json) return null;
  try {
    const value = JSON.parse(json) as { name?: unknown; party?: unknown };
    if (typeof value?.name !== 'string') return null;
    const party = partiesOf(JSON.stringify([value.party]))[0] ?? null;
    return { name: value.name, party };
  } catch {
    return null;
  }
}

const versionOf = (r: VersionRow): StoredVersion => ({
  documentId: r.document_id,
  number: r.number,
  createdAt: r.created_at,
  createdBy: r.created_by,
  content: r.content,
  hash: r.hash,
  prevHash: r.prev_hash,
  seq: r.seq,
  prevLink: r.prev_link,
  seal: r.seal,
  requiredParties: partiesOf(r.required_parties),
  label: { name: r.name ?? null, note: r.note ?? null, cutBy: cutByOf(r.cut_by) },
});
const signatureOf = (r: SignatureRow): StoredSignature => ({
  documentId: r.document_id,
  version: r.version,
  partyId: r.party_id,
  accountId: r.account_id,
  signerName: r.signer_name,
  signedAt: r.signed_at,
  format: r.format === 'v2' ? 'v2' : 'v1',
  seq: r.seq,
  prevLink: r.prev_link,
  signature: r.signature,
});
const headOf = (r: HeadRow): ChainHead => ({ documentId: r.document_id, seq: r.seq, link: r.link, attestedAt: r.attested_at, signature: r.signature });

export class SqliteAgreement implements Omit<AgreementStore, 'removeParty'> {
  private readonly structureApprovals: StructureApprovalRows;

  constructor(private readonly db: Database.Database) {
    this.structureApprovals = new StructureApprovalRows(db);
  }

  async setApproval(a: StoredApproval): Promise<boolean> {
    // Only for a party that still exists: a party removed while the approval was on its way gets none.
    const stored = this.db
      .prepare(
        `INSERT INTO approvals (document_id, pair_id, party_id, status, reason, hash, text_vi, text_fr, content, account_id, created_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM parties WHERE document_id = ? AND id = ?)
         ON CONFLICT (document_id, pair_id, party_id) DO UPDATE SET
           status = excluded.status, reason = excluded.reason, hash = excluded.hash, text_vi = excluded.text_vi,
           text_fr = excluded.text_fr, content = excluded.content, account_id = excluded.account_id, created_at = excluded.created_at`,
      )
      .run(...approvalParameters(a), a.documentId, a.partyId);
    return stored.changes > 0;
  }

  async removeApproval(documentId: string, pairId: string, partyId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM approvals WHERE document_id = ? AND pair_id = ? AND party_id = ?').run(documentId, pairId, partyId).changes > 0;
  }

  async listApprovals(documentId: string): Promise<StoredApproval[]> {
    return this.db
      .prepare<[string], ApprovalRow>('SELECT * FROM approvals WHERE document_id = ? ORDER BY pair_id, party_id')
      .all(documentId)
      .map(approvalOfRow);
  }

  async setStructureApproval(a: StoredStructureApproval): Promise<boolean> {
    return this.structureApprovals.set(a);
  }

  async removeStructureApproval(documentId: string, partyId: string): Promise<boolean> {
    return this.structureApprovals.remove(documentId, partyId);
  }

  async listStructureApprovals(documentId: string): Promise<StoredStructureApproval[]> {
    return this.structureApprovals.list(documentId);
  }

  async listVersions(documentId: string): Promise<StoredVersion[]> {
    return this.db.prepare<[string], VersionRow>('SELECT * FROM versions WHERE document_id = ? ORDER BY number').all(documentId).map(versionOf);
  }

  async getVersion(documentId: string, number: number): Promise<StoredVersion | undefined> {
    const row = this.db.prepare<[string, number], VersionRow>('SELECT * FROM versions WHERE document_id = ? AND number = ?').get(documentId, number);
    return row && versionOf(row);
  }

  async listSignatures(documentId: string): Promise<StoredSignature[]> {
    return this.db.prepare<[string], SignatureRow>('SELECT * FROM signatures WHERE document_id = ? ORDER BY version, signed_at').all(documentId).map(signatureOf);
  }

  async getChainHead(documentId: string): Promise<ChainHead | undefined> {
    const row = this.db.prepare<[string], HeadRow>('SELECT * FROM chain_heads WHERE document_id = ?').get(documentId);
    return row && headOf(row);
  }

  /** The greatest seq of the document's entries (0: none), and whether any entry has none. */
  private lastSeq(documentId: string): number {
    return this.db
      .prepare<[string, string], { last: number | null }>(
        'SELECT MAX(last) AS last FROM (SELECT MAX(seq) AS last FROM versions WHERE document_id = ? UNION ALL SELECT MAX(seq) FROM signatures WHERE document_id = ?)',
      )
      .get(documentId, documentId)!.last ?? 0;
  }

  async appendToChain(entry: { version: StoredVersion } | { signature: StoredSignature }, head: ChainHead, expected: ChainHead | undefined): Promise<void> {
    this.db.transaction(() => {
      const stored = this.db.prepare<[string], HeadRow>('SELECT * FROM chain_heads WHERE document_id = ?').get(head.documentId);
      const last = this.lastSeq(head.documentId);
      if ((stored?.seq ?? 0) !== last) throw new ChainConflict('broken');
      if (stored?.seq !== expected?.seq || stored?.link !== expected?.link) throw new ChainConflict('moved');
      if ('version' in entry) {
        const v = entry.version;
        this.db
          .prepare(
            `INSERT INTO versions (document_id, number, created_at, created_by, content, hash, prev_hash, seq, prev_link, seal, required_parties, name, note, cut_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            v.documentId, v.number, v.createdAt, v.createdBy, v.content, v.hash, v.prevHash, v.seq, v.prevLink, v.seal, JSON.stringify(v.requiredParties),
            v.label?.name ?? null, v.label?.note ?? null, v.label?.cutBy ? JSON.stringify(v.label.cutBy) : null,
          );
      } else {
        const s = entry.signature;
        this.db
          .prepare(
            `INSERT INTO signatures (document_id, version, party_id, account_id, signer_name, signed_at, format, seq, prev_link, signature)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(s.documentId, s.version, s.partyId, s.accountId, s.signerName, s.signedAt, s.format, s.seq, s.prevLink, s.signature);
      }
      this.db
        .prepare(
          `INSERT INTO chain_heads (document_id, seq, link, attested_at, signature) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (document_id) DO UPDATE SET seq = excluded.seq, link = excluded.link, attested_at = excluded.attested_at, signature = excluded.signature`,
        )
        .run(head.documentId, head.seq, head.link, head.attestedAt, head.signature);
    }).immediate();
  }

  async attestChainHead(head: ChainHead): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM chain_heads WHERE document_id = ?').get(head.documentId)) return false;
      if (this.lastSeq(head.documentId) !== head.seq) return false;
      this.db
        .prepare('INSERT INTO chain_heads (document_id, seq, link, attested_at, signature) VALUES (?, ?, ?, ?, ?)')
        .run(head.documentId, head.seq, head.link, head.attestedAt, head.signature);
      return true;
    }).immediate();
  }

  /** `removed`, when given, is told the revoked memberships inside the removal's transaction (the audit log). */
  async removeParty(documentId: string, partyId: string, removed?: (revoked: Array<{ accountId: string; role: Role }>) => void): Promise<PartyRemoval> {
    return this.db.transaction((): PartyRemoval => {
      const count = (sql: string) => this.db.prepare<[string, string], { n: number }>(sql).get(documentId, partyId)!.n;
      if (count('SELECT COUNT(*) AS n FROM parties WHERE document_id = ? AND id = ?') === 0) return { removed: false, reason: 'not_found' };
      if (count('SELECT COUNT(*) AS n FROM signatures WHERE document_id = ? AND party_id = ?') > 0) return { removed: false, reason: 'has_signatures' };
      if (count('SELECT COUNT(*) AS n FROM approvals WHERE document_id = ? AND party_id = ?') > 0) return { removed: false, reason: 'has_approvals' };
      if (count('SELECT COUNT(*) AS n FROM structure_approvals WHERE document_id = ? AND party_id = ?') > 0) return { removed: false, reason: 'has_structure_approval' };
      if (count("SELECT COUNT(*) AS n FROM comment_threads WHERE document_id = ? AND delegation = ? AND visibility = 'internal'") > 0) {
        return { removed: false, reason: 'has_internal_comments' };
      }
      const revoked = this.db
        .prepare<[string, string], { account_id: string; role: Role }>('SELECT account_id, role FROM memberships WHERE document_id = ? AND party_id = ? ORDER BY created_at, account_id')
        .all(documentId, partyId)
        .map((r) => ({ accountId: r.account_id, role: r.role }));
      this.db.prepare('DELETE FROM memberships WHERE document_id = ? AND party_id = ?').run(documentId, partyId);
      this.db.prepare('DELETE FROM parties WHERE document_id = ? AND id = ?').run(documentId, partyId);
      removed?.(revoked);
      return { removed: true, revokedAccountIds: revoked.map((r) => r.accountId) };
    }).immediate();
  }
}
