import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getPair, readAllPairs, readPairText } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function appendToCell(doc: Y.Doc, pairId: string, lang: 'vi' | 'fr', text: string, at?: number) {
  const paragraph = getPair(doc, pairId)!.cell(lang).get(0) as Y.XmlElement;
  const xmlText = paragraph.get(0) as Y.XmlText;
  xmlText.insert(at ?? xmlText.length, text);
}

describe('sync over the standard y-websocket protocol', () => {
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

  it('three y-websocket clients editing both languages of one pair concurrently converge with the server', async () => {
    const clients = [vn, fr, vn].map((cookie) => connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie }));
    await Promise.all(clients.map((c) => synced(c.provider)));
    expect(readPairText(clients[0]!.doc, 'environment')!.vi).toMatch(/^Ý thức rõ/);

    // All at once, without waiting: both languages of the same pair, same positions.
    appendToCell(clients[0]!.doc, 'environment', 'vi', ' [VN-A]');
    appendToCell(clients[1]!.doc, 'environment', 'fr', ' [FR-B]');
    appendToCell(clients[2]!.doc, 'environment', 'vi', ' [VN-C]');
    appendToCell(clients[2]!.doc, 'environment', 'fr', '« C »', 0);
    appendToCell(clients[0]!.doc, 'environment', 'fr', ' [FR-A]');

    const everyMarker = (doc: Y.Doc) => {
      const pair = readPairText(doc, 'environment')!;
      return ['[VN-A]', '[VN-C]'].every((m) => pair.vi.includes(m)) && ['[FR-B]', '[FR-A]', '« C »'].every((m) => pair.fr.includes(m));
    };
    await waitFor(() => clients.every((c) => everyMarker(c.doc)), 'every edit on every client');
    const expected = readAllPairs(clients[0]!.doc);
    for (const c of clients) expect(readAllPairs(c.doc)).toEqual(expected);

    // The server's own copy (what the REST API and the store see) is the same text.
    const res = await api(server.url, vn)(`/api/documents/${DOC}/pairs`);
    expect(res.body.pairs).toEqual(expected);
    for (const c of clients) c.provider.destroy();
  });

  it('a pair added and moved by one client appears in the same place for the others', async () => {
    const a = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    const b = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: fr });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const { insertPair, movePair, readOrder } = await import('../../shared/model/index.ts');
    const id = insertPair(a.doc, { vi: 'Đoạn mới', fr: 'Nouveau paragraphe' }, 'title');
    movePair(a.doc, 'closing', 0);
    await waitFor(() => readOrder(b.doc).join() === readOrder(a.doc).join(), 'order to reach b');
    expect(readOrder(b.doc)[0]).toBe('closing');
    expect(cellPlainText(getPair(b.doc, id)!.cell('vi'))).toBe('Đoạn mới');
    a.provider.destroy();
    b.provider.destroy();
  });

  it('stores a burst of edits from several clients as few rows, relays each to the others, and never echoes a client’s own edits', async () => {
    const a = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    const b = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: fr });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const rowsBefore = (await server.store.loadUpdates(DOC)).updates.length;
    // Count the update frames each client receives from now on.
    const received = { a: 0, b: 0 };
    for (const [name, c] of [['a', a], ['b', b]] as const) {
      c.provider.ws!.addEventListener('message', (event: MessageEvent) => {
        const bytes = new Uint8Array(event.data as ArrayBuffer);
        if (bytes[0] === 0 && bytes[1] === 2) received[name]++;
      });
    }
    // Thirty edits in one synchronous burst: thirty frames written to one socket
    // in one turn, so they reach the server within a turn or two of its event
    // loop. Without group commit each would be a row of its own.
    const EDITS = 30;
    for (let i = 0; i < EDITS; i++) appendToCell(a.doc, 'digital', 'vi', ` a${i}`);
    await waitFor(() => readPairText(b.doc, 'digital')!.vi.endsWith(` a${EDITS - 1}`), 'a’s burst at b');
    const rows = (await server.store.loadUpdates(DOC)).updates.length - rowsBefore;
    expect(rows).toBeGreaterThan(0);
    // The reads of one burst span at most a few turns (and the writes in flight
    // take whatever came meanwhile), so a handful of rows, far below one per edit.
    expect(rows).toBeLessThanOrEqual(5);
    // An edit of b's, relayed to a after a's burst was: once it is at a, any echo
    // of a's own edits (broadcast before it) would have come too.
    appendToCell(b.doc, 'digital', 'fr', ' b-after');
    await waitFor(() => readPairText(a.doc, 'digital')!.fr.endsWith(' b-after'), 'b’s later edit at a');
    expect(received.a).toBe(1); // b's edit, nothing of its own
    expect(received.b).toBeGreaterThan(0);
    expect(readAllPairs(a.doc)).toEqual(readAllPairs(b.doc));
    a.provider.destroy();
    b.provider.destroy();
  });

  it('shows remote presence: awareness states reach the other clients, under the account of the sender', async () => {
    const a = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    const b = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: fr });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const name = (await server.store.findAccountByEmail(DEMO.vnDrafter))!.name;
    a.provider.awareness.setLocalStateField('user', { name, color: '#c0392b' });
    a.provider.awareness.setLocalStateField('cursor', { at: 'preamble' });
    const aId = a.provider.awareness.clientID;
    await waitFor(() => b.provider.awareness.getStates().get(aId)?.cursor?.at === 'preamble', 'a’s cursor to reach b');
    expect(b.provider.awareness.getStates().get(aId)?.user?.name).toBe(name);
    a.provider.destroy();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), 'a’s cursor to leave b');
    b.provider.destroy();
  });
  it('a client joining with nothing gets the whole current document, edits made since the previous joiner included', async () => {
    const a = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    const b = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: fr });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const joiners: Array<ReturnType<typeof connectProvider>> = [];
    for (let step = 0; step < 4; step++) {
      // Edits from two clients at once, then a newcomer holding nothing joins right away.
      appendToCell(a.doc, 'environment', 'vi', ` [A${step}]`);
      appendToCell(b.doc, 'environment', 'fr', ` [B${step}]`);
      const joiner = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: step % 2 ? vn : fr });
      joiners.push(joiner);
      await synced(joiner.provider);
      await waitFor(() => readAllPairs(a.doc).join() === readAllPairs(b.doc).join(), 'a and b to converge');
      // Once everything is relayed, a fresh joiner's copy is the same text (a stale whole-document reply would miss the last edits).
      const late = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
      await synced(late.provider);
      expect(readAllPairs(late.doc)).toEqual(readAllPairs(a.doc));
      expect(readPairText(late.doc, 'environment')!.vi).toContain(`[A${step}]`);
      expect(readPairText(late.doc, 'environment')!.fr).toContain(`[B${step}]`);
      late.provider.destroy();
    }
    await waitFor(() => joiners.every((j) => readAllPairs(j.doc).join() === readAllPairs(a.doc).join()), 'every joiner to converge');
    for (const c of [a, b, ...joiners]) c.provider.destroy();
  });
});
