import * as encoding from 'lib0/encoding';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeAwarenessEntries, encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, paragraphXmlText } from '../../shared/model/index.ts';
import { CloseCode, MessageType } from '../../shared/protocol.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const ADDRESS = '127.0.0.1'; // where the test clients connect from (the server listens on it)

type Logged = Record<string, unknown> & { msg: string; level: number };
const WARN = 40;

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encodeAwarenessEntries([{ clientId, clock, state }]));
  return encoding.toUint8Array(encoder);
}

/** The text of a pair's French cell. */
const cell = (doc: Y.Doc, pairId: string) => paragraphXmlText(getPair(doc, pairId)!.cell('fr').get(0) as Y.XmlElement)!;

function queryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.QueryAwareness);
  return encoding.toUint8Array(encoder);
}

/**
 * Issue 20, point 9: what a hostile member does on the sync endpoint is in
 * the security log at warn, with the account, the document and the remote
 * address — refused updates, floods, forged ids and long stalls.
 */
describe('the sync endpoint logs security events with account, document and address', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let logged: Logged[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    logged = [];
  });
  const start = (limits = {}) =>
    startTestServer({ limits, logger: pino({ level: 'info', base: undefined }, { write: (line: string) => logged.push(JSON.parse(line) as Logged) }) });
  const warned = (msg: string) => logged.filter((entry) => entry.level === WARN && entry.msg === msg);

  async function joined(cookie: string) {
    const socket = rawSyncSocket(server!.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    return socket;
  }

  it('logs refused updates (4422 content, 4400 malformed, 4409 client id taken) and message floods (4429) with who and where (attack)', async () => {
    server = await start({ maxMessagesPerSecond: 20 });
    const cookie = await signInAs(server, DEMO.frDrafter);
    const user = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
    const victimCookie = await signInAs(server, DEMO.vnDrafter);
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: victimCookie });
    await synced(victim.provider);
    victim.provider.awareness.setLocalStateField('cursor', null); // her id is hers from here on
    const who = { documentId: DOC, user, address: ADDRESS };

    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(victim.doc));
    const vector = Y.encodeStateVector(hostile);
    hostile.getMap('approvals').set('vn', 'agreed');
    const content = await joined(cookie);
    content.ws.send(encodeUpdate(Y.encodeStateAsUpdate(hostile, vector)));
    expect((await content.closed).code).toBe(CloseCode.ContentNotAllowed);
    expect(warned('update refused: content not allowed')).toEqual([expect.objectContaining(who)]);

    const garbage = await joined(cookie);
    garbage.ws.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    expect((await garbage.closed).code).toBe(CloseCode.MalformedMessage);
    expect(warned('malformed sync message')).toEqual([expect.objectContaining(who)]);

    // A struct under her client id, at her next clock.
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(victim.doc));
    copy.clientID = victim.doc.clientID;
    const copyVector = Y.encodeStateVector(copy);
    cell(copy, 'digital').insert(0, ' ');
    const taken = await joined(cookie);
    taken.ws.send(encodeUpdate(Y.encodeStateAsUpdate(copy, copyVector)));
    expect((await taken.closed).code).toBe(CloseCode.ClientIdTaken);
    expect(warned('update refused: client id of another member')).toEqual([expect.objectContaining({ ...who, clientId: victim.doc.clientID })]);

    const flood = await joined(cookie);
    for (let i = 0; i < 40; i++) flood.ws.send(queryAwareness());
    expect((await flood.closed).code).toBe(CloseCode.TooManyMessages);
    expect(warned('sync flood: too many messages')).toEqual([expect.objectContaining(who)]);
    victim.provider.destroy();
  });

  it('logs connection floods refused before the upgrade with the account, document and address (attack)', async () => {
    server = await start({ maxConnectionsPerDocument: 1 });
    const cookie = await signInAs(server, DEMO.frDrafter);
    const user = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
    const first = await joined(cookie);
    expect((await rawSyncSocket(server.wsUrl, DOC, { cookie }).refused).status).toBe(503);
    expect(warned('sync connection refused: limit')).toEqual([expect.objectContaining({ documentId: DOC, user, address: ADDRESS, status: 503 })]);
    first.ws.close();
  });

  it('logs an update that held the event loop with who sent it and from where', async () => {
    server = await start();
    // Something on the live document that takes long on every update: the update's apply outlasts limits.updateStallWarnMs.
    server.sync.observeRooms((_id, doc) => {
      const slow = () => {
        const until = performance.now() + 80;
        while (performance.now() < until);
      };
      doc.on('update', slow);
      return () => doc.off('update', slow);
    });
    const cookie = await signInAs(server, DEMO.frDrafter);
    const user = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
    const page = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(page.provider);
    cell(page.doc, 'closing').insert(0, 'x');
    await waitFor(() => warned('an update held the event loop').length > 0, 'the stall logged');
    expect(warned('an update held the event loop')[0]).toMatchObject({ documentId: DOC, user, address: ADDRESS });
    page.provider.destroy();
  });

  it("keeps a page's awareness id its account's while it reconnects: another member's state under it is dropped and logged, hers is shown again (attack)", async () => {
    server = await start();
    const victimCookie = await signInAs(server, DEMO.vnDrafter);
    const forgerCookie = await signInAs(server, DEMO.frDrafter);
    const forgerId = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
    const victimAccount = (await server.store.findAccountByEmail(DEMO.vnDrafter))!.id;
    const watcher = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: await signInAs(server, DEMO.observer) });
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: victimCookie });
    await Promise.all([synced(watcher.provider), synced(victim.provider)]);
    const id = victim.provider.awareness.clientID;
    victim.provider.awareness.setLocalStateField('cursor', { where: 'closing' });
    await waitFor(() => watcher.provider.awareness.getStates().has(id), 'her presence');

    // Her page loses its connection; before it is back, the forger announces himself under her id.
    victim.provider.disconnect();
    await waitFor(() => !watcher.provider.awareness.getStates().has(id), 'her presence gone');
    const forger = await joined(forgerCookie);
    forger.ws.send(awarenessFrame(id, 1000, { cursor: { where: 'digital' }, user: { name: 'Nguyễn' } }));
    // Whatever he sends after it reaches the watcher after it: his own state says the forged one was handled.
    forger.ws.send(awarenessFrame(0x5eed, 1, { cursor: null }));
    await waitFor(() => watcher.provider.awareness.getStates().has(0x5eed), "the forger's own presence");
    expect(watcher.provider.awareness.getStates().has(id)).toBe(false);
    expect(warned('awareness refused: client id of another member')).toEqual([
      expect.objectContaining({ documentId: DOC, user: forgerId, address: ADDRESS, clientIds: [id] }),
    ]);

    // Her page reconnects, announcing the state it had (the clock it left with): shown again at once, as hers.
    victim.provider.connect();
    await synced(victim.provider);
    await waitFor(() => watcher.provider.awareness.getStates().has(id), 'her presence back');
    const state = watcher.provider.awareness.getStates().get(id) as { cursor: unknown; user: { accountId: string } };
    expect(state.cursor).toEqual({ where: 'closing' });
    expect(state.user.accountId).toBe(victimAccount);
    // And it moves on as usual: her next change is shown too.
    victim.provider.awareness.setLocalStateField('cursor', { where: 'digital' });
    await waitFor(() => (watcher.provider.awareness.getStates().get(id) as { cursor: { where: string } }).cursor.where === 'digital', 'her next change');
    forger.ws.close();
    victim.provider.destroy();
    watcher.provider.destroy();
  });
});
