import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { orderArray, paragraphsMap, readAllPairs } from '../../shared/model/index.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, sameSnapshot, synced, waitFor } from '../helpers/clients.ts';
import { FlakyProxy } from '../helpers/flakyProxy.ts';
import { mulberry32 } from '../helpers/random.ts';
import { randomEdit } from '../helpers/randomEdits.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Convergence under a bad network: several y-websocket clients edit the
 * declaration at random (ProseMirror transactions in both languages, pair
 * operations) through a proxy that delays, reorders, duplicates and drops
 * their messages, cuts their connections and takes the network down; they
 * also disconnect and reconnect on their own and keep editing while offline.
 * Once the network heals, every client, the server's live document, a fresh
 * client and the stored log (also after a restart) hold the same document.
 *
 * Every decision (edits, faults, who disconnects) comes from the seed; the
 * interleaving with the event loop does not, so a failure prints the seed and
 * the last edits rather than promising a byte-identical replay.
 */

const DOC = 'vn-fr-2023';
const SEEDS = [3, 17, 99, 2024, 65537];
/** Editors only: every client may write (read-only updates would be dropped by design). */
const EDITORS = [DEMO.vnDrafter, DEMO.frDrafter, DEMO.vnHead, DEMO.frHead, DEMO.secretariat];
/** Events per seed (edits, disconnections, cuts, outages), a few seconds of editing. */
const EVENTS = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The whole declaration as JSON: the order and every pair with its cells as XML (marks included). */
function declarationJSON(doc: Y.Doc): unknown {
  return { order: orderArray(doc).toJSON(), paragraphs: paragraphsMap(doc).toJSON() };
}

/** A state vector as a sorted, comparable list. */
function stateVector(doc: Y.Doc): Array<[number, number]> {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]);
}

/** Nothing is waiting for a missing dependency (every update received was integrated). */
function nothingPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs === null && doc.store.pendingDs === null;
}

describe('convergence under a bad network', () => {
  it.each(SEEDS)(
    'seed %i: clients editing through delays, reordering, duplicates, drops, cuts and outages end with the server’s document, live and stored',
    async (seed) => {
      const random = mulberry32(seed);
      const server = await startTestServer();
      const proxy = await new FlakyProxy(server.wsUrl, random).listen();
      const history: string[] = [];
      const clients: Array<ReturnType<typeof connectProvider>> = [];
      try {
        const clientCount = 3 + Math.floor(random() * 3); // 3 to 5
        for (let i = 0; i < clientCount; i++) {
          const cookie = await signInAs(server, EDITORS[i]!);
          clients.push(connectProvider(proxy.url, DOC, new Y.Doc(), { cookie }));
        }
        await Promise.all(clients.map((c) => synced(c.provider)));

        proxy.faults = { maxDelayMs: 80, reorder: true, dropRate: 0.03, duplicateRate: 0.05 };
        const reconnects: Promise<void>[] = [];
        for (let event = 0; event < EVENTS; event++) {
          await sleep(2 + Math.floor(random() * 15));
          const c = Math.floor(random() * clients.length);
          const { doc, provider } = clients[c]!;
          const roll = random();
          if (roll < 0.03 && provider.shouldConnect) {
            // The client goes offline on its own for a while, and keeps editing meanwhile.
            provider.disconnect();
            const away = 50 + Math.floor(random() * 600);
            history.push(`client ${c} offline for ${away} ms`);
            reconnects.push(sleep(away).then(() => provider.connect()));
          } else if (roll < 0.05) {
            proxy.cutOne();
            history.push('a connection cut');
          } else if (roll < 0.055) {
            const ms = 200 + Math.floor(random() * 600);
            proxy.outage(ms);
            history.push(`network down for ${ms} ms`);
          } else {
            history.push(`client ${c}: ${randomEdit(random, doc)}`);
          }
        }

        proxy.heal();
        await Promise.all(reconnects);
        const live = (): Promise<Y.Doc> => server.sync.readDocument(DOC, (d) => d) as Promise<Y.Doc>;
        await waitFor(
          async () => {
            if (proxy.pending > 0) return false;
            if (!clients.every((c) => c.provider.wsconnected && c.provider.synced)) return false;
            const onServer = await live();
            return clients.every((c) => sameSnapshot(c.doc, onServer) && nothingPending(c.doc));
          },
          'every client to converge with the server',
          30_000,
        );

        // The faults did happen, each of them.
        expect(proxy.stats.dropped, 'dropped').toBeGreaterThan(0);
        expect(proxy.stats.duplicated, 'duplicated').toBeGreaterThan(0);
        expect(proxy.stats.reordered, 'reordered').toBeGreaterThan(0);
        expect(proxy.stats.cuts, 'cuts').toBeGreaterThan(0);
        expect(history.some((h) => h.includes('offline'))).toBe(true);
        expect(history.filter((h) => h.startsWith('client')).length).toBeGreaterThan(100);

        const onServer = await live();
        const expected = declarationJSON(onServer);
        const expectedVector = stateVector(onServer);
        expect(nothingPending(onServer)).toBe(true);
        for (const [i, c] of clients.entries()) {
          expect(declarationJSON(c.doc), `client ${i}, seed ${seed}, last: ${history.slice(-5).join(' | ')}`).toEqual(expected);
          expect(stateVector(c.doc), `client ${i} state vector`).toEqual(expectedVector);
        }
        // The edits were not all lost: the text moved away from the demo.
        expect(JSON.stringify(readAllPairs(onServer))).toMatch(/Việt Nam|hợp tác|coopération|Toulouse|«\u202f/);

        // A fresh client, straight to the server, syncs the same document.
        const fresh = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: await signInAs(server, DEMO.observer) });
        await synced(fresh.provider);
        expect(declarationJSON(fresh.doc)).toEqual(expected);
        expect(stateVector(fresh.doc)).toEqual(expectedVector);
        fresh.provider.destroy();

        // The stored log holds it too, once the room is unloaded (everything flushed) ...
        for (const c of clients) c.provider.destroy();
        await proxy.close();
        await waitFor(() => server.sync.openRooms === 0, 'the room to unload');
        const stored = new Y.Doc();
        Y.applyUpdate(stored, Y.mergeUpdates((await server.store.loadUpdates(DOC)).updates));
        expect(declarationJSON(stored)).toEqual(expected);
        expect(stateVector(stored)).toEqual(expectedVector);

        // ... and after a restart on the same data.
        await server.close();
        const again = await startTestServer({ dataDir: server.dataDir });
        try {
          const reloaded = await again.sync.readDocument(DOC, (d) => ({ json: declarationJSON(d), vector: stateVector(d) }));
          expect(reloaded).toEqual({ json: expected, vector: expectedVector });
        } finally {
          await again.close();
        }
      } catch (error) {
        console.error(`seed ${seed} failed; last events:\n  ${history.slice(-30).join('\n  ')}\nproxy: ${JSON.stringify(proxy.stats)}`);
        throw error;
      } finally {
        for (const c of clients) c.provider.destroy();
        await proxy.close();
        await server.close();
      }
    },
    90_000,
  );
});
