import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdate } from '../../server/collaboration/ingest/splitUpdate.ts';
import { bringsNothingNew, decodeRowScan, diffUpdates, encodeRowScan, knownState, scanRow, summariseUpdates } from '../../server/collaboration/ingest/storedRows.ts';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { limits } from '../../shared/limits.ts';
import { getPair, insertPair, paragraphXmlText, paragraphsMap, readAllPairs } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { holdLargeLoads, holdSummaries, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** A seeded PRNG, so each run builds the same history. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

/**
 * Long new pairs written into `doc`, then single-character edits by several
 * clients interleaved (inserts and deletes at random places): the kind of
 * history whose encoded state is large and full of small items.
 */
function writeLongHistory(doc: Y.Doc, pairs: number, edits: number, seed = 1): void {
  const next = random(seed);
  const own = doc.clientID;
  const line = 'Les parties conviennent de renforcer la coopération décentralisée dans tous les domaines. ';
  const ids: string[] = [];
  doc.transact(() => {
    for (let i = 0; i < pairs; i++) ids.push(insertPair(doc, { id: `long-${seed}-${i}`, vi: line.repeat(8), fr: `${line.repeat(4)}\n${line.repeat(4)}` }));
  });
  const texts = ids.flatMap((id) =>
    (['vi', 'fr'] as const).flatMap((lang) => getPair(doc, id)!.cell(lang).toArray().map((p) => paragraphXmlText(p as Y.XmlElement)!)),
  );
  for (let e = 0; e < edits; e++) {
    doc.clientID = 9000 + Math.floor(next() * 5);
    const text = texts[Math.floor(next() * texts.length)]!;
    if (next() < 0.6 || text.length < 10) text.insert(Math.floor(next() * (text.length + 1)), 'xyz'[e % 3]!);
    else text.delete(Math.floor(next() * text.length), 1);
  }
  doc.clientID = own;
}

describe('large updates (a whole text pasted or pushed at once)', () => {
  it('cut into pieces and applied in order, give the same document as the whole update', () => {
    const source = new Y.Doc();
    writeLongHistory(source, 12, 3000);
    paragraphsMap(source).delete('long-1-3'); // deletions of whole types too
    const update = Y.encodeStateAsUpdate(source);
    const pieces = splitUpdate(update, 50);
    expect(pieces.length).toBeGreaterThan(20);
    const target = new Y.Doc();
    for (const piece of pieces) Y.applyUpdate(target, piece);
    expect(target.store.pendingStructs).toBeNull();
    expect(target.store.pendingDs).toBeNull();
    expect(readAllPairs(target)).toEqual(readAllPairs(source));
    expect(Y.encodeStateVector(target)).toEqual(Y.encodeStateVector(source));
    expect(Y.encodeStateAsUpdate(target)).toEqual(update);
  });

  it('read from stored rows alone: the state vector, what a client lacks, and whether an update brings anything new', () => {
    const source = new Y.Doc();
    writeLongHistory(source, 6, 800, 7);
    const first = Y.encodeStateAsUpdate(source);
    const behind = new Y.Doc();
    Y.applyUpdate(behind, first);
    // Later rows: more edits (deletions included) by the same and other clients.
    const later: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => later.push(update));
    writeLongHistory(source, 2, 300, 8);
    paragraphXmlText(getPair(source, 'long-7-0')!.cell('vi').get(0) as Y.XmlElement)!.delete(3, 12);
    const rows = [first, ...later];

    const summary = summariseUpdates(rows);
    expect(Y.decodeStateVector(summary.stateVector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(source)));
    // A client holding every stored struct gets the deletions it may lack.
    const upToDateButDeletions = new Y.Doc();
    Y.applyUpdate(upToDateButDeletions, Y.encodeStateAsUpdate(source));
    for (const update of summary.beyondStateVector) Y.applyUpdate(upToDateButDeletions, update);
    expect(readAllPairs(upToDateButDeletions)).toEqual(readAllPairs(source));
    // A client behind gets what it lacks.
    for (const update of diffUpdates(rows, Y.encodeStateVector(behind))) Y.applyUpdate(behind, update);
    expect(readAllPairs(behind)).toEqual(readAllPairs(source));

    // Rows with a gap (an update missing): per client, the clocks stored without a gap — so the
    // missing update's client stops where it starts (Yjs's own doc may stop earlier for other
    // clients, whose structs wait for it: those are stored all the same).
    const k = later.findIndex((update, i) => i > 0 && Y.parseUpdateMeta(update).from.size > 0);
    const missing = later[k]!;
    const gapped = [first, ...later.slice(0, k), ...later.slice(k + 1)];
    const gappedSummary = summariseUpdates(gapped);
    const expectedState = Y.decodeStateVector(summary.stateVector);
    for (const [client, clock] of Y.parseUpdateMeta(missing).from) expectedState.set(client, clock);
    expect(Y.decodeStateVector(gappedSummary.stateVector)).toEqual(expectedState);
    // What lies beyond it includes the structs stored after the gap.
    const [gapClient] = [...Y.parseUpdateMeta(missing).from.keys()];
    const beyond = Y.parseUpdateMeta(Y.mergeUpdates(gappedSummary.beyondStateVector));
    expect(beyond.to.get(gapClient!)).toBeGreaterThan(expectedState.get(gapClient!)!);

    const known = knownState(summary);
    // What a reconnecting client answers the server's step 1 with: every deletion, nothing new.
    expect(bringsNothingNew(Y.decodeUpdate(Y.encodeStateAsUpdate(source, summary.stateVector)), known)).toBe(true);
    expect(bringsNothingNew(Y.decodeUpdate(Y.encodeStateAsUpdate(new Y.Doc())), known)).toBe(true);
    const edited = new Y.Doc();
    Y.applyUpdate(edited, Y.encodeStateAsUpdate(source));
    const sv = Y.encodeStateVector(edited);
    paragraphXmlText(getPair(edited, 'long-7-1')!.cell('fr').get(0) as Y.XmlElement)!.insert(0, 'x');
    expect(bringsNothingNew(Y.decodeUpdate(Y.encodeStateAsUpdate(edited, sv)), known)).toBe(false);
    const deleted = new Y.Doc();
    Y.applyUpdate(deleted, Y.encodeStateAsUpdate(source));
    const before = Y.encodeStateVector(deleted);
    paragraphXmlText(getPair(deleted, 'long-7-1')!.cell('fr').get(0) as Y.XmlElement)!.delete(0, 1);
    expect(bringsNothingNew(Y.decodeUpdate(Y.encodeStateAsUpdate(deleted, before)), known)).toBe(false);
  });

  let server: Awaited<ReturnType<typeof startTestServer>>;
  let vn: string;
  let fr: string;
  beforeEach(async () => {
    server = await startTestServer();
    vn = await signInAs(server, DEMO.vnDrafter);
    fr = await signInAs(server, DEMO.frDrafter);
  });
  afterEach(async () => {
    await server.close();
  });

  /** Stops the server and starts a new one on the same data directory (a restart). */
  async function restart(): Promise<void> {
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
  }

  /** Stores a document holding `state`, with these people as drafters of its one party. */
  async function storeDocument(id: string, state: Uint8Array, drafters: string[]): Promise<void> {
    await server.store.createDocument({ id, title: { vi: 'T', fr: 'T' }, parties: [{ id: 'vn', name: { vi: 'VN', fr: 'VN' } }] }, state);
    for (const email of drafters) {
      const account = await server.store.findAccountByEmail(email);
      await server.store.setMembership({ documentId: id, accountId: account!.id, partyId: 'vn', role: 'drafter' });
    }
  }

  /**
   * A member's client that held `state` before the restart, connecting now. `relayedWhileLoading()` says whether
   * the first text starting with `mark` reached it while the document was still loading (undefined: not yet).
   */
  async function holderWatching(id: string, state: Uint8Array, email: string, mark: string) {
    const holder = connectProvider(server.wsUrl, id, new Y.Doc(), { cookie: await signInAs(server, email), connect: false });
    Y.applyUpdate(holder.doc, state);
    let relayedWhileLoading: boolean | undefined;
    holder.doc.on('update', () => {
      if (relayedWhileLoading === undefined && readAllPairs(holder.doc).some((p) => p.vi.startsWith(mark))) relayedWhileLoading = server.sync.isLoading(id);
    });
    holder.provider.connect();
    return { ...holder, relayedWhileLoading: () => relayedWhileLoading };
  }

  it('a long history pushed at once reaches the other clients, then the edits sent after it, and all of it is stored', async () => {
    const a = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    const b = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: fr });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const history = new Y.Doc();
    Y.applyUpdate(history, Y.encodeStateAsUpdate(a.doc));
    writeLongHistory(history, 30, 4000);
    const pushed = Y.encodeStateAsUpdate(history, Y.encodeStateVector(a.doc));
    expect(pushed.length).toBeGreaterThan(limits.largeUpdateBytes);
    // One transaction, so one update frame; then an edit that needs it, sent right behind it.
    Y.applyUpdate(a.doc, pushed);
    paragraphXmlText(getPair(a.doc, 'long-1-7')!.cell('fr').get(0) as Y.XmlElement)!.insert(0, '[after] ');

    await waitFor(() => JSON.stringify(readAllPairs(b.doc)) === JSON.stringify(readAllPairs(a.doc)), 'b to hold the pushed history and the edit after it', 20_000);
    expect(readAllPairs(b.doc).find((p) => p.id === 'long-1-7')!.fr.startsWith('[after] ')).toBe(true);
    const expected = readAllPairs(a.doc);
    a.provider.destroy();
    b.provider.destroy();

    // Stored: after a restart on the same data, a newcomer gets the same text.
    await restart();
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const c = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(c.provider, 20_000);
    expect(readAllPairs(c.doc)).toEqual(expected);
    c.provider.destroy();
  });

  it('refuses a large update writing content outside the model (4422) before applying any of it', async () => {
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    await synced(client.provider);
    const before = readAllPairs(client.doc);
    const rowsBefore = (await server.store.loadUpdates(DOC)).updates.length;
    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(client.doc));
    const vector = Y.encodeStateVector(hostile);
    writeLongHistory(hostile, 30, 2000, 2); // valid text first, so that pieces could have been applied…
    getPair(hostile, 'digital')!.cell('fr').insert(0, [new Y.XmlElement('script')]); // …and a node the schema does not have
    const update = Y.encodeStateAsUpdate(hostile, vector);
    expect(update.length).toBeGreaterThan(limits.largeUpdateBytes);
    client.provider.destroy();

    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: vn });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    socket.ws.send(encodeUpdate(update));
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.ContentNotAllowed);
    expect((await api(server.url, vn)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(before);
    expect((await server.store.loadUpdates(DOC)).updates.length).toBe(rowsBefore);
  });

  it('refuses a truncated large update as malformed (4400) and changes nothing', async () => {
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    await synced(client.provider);
    const before = readAllPairs(client.doc);
    const history = new Y.Doc();
    Y.applyUpdate(history, Y.encodeStateAsUpdate(client.doc));
    const vector = Y.encodeStateVector(history);
    writeLongHistory(history, 30, 2000, 3);
    const update = Y.encodeStateAsUpdate(history, vector);
    client.provider.destroy();

    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: vn });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    socket.ws.send(encodeUpdate(update.subarray(0, Math.floor(update.length * 0.7))));
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.MalformedMessage);
    expect((await api(server.url, vn)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(before);
  });
  it('at start, runs the ingest worker threads (~25 MiB each) only when the store holds a document large enough to need them', async () => {
    // The demo declarations are small: only the store's writer thread is started.
    await server.sync.startWorkers();
    expect(server.sync.ingestWorkers).toEqual({ preparer: false, reader: false });
    const source = new Y.Doc();
    writeLongHistory(source, 40, 4000, 4);
    await server.store.createDocument({ id: 'large-doc', title: { vi: 'T', fr: 'T' }, parties: [] }, Y.encodeStateAsUpdate(source));
    await restart();
    await server.sync.startWorkers();
    expect(server.sync.ingestWorkers).toEqual({ preparer: true, reader: true });
  });

  it('after a restart, clients joining while a large document loads get all of it, and their edits are kept', async () => {
    const source = new Y.Doc();
    writeLongHistory(source, 40, 4000, 4);
    const state = Y.encodeStateAsUpdate(source);
    expect(state.length).toBeGreaterThan(limits.largeUpdateBytes);
    await storeDocument('large-doc', state, [DEMO.vnDrafter]);
    await restart();
    const cookie = await signInAs(server, DEMO.vnDrafter);

    // Several at once, on a cold server: the first ones arrive while the document loads.
    const clients = Array.from({ length: 4 }, () => connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie }));
    await Promise.all(clients.map((c) => synced(c.provider, 20_000)));
    for (const c of clients) expect(readAllPairs(c.doc)).toEqual(readAllPairs(source));
    clients.forEach((c, i) => paragraphXmlText(getPair(c.doc, 'long-4-0')!.cell('vi').get(0) as Y.XmlElement)!.insert(0, `[${i}]`));
    await waitFor(() => clients.every((c) => [0, 1, 2, 3].every((i) => readAllPairs(c.doc)[0]!.vi.includes(`[${i}]`))), 'every edit on every client', 20_000);
    const expected = readAllPairs(clients[0]!.doc);
    for (const c of clients) expect(readAllPairs(c.doc)).toEqual(expected);
    for (const c of clients) c.provider.destroy();
    await restart();
    const late = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(late.provider, 20_000);
    await waitFor(() => JSON.stringify(readAllPairs(late.doc)) === JSON.stringify(expected), 'the stored edits after a second restart', 20_000);
    late.provider.destroy();
  });
  it('after a restart, a large document is usable while it loads: sync requests answered from the store, edits stored and relayed', async () => {
    const source = new Y.Doc();
    writeLongHistory(source, 60, 6000, 5);
    // A client that left before the last changes: it lacks new pairs, edits and deletions.
    const older = Y.encodeStateAsUpdate(source);
    writeLongHistory(source, 4, 1500, 6);
    paragraphXmlText(getPair(source, 'long-5-0')!.cell('fr').get(0) as Y.XmlElement)!.delete(0, 20);
    const state = Y.encodeStateAsUpdate(source);
    await storeDocument('large-doc', state, [DEMO.vnDrafter, DEMO.frDrafter]);
    await restart();
    await server.sync.startWorkers(); // as `npm start` does
    const loading = () => server.sync.isLoading('large-doc');
    const releaseLoad = holdLargeLoads(server);

    // Two clients that held the document before the restart reconnect: one up to date, one behind.
    const editor = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter), connect: false });
    Y.applyUpdate(editor.doc, state);
    const behind = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.frDrafter), connect: false });
    Y.applyUpdate(behind.doc, older);
    expect(readAllPairs(behind.doc)).not.toEqual(readAllPairs(source));

    // Caught up: holds every stored struct and deletion (applying the stored state changes nothing; it may hold the edit below already).
    const holdsAllOf = (doc: Y.Doc, update: Uint8Array) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const before = JSON.stringify(readAllPairs(copy));
      Y.applyUpdate(copy, update);
      return JSON.stringify(readAllPairs(copy)) === before;
    };
    let caughtUpWhileLoading: boolean | undefined;
    behind.provider.on('sync', (isSynced: boolean) => {
      if (isSynced && caughtUpWhileLoading === undefined) caughtUpWhileLoading = loading() && holdsAllOf(behind.doc, state);
    });
    let editRelayedWhileLoading: boolean | undefined;
    const edited = () => {
      const pairs = readAllPairs(behind.doc);
      return pairs.some((p) => p.vi.startsWith('[sent while loading]')) && pairs.some((p) => p.fr.includes('[end of paste]'));
    };
    behind.doc.on('update', () => {
      if (editRelayedWhileLoading === undefined && edited()) editRelayedWhileLoading = loading();
    });
    behind.provider.connect();
    editor.provider.connect();
    try {
      await synced(editor.provider, 20_000);
      expect(loading()).toBe(true); // the edits below are sent while the document loads
      paragraphXmlText(getPair(editor.doc, 'long-5-1')!.cell('vi').get(0) as Y.XmlElement)!.insert(0, '[sent while loading]');
      // And a large paste (checked off the event loop, then stored as a row of its own).
      const paste = `${'Collage depuis un autre document. '.repeat(2500)}[end of paste]`;
      expect(paste.length).toBeGreaterThan(limits.largeUpdateBytes);
      paragraphXmlText(getPair(editor.doc, 'long-5-2')!.cell('fr').get(0) as Y.XmlElement)!.insert(0, paste);

      await waitFor(() => edited() && caughtUpWhileLoading !== undefined, 'the edits to reach the client that was behind', 20_000);
      expect(caughtUpWhileLoading).toBe(true);
      expect(editRelayedWhileLoading).toBe(true);
    } finally {
      releaseLoad();
    }
    const expected = readAllPairs(editor.doc);
    expect(readAllPairs(behind.doc)).toEqual(expected);

    // Once loaded, the server's own doc holds it too (what the REST API reads).
    await waitFor(() => !loading(), 'the load to finish', 20_000);
    const pairs = (await api(server.url, await signInAs(server, DEMO.vnDrafter))('/api/documents/large-doc/pairs')).body.pairs;
    expect(pairs).toEqual(expected);
    for (const c of [editor, behind]) c.provider.destroy();

    // And it was stored: it survives another restart.
    await restart();
    const late = connectProvider(server.wsUrl, 'large-doc', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(late.provider, 20_000);
    expect(readAllPairs(late.doc)).toEqual(expected);
    late.provider.destroy();
  });
  it('after a restart, a document stored as one large paste (a single struct of 100 KB) loads and reaches a client whole', async () => {
    const source = new Y.Doc();
    const paste = `${'Văn bản được dán từ một tài liệu khác. '.repeat(2600)}[hết]`;
    insertPair(source, { id: 'pasted', vi: paste, fr: 'Texte collé.' });
    const state = Y.encodeStateAsUpdate(source);
    expect(state.length).toBeGreaterThan(limits.largeUpdateBytes);
    expect(Y.decodeUpdate(state).structs.length).toBeLessThan(limits.largeUpdatePieceStructs); // its own only piece
    await storeDocument('one-paste', state, [DEMO.vnDrafter]);
    await restart();
    await server.sync.startWorkers();
    const client = connectProvider(server.wsUrl, 'one-paste', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(client.provider, 20_000);
    await waitFor(() => !server.sync.isLoading('one-paste'), 'the load to finish', 20_000);
    expect(readAllPairs(client.doc)).toEqual(readAllPairs(source));
    const pairs = (await api(server.url, await signInAs(server, DEMO.vnDrafter))('/api/documents/one-paste/pairs')).body.pairs;
    expect(pairs).toEqual(readAllPairs(source));
    client.provider.destroy();
  });

  it('after a second restart, a large document is usable at once: what the rows hold is read from what its first open kept with them, not computed again', async () => {
    const source = new Y.Doc();
    writeLongHistory(source, 60, 6000, 9);
    const state = Y.encodeStateAsUpdate(source);
    await storeDocument('large-kept', state, [DEMO.vnDrafter, DEMO.frDrafter]);
    await restart();
    await server.sync.startWorkers();
    // The first open after the first restart: the reader worker reads the large row, and what it found is kept with it.
    const opener = connectProvider(server.wsUrl, 'large-kept', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(opener.provider, 20_000);
    await waitFor(async () => (await server.store.loadUpdates('large-kept')).scans[0] !== undefined, 'the scan of the stored row to be kept', 20_000);
    await waitFor(() => !server.sync.isLoading('large-kept'), 'the load to finish', 20_000);
    opener.provider.destroy();

    await restart();
    await server.sync.startWorkers();
    const loading = () => server.sync.isLoading('large-kept');
    const releaseLoad = holdLargeLoads(server);
    // The reader worker is never asked: held, it would keep both clients waiting.
    let summaries = 0;
    const reader = server.sync['reader'];
    reader.summarise = () => {
      summaries++;
      return new Promise(() => undefined);
    };
    const editorDoc = new Y.Doc();
    Y.applyUpdate(editorDoc, state);
    const editor = connectProvider(server.wsUrl, 'large-kept', editorDoc, { cookie: await signInAs(server, DEMO.vnDrafter) });
    const other = await holderWatching('large-kept', state, DEMO.frDrafter, '[after the second restart]');
    try {
      await Promise.all([synced(editor.provider, 20_000), synced(other.provider, 20_000)]);
      expect(loading()).toBe(true);
      paragraphXmlText(getPair(editorDoc, 'long-9-3')!.cell('vi').get(0) as Y.XmlElement)!.insert(0, '[after the second restart]');
      await waitFor(() => other.relayedWhileLoading() !== undefined, 'the edit to reach the other client', 20_000);
      expect(other.relayedWhileLoading()).toBe(true);
      expect(summaries).toBe(0);
    } finally {
      releaseLoad();
    }
    await waitFor(() => !loading(), 'the load to finish', 20_000);
    await waitFor(() => JSON.stringify(readAllPairs(other.doc)) === JSON.stringify(readAllPairs(editorDoc)), 'both clients to converge');
    const pairs = (await api(server.url, await signInAs(server, DEMO.frDrafter))('/api/documents/large-kept/pairs')).body.pairs;
    expect(pairs).toEqual(readAllPairs(editorDoc));
    editor.provider.destroy();
    other.provider.destroy();
  });

  it('a scan kept with a row that does not fit it is replaced by the next open, not read around at every restart', async () => {
    const source = new Y.Doc();
    writeLongHistory(source, 60, 6000, 11);
    const state = Y.encodeStateAsUpdate(source);
    await storeDocument('large-misfit', state, [DEMO.vnDrafter]);
    const { seqs } = await server.store.loadUpdates('large-misfit');
    await server.store.keepRowScans('large-misfit', [{ seq: seqs[0]!, scan: encodeRowScan(scanRow(state), state.length + 1) }]);
    const fits = async () => {
      const { updates, scans } = await server.store.loadUpdates('large-misfit');
      return decodeRowScan(scans[0], updates[0]!) !== undefined;
    };
    expect(await fits()).toBe(false);
    await restart();
    await server.sync.startWorkers();
    const client = connectProvider(server.wsUrl, 'large-misfit', new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(client.provider, 20_000);
    await waitFor(fits, 'a scan that fits the row to be kept in place of the other', 20_000);
    expect(readAllPairs(client.doc)).toEqual(readAllPairs(source));
    client.provider.destroy();
  });

  it('after a restart, an edit that comes before the stored rows are read is relayed while the document loads, not after', async () => {
    const source = new Y.Doc();
    writeLongHistory(source, 60, 6000, 7);
    const state = Y.encodeStateAsUpdate(source);
    expect(state.length).toBeGreaterThan(limits.largeUpdateBytes);
    await storeDocument('large-early', state, [DEMO.vnDrafter, DEMO.frDrafter]);
    await restart();
    await server.sync.startWorkers();
    const loading = () => server.sync.isLoading('large-early');
    const releaseLoad = holdLargeLoads(server);
    const releaseSummary = holdSummaries(server);

    // Both held the document before the restart. The editor's client sends her keystroke as soon as its connection
    // opens and nothing else (y-websocket would also resend it in its answer to the server's sync step 1).
    const editorDoc = new Y.Doc();
    Y.applyUpdate(editorDoc, state);
    let keystroke: Uint8Array | undefined;
    editorDoc.once('update', (update: Uint8Array) => (keystroke = update));
    paragraphXmlText(getPair(editorDoc, 'long-7-1')!.cell('vi').get(0) as Y.XmlElement)!.insert(0, '[first keystroke]');
    const reader = await holderWatching('large-early', state, DEMO.frDrafter, '[first keystroke]');
    const editor = rawSyncSocket(server.wsUrl, 'large-early', { cookie: await signInAs(server, DEMO.vnDrafter) });
    try {
      await editor.opened;
      editor.ws.send(encodeUpdate(keystroke!));
      // The edit is on the server before it knows what the stored rows hold; then the reader reads them.
      await new Promise((r) => setTimeout(r, 200));
      releaseSummary();
      await waitFor(() => reader.relayedWhileLoading() !== undefined, 'the edit to reach the other client', 20_000);
      expect(reader.relayedWhileLoading()).toBe(true);
    } finally {
      releaseSummary();
      releaseLoad();
    }
    await waitFor(() => !loading(), 'the load to finish', 20_000);
    expect(readAllPairs(reader.doc)).toEqual(readAllPairs(editorDoc));
    editor.ws.close();
    reader.provider.destroy();
  });
});
