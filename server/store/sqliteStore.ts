import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocumentSummary } from '../../shared/protocol.ts';
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
];

interface DocumentRow {
  id: string;
  title_vi: string;
  title_fr: string;
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

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, DATABASE_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.statements = {
      listDocuments: this.db.prepare<[], DocumentRow>('SELECT * FROM documents ORDER BY created_at, id'),
      getDocument: this.db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
      partiesOf: this.db.prepare<[string], PartyRow>('SELECT * FROM parties WHERE document_id = ? ORDER BY position'),
      allParties: this.db.prepare<[], PartyRow>('SELECT * FROM parties ORDER BY document_id, position'),
      insertDocument: this.db.prepare('INSERT INTO documents (id, title_vi, title_fr, created_at) VALUES (?, ?, ?, ?)'),
      insertParty: this.db.prepare('INSERT INTO parties (document_id, id, position, name_vi, name_fr) VALUES (?, ?, ?, ?, ?)'),
      insertUpdate: this.db.prepare('INSERT INTO doc_updates (document_id, data) VALUES (?, ?)'),
      loadUpdates: this.db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE document_id = ? ORDER BY seq',
      ),
      deleteUpTo: this.db.prepare('DELETE FROM doc_updates WHERE document_id = ? AND seq <= ?'),
    };
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  private present(row: DocumentRow, parties: PartyRow[]): DocumentSummary {
    return {
      id: row.id,
      title: { vi: row.title_vi, fr: row.title_fr },
      parties: parties.map((p) => ({ id: p.id, name: { vi: p.name_vi, fr: p.name_fr } })),
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
      this.statements.insertDocument.run(doc.id, doc.title.vi, doc.title.fr, new Date().toISOString());
      doc.parties.forEach((p, i) => this.statements.insertParty.run(doc.id, p.id, i, p.name.vi, p.name.fr));
      this.statements.insertUpdate.run(doc.id, Buffer.from(initialUpdate));
    })();
  }

  async loadUpdates(documentId: string): Promise<StoredUpdates> {
    const rows = this.statements.loadUpdates.all(documentId);
    return { updates: rows.map((r) => r.data), lastSeq: rows.at(-1)?.seq ?? 0 };
  }

  async appendUpdate(documentId: string, update: Uint8Array): Promise<number> {
    return Number(this.statements.insertUpdate.run(documentId, Buffer.from(update)).lastInsertRowid);
  }

  async compact(documentId: string, merged: Uint8Array, uptoSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.statements.deleteUpTo.run(documentId, uptoSeq);
      this.statements.insertUpdate.run(documentId, Buffer.from(merged));
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
