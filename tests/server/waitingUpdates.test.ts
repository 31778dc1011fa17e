import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { limits } from '../../shared/limits.ts';
import { getPair, paragraphXmlText, readPairText } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const text = (doc: Y.Doc, pairId = 'closing') => paragraphXmlText(getPair(doc, pairId)!.cell('fr').get(0) as Y.XmlElement)!;

/**
 * Updates that build on structs the server does not hold yet wait outside the
 * doc until those arrive, then are checked whole (Yjs would have kept them
 * pending inside it, unchecked). The case a page meets: after typing
 * offline, it reconnects and types again before its answer to the server's
 * sync step 1 (which carries the offline text) has gone.
 */
describe('updates that build on what the server does not have yet', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;
  let witness: ReturnType<typeof connectProvider>;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await signInAs(server, DEMO.frDrafter);
    witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(witness.provider);
  });
  afterAll(async () => {
    witness.provider.destroy();
    await server.close();
  });

  /** A page's doc, synced, that then types `offline` without sending it and `online` after it. */
  function typistAfterOffline(offline: string, online: string) {
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    const synced = Y.encodeStateVector(page);
    text(page).insert(0, offline);
    const afterOffline = Y.encodeStateVector(page);
    const offlineText = Y.encodeStateAsUpdate(page, synced);
    text(page).insert(offline.length, online);
    return { offlineText, keystroke: Y.encodeStateAsUpdate(page, afterOffline), handshake: Y.encodeStateAsUpdate(page, synced) };
  }

  /** A legitimate edit on `socket`, sent after what it sent before: once a client has it, it has had the chance to get those. */
  async function marker(socket: ReturnType<typeof rawSyncSocket>, label: string): Promise<void> {
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    const before = Y.encodeStateVector(page);
    text(page, 'digital').insert(0, label);
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(page, before)));
    await waitFor(() => readPairText(witness.doc, 'digital')!.fr.includes(label), `the marker ${label}`);
  }

  it('holds a keystroke sent before the text it builds on, then applies both, in order, on every screen', async () => {
    const { keystroke, handshake } = typistAfterOffline('Hors ligne. ', 'En ligne.');
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    socket.ws.send(encodeUpdate(keystroke));
    await marker(socket, '[après la frappe] ');
    expect(readPairText(witness.doc, 'closing')!.fr).not.toContain('En ligne.');
    socket.ws.send(encodeUpdate(handshake));
    await waitFor(() => readPairText(witness.doc, 'closing')!.fr.startsWith('Hors ligne. En ligne.'), 'both texts');
    const stored = (await api(server.url, cookie)(`/api/documents/${DOC}/pairs/closing`)).body.pair;
    expect(stored.fr.startsWith('Hors ligne. En ligne.')).toBe(true);
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.ws.close();
  });

  it('forgets what a connection held when it leaves: its next handshake sends it again', async () => {
    const { keystroke, offlineText } = typistAfterOffline('Parti. ', 'Jamais reçu.');
    const first = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await first.opened;
    await waitFor(() => first.messages.length > 0, 'sync step 1');
    first.ws.send(encodeUpdate(keystroke));
    await marker(first, '[avant le départ] ');
    first.ws.close();
    await first.closed;
    // What it built on arrives from elsewhere, without the keystroke itself.
    const second = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await second.opened;
    await waitFor(() => second.messages.length > 0, 'sync step 1');
    second.ws.send(encodeUpdate(offlineText));
    await marker(second, '[après le retour] ');
    const fr = readPairText(witness.doc, 'closing')!.fr;
    expect(fr).toContain('Parti. ');
    expect(fr).not.toContain('Jamais reçu.');
    second.ws.close();
  });

  it('closes a connection that holds more waiting updates than the bound with 1013, applying none of them', async () => {
    const before = readPairText(witness.doc, 'closing')!.fr;
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    const page = new Y.Doc();
    Y.applyUpdate(page, Y.encodeStateAsUpdate(witness.doc));
    page.clientID = 0x5eed0001;
    text(page).insert(0, 'jamais envoyé');
    for (let i = 0; i <= limits.maxWaitingUpdatesPerConnection && socket.ws.readyState === socket.ws.OPEN; i++) {
      const vector = Y.encodeStateVector(page);
      text(page).insert(0, `${i} `);
      socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(page, vector)));
    }
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.TryAgainLater);
    expect(readPairText(witness.doc, 'closing')!.fr).toBe(before);
  });
});
