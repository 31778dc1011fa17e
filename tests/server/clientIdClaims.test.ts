import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeAwarenessEntries, encodeSyncStep2Update, encodeUpdate } from '../../server/collaboration/messages.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { getPair, paragraphXmlText, readPairText } from '../../shared/model/index.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { DEMO, api, followSignInLink, printedSignInLinks, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startServerProcess, startTestServer, tempDataDir, type ServerProcess } from '../helpers/server.ts';
import * as encoding from 'lib0/encoding';

const DOC = 'vn-fr-2023';
const closing = (doc: Y.Doc) => paragraphXmlText(getPair(doc, 'closing')!.cell('vi').get(0) as Y.XmlElement)!;

/**
 * A member writing under the Yjs client id of another member's page: the
 * attack of issue 19 (while the Vietnamese drafter typed "KHÔNG ", a struct
 * under her client id and next clock made everyone else read the sentence
 * without it, while her own screen showed it). Each client id belongs to the
 * account whose page used it first (server/collaboration/clientIdPolicy.ts).
 */
describe('client ids belong to the account whose page used them (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** What the forger sends: `change`, made on a copy of `doc` under `clientId` from its current clock. */
  function under(doc: Y.Doc, clientId: number, change: (copy: Y.Doc) => void): Uint8Array {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    copy.clientID = clientId;
    const vector = Y.encodeStateVector(copy);
    change(copy);
    return Y.encodeStateAsUpdate(copy, vector);
  }

  async function raw(cookie: string) {
    const socket = rawSyncSocket(server!.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    return socket;
  }

  it("refuses another account's structs under a page's client id, live or as a step 2, and her keystrokes reach everyone", async () => {
    server = await startTestServer();
    const victimCookie = await signInAs(server, DEMO.vnDrafter);
    const forgerCookie = await signInAs(server, DEMO.frDrafter);
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: victimCookie });
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: forgerCookie });
    await Promise.all([synced(victim.provider), synced(witness.provider)]);
    // Her page announces itself as it connects (its presence): the id is hers from then on.
    victim.provider.awareness.setLocalStateField('cursor', null);
    await waitFor(() => witness.provider.awareness.getStates().has(victim.doc.clientID), "the victim's presence");
    closing(victim.doc).insert(0, 'Hai bên đồng ý. ');
    await waitFor(() => readPairText(witness.doc, 'closing')!.vi.startsWith('Hai bên đồng ý. '), 'her first words');

    // The forger takes her next clocks, live and as a step 2, each with something harmless elsewhere.
    for (const frame of [encodeUpdate, encodeSyncStep2Update]) {
      const forged = under(witness.doc, victim.doc.clientID, (copy) => paragraphXmlText(getPair(copy, 'digital')!.cell('fr').get(0) as Y.XmlElement)!.insert(0, ' '));
      const socket = await raw(forgerCookie);
      socket.ws.send(frame(forged));
      const closed = await socket.closed;
      expect(closed.code).toBe(CloseCode.ClientIdTaken);
      expect(closed.reason).toMatch(/^client id taken: /);
    }

    // Her keystrokes at those clocks: on every screen and in the stored text, as on hers.
    closing(victim.doc).insert('Hai bên '.length, 'KHÔNG ');
    await waitFor(() => readPairText(witness.doc, 'closing')!.vi.startsWith('Hai bên KHÔNG đồng ý. '), 'her keystrokes');
    const stored = (await api(server.url, victimCookie)(`/api/documents/${DOC}/pairs/closing`)).body.pair;
    expect(stored.vi).toBe(readPairText(victim.doc, 'closing')!.vi);
    expect(readPairText(witness.doc, 'digital')).toEqual(readPairText(victim.doc, 'digital'));
    victim.provider.destroy();
    witness.provider.destroy();
  });

  it("shows no presence under another member's client id, and keeps her id hers after a restart", async () => {
    server = await startTestServer();
    const victimCookie = await signInAs(server, DEMO.vnDrafter);
    const forgerCookie = await signInAs(server, DEMO.frDrafter);
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: victimCookie });
    await synced(victim.provider);
    closing(victim.doc).insert(0, 'Điều 1. ');
    const victimId = victim.doc.clientID;
    const base = new Y.Doc();
    Y.applyUpdate(base, Y.encodeStateAsUpdate(victim.doc));
    victim.provider.destroy(); // she leaves: her awareness state goes, her claim stays

    const socket = await raw(forgerCookie);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(encoder, encodeAwarenessEntries([{ clientId: victimId, clock: 99, state: { cursor: null } }]));
    socket.ws.send(encoding.toUint8Array(encoder));
    const observer = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: await signInAs(server, DEMO.observer) });
    await synced(observer.provider);
    // Anything announced after the forger's frame reaches the observer after it: his own state says it was handled.
    socket.ws.send(awarenessOf(0x5eed, { cursor: null }));
    await waitFor(() => observer.provider.awareness.getStates().has(0x5eed), "the forger's own presence");
    expect(observer.provider.awareness.getStates().has(victimId)).toBe(false);
    socket.ws.close();
    observer.provider.destroy();

    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir });
    const forger = await raw(await signInAs(server, DEMO.frDrafter));
    forger.ws.send(encodeUpdate(under(base, victimId, (copy) => closing(copy).insert(0, 'Giả mạo. '))));
    expect((await forger.closed).code).toBe(CloseCode.ClientIdTaken);
  });
});

