import type Database from 'better-sqlite3';
import { isRole, type Role } from '../../shared/roles.ts';
import type { AuditAction, AuditActor, AuditEntry } from '../../shared/audit.ts';
import type { Membership } from './identityTypes.ts';

interface MembershipRow {
  document_id: string;
  account_id: string;
  party_id: string | null;
  role: string;
  created_at: string;
}

interface AuditRow {
  seq: number;
  document_id: string;
  at: string;
  action: string;
  actor_id: string | null;
  actor_name: string;
  subject_id: string | null;
  subject_name: string | null;
  role: string | null;
  party_id: string | null;
  previous_role: string | null;
  previous_party_id: string | null;
}

/** What one change writes to the log (the rest — sequence, time, names — the store fills in). */
interface AuditNote {
  documentId: string;
  action: AuditAction;
  by: AuditActor;
  subjectId: string | null;
  role: Role | null;
  partyId: string | null;
  previous?: { role: Role; partyId: string | null } | undefined;
}

/**
 * Memberships, and the audit log of every change to them, on the store's main
 * connection. A change given an actor (`by`) writes its log entry in the same
 * transaction as the change itself: a membership that changed without its
 * entry, or an entry for a change that was rolled back, cannot exist. Without
 * an actor (seeding the demo, test fixtures) nothing is logged.
 */
export class SqliteMemberships {
  private readonly insertAudit;

  constructor(private readonly db: Database.Database) {
    this.insertAudit = db.prepare(
      `INSERT INTO membership_audit (document_id, at, action, actor_id, actor_name, subject_id, subject_name, role, party_id, previous_role, previous_party_id)
       VALUES (?, ?, ?, ?, ?, ?, (SELECT name FROM accounts WHERE id = ?), ?, ?, ?, ?)`,
    );
  }

  private note(n: AuditNote): void {
    this.insertAudit.run(
      n.documentId,
      new Date().toISOString(),
      n.action,
      n.by.accountId,
      n.by.name,
      n.subjectId,
      n.subjectId,
      n.role,
      n.partyId,
      n.previous?.role ?? null,
      n.previous?.partyId ?? null,
    );
  }

  private row(documentId: string, accountId: string): MembershipRow | undefined {
    return this.db.prepare<[string, string], MembershipRow>('SELECT * FROM memberships WHERE document_id = ? AND account_id = ?').get(documentId, accountId);
  }

  set(m: Omit<Membership, 'createdAt'>, by?: AuditActor): Membership {
    return this.db.transaction(() => {
      const before = this.row(m.documentId, m.accountId);
      this.db
        .prepare(
          `INSERT INTO memberships (document_id, account_id, party_id, role, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (document_id, account_id) DO UPDATE SET party_id = excluded.party_id, role = excluded.role`,
        )
        .run(m.documentId, m.accountId, m.partyId, m.role, new Date().toISOString());
      if (by) {
        const previous = before ? membershipOf(before) : undefined;
        this.note({
          documentId: m.documentId,
          action: previous ? 'role_changed' : 'invited',
          by,
          subjectId: m.accountId,
          role: m.role,
          partyId: m.partyId,
          previous: previous && { role: previous.role, partyId: previous.partyId },
        });
      }
      return membershipOf(this.row(m.documentId, m.accountId)!);
    }).immediate();
  }

  remove(documentId: string, accountId: string, by?: AuditActor): boolean {
    return this.db.transaction(() => {
      const before = this.row(documentId, accountId);
      if (!before) return false;
      this.db.prepare('DELETE FROM memberships WHERE document_id = ? AND account_id = ?').run(documentId, accountId);
      const removed = membershipOf(before);
      if (by) this.note({ documentId, action: 'revoked', by, subjectId: accountId, role: removed.role, partyId: removed.partyId });
      return true;
    }).immediate();
  }

  get(documentId: string, accountId: string): Membership | undefined {
    const row = this.row(documentId, accountId);
    return row && membershipOf(row);
  }

  list(documentId: string): Membership[] {
    return this.db.prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE document_id = ? ORDER BY created_at, account_id').all(documentId).map(membershipOf);
  }

