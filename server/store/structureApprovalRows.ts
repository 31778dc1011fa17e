import type Database from 'better-sqlite3';
import type { StructureEntry } from '../../shared/agreedStructure.ts';
import type { StoredStructureApproval } from './agreementTypes.ts';

/**
 * Structure approvals as rows of `structure_approvals`: one per party of a
 * document, the structure agreed kept as JSON (`[[id, kind], …]`) beside its
 * hash, for "what changed since we agreed". The table: migration 9
 * (server/store/migrations.ts).
 */

interface StructureApprovalRow {
  document_id: string;
  party_id: string;
  hash: string;
  structure: string;
  account_id: string;
  created_at: string;
}

const encode = (structure: StructureEntry[]) => JSON.stringify(structure.map((e) => [e.id, e.kind]));
const decode = (json: string): StructureEntry[] => (JSON.parse(json) as Array<[string, string]>).map(([id, kind]) => ({ id, kind }));

/** The table's statements, on the store's main connection (synchronous=FULL: an acknowledged approval survives a power cut). */
export class StructureApprovalRows {
  private readonly upsert;
  private readonly remove_;
  private readonly select;

  constructor(db: Database.Database) {
    // Only for a party that still exists (as for a pair's approval): a party removed while the approval was on its way gets none.
    this.upsert = db.prepare(
      `INSERT INTO structure_approvals (document_id, party_id, hash, structure, account_id, created_at)
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM parties WHERE document_id = ? AND id = ?)
       ON CONFLICT (document_id, party_id) DO UPDATE SET
         hash = excluded.hash, structure = excluded.structure, account_id = excluded.account_id, created_at = excluded.created_at`,
    );
    this.remove_ = db.prepare('DELETE FROM structure_approvals WHERE document_id = ? AND party_id = ?');
    this.select = db.prepare<[string], StructureApprovalRow>('SELECT * FROM structure_approvals WHERE document_id = ? ORDER BY party_id');
  }

  /** Stores (or replaces) the party's structure approval; false, storing nothing, when the party no longer exists. */
  set(a: StoredStructureApproval): boolean {
    return this.upsert.run(a.documentId, a.partyId, a.hash, encode(a.structure), a.accountId, a.createdAt, a.documentId, a.partyId).changes > 0;
  }

  remove(documentId: string, partyId: string): boolean {
    return this.remove_.run(documentId, partyId).changes > 0;
  }

  list(documentId: string): StoredStructureApproval[] {
    return this.select.all(documentId).map((r) => ({
      documentId: r.document_id,
      partyId: r.party_id,
      hash: r.hash,
      structure: decode(r.structure),
      accountId: r.account_id,
      createdAt: r.created_at,
    }));
  }
}