/** An awareness update of one client id (clock 1). */
function awarenessOf(clientId: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries([{ clientId, clock: 1, state }]));
  return encoding.toUint8Array(encoder);
}

/**
 * What claims must not break: after a power loss took the server's last
 * milliseconds (here: the last stored row, removed while the server was
 * down), the pages present resend what they hold — another member's
 * keystrokes among it — in their answer to the restarted server's step 1.
 */
describe('power-loss recovery with client ids bound to accounts', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    server = undefined;
  });

  it("takes another member's lost keystrokes from the page that holds them, while she is away, and her page then agrees", async () => {
    const dataDir = tempDataDir('claims-recovery');
    server = await startServerProcess(dataDir);
    const port = Number(new URL(server.url).port);
    const links = printedSignInLinks(server.output());
    const local = (link: string) => link.replace(/^http:\/\/[^/]+/, server!.url);
    const typistCookie = await followSignInLink(local(links.get(DEMO.vnDrafter)!));
    const holderCookie = await followSignInLink(local(links.get(DEMO.frDrafter)!));
    const typist = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: typistCookie });
    const holder = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: holderCookie });
    await Promise.all([synced(typist.provider), synced(holder.provider)]);
    closing(typist.doc).insert(0, 'Lưu. ');
    await waitFor(() => readPairText(holder.doc, 'closing')!.vi.startsWith('Lưu. '), 'the first words');
    closing(typist.doc).insert(0, 'Mất. ');
    await waitFor(() => readPairText(holder.doc, 'closing')!.vi.startsWith('Mất. Lưu. '), 'the words the power loss takes');

    // The power goes: the server's last row (her last keystrokes) never reached the disk.
    typist.provider.disconnect();
    server.child.kill('SIGKILL');
    await server.exited;
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.prepare('DELETE FROM doc_updates WHERE seq = (SELECT MAX(seq) FROM doc_updates WHERE document_id = ?)').run(DOC);
    db.close();
    server = await startServerProcess(dataDir, port);

    // The holder's page comes back first and resends them; then hers, which agrees.
    await synced(holder.provider, 20_000);
    const reader = await followSignInLink(local(printedSignInLinks(server.output()).get(DEMO.observer)!));
    await waitFor(async () => (await api(server!.url, reader)(`/api/documents/${DOC}/pairs/closing`)).body.pair?.vi.startsWith('Mất. Lưu. '), 'the lost words back', 20_000);
    typist.provider.connect();
    await synced(typist.provider, 20_000);
    closing(typist.doc).insert(0, 'Tiếp. ');
    await waitFor(() => readPairText(holder.doc, 'closing')!.vi.startsWith('Tiếp. Mất. Lưu. '), 'her next words');
    expect(readPairText(typist.doc, 'closing')).toEqual(readPairText(holder.doc, 'closing'));
    expect(typist.provider.wsconnected && holder.provider.wsconnected).toBe(true);
    typist.provider.destroy();
    holder.provider.destroy();
  }, 60_000);
});
