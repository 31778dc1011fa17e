import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncHooks } from '../../server/collaboration/hooks.ts';
import { limits } from '../../shared/limits.ts';
import { MessageType, CloseCode, ErrorCode } from '../../shared/protocol.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { rawSyncSocket, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function queryAwareness(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.QueryAwareness);
  return encoding.toUint8Array(encoder);
}

/** Each limit of shared/limits.ts crossed once (lowered for the test), and refused cleanly. */
describe('sync endpoint limits', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('closes a connection that sends more messages per second than allowed with 4429', async () => {
    server = await startTestServer({ limits: { maxMessagesPerSecond: 20 } });
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    for (let i = 0; i < 40; i++) socket.ws.send(queryAwareness());
    expect(await socket.closed).toEqual({ code: CloseCode.TooManyMessages, reason: 'too many messages: at most 20 per second' });
  });

  it('refuses an upgrade whose authentication takes too long with HTTP 408, and closes one that sends too many bytes before it joins', async () => {
    const slow: SyncHooks = { authenticate: () => new Promise(() => {}) };
    server = await startTestServer({ hooks: slow, limits: { authTimeoutMs: 300 } });
    const waiting = rawSyncSocket(server.wsUrl, DOC);
    const started = Date.now();
    expect(await waiting.refused).toMatchObject({ status: 408, body: { closeCode: CloseCode.AuthenticationTimeout, error: { message: 'authentication took too long' } } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(waiting.messages).toHaveLength(0);
    await server.close();

    // Upgraded, the room not joined yet (held here): what it sends meanwhile is bounded.
    server = await startTestServer({ limits: { maxBytesBeforeAuth: 1000 } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.sync.openingProbe = (step) => (step === 'upgraded' ? held : undefined);
    const flooding = rawSyncSocket(server.wsUrl, DOC, { cookie: await signInAs(server, DEMO.vnDrafter) });
    await flooding.opened;
    flooding.ws.send(new Uint8Array(600));
    flooding.ws.send(new Uint8Array(600));
    expect(await flooding.closed).toEqual({ code: CloseCode.TooManyMessages, reason: 'too many messages before authentication' });
    release();
  });

  it('caps connections per document (HTTP 503) and per address (HTTP 429), with a Retry-After, before the upgrade', async () => {
    server = await startTestServer({ limits: { maxConnectionsPerDocument: 2, maxConnectionsPerAddress: 3 } });
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const open = async (documentId: string) => {
      const s = rawSyncSocket(server!.wsUrl, documentId, { cookie });
      await s.opened;
      return s;
    };
    const first = await open(DOC);
    const second = await open(DOC);
    await waitFor(() => first.messages.length > 0 && second.messages.length > 0, 'two joined');
    const third = await rawSyncSocket(server.wsUrl, DOC, { cookie }).refused;
    expect(third).toMatchObject({ status: 503, retryAfter: String(limits.syncRetryAfterSeconds), body: { closeCode: CloseCode.TryAgainLater } });
    const other = await open('hanoi-toulouse-2023');
    await waitFor(() => other.messages.length > 0, 'a connection to the other document');
    const fourth = await rawSyncSocket(server.wsUrl, 'hanoi-toulouse-2023', { cookie }).refused;
    expect(fourth).toMatchObject({ status: 429, retryAfter: String(limits.syncRetryAfterSeconds), body: { error: { code: ErrorCode.RateLimited, message: 'too many connections from this address; try again later' } } });
    // Closing one frees its place.
    first.ws.close();
    await first.closed;
    await waitFor(async () => {
      const again = rawSyncSocket(server!.wsUrl, DOC, { cookie });
      const outcome = await Promise.race([again.opened.then(() => 'open'), again.refused.then(() => 'refused')]);
      if (outcome === 'open') {
        await waitFor(() => again.messages.length > 0, 'a place freed');
        again.ws.close();
      }
      return outcome === 'open';
    }, 'a place freed');
    for (const s of [second, other]) s.ws.close();
  });

  it('creates nothing for random document names: no room, no row, no growth', async () => {
    server = await startTestServer();
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const documents = (await server.store.listDocuments()).length;
    const closes = [];
    for (let i = 0; i < 100; i++) closes.push(rawSyncSocket(server.wsUrl, `random-${i}-${Math.random().toString(36).slice(2)}`, { cookie }).refused);
    for (const refused of await Promise.all(closes)) expect(refused.status).toBe(404);
    expect(server.sync.openRooms).toBe(0);
    expect((await server.store.listDocuments()).length).toBe(documents);
  });
});

describe('open declarations per member', () => {
  it('refuses a member a further declaration beyond the limit with HTTP 429, and frees the place on close', async () => {
    const server = await startTestServer({ limits: { maxOpenDocumentsPerMember: 1 } });
    try {
      const cookie = await signInAs(server, DEMO.secretariat);
      const first = rawSyncSocket(server.wsUrl, DOC, { cookie });
      await first.opened;
      await waitFor(() => first.messages.length > 0, 'joined the first declaration');
      const sameAgain = rawSyncSocket(server.wsUrl, DOC, { cookie });
      await sameAgain.opened;
      await waitFor(() => sameAgain.messages.length > 0, 'a second tab on the same declaration');
      const second = rawSyncSocket(server.wsUrl, 'hanoi-toulouse-2023', { cookie });
      expect(await second.refused).toMatchObject({ status: 429, body: { closeCode: CloseCode.TryAgainLater, error: { message: 'too many declarations open at once (at most 1); close one' } } });
      first.ws.close();
      sameAgain.ws.close();
      await Promise.all([first.closed, sameAgain.closed]);
      await new Promise((r) => setTimeout(r, 50));
      const later = rawSyncSocket(server.wsUrl, 'hanoi-toulouse-2023', { cookie });
      await waitFor(() => later.messages.length > 0, 'the other declaration once a place is free');
      later.ws.close();
    } finally {
      await server.close();
    }
  });
});
