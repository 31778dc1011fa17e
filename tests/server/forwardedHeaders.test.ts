import { pino } from 'pino';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { rawSyncSocket, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Issue 20, leftovers: behind a proxy TRUST_PROXY names, the sync endpoint's
 * per-address cap and the security logs see each person's forwarded address
 * (not the proxy's, which would make everyone one address), and links point at
 * the host and scheme the person used. From anyone else, the same headers are
 * forgeries and change nothing.
 */

const DOC = 'vn-fr-2023';
const SOCKET_ADDRESS = '127.0.0.1'; // where the test clients connect from
type Logged = Record<string, unknown> & { msg: string; level: number };

async function start(env: Record<string, string>, options: { limits?: Record<string, number> } = {}) {
  const logged: Logged[] = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => logged.push(JSON.parse(line) as Logged) });
  const server = await startTestServer({ env, logger, ...options });
  return { server, logged };
}

describe('the sync connection cap behind a proxy', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function joinedFrom(cookie: string, forwardedFor: string) {
    const socket = rawSyncSocket(server!.wsUrl, DOC, { cookie, headers: { 'x-forwarded-for': forwardedFor } });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, `joined from ${forwardedFor}`);
    return socket;
  }

  it('counts connections per X-Forwarded-For address behind a trusted proxy: two people behind it are counted apart, and logged by their own address', async () => {
    const started = await start({ TRUST_PROXY: 'loopback' }, { limits: { maxConnectionsPerAddress: 1 } });
    server = started.server;
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const first = await joinedFrom(cookie, '203.0.113.7');
    const second = await joinedFrom(cookie, '198.51.100.9');
    // The cap still holds for each person.
    const again = await rawSyncSocket(server.wsUrl, DOC, { cookie, headers: { 'x-forwarded-for': '203.0.113.7' } }).refused;
    expect(again).toMatchObject({ status: 429, retryAfter: String(limits.syncRetryAfterSeconds), body: { error: { code: ErrorCode.RateLimited } } });
    const refusals = started.logged.filter((l) => l.msg === 'sync connection refused: limit');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ level: 40, address: '203.0.113.7', documentId: DOC });
    for (const s of [first, second]) s.ws.close();
  });

  it('ignores a forged X-Forwarded-For with no proxy trusted: a second connection from one address is refused whatever it claims (attack: evading the cap)', async () => {
    const started = await start({}, { limits: { maxConnectionsPerAddress: 1 } });
    server = started.server;
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const first = await joinedFrom(cookie, '203.0.113.7');
    const forged = await rawSyncSocket(server.wsUrl, DOC, { cookie, headers: { 'x-forwarded-for': '198.51.100.9' } }).refused;
    expect(forged).toMatchObject({ status: 429, body: { error: { code: ErrorCode.RateLimited, message: 'too many connections from this address; try again later' } } });
    expect(started.logged.find((l) => l.msg === 'sync connection refused: limit')).toMatchObject({ level: 40, address: SOCKET_ADDRESS });
    first.ws.close();
  });

  it('logs a refused cross-site socket.io connection with the forwarded address behind a trusted proxy, and the socket address otherwise', async () => {
    for (const [trust, expected] of [['loopback', '203.0.113.7'], ['off', SOCKET_ADDRESS]] as const) {
      const started = await start({ TRUST_PROXY: trust });
      server = started.server;
      const socket = ioClient(server.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        extraHeaders: { origin: 'https://evil.example', 'x-forwarded-for': '203.0.113.7' },
      });
      const refusal = await new Promise<Error & { data?: { code: string } }>((resolve) => socket.once('connect_error', resolve));
      socket.close();
      expect(refusal.data?.code).toBe(ErrorCode.Forbidden);
      expect(started.logged.find((l) => l.msg === 'cross-site socket.io connection refused'), trust).toMatchObject({ level: 40, address: expected });
      await server.close();
      server = undefined;
    }
  });
});

describe('links behind a proxy', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const invite = (email: string, headers: Record<string, string>) =>
    api(server!.url, secretariatCookie)(`/api/documents/${DOC}/members`, {
      method: 'POST',
      headers,
      json: { name: 'Đỗ Văn Nam', email, role: 'drafter', partyId: 'vn' },
    });
  let secretariatCookie = '';

  it('points the invitation link at the host and scheme a trusted proxy forwards (X-Forwarded-Host, -Proto)', async () => {
    server = (await start({ TRUST_PROXY: 'loopback' })).server;
    secretariatCookie = await signInAs(server, DEMO.secretariat);
    const res = await invite('nam@hanoi.example', { 'x-forwarded-host': 'forwarded.host', 'x-forwarded-proto': 'https', origin: 'https://forwarded.host' });
    expect(res.status).toBe(201);
    expect(res.body.signInUrl).toMatch(/^https:\/\/forwarded\.host\/signin\/[A-Za-z0-9_-]{43}$/);
  });

  it('ignores a forged X-Forwarded-Host and -Proto with no proxy trusted: the link points at this server (attack: a link to the attacker’s host)', async () => {
    server = (await start({})).server;
    secretariatCookie = await signInAs(server, DEMO.secretariat);
    const res = await invite('lan@hanoi.example', { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(201);
    expect(res.body.signInUrl.startsWith(`${server.url}/signin/`)).toBe(true);
  });
});
