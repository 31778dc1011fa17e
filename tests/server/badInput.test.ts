import * as encoding from 'lib0/encoding';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import { readAllPairs } from '../../shared/model/index.ts';
import { CloseCode, MessageType, SyncMessageType, type JoinReply } from '../../shared/protocol.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) part(encoder);
  return encoding.toUint8Array(encoder);
}

/** A real update (a new pair) from another doc, cut short: its structs decode, its delete set does not. */
function truncatedUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getArray('order').insert(0, ['ghost']);
  const update = Y.encodeStateAsUpdate(doc);
  return update.slice(0, update.length - 1);
}

describe('bad input leaves the server running and the data unchanged', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let before: ReturnType<typeof readAllPairs>;
  let rowsBefore: number;
  let cookie: string;

  const pairsNow = async () => (await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await signInAs(server, DEMO.vnDrafter);
    before = await pairsNow();
    rowsBefore = (await server.store.loadUpdates(DOC)).updates.length;
  });
  afterAll(async () => {
    // Still serving, still the same text, nothing stored.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(await pairsNow()).toEqual(before);
    expect((await server.store.loadUpdates(DOC)).updates.length).toBe(rowsBefore);
    await server.close();
  });

  it('refuses an upgrade to an unknown document with HTTP 404 and a reason, and creates nothing', async () => {
    const { status, body } = await rawSyncSocket(server.wsUrl, 'no-such-declaration', { cookie }).refused;
    expect(status).toBe(404);
    expect(body.closeCode).toBe(CloseCode.DocumentNotFound);
    expect(body.error.message).toContain('document not found');
    expect(server.sync.openRooms).toBe(0);
    expect((await server.store.listDocuments()).map((d) => d.id)).not.toContain('no-such-declaration');
  });

  it('refuses document ids that are not ids (path tricks, overlong, broken escapes) with HTTP 404', async () => {
    for (const id of ['../etc/passwd', 'a'.repeat(200), 'vn-fr-2023/extra']) {
      expect((await rawSyncSocket(server.wsUrl, id, { cookie }).refused).status).toBe(404);
    }
    const broken = new WebSocket(`${server.wsUrl}/sync/%E0%A4%A`, { headers: { cookie } });
    broken.on('error', () => {}); // terminated while connecting
    expect(await new Promise((resolve) => broken.once('unexpected-response', (_req, res) => resolve(res.statusCode)))).toBe(404);
    broken.terminate();
  });

  const malformed: Array<[string, Uint8Array | string]> = [
    ['a garbage varint', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['an unknown message type', frame((e) => encoding.writeVarUint(e, 42))],
    ['a server-only auth message', frame((e) => encoding.writeVarUint(e, MessageType.Auth), (e) => encoding.writeVarUint(e, 0), (e) => encoding.writeVarString(e, 'x'))],
    ['an unknown sync subtype', frame((e) => encoding.writeVarUint(e, MessageType.Sync), (e) => encoding.writeVarUint(e, 7), (e) => encoding.writeVarUint8Array(e, new Uint8Array([0])))],
    ['a truncated update', frame((e) => encoding.writeVarUint(e, MessageType.Sync), (e) => encoding.writeVarUint(e, SyncMessageType.Update), (e) => encoding.writeVarUint8Array(e, truncatedUpdate()))],
    ['an update of random bytes', frame((e) => encoding.writeVarUint(e, MessageType.Sync), (e) => encoding.writeVarUint(e, SyncMessageType.Update), (e) => encoding.writeVarUint8Array(e, new Uint8Array([5, 200, 3, 1, 9, 9, 9])))],
    ['a payload length beyond the frame', new Uint8Array([MessageType.Sync, SyncMessageType.Update, 0x7f, 1, 2])],
    ['an awareness update that is not JSON', frame((e) => encoding.writeVarUint(e, MessageType.Awareness), (e) => encoding.writeVarUint8Array(e, frame((a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarUint(a, 7), (a) => encoding.writeVarUint(a, 1), (a) => encoding.writeVarString(a, '{nope'))))],
    ['a text frame', 'hello'],
    ['an empty frame', new Uint8Array()],
  ];

  it.each(malformed)('closes the connection that sends %s with 4400, others keep working', async (_label, data) => {
    const bystander = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(bystander.provider);
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    // Wait for the server's first message: the connection is authenticated and in the room.
    await waitFor(() => socket.messages.length > 0, 'the server’s sync step 1');
    socket.ws.send(data);
    const { code, reason } = await socket.closed;
    expect(code).toBe(CloseCode.MalformedMessage);
    expect(reason).toMatch(/malformed message/);
    expect(bystander.provider.wsconnected).toBe(true);
    expect(readAllPairs(bystander.doc)).toEqual(before);
    bystander.provider.destroy();
  });

  it('closes the connection that sends a frame over the size limit with 1009', async () => {
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    socket.ws.send(new Uint8Array(limits.maxSyncMessageBytes + 1));
    expect((await socket.closed).code).toBe(CloseCode.MessageTooLarge);
  });

  it('counts every fragment of a message against the size limit: many small fragments over it close with 1009', async () => {
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    // 64 KiB continuation frames, none of them large, together one byte over the limit.
    const chunk = new Uint8Array(64 * 1024);
    const chunks = Math.ceil((limits.maxSyncMessageBytes + 1) / chunk.length);
    for (let i = 0; i < chunks; i++) socket.ws.send(chunk, { fin: i === chunks - 1, binary: true });
    expect((await socket.closed).code).toBe(CloseCode.MessageTooLarge);
  });

  it('answers a request for a paragraph that does not exist with a 404 naming it', async () => {
    const res = await api(server.url, cookie)(`/api/documents/${DOC}/pairs/p-missing`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'pair_not_found', message: 'Declaration "vn-fr-2023" has no paragraph pair with id "p-missing".' },
    });
  });

  it('answers unknown documents and malformed ids over REST with JSON errors', async () => {
    const missing = await api(server.url, cookie)(`/api/documents/nope/pairs`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('document_not_found');
    const bad = await api(server.url, cookie)(`/api/documents/${encodeURIComponent('bad id!')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
  });

  it('answers socket.io joins of unknown documents and bad payloads with an error ack', async () => {
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    const join = (payload: unknown) =>
      new Promise<JoinReply>((resolve) => socket.emit('document:join', payload as { documentId: string }, resolve));
    expect(await join({ documentId: 'nope' })).toMatchObject({ ok: false, error: { code: 'document_not_found' } });
    expect(await join({ documentId: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await join('garbage')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const ok = await join({ documentId: DOC });
    expect(ok).toMatchObject({ ok: true, document: { id: DOC } });
    socket.disconnect();
  });
});
