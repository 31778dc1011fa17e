import type Database from 'better-sqlite3';

/**
 * Which account each Yjs client id of a document belongs to
 * (server/collaboration/clientIdPolicy.ts), in SQLite on the store's main
 * connection. A page claims its id as it connects, so claims come in crowds
 * (a delegation opening the declaration at once): those made in one turn of
 * the event loop are written in one transaction, one flush to the disk.
 */
export class SqliteClaims {
  private readonly insert;
  private readonly select;
  private pending: Array<{ documentId: string; clientId: number; accountId: string; done: () => void; failed: (error: unknown) => void }> = [];
  private scheduled = false;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT OR IGNORE INTO client_claims (document_id, client_id, account_id, claimed_at) VALUES (?, ?, ?, ?)');
    this.select = db.prepare<[string], { client_id: number; account_id: string }>('SELECT client_id, account_id FROM client_claims WHERE document_id = ?');
  }

  async load(documentId: string): Promise<Map<number, string>> {
    return new Map(this.select.all(documentId).map((row) => [row.client_id, row.account_id]));
  }

  claim(documentId: string, clientId: number, accountId: string): Promise<void> {
    return new Promise((done, failed) => {
      this.pending.push({ documentId, clientId, accountId, done, failed });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  /** Writes the claims waiting for the end of this turn now (before the connection closes). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const at = new Date().toISOString();
    try {
      this.db.transaction(() => {
        for (const { documentId, clientId, accountId } of batch) this.insert.run(documentId, clientId, accountId, at);
      }).immediate();
    } catch (error) {
      for (const claim of batch) claim.failed(error);
      return;
    }
    for (const claim of batch) claim.done();
  }
}

/** Migration: the table of client-id claims (again harmless: tests step the schema back past it). */
export const CLIENT_CLAIMS_TABLE = `CREATE TABLE IF NOT EXISTS client_claims (
  document_id TEXT NOT NULL REFERENCES documents(id),
  client_id INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  claimed_at TEXT NOT NULL,
  PRIMARY KEY (document_id, client_id)
);`;
