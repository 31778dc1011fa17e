import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, paragraphXmlText, readAllPairs, readOrder, readPairText } from '../../shared/model/index.ts';
import { findForeignStructure } from '../../shared/model/structure.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';
import { encodeItems, item } from '../helpers/structs.ts';

const DOC = 'vn-fr-2023';

/**
 * Updates that make Yjs do something else than their structs and deletions
 * say (server/collaboration/structure/updateShape.ts), found by an
 * attacker's review of the structure check.
 */
describe('updates whose structs and deletions say one thing and do another (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;
  let witness: ReturnType<typeof connectProvider>;
  beforeEach(async () => {
    server = await startTestServer();
    cookie = await signInAs(server, DEMO.vnDrafter);
    witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(witness.provider);
  });
  afterEach(async () => {
    witness.provider.destroy();
    await server.close();
  });

  async function raw(as = cookie) {
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: as });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    let closed: number | undefined;
    void socket.closed.then((c) => (closed = c.code));
    return Object.assign(socket, { closedWith: () => closed });
  }

  /** The server's doc as a fresh page and the text identity see it, and whether anything stands outside the tree. */
  const serverView = () => server.sync.readDocument(DOC, (doc) => ({ pairs: readAllPairs(doc), foreign: findForeignStructure(doc) }));

  it('cannot replace a cell by a struct half over known text that names the cell as its origin', async () => {
    const [first, second] = readOrder(witness.doc);
    const socket = await raw();
    const me = 777;
    // An ordinary keystroke under the forger's own id: "xy" at the end of the first pair's text.
    const page = new Y.Doc();
    page.clientID = me;
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    const vector = Y.encodeStateVector(page);
    const text = paragraphXmlText(getPair(page, first!)!.cell('vi').get(0) as Y.XmlElement)!;
    text.insert(text.length, 'xy');
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(page, vector)));
    await waitFor(() => Y.getState(witness.doc.store, me) === 2, 'the keystroke');
    // Clocks 1–3 of the same id: clock 1 is the "y" the server has; its origin names the second pair's cell entry.
    const cellEntry = getPair(witness.doc, second!)!.map._map.get('vi')!.id;
    socket.ws.send(encodeUpdate(encodeItems(me, 1, [item(Y.createID(me, 1), cellEntry, null, null, null, new Y.ContentString('yZW'))])));
    await waitFor(() => Y.getState(witness.doc.store, me) === 4 || socket.closedWith() !== undefined, 'the struct dealt with');
    const view = (await serverView())!;
    expect(view.foreign).toEqual([]);
    expect(view.pairs.map((p) => p.id)).toContain(second);
    // What was not known landed where the known part is: after "xy", in the first pair's text.
    expect(view.pairs.find((p) => p.id === first)!.vi.endsWith('xyZW')).toBe(true);
    const fresh = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(fresh.provider);
    expect(readAllPairs(fresh.doc)).toEqual(view.pairs);
    await waitFor(() => JSON.stringify(readAllPairs(witness.doc)) === JSON.stringify(view.pairs), 'the witness to agree');
    fresh.provider.destroy();
  });

  it("cannot delete another member's words before she types them: everyone's screen keeps what hers shows", async () => {
    const victim = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: await signInAs(server, DEMO.frDrafter) });
    await synced(victim.provider);
    victim.provider.awareness.setLocalStateField('cursor', null);
    const id = victim.doc.clientID;
    await waitFor(() => witness.provider.awareness.getStates().has(id), 'her presence');
    const [first] = readOrder(witness.doc);
    const socket = await raw();
    socket.ws.send(encodeUpdate(encodeItems(0, 0, [], [[id, Y.getState(witness.doc.store, id), 1000]])));
    await waitFor(() => socket.closedWith() !== undefined, 'the refusal');
    expect(socket.closedWith()).toBe(CloseCode.ClientIdTaken);
    paragraphXmlText(getPair(victim.doc, first!)!.cell('fr').get(0) as Y.XmlElement)!.insert(0, 'Texte de la victime. ');
    await waitFor(() => readPairText(witness.doc, first!)!.fr.startsWith('Texte de la victime. '), 'her words on another screen');
    const view = (await serverView())!;
    expect(view.pairs.find((p) => p.id === first)).toEqual(readPairText(victim.doc, first!));
    victim.provider.destroy();
  });

  it('holds a deletion of words the page has not sent yet until they arrive (a reconnecting page), then applies it', async () => {
    const [first] = readOrder(witness.doc);
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    const text = () => paragraphXmlText(getPair(page, first!)!.cell('fr').get(0) as Y.XmlElement)!;
    const synced = Y.encodeStateVector(page);
    text().insert(0, 'Hors ligne: abc. ');
    const typed = Y.encodeStateAsUpdate(page, synced);
    const before = Y.encodeStateVector(page);
    text().delete('Hors ligne: a'.length, 1);
    const deletion = Y.encodeStateAsUpdate(page, before);
    const socket = await raw();
    socket.ws.send(encodeUpdate(deletion));
    socket.ws.send(encodeUpdate(typed));
    await waitFor(() => readPairText(witness.doc, first!)!.fr.startsWith('Hors ligne: ac. '), 'the text and its deletion');
    expect(socket.closedWith()).toBeUndefined();
    expect(await server.sync.readDocument(DOC, (doc) => doc.store.pendingDs)).toBeNull();
  });

  it('keeps nothing pending in the server’s doc from 100,000 deletions of clocks nobody wrote, and typing stays cheap', async () => {
    const ranges: Array<[number, number, number]> = [];
    for (let i = 0; i < 100_000; i++) ranges.push([900_000 + (i % 50), 10 + 2 * Math.floor(i / 50), 1]);
    const socket = await raw();
    socket.ws.send(encodeUpdate(encodeItems(0, 0, [], ranges)));
    // A keystroke after it on the same connection is relayed: the flood was dealt with before it.
    const [first] = readOrder(witness.doc);
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    const vector = Y.encodeStateVector(page);
    paragraphXmlText(getPair(page, first!)!.cell('vi').get(0) as Y.XmlElement)!.insert(0, 'k');
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(page, vector)));
    await waitFor(() => readPairText(witness.doc, first!)!.vi.startsWith('k'), 'the keystroke after it');
    expect(await server.sync.readDocument(DOC, (doc) => [doc.store.pendingDs, doc.store.pendingStructs])).toEqual([null, null]);
  });
});
