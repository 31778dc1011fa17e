import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SyncRejection, type SyncHooks } from '../../server/collaboration/hooks.ts';
import { encodeSyncStep1, encodeUpdate } from '../../server/collaboration/messages.ts';
import { readPairText } from '../../shared/model/index.ts';
import { CloseCode, MessageType, READ_ONLY_REASON, SyncMessageType } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';


/** A y-websocket sync step 2 frame. */
function encodeStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The reason of the first y-protocols "permission denied" message received. */
function deniedReason(messages: Uint8Array[]): string | undefined {
  for (const m of messages) {
    const decoder = decoding.createDecoder(m);
    if (decoding.readVarUint(decoder) !== MessageType.Auth) continue;
    decoding.readVarUint(decoder);
    return decoding.readVarString(decoder);
  }
  return undefined;
}

/** Whether a frame is a y-protocols sync step 2 (the answer to a sync step 1). */
function isStep2(message: Uint8Array): boolean {
  const decoder = decoding.createDecoder(message);
  return decoding.readVarUint(decoder) === MessageType.Sync && decoding.readVarUint(decoder) === SyncMessageType.Step2;
}

describe('read-only connections and the authentication seam', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('drops an observer’s document updates, tells them why, and keeps the stored text unchanged', async () => {
    server = await startTestServer();
    const observerCookie = await signInAs(server, DEMO.observer);
    const drafterCookie = await signInAs(server, DEMO.frDrafter);
    const before = (await server.store.loadUpdates(DOC)).updates.length;
    const observer = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observerCookie });
    const drafter = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafterCookie });
    await Promise.all([synced(observer.provider), synced(drafter.provider)]);

    // The observer's standard client writes: the server drops it.
    firstXmlText(observer.doc, 'digital', 'fr').insert(0, 'OBSERVER WAS HERE ');

    // A raw observer connection sends the same update and reads the reason.
    const raw = rawSyncSocket(server.wsUrl, DOC, { cookie: observerCookie });
    await raw.opened;
    await waitFor(() => raw.messages.length > 0, 'the server’s sync step 1');
    raw.ws.send(encodeUpdate(Y.encodeStateAsUpdate(observer.doc)));
    await waitFor(() => deniedReason(raw.messages) !== undefined, 'a permission-denied reply');
    expect(deniedReason(raw.messages)).toBe(READ_ONLY_REASON);

    // The drafter's edit goes through; the observer's never reaches anyone.
    firstXmlText(drafter.doc, 'digital', 'vi').insert(0, 'DRAFTER ');
    await waitFor(() => readPairText(observer.doc, 'digital')!.vi.startsWith('DRAFTER'), 'the drafter edit to reach the observer');
    expect(readPairText(drafter.doc, 'digital')!.fr).not.toContain('OBSERVER');
    const stored = (await api(server.url, drafterCookie)(`/api/documents/${DOC}/pairs/digital`)).body;
    expect(stored.pair.fr).not.toContain('OBSERVER');
    expect(stored.pair.vi).toMatch(/^DRAFTER/);
    expect((await server.store.loadUpdates(DOC)).updates.length).toBe(before + 1);
    observer.provider.destroy();
    drafter.provider.destroy();
    raw.ws.close();
  });

  it('does not tell an observer “permission denied” for the state every client sends when it connects', async () => {
    server = await startTestServer();
    const cookie = await signInAs(server, DEMO.observer);
    const reader = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(reader.provider);
    // A second, raw connection answers the server's step 1 the way y-websocket does: with its whole state.
    const raw = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await raw.opened;
    await waitFor(() => raw.messages.length > 0, 'the server’s sync step 1');
    raw.ws.send(encodeStep2(Y.encodeStateAsUpdate(reader.doc)));
    // Then a sync step 1 on the same socket: its step 2 answer comes after whatever the server said to the frame before it.
    const answered = raw.messages.length;
    raw.ws.send(encodeSyncStep1(new Y.Doc()));
    await waitFor(() => raw.messages.slice(answered).some(isStep2), 'the answer to a later sync step 1');
    expect(deniedReason(raw.messages)).toBeUndefined();
    // A real change is refused as before.
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(reader.doc));
    firstXmlText(scratch, 'title', 'fr').insert(0, 'X');
    raw.ws.send(encodeStep2(Y.encodeStateAsUpdate(scratch)));
    await waitFor(() => deniedReason(raw.messages) !== undefined, 'a permission-denied reply');
    reader.provider.destroy();
    raw.ws.close();
  });

  it('runs the authentication hook before the upgrade and answers refused connections with its status, so nothing they send is handled', async () => {
    const refuseAll: SyncHooks = {
      async authenticate() {
        await new Promise((r) => setTimeout(r, 50));
        throw new SyncRejection(CloseCode.Unauthorized, 'sign in first');
      },
    };
    server = await startTestServer({ hooks: refuseAll });
    const socket = rawSyncSocket(server.wsUrl, DOC);
    expect(await socket.refused).toMatchObject({ status: 401, body: { closeCode: CloseCode.Unauthorized, error: { message: 'sign in first' } } });
    expect(socket.messages).toHaveLength(0);
    // No WebSocket was ever open: there was nowhere to send an update.
    await expect(socket.opened).rejects.toThrow();
  });
});
