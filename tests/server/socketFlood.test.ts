import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient, type Socket } from 'socket.io-client';
import { limits } from '../../shared/limits.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, signInAll } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';
import { databaseRows } from '../helpers/state.ts';

const DOC = 'vn-fr-2023';
const FLOOD = 300;

/**
 * Regression tests for a socket.io flood: every join makes the server tell
 * every follower of the document their number, so one client sending joins
 * in a loop made the server push to everyone, as fast as it could send.
 */
describe('a flood of socket.io events', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  const sockets: Socket[] = [];

  const connect = async (who: keyof typeof DEMO): Promise<Socket> => {
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: cookies[who] } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  it('is answered "rate_limited" beyond the limit, changes nothing, and the connection stays usable', async () => {
    const flooder = await connect('frDrafter');
    const rowsBefore = databaseRows(server.dataDir);
    const replies = await Promise.all(Array.from({ length: FLOOD }, () => flooder.timeout(5000).emitWithAck('document:join', { documentId: DOC })));

    const accepted = replies.filter((reply) => reply.ok);
    const refused = replies.filter((reply) => !reply.ok);
    // One window, or at most two if the flood straddles a second boundary.
    expect(accepted.length).toBeGreaterThanOrEqual(limits.maxSocketEventsPerSecond);
    expect(accepted.length).toBeLessThanOrEqual(2 * limits.maxSocketEventsPerSecond);
    expect(refused.length).toBe(FLOOD - accepted.length);
    for (const reply of refused) {
      expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.RateLimited, message: expect.stringContaining(`at most ${limits.maxSocketEventsPerSecond} per second`) } });
    }
    expect(databaseRows(server.dataDir)).toEqual(rowsBefore);

    // A moment later the same connection is served again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await flooder.emitWithAck('document:join', { documentId: DOC })).toMatchObject({ ok: true });
    expect(flooder.connected).toBe(true);
  });

  it('tells other followers their number a few times, not once per join', async () => {
    const follower = await connect('vnHead');
    expect(await follower.emitWithAck('document:join', { documentId: DOC })).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const told: number[] = [];
    follower.on('document:presence', ({ followers }) => told.push(followers));

    // Twenty colleagues open the declaration at once (a room filling up after a restart).
    const crowd = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(i % 2 ? 'frDrafter' : 'vnDrafter')));
    await Promise.all(crowd.map((socket) => socket.emitWithAck('document:join', { documentId: DOC })));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(told.length).toBeGreaterThan(0);
    expect(told.length).toBeLessThanOrEqual(3);
    // The last number told is the real one: the follower, the flooder of the test before, and the crowd.
    expect(told.at(-1)).toBeGreaterThanOrEqual(21);
  });
});
