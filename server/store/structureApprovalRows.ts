import type Database from 'better-sqlite3';
import type { StructureEntry } from '../../shared/agreedStructure.ts';
import type { StoredStructureApproval } from './agreementTypes.ts';

/**
 * Structure approvals as rows of `structure_approvals`: one per party of a
 * document, the structure agreed kept as JSON (`[[id, kind], …]`) beside its
 * hash, for "what changed since we agreed".
 */

/** The migration that creates the table (appended to sqliteStore's MIGRATIONS). */
export const STRUCTURE_APPROVALS_TABLE = `CREATE TABLE structure_approvals (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     party_id TEXT NOT NULL,
     hash TEXT NOT NULL,
     structure TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, party_id)
   );`;

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
    this.upsert = db.prepare(
      `INSERT INTO structure_approvals (document_id, party_id, hash, structure, account_id, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (document_id, party_id) DO UPDATE SET
         hash = excluded.hash, structure = excluded.structure, account_id = excluded.account_id, created_at = excluded.created_at`,
    );
    this.remove_ = db.prepare('DELETE FROM structure_approvals WHERE document_id = ? AND party_id = ?');
    this.select = db.prepare<[string], StructureApprovalRow>('SELECT * FROM structure_approvals WHERE document_id = ? ORDER BY party_id');
  }

  set(a: StoredStructureApproval): void {
    this.upsert.run(a.documentId, a.partyId, a.hash, encode(a.structure), a.accountId, a.createdAt);
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
