import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import { pairHash } from '../../shared/hash.ts';
import { readPairContent } from '../../shared/canonicalText.ts';
import { api } from './auth.ts';
import { connectProvider, synced } from './clients.ts';
import { firstXmlText } from './docs.ts';

/**
 * What fuzzers compare before and after: every row of every table of the
 * server's SQLite file, read through a separate read-only connection.
 */
export function databaseRows(dataDir: string): Record<string, unknown[]> {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>;
    const rows: Record<string, unknown[]> = {};
    for (const { name } of tables) {
      rows[name] = (db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all() as Array<Record<string, unknown>>).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString('base64') : v])),
      );
    }
    return rows;
  } finally {
    db.close();
  }
}

/**
 * Gives the demo declaration some of everything a fuzzer might damage: a
 * shared comment thread, an approval and a cut version.
 */
export async function seedActivity(server: { url: string; wsUrl: string }, documentId: string, cookies: { frDrafter: string; vnHead: string; secretariat: string }): Promise<void> {
  const client = connectProvider(server.wsUrl, documentId, new Y.Doc(), { cookie: cookies.frDrafter });
  await synced(client.provider);
  const text = firstXmlText(client.doc, 'environment', 'fr');
  const thread = await api(server.url, cookies.frDrafter)(`/api/documents/${documentId}/threads`, {
    method: 'POST',
    json: { pairId: 'environment', lang: 'fr', anchor: anchorOfRange(text, 0, 10), quote: text.toString().slice(0, 10), visibility: 'shared', body: 'À préciser.' },
  });
  const pair = readPairContent(client.doc, 'digital')!;
  client.provider.destroy();
  const approval = await api(server.url, cookies.vnHead)(`/api/documents/${documentId}/pairs/digital/approval`, {
    method: 'PUT',
    json: { status: 'agreed', reason: null, hash: pairHash(pair) },
  });
  const version = await api(server.url, cookies.secretariat)(`/api/documents/${documentId}/versions`, { method: 'POST', json: {} });
  const statuses = [thread.status, approval.status, version.status];
  if (statuses.join() !== '201,200,201') throw new Error(`could not seed activity: ${statuses.join(', ')} ${JSON.stringify([thread.body, approval.body, version.body])}`);
}
