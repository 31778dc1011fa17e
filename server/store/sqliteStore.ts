import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentSummary } from '../../shared/protocol.ts';
import { limits } from '../../shared/limits.ts';
import type { Account, InviteRefusal, Membership, MembershipChanges } from './identityTypes.ts';
import type { StoredComment, StoredThread } from './commentTypes.ts';
import type { ChainHead, PartyRemoval, StoredApproval, StoredSignature, StoredStructureApproval, StoredVersion } from './agreementTypes.ts';
import { commentOf, threadOf, type CommentRow, type ThreadRow } from './commentRows.ts';
import { SqliteClaims } from './sqliteClaims.ts';
import { SqliteSessions } from './sqliteSessions.ts';
import { SqliteMemberships } from './sqliteMemberships.ts';
import type { AuditActor, AuditEntry } from '../../shared/audit.ts';
import { SqliteAgreement } from './sqliteAgreement.ts';
import { UpdateLogWriter } from './updateLogWriter.ts';
import type { NewDocument, Store, StoredUpdates } from './types.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqlitePairHistory } from './sqlitePairHistory.ts';
import type { PairEdit, StoredDeletedPair } from './historyTypes.ts';

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
interface PartyRow {
  document_id: string;
  id: string;
  name_vi: string;
  name_fr: string;
}

export const DATABASE_FILE = 'accord.sqlite';

