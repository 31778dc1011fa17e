import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.ts';
import * as Y from 'yjs';
import { continuesKnown } from '../../server/collaboration/ingest/storedRows.ts';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, insertPair, paragraphXmlText, readAllPairs } from '../../shared/model/index.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, sameSnapshot, synced, waitFor } from '../helpers/clients.ts';
import { holdLargeLoads, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** The text of a pair's first French paragraph. */
function frText(doc: Y.Doc, pairId: string): Y.XmlText {
  return paragraphXmlText(getPair(doc, pairId)!.cell('fr').get(0) as Y.XmlElement)!;
}
const closingText = (doc: Y.Doc) => frText(doc, 'closing');

/**
 * A struct with the id of a drafter's first keystrokes (client, clock 0:
 * already typed, or about to be), placed after text of a client the server
 * never saw: Yjs keeps it pending forever, beside the real one.
 */
function forgedStruct(base: Uint8Array, victim: number, pairId = 'closing'): Uint8Array {
  const forger = new Y.Doc();
  Y.applyUpdate(forger, base);
  forger.clientID = 0x7fff0000 + (victim % 0xffff); // the phantom: never sent
  frText(forger, pairId).insert(0, 'xyz');
  const before = Y.encodeStateVector(forger);
  forger.clientID = victim;
  frText(forger, pairId).insert(3, 'FORGED, LONGER THAN THE REAL ONE ');
  return Y.encodeStateAsUpdate(forger, before);
}

describe('a drafter forging the ids of structs others typed (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('takes nothing from a client that joins later, from the stored log, or from the text after a restart', async () => {
    // Compaction every two rows: the whole state is re-encoded into the log while the forged structs are held.
    server = await startTestServer({ limits: { compactAfterUpdates: 2 } });
    const { dataDir } = server;
    const drafter = await signInAs(server, DEMO.frDrafter);
    const observer = await signInAs(server, DEMO.observer);
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(witness.provider);
    const base = Y.encodeStateAsUpdate(witness.doc);

    // Four drafters type in turn, each after the words of the one before.
    const typists: number[] = [];
    for (const word of ['Un ', 'deux ', 'trois ', 'quatre ']) {
      const typist = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
      await synced(typist.provider);
      closingText(typist.doc).insert(0, word);
      typists.push(typist.doc.clientID);
      await waitFor(() => closingText(witness.doc).toString().startsWith(word), `"${word}" relayed`);
      typist.provider.destroy();
    }
    const typed = readAllPairs(witness.doc);
    expect(closingText(witness.doc).toString()).toMatch(/^quatre trois deux Un /);

    // The forger reuses each typist's first id; the server answers it as usual (the update is well-formed).
    const forger = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter });
    await forger.opened;
    await waitFor(() => forger.messages.length > 0, 'sync step 1');
    for (const victim of typists) forger.ws.send(encodeUpdate(forgedStruct(base, victim)));
    // More typing, until the whole state has been re-encoded into the log while the forged structs
    // are held: its first row then holds "fin" (tail merges run on the writer thread, and an append
    // while one is under way starts no compaction: on a busy machine it takes more rows).
    const typist = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
    await synced(typist.provider);
    const type = async (char: string): Promise<void> => {
      const length = closingText(witness.doc).length;
      closingText(typist.doc).insert(closingText(typist.doc).length, char);
      await waitFor(() => closingText(witness.doc).length === length + 1, `"${char}" relayed`);
    };
    for (const char of 'fin.') await type(char);
    const { store } = server;
    const reEncodedSinceForgery = async (): Promise<boolean> => {
      const first = new Y.Doc();
      Y.applyUpdate(first, (await store.loadUpdates(DOC)).updates[0]!);
      return closingText(first).toString().includes('fin');
    };
    for (let more = 0; !(await reEncodedSinceForgery()); more++) {
      if (more === 200) throw new Error('the whole state was never re-encoded into the log');
      await type('.');
    }
    typist.provider.destroy();
    forger.ws.close();
    const expected = readAllPairs(witness.doc);
    expect(expected).not.toEqual(typed);
    expect(JSON.stringify(expected)).not.toContain('FORGED');

    // A client joining now holds every word, exactly as the one connected throughout.
    const late = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(late.provider);
    expect(readAllPairs(late.doc)).toEqual(expected);
    expect(sameSnapshot(late.doc, witness.doc)).toBe(true);
    late.provider.destroy();
    witness.provider.destroy();

    // The stored log holds them too (it was compacted while the forged structs were held)...
    const stored = new Y.Doc();
    const { updates } = await store.loadUpdates(DOC);
    Y.applyUpdate(stored, Y.mergeUpdates(updates));
    expect(readAllPairs(stored)).toEqual(expected);

    // ...and the text after a restart.
    await server.close();
    server = await startTestServer({ dataDir });
    const reader = await signInAs(server, DEMO.observer);
    const after = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: reader });
    await synced(after.provider);
    expect(readAllPairs(after.doc)).toEqual(expected);
    after.provider.destroy();
  });
  it('while a large document loads, cannot claim the next keystrokes of a drafter: the real ones are stored, relayed and kept after a restart', async () => {
    server = await startTestServer();
    const { dataDir } = server;
    const source = new Y.Doc();
    source.transact(() => {
      for (let i = 0; i < 40; i++) insertPair(source, { id: `long-${i}`, vi: 'Hợp tác phi tập trung. '.repeat(90), fr: 'Coopération décentralisée. '.repeat(90) });
    });
    const state = Y.encodeStateAsUpdate(source);
    expect(state.length).toBeGreaterThan(limits.largeUpdateBytes);
    await server.store.createDocument({ id: 'large-doc', title: { vi: 'T', fr: 'T' }, parties: [{ id: 'fr', name: { vi: 'FR', fr: 'FR' } }] }, state);
    for (const email of [DEMO.frDrafter, DEMO.observer]) {
      const account = await server.store.findAccountByEmail(email);
      await server.store.setMembership({ documentId: 'large-doc', accountId: account!.id, partyId: 'fr', role: email === DEMO.observer ? 'observer' : 'drafter' });
    }
    await server.close();
    // The log's recent rows are merged every two rows (Y.mergeUpdates): rows stored as they came during the load are merged.
    server = await startTestServer({ dataDir, limits: { compactAfterUpdates: 2 } });
    await server.sync.startWorkers();
    const loading = () => server!.sync.isLoading('large-doc');
    const releaseLoad = holdLargeLoads(server);
    const drafter = await signInAs(server, DEMO.frDrafter);
    const editor = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: drafter, connect: false });
    Y.applyUpdate(editor.doc, state);
    const witness = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.observer), connect: false });
    Y.applyUpdate(witness.doc, state);
    try {
      editor.provider.connect();
      witness.provider.connect();
      await Promise.all([synced(editor.provider, 20_000), synced(witness.provider, 20_000)]);
      expect(loading()).toBe(true);
      // The forger claims the editor's next keystrokes (its client id is in every update it sends), before they are typed.
      const forger = rawSyncSocket(server.wsUrl, 'large-doc', { cookie: drafter });
      await forger.opened;
      await waitFor(() => forger.messages.length > 0, 'sync step 1');
      forger.ws.send(encodeUpdate(forgedStruct(state, editor.doc.clientID, 'long-3')));
      await new Promise((resolve) => setTimeout(resolve, 100));
      frText(editor.doc, 'long-3').insert(0, '[typed while loading] ');
      await waitFor(() => frText(witness.doc, 'long-3').toString().startsWith('[typed while loading] '), 'the real keystrokes relayed', 20_000);
      expect(loading()).toBe(true); // relayed while the document loads, as before
      forger.ws.close();
    } finally {
      releaseLoad();
    }
    await waitFor(() => !loading(), 'the load to finish', 20_000);
    // After the load, a word more: the log's recent rows, those stored during the load among them, are merged into one.
    frText(editor.doc, 'long-3').insert(0, 'un ');
    await waitFor(() => frText(witness.doc, 'long-3').toString().startsWith('un '), '"un" relayed', 20_000);
    await waitFor(async () => (await server!.store.loadUpdates('large-doc')).updates.length === 2, 'the recent rows merged', 20_000);
    const expected = readAllPairs(editor.doc);
    expect(readAllPairs(witness.doc)).toEqual(expected);
    expect(JSON.stringify(expected)).not.toContain('FORGED');
    editor.provider.destroy();
    witness.provider.destroy();
    await server.close();
    server = await startTestServer({ dataDir });
    const after = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.frDrafter) });
    await synced(after.provider, 20_000);
    expect(readAllPairs(after.doc)).toEqual(expected);
    after.provider.destroy();
  });

  it('during a load, stores as they came only updates that continue what is known (continuesKnown)', () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: 'Một', fr: 'Un' });
    const base = Y.encodeStateAsUpdate(doc);
    const clocks = Y.decodeStateVector(Y.encodeStateVector(doc));
    const typist = new Y.Doc();
    Y.applyUpdate(typist, base);
    const before = Y.encodeStateVector(typist);
    frText(typist, 'p').insert(0, 'deux ');
    const first = Y.encodeStateAsUpdate(typist, before);
    const middle = Y.encodeStateVector(typist);
    frText(typist, 'p').insert(0, 'trois ');
    const second = Y.encodeStateAsUpdate(typist, middle);
    // An honest keystroke continues its client's clock: where it ends is known next.
    const ends = continuesKnown(Y.decodeUpdate(first), clocks)!;
    expect(ends.get(typist.clientID)).toBe(5);
    expect(continuesKnown(Y.decodeUpdate(second), new Map([...clocks, ...ends]))).toBeDefined();
    // A gap (the first keystroke not known yet), an id already taken, an origin nobody has: they wait.
    expect(continuesKnown(Y.decodeUpdate(second), clocks)).toBeUndefined();
    expect(continuesKnown(Y.decodeUpdate(first), new Map([...clocks, ...ends]))).toBeUndefined();
    expect(continuesKnown(Y.decodeUpdate(forgedStruct(base, typist.clientID, 'p')), clocks)).toBeUndefined();
  });
});
