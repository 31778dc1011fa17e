import { afterEach } from 'vitest';
import * as Y from 'yjs';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { tempDataDir } from './server.ts';

/** A document for store tests: no parties, a one-character title in each language. */
export const STORE_DOC = { id: 'store-test', title: { vi: 'Thử', fr: 'Essai' }, parties: [] };

/** A Yjs update inserting `text` into the text 't', written by `clientID`. */
export function textUpdate(text: string, clientID: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** Opens real SQLite stores (a fresh data directory unless given one), closed after each test. */
export function storesClosedAfterEach(prefix: string): (dataDir?: string) => { store: SqliteStore; dataDir: string } {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  return (dataDir = tempDataDir(prefix)) => {
    const store = new SqliteStore(dataDir);
    stores.push(store);
    return { store, dataDir };
  };
}
