import * as decoding from 'lib0/decoding';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSyncStep1, encodeUpdate } from '../../server/collaboration/messages.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import { readPairText } from '../../shared/model/index.ts';
import { CloseCode, MessageType, READ_ONLY_REASON, SyncMessageType, type JoinReply } from '../../shared/protocol.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** Whether a frame is a y-protocols sync step 2 (the answer to a sync step 1). */
function isStep2(message: Uint8Array): boolean {
  const decoder = decoding.createDecoder(message);
  return decoding.readVarUint(decoder) === MessageType.Sync && decoding.readVarUint(decoder) === SyncMessageType.Step2;
}

/** The update a sync step 2 frame carries. */
function step2Update(message: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(message);
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
  return decoding.readVarUint8Array(decoder);
}


describe('revocation takes effect at once', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let secretariat: string;
  let drafter: string;
  let accountId: string;

  beforeAll(async () => {
    server = await startTestServer();
    secretariat = await signInAs(server, DEMO.secretariat);
    drafter = await signInAs(server, DEMO.frDrafter);
    accountId = (await server.store.findAccountByEmail(DEMO.frDrafter))!.id;
  });
  afterAll(async () => {
    await server.close();
  });

  it('a drafter downgraded to observer while connected can no longer write from the next message on', async () => {
    const raw = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter });
    await raw.opened;
    await waitFor(() => raw.messages.length > 0, 'sync step 1');
    const local = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: await signInAs(server, DEMO.vnDrafter) });
    await synced(local.provider);

    const downgrade = await api(server.url, secretariat)(`/api/documents/${DOC}/members`, {
      method: 'POST',
      json: { name: 'Julien Martin', email: DEMO.frDrafter, role: 'observer', partyId: 'fr' },
    });
    expect(downgrade.status).toBe(201);

    // The same, still open connection now writes: refused with the reason, nothing stored.
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(local.doc));
    firstXmlText(scratch, 'closing', 'fr').insert(0, 'APRÈS RÉTROGRADATION ');
    raw.ws.send(encodeUpdate(Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(local.doc))));
    const denied = () =>
      raw.messages.some((m) => {
        const d = decoding.createDecoder(m);
        return decoding.readVarUint(d) === MessageType.Auth && (decoding.readVarUint(d), decoding.readVarString(d)) === READ_ONLY_REASON;
      });
    await waitFor(denied, 'a permission-denied reply');
    // A sync step 1 on the same socket: the server answers it with its whole
    // document once everything before it is stored and relayed, so the answer
    // shows whether the refused edit was taken, however late.
    const answered = raw.messages.length;
    raw.ws.send(encodeSyncStep1(new Y.Doc()));
    await waitFor(() => raw.messages.slice(answered).some(isStep2), 'the answer to a later sync step 1');
    const serverCopy = new Y.Doc();
    Y.applyUpdate(serverCopy, step2Update(raw.messages.slice(answered).find(isStep2)!));
    expect(readPairText(serverCopy, 'closing')!.fr).not.toContain('APRÈS');
    expect(readPairText(local.doc, 'closing')!.fr).not.toContain('APRÈS');

    // Comments and approvals follow the new role on the next request too.
    const text = firstXmlText(local.doc, 'closing', 'fr');
    const at = text.toString().indexOf('Agenda 2030');
    const comment = await api(server.url, drafter)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'closing', lang: 'fr', anchor: anchorOfRange(text, at, at + 11), quote: 'Agenda 2030', visibility: 'shared', body: 'x' },
    });
    expect(comment.status).toBe(403);
    local.provider.destroy();
    raw.ws.close();
  });

  it('a revoked member’s open sync connection is closed and their socket.io pushes stop', async () => {
    // Back to drafter, connected on both channels.
    await api(server.url, secretariat)(`/api/documents/${DOC}/members`, {
      method: 'POST',
      json: { name: 'Julien Martin', email: DEMO.frDrafter, role: 'drafter', partyId: 'fr' },
    });
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
    await synced(client.provider);
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: drafter } });
    const pushes: ThreadView[] = [];
    socket.on('thread:changed', ({ thread }) => pushes.push(thread));
    expect(await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve))).toMatchObject({ ok: true });

    const revoked = await api(server.url, secretariat)(`/api/documents/${DOC}/members/${accountId}`, { method: 'DELETE', headers: { origin: server.url } });
    expect(revoked.status).toBe(200);
    await waitFor(() => closes.includes(CloseCode.Forbidden), 'the sync connection to close with 4403');
    client.provider.destroy();

    // A shared thread opened now does not reach the revoked member.
    const vn = await signInAs(server, DEMO.vnDrafter);
    const local = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: vn });
    await synced(local.provider);
    const text = firstXmlText(local.doc, 'heritage', 'vi');
    const at = text.toString().indexOf('di sản');
    const made = await api(server.url, vn)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'heritage', lang: 'vi', anchor: anchorOfRange(text, at, at + 6), quote: 'di sản', visibility: 'shared', body: 'Chia sẻ' },
    });
    expect(made.status).toBe(201);
    // The route answers once its pushes are sent; an ack asked for now on the
    // same socket comes after any push, however late, that it sent this socket.
    expect(await socket.timeout(5000).emitWithAck('document:leave', { documentId: DOC })).toMatchObject({ ok: true });
    expect(pushes).toEqual([]);
    socket.disconnect();
    local.provider.destroy();
  });

  it('signing out closes the live connections opened with that session, and only those', async () => {
    const session = await signInAs(server, DEMO.vnHead);
    const otherDevice = await signInAs(server, DEMO.vnHead);
    const closes: number[] = [];
    const here = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: session });
    const there = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: otherDevice });
    await Promise.all([synced(here.provider), synced(there.provider)]);
    here.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: session } });
    await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve));
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));

    const out = await api(server.url, session)('/api/session/logout', { method: 'POST', json: {} });
    expect(out.status).toBe(200);
    await waitFor(() => closes.includes(CloseCode.Unauthorized), 'the signed-out connection to close with 4401');
    await disconnected;
    here.provider.destroy();
    // The same person's other device stays connected.
    expect(there.provider.wsconnected).toBe(true);
    there.provider.destroy();
  });
});
