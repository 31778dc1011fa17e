import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getPair, insertPair, readAllPairs, readPairText } from '../../shared/model/index.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { DEMO, api, followSignInLink, printedSignInLinks, signInAs } from '../helpers/auth.ts';
import { startServerProcess, startTestServer, tempDataDir, type ServerProcess } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function typeInto(doc: Y.Doc, pairId: string, lang: 'vi' | 'fr', text: string) {
  const xmlText = (getPair(doc, pairId)!.cell(lang).get(0) as Y.XmlElement).get(0) as Y.XmlText;
  xmlText.insert(xmlText.length, text);
}

async function pairsOf(url: string, cookie: string) {
  const res = await api(url, cookie)(`/api/documents/${DOC}/pairs`);
  return res.body.pairs as ReturnType<typeof readAllPairs>;
}

/** Signs in through the link the server printed at start, like a person would. */
async function signInFromOutput(server: ServerProcess, email: string): Promise<string> {
  const link = printedSignInLinks(server.output()).get(email);
  if (!link) throw new Error(`no printed link for ${email}:\n${server.output()}`);
  return followSignInLink(link);
}

describe('durability', () => {
  const processes: ServerProcess[] = [];
  afterEach(() => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  });

  it('keeps every edit the server received when it is killed with SIGKILL right after', async () => {
    const dataDir = tempDataDir('accord-kill');
    const first = await startServerProcess(dataDir);
    processes.push(first);

    const cookie = await signInFromOutput(first, DEMO.vnDrafter);
    const writer = connectProvider(first.wsUrl, DOC, new Y.Doc(), { cookie });
    const witness = connectProvider(first.wsUrl, DOC, new Y.Doc(), { cookie: await signInFromOutput(first, DEMO.frDrafter) });
    await Promise.all([synced(writer.provider), synced(witness.provider)]);

    // A burst of edits in both languages, a new pair, then kill -9 as soon as the
    // last one has been relayed (the server relays only what it has stored).
    for (let i = 0; i < 40; i++) typeInto(writer.doc, i % 2 ? 'digital' : 'heritage', i % 3 ? 'vi' : 'fr', ` ${i}ư`);
    const added = insertPair(writer.doc, { kind: 'operative', vi: 'Đoạn bổ sung', fr: 'Paragraphe ajouté' }, 'digital');
    const expected = readAllPairs(writer.doc);
    await waitFor(() => JSON.stringify(readAllPairs(witness.doc)) === JSON.stringify(expected), 'the last edit to be relayed');
    first.child.kill('SIGKILL');
    await first.exited;
    writer.provider.destroy();
    witness.provider.destroy();

    const second = await startServerProcess(dataDir);
    processes.push(second);
    // The session outlives the restart: it is in the store too.
    const after = await pairsOf(second.url, cookie);
    expect(after).toEqual(expected);
    expect(after.find((p) => p.id === added)?.fr).toBe('Paragraphe ajouté');
    expect(after.find((p) => p.id === 'heritage')?.fr).toContain(' 36ư');

    // And a fresh client syncs exactly that state.
    const fresh = connectProvider(second.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(fresh.provider);
    expect(readAllPairs(fresh.doc)).toEqual(expected);
    fresh.provider.destroy();
  });

  it('merges the edits a client made while the server was down when it reconnects', async () => {
    const dataDir = tempDataDir('accord-offline');
    const first = await startServerProcess(dataDir);
    processes.push(first);
    const port = Number(new URL(first.url).port);

    const cookie = await signInFromOutput(first, DEMO.vnDrafter);
    const offline = connectProvider(first.wsUrl, DOC, new Y.Doc(), { cookie });
    const other = connectProvider(first.wsUrl, DOC, new Y.Doc(), { cookie: await signInFromOutput(first, DEMO.frHead) });
    await Promise.all([synced(offline.provider), synced(other.provider)]);

    first.child.kill('SIGKILL');
    await first.exited;
    await waitFor(() => !offline.provider.wsconnected, 'the client to notice the server is gone');

    // Edits made while nobody can hear them.
    typeInto(offline.doc, 'closing', 'fr', ' (modifié hors ligne)');
    typeInto(offline.doc, 'closing', 'vi', ' (sửa ngoại tuyến)');
    typeInto(other.doc, 'closing', 'fr', ' [autre]');

    const second = await startServerProcess(dataDir, port);
    processes.push(second);
    const wanted = (fr: string, vi: string) =>
      fr.includes('(modifié hors ligne)') && fr.includes('[autre]') && vi.includes('(sửa ngoại tuyến)');
    await waitFor(() => {
      const a = readPairText(offline.doc, 'closing')!;
      const b = readPairText(other.doc, 'closing')!;
      return wanted(a.fr, a.vi) && wanted(b.fr, b.vi);
    }, 'both offline edits to merge on both clients', 20_000);
    const onServer = (await pairsOf(second.url, cookie)).find((p) => p.id === 'closing')!;
    expect(wanted(onServer.fr, onServer.vi)).toBe(true);
    expect(readAllPairs(offline.doc)).toEqual(readAllPairs(other.doc));
    offline.provider.destroy();
    other.provider.destroy();
  });

  it('compacts a long update log without losing or changing any text', async () => {
    const server = await startTestServer();
    let liveDoc: Y.Doc | undefined;
    const serverDoc = () => liveDoc!;
    try {
      const cookie = await signInAs(server, DEMO.frDrafter);
      const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
      await synced(client.provider);
      await server.sync.readDocument(DOC, (doc) => (liveDoc = doc));
      // Well past the compaction threshold, one stored update per keystroke.
      for (let i = 0; i < 700; i++) {
        typeInto(client.doc, 'urbanisation', i % 2 ? 'vi' : 'fr', 'ă');
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      const expected = readAllPairs(client.doc);
      // Wait until the server has received and stored every keystroke.
      await waitFor(() => JSON.stringify(readAllPairs(serverDoc())) === JSON.stringify(expected), 'all keystrokes on the server');
      await server.sync.readStored(DOC, () => undefined); // resolves once everything applied is stored
      const rows = await server.store.loadUpdates(DOC);
      // Without compaction there would be one row per keystroke plus the seed.
      expect(rows.updates.length).toBeLessThan(300);
      const fromRows = new Y.Doc();
      Y.applyUpdate(fromRows, Y.mergeUpdates(rows.updates));
      expect(readAllPairs(fromRows)).toEqual(expected);
      client.provider.destroy();
      await waitFor(() => server.sync.openRooms === 0, 'the room to unload');
      expect(await pairsOf(server.url, cookie)).toEqual(expected);
    } finally {
      await server.close();
    }
  });
});
