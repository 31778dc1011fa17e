import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentSummary } from '../../shared/protocol.ts';
import { isRole } from '../../shared/roles.ts';
import { limits } from '../../shared/limits.ts';
import type { Account, InviteRefusal, Membership } from './identityTypes.ts';
import type { StoredComment, StoredThread } from './commentTypes.ts';
import { commentOf, threadOf, type CommentRow, type ThreadRow } from './commentRows.ts';
import type { StoredApproval, StoredSignature, StoredStructureApproval, StoredVersion } from './agreementTypes.ts';
import { approvalOfRow, approvalParameters, type ApprovalRow } from './approvalRows.ts';
import { STRUCTURE_APPROVALS_TABLE, StructureApprovalRows } from './structureApprovalRows.ts';
import { UpdateLogWriter } from './updateLogWriter.ts';

import type { NewDocument, Store, StoredUpdates } from './types.ts';

/**
 * The embedded default store: one SQLite file (WAL, synchronous=FULL so an
 * acknowledged update survives a kill -9 and a power cut alike).
 */

const MIGRATIONS: string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     title_vi TEXT NOT NULL,
     title_fr TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE parties (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     id TEXT NOT NULL,
     position INTEGER NOT NULL,
     name_vi TEXT NOT NULL,
     name_fr TEXT NOT NULL,
     PRIMARY KEY (document_id, id)
   );
   CREATE TABLE doc_updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     data BLOB NOT NULL
   );
   CREATE INDEX doc_updates_by_document ON doc_updates (document_id, seq);`,
  `ALTER TABLE documents ADD COLUMN observers_may_comment INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     email TEXT UNIQUE,
     locale TEXT,
     is_secretariat INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL
   );
   CREATE TABLE memberships (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     party_id TEXT,
     role TEXT NOT NULL,
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, account_id),
     FOREIGN KEY (document_id, party_id) REFERENCES parties(document_id, id)
   );
   CREATE INDEX memberships_by_account ON memberships (account_id);
   CREATE TABLE invites (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     used_at TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
     expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  `CREATE TABLE comment_threads (
     id TEXT PRIMARY KEY,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     lang TEXT NOT NULL,
     anchor_start TEXT NOT NULL,
     anchor_end TEXT NOT NULL,
     quote TEXT NOT NULL,
     visibility TEXT NOT NULL,
     delegation TEXT NOT NULL,
     author_id TEXT NOT NULL REFERENCES accounts(id),
     status TEXT NOT NULL DEFAULT 'open',
     created_at TEXT NOT NULL,
     resolved_at TEXT,
     resolved_by TEXT
   );
   CREATE INDEX comment_threads_by_document ON comment_threads (document_id, created_at);
   CREATE TABLE comments (
     id TEXT PRIMARY KEY,
     thread_id TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
     author_id TEXT NOT NULL REFERENCES accounts(id),
     body TEXT NOT NULL,
     created_at TEXT NOT NULL,
     edited_at TEXT,
     deleted_at TEXT
   );
   CREATE INDEX comments_by_thread ON comments (thread_id, created_at);`,
  `CREATE TABLE approvals (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     party_id TEXT NOT NULL,
     status TEXT NOT NULL,
     reason TEXT,
     hash TEXT NOT NULL,
     text_vi TEXT NOT NULL,
     text_fr TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     created_at TEXT NOT NULL,
     PRIMARY KEY (document_id, pair_id, party_id)
   );
   CREATE TABLE versions (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     number INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     created_by TEXT NOT NULL,
     content TEXT NOT NULL,
     hash TEXT NOT NULL,
     prev_hash TEXT,
     PRIMARY KEY (document_id, number)
   );
   CREATE TABLE signatures (
     document_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     party_id TEXT NOT NULL,
     account_id TEXT NOT NULL REFERENCES accounts(id),
     signed_at TEXT NOT NULL,
     signature TEXT NOT NULL,
     PRIMARY KEY (document_id, version, party_id),
     FOREIGN KEY (document_id, version) REFERENCES versions(document_id, number)
   );`,
  // What a large row holds, read off it once (see RowScan in server/collaboration/ingest/storedRows.ts).
  `ALTER TABLE doc_updates ADD COLUMN scan BLOB;`,
  // The approved text's runs, bold and italic included (server/store/approvalRows.ts); NULL in rows written before.
  `ALTER TABLE approvals ADD COLUMN content TEXT;`,
  // Each party's agreement to the order and kinds of the pairs (server/store/structureApprovalRows.ts). None before: every document's structure reads as not yet agreed.
  STRUCTURE_APPROVALS_TABLE,
];