/**
 * The embedded default store: one SQLite file in WAL mode. Its main
 * connection (members, comments, approvals, versions) commits with
 * synchronous=FULL, so such a record survives a power cut once acknowledged.
 * Edits do not go through it: the update log writes on a connection of its
 * own with synchronous=NORMAL and flushes the WAL in the background
 * (UpdateLogWriter), so an acknowledged edit survives a kill -9 and a power
 * cut can take only the last milliseconds, which open clients send again.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements;
  /** Appends and compactions of the update log, on a connection of their own (see UpdateLogWriter). */
  private readonly updateLog: UpdateLogWriter;
  private readonly agreement: SqliteAgreement;
  private readonly claims: SqliteClaims;
  private readonly sessions: SqliteSessions;
  private readonly memberships: SqliteMemberships;
  private readonly history: SqlitePairHistory;

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
    this.agreement = new SqliteAgreement(this.db);
    this.claims = new SqliteClaims(this.db);
    this.sessions = new SqliteSessions(this.db);
    this.memberships = new SqliteMemberships(this.db);
    this.history = new SqlitePairHistory(this.db);
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
      const migration = MIGRATIONS[v]!;
      this.db.transaction(() => {
        if (typeof migration === 'string') this.db.exec(migration);
        else migration(this.db);
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

  addParty(documentId: string, party: { id: string; name: { vi: string; fr: string } }, by?: AuditActor): Promise<void> { return Promise.resolve(this.memberships.addParty(documentId, party, by)); }
  setMembership(m: Omit<Membership, 'createdAt'>, by?: AuditActor): Promise<Membership> { return Promise.resolve(this.memberships.set(m, by)); }
  removeMembership(documentId: string, accountId: string, by?: AuditActor): Promise<boolean> { return Promise.resolve(this.memberships.remove(documentId, accountId, by)); }
  getMembership(documentId: string, accountId: string): Promise<Membership | undefined> { return Promise.resolve(this.memberships.get(documentId, accountId)); }
  listMemberships(documentId: string): Promise<Membership[]> { return Promise.resolve(this.memberships.list(documentId)); }
  listMembershipsOf(accountId: string): Promise<Membership[]> { return Promise.resolve(this.memberships.listOf(accountId)); }
  listAudit(documentId: string): Promise<AuditEntry[]> { return Promise.resolve(this.memberships.audit(documentId)); }
  membershipChangesSince(after: number | undefined): Promise<MembershipChanges> { return Promise.resolve(this.memberships.changesSince(after)); }

  async createInvite(tokenHash: string, accountId: string, expiresAt: Date, by?: AuditActor): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO invites (token_hash, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)')
        .run(tokenHash, accountId, expiresAt.toISOString(), new Date().toISOString());
      if (by) this.memberships.linkIssued(accountId, by);
    }).immediate();
  }

  async consumeInvite(tokenHash: string, now: Date): Promise<{ accountId: string } | { refused: InviteRefusal }> {
    return this.sessions.consumeInvite(tokenHash, now);
  }

  async peekInvite(tokenHash: string, now: Date): Promise<{ accountId: string; expiresAt: string } | { refused: InviteRefusal }> {
    return this.sessions.peekInvite(tokenHash, now);
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

  async endAllSessions(accountId: string): Promise<{ sessionIds: string[]; voidedLinks: number }> { return this.sessions.endAllSessions(accountId); }
  async liveSessions(sessionIds: Iterable<string>, now: Date): Promise<Set<string>> { return this.sessions.liveSessions(sessionIds, now); }

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

  // ---- pair histories and deleted pairs (sqlitePairHistory.ts)

  recordPairEdits(documentId: string, edits: PairEdit[]): Promise<void> { return this.history.recordPairEdits(documentId, edits); }
  listPairEdits(documentId: string, pairId: string): Promise<PairEdit[]> { return this.history.listPairEdits(documentId, pairId); }
  recordDeletedPair(documentId: string, deleted: StoredDeletedPair): Promise<void> { return this.history.recordDeletedPair(documentId, deleted); }
  forgetDeletedPair(documentId: string, pairId: string): Promise<void> { return this.history.forgetDeletedPair(documentId, pairId); }
  listDeletedPairs(documentId: string, limit: number): Promise<StoredDeletedPair[]> { return this.history.listDeletedPairs(documentId, limit); }

  // ---- approvals (of pairs, of the structure), versions, signatures, chain heads (sqliteAgreement.ts)

  setApproval(a: StoredApproval): Promise<boolean> { return this.agreement.setApproval(a); }
  loadClientClaims(documentId: string): Promise<Map<number, string>> { return this.claims.load(documentId); }
  claimClientId(documentId: string, clientId: number, accountId: string): Promise<void> { return this.claims.claim(documentId, clientId, accountId); }
  removeApproval(documentId: string, pairId: string, partyId: string): Promise<boolean> { return this.agreement.removeApproval(documentId, pairId, partyId); }
  listApprovals(documentId: string): Promise<StoredApproval[]> { return this.agreement.listApprovals(documentId); }
  setStructureApproval(a: StoredStructureApproval): Promise<boolean> { return this.agreement.setStructureApproval(a); }
  removeStructureApproval(documentId: string, partyId: string): Promise<boolean> { return this.agreement.removeStructureApproval(documentId, partyId); }
  listStructureApprovals(documentId: string): Promise<StoredStructureApproval[]> { return this.agreement.listStructureApprovals(documentId); }
  listVersions(documentId: string): Promise<StoredVersion[]> { return this.agreement.listVersions(documentId); }
  getVersion(documentId: string, number: number): Promise<StoredVersion | undefined> { return this.agreement.getVersion(documentId, number); }
  listSignatures(documentId: string): Promise<StoredSignature[]> { return this.agreement.listSignatures(documentId); }
  getChainHead(documentId: string): Promise<ChainHead | undefined> { return this.agreement.getChainHead(documentId); }
  appendToChain(entry: { version: StoredVersion } | { signature: StoredSignature }, head: ChainHead, expected: ChainHead | undefined): Promise<void> {
    return this.agreement.appendToChain(entry, head, expected);
  }
  attestChainHead(head: ChainHead): Promise<boolean> { return this.agreement.attestChainHead(head); }
  removeParty(documentId: string, partyId: string, by?: AuditActor): Promise<PartyRemoval> {
    return this.agreement.removeParty(documentId, partyId, by && ((revoked) => this.memberships.partyRemoved(documentId, partyId, revoked, by)));
  }

  async close(): Promise<void> {
    await this.updateLog.close();
    if (this.db.open) {
      this.claims.flush(); // claims made in this last turn
      this.db.close();
    }
  }
}
