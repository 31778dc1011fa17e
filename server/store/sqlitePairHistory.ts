import type Database from 'better-sqlite3';
import type { DeletedPair, Lang } from '../../shared/model/index.ts';
import type { HistoryStore, PairEdit, PairEditKind, StoredDeletedPair } from './historyTypes.ts';

/** Typing by one account in one cell within this long of its last entry extends that entry. */
export const EDIT_COALESCE_MS = 5 * 60_000;

interface EditRow {
  id: number;
  pair_id: string;
  account_id: string;
  party_id: string | null;
  lang: string | null;
  what: string;
  first_at: string;
  last_at: string;
}

interface DeletedRow {
  content: string;
  account_id: string;
  party_id: string | null;
  deleted_at: string;
}

/**
 * Pair histories and deleted pairs in SQLite, on the store's main connection.
 * Accounts are not foreign keys: an entry outlives a membership.
 */
export class SqlitePairHistory implements HistoryStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      lastEdit: db.prepare<[string, string, string, string], EditRow>(
        `SELECT * FROM pair_edits WHERE document_id = ? AND pair_id = ? AND account_id = ? AND lang = ? AND what = 'edit' ORDER BY id DESC LIMIT 1`,
      ),
      latestOfPair: db.prepare<[string, string], { id: number }>('SELECT id FROM pair_edits WHERE document_id = ? AND pair_id = ? ORDER BY id DESC LIMIT 1'),
      extend: db.prepare('UPDATE pair_edits SET last_at = ? WHERE id = ?'),
      insert: db.prepare(
        'INSERT INTO pair_edits (document_id, pair_id, account_id, party_id, lang, what, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare<[string, string], EditRow>('SELECT * FROM pair_edits WHERE document_id = ? AND pair_id = ? ORDER BY id'),
      keepDeleted: db.prepare(
        'INSERT OR REPLACE INTO deleted_pairs (document_id, pair_id, content, account_id, party_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      forgetDeleted: db.prepare('DELETE FROM deleted_pairs WHERE document_id = ? AND pair_id = ?'),
      listDeleted: db.prepare<[string, number], DeletedRow>('SELECT * FROM deleted_pairs WHERE document_id = ? ORDER BY deleted_at DESC, rowid DESC LIMIT ?'),
    };
  }

  async recordPairEdits(documentId: string, edits: PairEdit[]): Promise<void> {
    const s = this.statements;
    this.db.transaction(() => {
      for (const e of edits) {
        if (e.what === 'edit' && e.lang) {
          const last = s.lastEdit.get(documentId, e.pairId, e.accountId, e.lang);
          // Extended only while nobody else's entry came after it: the history reads in order.
          const latest = s.latestOfPair.get(documentId, e.pairId);
          if (last && latest?.id === last.id && Date.parse(e.firstAt) - Date.parse(last.last_at) <= EDIT_COALESCE_MS) {
            s.extend.run(e.lastAt, last.id);
            continue;
          }
        }
        s.insert.run(documentId, e.pairId, e.accountId, e.partyId, e.lang, e.what, e.firstAt, e.lastAt);
      }
    }).immediate();
  }

  async listPairEdits(documentId: string, pairId: string): Promise<PairEdit[]> {
    return this.statements.list.all(documentId, pairId).map((r) => ({
      pairId: r.pair_id,
      accountId: r.account_id,
      partyId: r.party_id,
      lang: r.lang as Lang | null,
      what: r.what as PairEditKind,
      firstAt: r.first_at,
      lastAt: r.last_at,
    }));
  }

  async recordDeletedPair(documentId: string, d: StoredDeletedPair): Promise<void> {
    this.statements.keepDeleted.run(documentId, d.pair.id, JSON.stringify(d.pair), d.accountId, d.partyId, d.deletedAt);
  }

  async forgetDeletedPair(documentId: string, pairId: string): Promise<void> {
    this.statements.forgetDeleted.run(documentId, pairId);
  }

  async listDeletedPairs(documentId: string, limit: number): Promise<StoredDeletedPair[]> {
    return this.statements.listDeleted.all(documentId, limit).map((r) => ({
      pair: JSON.parse(r.content) as DeletedPair,
      accountId: r.account_id,
      partyId: r.party_id,
      deletedAt: r.deleted_at,
    }));
  }
}

/**
 * Migration 11: who typed in which cell of which pair, when (coalesced), and
 * the pairs deleted, with their content, for "Recently deleted". Nothing
 * before it: pairs edited earlier have no history.
 */
export const PAIR_HISTORY_TABLES = `CREATE TABLE pair_edits (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     account_id TEXT NOT NULL,
     party_id TEXT,
     lang TEXT,
     what TEXT NOT NULL,
     first_at TEXT NOT NULL,
     last_at TEXT NOT NULL
   );
   CREATE INDEX pair_edits_by_pair ON pair_edits (document_id, pair_id, id);
   CREATE TABLE deleted_pairs (
     document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     pair_id TEXT NOT NULL,
     content TEXT NOT NULL,
     account_id TEXT NOT NULL,
     party_id TEXT,
     deleted_at TEXT NOT NULL,
     PRIMARY KEY (document_id, pair_id)
   );`;