interface DocumentRow {
  id: string;
  title_vi: string;
  title_fr: string;
  observers_may_comment: number;
  created_at: string;
}
interface AccountRow {
  id: string;
  name: string;
  email: string | null;
  locale: string | null;
  is_secretariat: number;
  created_at: string;
}
interface MembershipRow {
  document_id: string;
  account_id: string;
  party_id: string | null;
  role: string;
  created_at: string;
}
interface PartyRow {
  document_id: string;
  id: string;
  name_vi: string;
  name_fr: string;
}

export const DATABASE_FILE = 'accord.sqlite';

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  /** Appends and compactions of the update log, on a connection of their own (see UpdateLogWriter). */
  private readonly updateLog: UpdateLogWriter;
  private readonly structureApprovals: StructureApprovalRows;

  constructor(dataDir: string) {
    const file = path.join(dataDir, DATABASE_FILE);
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      // Every transaction below begins IMMEDIATE (`.immediate()`: the write lock at
      // once, waiting up to busy_timeout for it). A DEFERRED one that reads first is
      // refused with SQLITE_BUSY, without waiting, when another connection (the
      // update log's, another process) commits between its read and its write
      // (tests/store/busySnapshot.test.ts).
      this.migrate();
      this.updateLog = new UpdateLogWriter(file);
      // SQLite opens a file it may not write read-only without a word; better
      // to refuse to start than to accept edits it cannot keep.
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `Cannot open the database ${file} for writing (${reason}). DATA_DIR (${dataDir}) must be writable by the user running Accord, on a disk with free space.`,
        { cause: error },
      );
    }
    this.structureApprovals = new StructureApprovalRows(this.db);
    this.statements = {
      listDocuments: this.db.prepare<[], DocumentRow>('SELECT * FROM documents ORDER BY created_at, id'),
      getDocument: this.db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
      partiesOf: this.db.prepare<[string], PartyRow>('SELECT * FROM parties WHERE document_id = ? ORDER BY position'),
      allParties: this.db.prepare<[], PartyRow>('SELECT * FROM parties ORDER BY document_id, position'),
      insertDocument: this.db.prepare(
        'INSERT INTO documents (id, title_vi, title_fr, observers_may_comment, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      insertParty: this.db.prepare('INSERT INTO parties (document_id, id, position, name_vi, name_fr) VALUES (?, ?, ?, ?, ?)'),
      insertUpdate: this.db.prepare('INSERT INTO doc_updates (document_id, data) VALUES (?, ?)'),
      documentBytes: this.db.prepare<[string], { bytes: number }>('SELECT COALESCE(SUM(length(data)), 0) AS bytes FROM doc_updates WHERE document_id = ?'),
      loadUpdates: this.db.prepare<[string], { seq: number; data: Buffer; scan: Buffer | null }>(
        'SELECT seq, data, scan FROM doc_updates WHERE document_id = ? ORDER BY seq',
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  private present(row: DocumentRow, parties: PartyRow[]): DocumentSummary {
    return {
      id: row.id,
      title: { vi: row.title_vi, fr: row.title_fr },
      parties: parties.map((p) => ({ id: p.id, name: { vi: p.name_vi, fr: p.name_fr } })),
      observersMayComment: row.observers_may_comment === 1,
      createdAt: row.created_at,
    };
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    const parties = this.statements.allParties.all();
    return this.statements.listDocuments.all().map((row) =>
      this.present(row, parties.filter((p) => p.document_id === row.id)),
    );
  }

  async getDocument(id: string): Promise<DocumentSummary | undefined> {
    const row = this.statements.getDocument.get(id);
    return row ? this.present(row, this.statements.partiesOf.all(id)) : undefined;
  }

  async createDocument(doc: NewDocument, initialUpdate: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.statements.insertDocument.run(doc.id, doc.title.vi, doc.title.fr, doc.observersMayComment ? 1 : 0, new Date().toISOString());
      doc.parties.forEach((p, i) => this.statements.insertParty.run(doc.id, p.id, i, p.name.vi, p.name.fr));
      this.statements.insertUpdate.run(doc.id, Buffer.from(initialUpdate));
    }).immediate();
  }

  /**
   * A large document's rows are read on the update log's helper thread: on
   * the event loop, reading 1.5 MB took 15-20 ms after a restart (mostly the
   * first touch of the memory it lands in), which every connection waited
   * out — the others' handshakes included. Its large rows come in shared
   * memory, handed to the ingest workers without a copy.
   */
  async loadUpdates(documentId: string): Promise<StoredUpdates> {
    if (this.statements.documentBytes.get(documentId)!.bytes >= limits.largeUpdateBytes) {
      const { updates, seqs, scans } = await this.updateLog.loadUpdates(documentId, limits.largeUpdateBytes);
      return { updates, seqs, scans, lastSeq: seqs.at(-1) ?? 0 };
    }
    const rows = this.statements.loadUpdates.all(documentId);
    return { updates: rows.map((r) => r.data), seqs: rows.map((r) => r.seq), scans: rows.map((r) => r.scan ?? undefined), lastSeq: rows.at(-1)?.seq ?? 0 };
  }

  async prepareWrites(): Promise<void> {
    await this.updateLog.start();
  }

  async holdsDocumentLargerThan(bytes: number): Promise<boolean> {
    // length() of a blob reads its size from the record header, not the blob.
    const row = this.db.prepare('SELECT 1 FROM doc_updates GROUP BY document_id HAVING SUM(length(data)) >= ? LIMIT 1').get(bytes);
    return row !== undefined;
  }

  appendUpdate(documentId: string, update: Uint8Array): Promise<number> {
    return this.updateLog.append(documentId, update);
  }

  compact(documentId: string, merged: Uint8Array, uptoSeq: number, afterSeq = 0): Promise<number> {
    return this.updateLog.compact(documentId, merged, uptoSeq, afterSeq);
  }

  mergeRows(documentId: string, afterSeq: number, uptoSeq: number): Promise<{ seq: number; bytes: number; merged?: Uint8Array }> {
    return this.updateLog.mergeRows(documentId, afterSeq, uptoSeq);
  }

  keepRowScans(documentId: string, scans: Array<{ seq: number; scan: Uint8Array }>): Promise<void> {
    return this.updateLog.keepScans(documentId, scans);
  }

  /**
   * Resolves once every update written so far is on the disk (a reply to
   * appendUpdate means it is in the WAL file, safe from a crash of the server;
   * the writer flushes it to the disk right after, in the background).
   */
  updateLogOnDisk(): Promise<void> {
    return this.updateLog.onDisk();
  }

  // ---- identity -------------------------------------------------------------

  private account(row: AccountRow): Account {
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      locale: row.locale,
      isSecretariat: row.is_secretariat === 1,
      createdAt: row.created_at,
    };
  }

  private membership(row: MembershipRow): Membership {
    if (!isRole(row.role)) throw new Error(`Stored membership has an unknown role "${row.role}".`);
    return { documentId: row.document_id, accountId: row.account_id, partyId: row.party_id, role: row.role, createdAt: row.created_at };
  }

  async createAccount(a: { id: string; name: string; email: string | null; isSecretariat: boolean }): Promise<Account> {
    const createdAt = new Date().toISOString();
    this.db
      .prepare('INSERT INTO accounts (id, name, email, is_secretariat, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(a.id, a.name, a.email, a.isSecretariat ? 1 : 0, createdAt);
    return { ...a, locale: null, createdAt };
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const row = this.db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?').get(id);
    return row && this.account(row);
  }

  async findAccountByEmail(email: string): Promise<Account | undefined> {
    const row = this.db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE email = ?').get(email);
    return row && this.account(row);
  }

  async listAccounts(): Promise<Account[]> {
    return this.db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY created_at, id').all().map((r) => this.account(r));
  }

  async setAccountLocale(id: string, locale: string | null): Promise<void> {
    this.db.prepare('UPDATE accounts SET locale = ? WHERE id = ?').run(locale, id);
  }

  async addParty(documentId: string, party: { id: string; name: { vi: string; fr: string } }): Promise<void> {
    const position = this.db
      .prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM parties WHERE document_id = ?')
      .get(documentId)!.n;
    this.statements.insertParty.run(documentId, party.id, position, party.name.vi, party.name.fr);
  }

  async setMembership(m: Omit<Membership, 'createdAt'>): Promise<Membership> {
    const createdAt = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO memberships (document_id, account_id, party_id, role, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (document_id, account_id) DO UPDATE SET party_id = excluded.party_id, role = excluded.role`,
      )
      .run(m.documentId, m.accountId, m.partyId, m.role, createdAt);
    return (await this.getMembership(m.documentId, m.accountId))!;
  }

  async removeMembership(documentId: string, accountId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM memberships WHERE document_id = ? AND account_id = ?').run(documentId, accountId).changes > 0;
  }

  async getMembership(documentId: string, accountId: string): Promise<Membership | undefined> {
    const row = this.db
      .prepare<[string, string], MembershipRow>('SELECT * FROM memberships WHERE document_id = ? AND account_id = ?')
      .get(documentId, accountId);
    return row && this.membership(row);
  }

  async listMemberships(documentId: string): Promise<Membership[]> {
    return this.db
      .prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE document_id = ? ORDER BY created_at, account_id')
      .all(documentId)
      .map((r) => this.membership(r));
  }

  async listMembershipsOf(accountId: string): Promise<Membership[]> {
    return this.db
      .prepare<[string], MembershipRow>('SELECT * FROM memberships WHERE account_id = ? ORDER BY created_at, document_id')
      .all(accountId)
      .map((r) => this.membership(r));
  }

  async createInvite(tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
    this.db
      .prepare('INSERT INTO invites (token_hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, accountId, expiresAt.toISOString(), new Date().toISOString());
  }

  async consumeInvite(tokenHash: string, now: Date): Promise<{ accountId: string } | { refused: InviteRefusal }> {
    return this.db.transaction((): { accountId: string } | { refused: InviteRefusal } => {
      const row = this.db
        .prepare<[string], { account_id: string; expires_at: string; used_at: string | null }>(
          'SELECT account_id, expires_at, used_at FROM invites WHERE token_hash = ?',
        )
        .get(tokenHash);
      if (!row) return { refused: 'unknown' };
      if (row.used_at) return { refused: 'used' };
      if (new Date(row.expires_at) <= now) return { refused: 'expired' };
      this.db.prepare('UPDATE invites SET used_at = ? WHERE token_hash = ?').run(now.toISOString(), tokenHash);
      return { accountId: row.account_id };
    }).immediate();
  }

  async createSession(tokenHash: string, accountId: string, expiresAt: Date): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (token_hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, accountId, expiresAt.toISOString(), new Date().toISOString());
  }

  async getSessionAccount(tokenHash: string, now: Date): Promise<Account | undefined> {
    const row = this.db
      .prepare<[string, string], AccountRow>(
        `SELECT accounts.* FROM sessions JOIN accounts ON accounts.id = sessions.account_id
         WHERE sessions.token_hash = ? AND sessions.expires_at > ?`,
      )
      .get(tokenHash, now.toISOString());
    return row && this.account(row);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  // ---- comments -------------------------------------------------------------

  async createThread(
    t: Omit<StoredThread, 'status' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>,
    first: { id: string; body: string },
  ): Promise<void> {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO comment_threads (id, document_id, pair_id, lang, anchor_start, anchor_end, quote, visibility, delegation, author_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(t.id, t.documentId, t.pairId, t.lang, t.anchorStart, t.anchorEnd, t.quote, t.visibility, t.delegation, t.authorId, now);
      this.db
        .prepare('INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(first.id, t.id, t.authorId, first.body, now);
    }).immediate();
  }

  async getThread(id: string): Promise<StoredThread | undefined> {
    const row = this.db.prepare<[string], ThreadRow>('SELECT * FROM comment_threads WHERE id = ?').get(id);
    return row && threadOf(row);
  }

  async listThreads(documentId: string): Promise<StoredThread[]> {
    return this.db
      .prepare<[string], ThreadRow>('SELECT * FROM comment_threads WHERE document_id = ? ORDER BY created_at, id')
      .all(documentId)
      .map(threadOf);
  }

  async listComments(threadIds: string[]): Promise<StoredComment[]> {
    if (threadIds.length === 0) return [];
    const rows = this.db
      .prepare<[string], CommentRow>('SELECT * FROM comments WHERE thread_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id')
      .all(JSON.stringify(threadIds));
    return rows.map(commentOf);
  }

  async getComment(id: string): Promise<StoredComment | undefined> {
    const row = this.db.prepare<[string], CommentRow>('SELECT * FROM comments WHERE id = ?').get(id);
    return row && commentOf(row);
  }

  async addComment(c: { id: string; threadId: string; authorId: string; body: string }): Promise<void> {
    this.db
      .prepare('INSERT INTO comments (id, thread_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(c.id, c.threadId, c.authorId, c.body, new Date().toISOString());
  }

  async editComment(id: string, body: string): Promise<void> {
    this.db.prepare('UPDATE comments SET body = ?, edited_at = ? WHERE id = ?').run(body, new Date().toISOString(), id);
  }

  async deleteComment(id: string): Promise<void> {
    // The body goes; the row stays so the thread keeps its shape ("comment deleted").
    this.db.prepare("UPDATE comments SET body = '', deleted_at = ? WHERE id = ?").run(new Date().toISOString(), id);
  }

  async setThreadStatus(id: string, status: 'open' | 'resolved', by: string | null): Promise<void> {
    const at = status === 'resolved' ? new Date().toISOString() : null;
    this.db.prepare('UPDATE comment_threads SET status = ?, resolved_at = ?, resolved_by = ? WHERE id = ?').run(status, at, status === 'resolved' ? by : null, id);
  }

  // ---- approvals, versions, signatures ---------------------------------------

  async setApproval(a: StoredApproval): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO approvals (document_id, pair_id, party_id, status, reason, hash, text_vi, text_fr, content, account_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (document_id, pair_id, party_id) DO UPDATE SET
           status = excluded.status, reason = excluded.reason, hash = excluded.hash, text_vi = excluded.text_vi,
           text_fr = excluded.text_fr, content = excluded.content, account_id = excluded.account_id, created_at = excluded.created_at`,
      )
      .run(...approvalParameters(a));
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

  async setStructureApproval(a: StoredStructureApproval): Promise<void> {
    this.structureApprovals.set(a);
  }

  async removeStructureApproval(documentId: string, partyId: string): Promise<boolean> {
    return this.structureApprovals.remove(documentId, partyId);
  }

  async listStructureApprovals(documentId: string): Promise<StoredStructureApproval[]> {
    return this.structureApprovals.list(documentId);
  }

  async insertVersion(v: StoredVersion): Promise<void> {
    this.db
      .prepare('INSERT INTO versions (document_id, number, created_at, created_by, content, hash, prev_hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(v.documentId, v.number, v.createdAt, v.createdBy, v.content, v.hash, v.prevHash);
  }

  private version(r: { document_id: string; number: number; created_at: string; created_by: string; content: string; hash: string; prev_hash: string | null }): StoredVersion {
    return { documentId: r.document_id, number: r.number, createdAt: r.created_at, createdBy: r.created_by, content: r.content, hash: r.hash, prevHash: r.prev_hash };
  }

  async listVersions(documentId: string): Promise<StoredVersion[]> {
    return this.db
      .prepare<[string], Parameters<SqliteStore['version']>[0]>('SELECT * FROM versions WHERE document_id = ? ORDER BY number')
      .all(documentId)
      .map((r) => this.version(r));
  }

  async getVersion(documentId: string, number: number): Promise<StoredVersion | undefined> {
    const row = this.db
      .prepare<[string, number], Parameters<SqliteStore['version']>[0]>('SELECT * FROM versions WHERE document_id = ? AND number = ?')
      .get(documentId, number);
    return row && this.version(row);
  }

  async insertSignature(s: StoredSignature): Promise<void> {
    this.db
      .prepare('INSERT INTO signatures (document_id, version, party_id, account_id, signed_at, signature) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.documentId, s.version, s.partyId, s.accountId, s.signedAt, s.signature);
  }

  async listSignatures(documentId: string): Promise<StoredSignature[]> {
    type Row = { document_id: string; version: number; party_id: string; account_id: string; signed_at: string; signature: string };
    return this.db
      .prepare<[string], Row>('SELECT * FROM signatures WHERE document_id = ? ORDER BY version, signed_at')
      .all(documentId)
      .map((r) => ({ documentId: r.document_id, version: r.version, partyId: r.party_id, accountId: r.account_id, signedAt: r.signed_at, signature: r.signature }));
  }

  async close(): Promise<void> {
    await this.updateLog.close();
    if (this.db.open) this.db.close();
  }
}