  listOf(accountId: string): Membership[] {
    return this.db.prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE account_id = ? ORDER BY created_at, document_id').all(accountId).map(membershipOf);
  }

  addParty(documentId: string, party: { id: string; name: { vi: string; fr: string } }, by?: AuditActor): void {
    this.db.transaction(() => {
      // After the last one: a removed party leaves a gap, and parties are appended in the order they were added.
      const position = this.db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(position) + 1, 0) AS n FROM parties WHERE document_id = ?').get(documentId)!.n;
      this.db.prepare('INSERT INTO parties (document_id, id, position, name_vi, name_fr) VALUES (?, ?, ?, ?, ?)').run(documentId, party.id, position, party.name.vi, party.name.fr);
      if (by) this.note({ documentId, action: 'party_added', by, subjectId: null, role: null, partyId: party.id });
    }).immediate();
  }

  /** Logs a party's removal with its members' revocations (called inside the removal's transaction). */
  partyRemoved(documentId: string, partyId: string, revoked: Array<{ accountId: string; role: Role }>, by: AuditActor): void {
    for (const m of revoked) this.note({ documentId, action: 'revoked', by, subjectId: m.accountId, role: m.role, partyId });
    this.note({ documentId, action: 'party_removed', by, subjectId: null, role: null, partyId });
  }

  /** Logs a sign-in link issued for an account in every declaration it belongs to: the link opens a session in each. */
  linkIssued(accountId: string, by: AuditActor): void {
    for (const m of this.listOf(accountId)) this.note({ documentId: m.documentId, action: 'link_issued', by, subjectId: accountId, role: m.role, partyId: m.partyId });
  }

  /**
   * Where the log ends now, and the memberships changed (invited, role
   * changed, revoked) after entry `after`, each with its last entry: the
   * running server applies what another process (the CLI) changed.
   */
  changesSince(after: number | undefined): { seq: number; changed: Array<{ documentId: string; accountId: string; seq: number }> } {
    const head = this.db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM membership_audit').get()?.seq ?? 0;
    if (after === undefined || head <= after) return { seq: Math.max(head, after ?? 0), changed: [] };
    const rows = this.db
      .prepare<[number, number], { document_id: string; subject_id: string; seq: number }>(
        `SELECT document_id, subject_id, MAX(seq) AS seq FROM membership_audit
         WHERE seq > ? AND seq <= ? AND subject_id IS NOT NULL AND action IN ('invited', 'role_changed', 'revoked')
         GROUP BY document_id, subject_id`,
      )
      .all(after, head);
    return { seq: head, changed: rows.map((r) => ({ documentId: r.document_id, accountId: r.subject_id, seq: r.seq })) };
  }

  /** The log of one declaration, newest first. */
  audit(documentId: string): AuditEntry[] {
    return this.db
      .prepare<[string], AuditRow>('SELECT * FROM membership_audit WHERE document_id = ? ORDER BY seq DESC')
      .all(documentId)
      .map((r) => ({
        seq: r.seq,
        documentId: r.document_id,
        at: r.at,
        action: r.action as AuditAction,
        actor: { accountId: r.actor_id, name: r.actor_name },
        subject: r.subject_id === null ? null : { accountId: r.subject_id, name: r.subject_name ?? '(deleted account)' },
        role: r.role !== null && isRole(r.role) ? r.role : null,
        partyId: r.party_id,
        previous: r.previous_role !== null && isRole(r.previous_role) ? { role: r.previous_role, partyId: r.previous_party_id } : null,
      }));
  }
}

export function membershipOf(row: MembershipRow): Membership {
  if (!isRole(row.role)) throw new Error(`Stored membership has an unknown role "${row.role}".`);
  return { documentId: row.document_id, accountId: row.account_id, partyId: row.party_id, role: row.role, createdAt: row.created_at };
}

/** Migration 10: the membership audit log. */
export const MEMBERSHIP_AUDIT_TABLE = `CREATE TABLE membership_audit (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT NOT NULL,
  subject_id TEXT,
  subject_name TEXT,
  role TEXT,
  party_id TEXT,
  previous_role TEXT,
  previous_party_id TEXT
);
CREATE INDEX membership_audit_by_document ON membership_audit (document_id, seq);`;
