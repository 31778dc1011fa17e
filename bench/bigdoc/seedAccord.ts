/**
 * Prepares an Accord data directory before the server starts: the demo (its
 * members sign the load generator in), plus the bench's documents, created
 * through the store as the CLI creates documents, the big one then receiving
 * the big update as one appended row (as if a client had sent it). The demo
 * drafters are members of each, so they may write.
 */
import * as Y from 'yjs';
import { seedDemo } from '../../server/demo/seedDemo.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';

export const BENCH_DOCUMENTS = { big: 'bench-big', ingest: 'bench-ingest', ping: 'bench-ping' } as const;

const PARTIES = [
  { id: 'vn', name: { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' } },
  { id: 'fr', name: { vi: 'Phía Pháp', fr: 'Partie française' } },
];
const DRAFTERS = [
  { email: 'vn-drafter@demo.accord', partyId: 'vn' },
  { email: 'fr-drafter@demo.accord', partyId: 'fr' },
];

/** Seeds `dataDir`: demo, then each named document (holding `updates[id]` if given, else nothing). */
export async function seedAccordDataDir(dataDir: string, updates: Record<string, Uint8Array | undefined>): Promise<void> {
  const store = new SqliteStore(dataDir);
  try {
    await seedDemo(store);
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    for (const [id, update] of Object.entries(updates)) {
      await store.createDocument({ id, title: { vi: id, fr: id }, parties: PARTIES }, empty);
      if (update) await store.appendUpdate(id, update);
      for (const drafter of DRAFTERS) {
        const account = await store.findAccountByEmail(drafter.email);
        if (!account) throw new Error(`demo account ${drafter.email} missing`);
        await store.setMembership({ documentId: id, accountId: account.id, partyId: drafter.partyId, role: 'drafter' });
      }
    }
  } finally {
    await store.close();
  }
}
