import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccordServer } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { rawSyncSocket } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * The web edge (issue 20, points 4–6 and 9): security headers on every
 * response, no source maps, forwarded headers believed only from the proxies
 * TRUST_PROXY names, and rate limits on failed sign-ins and REST writes —
 * each refusal logged at warn with who and from where.
 */

type Logged = { level: number; msg: string; [key: string]: unknown };
type Server = AccordServer & { wsUrl: string };

const CLIENT_ASSETS = path.resolve(import.meta.dirname, '../../dist/client/assets');
const DOC = 'vn-fr-2023';

async function start(env: Record<string, string> = {}, rateLimits = {}): Promise<{ server: Server; logged: Logged[] }> {
  const logged: Logged[] = [];
  const logger = pino({ level: 'info', base: undefined }, { write: (line: string) => logged.push(JSON.parse(line) as Logged) });
  return { server: await startTestServer({ env, logger, rateLimits }), logged };
}

describe('security headers and source maps', () => {
  let server: Server;
  beforeAll(async () => ({ server } = await start()));
  afterAll(() => server?.close());

  it('sends a CSP without inline script that no page may frame, nosniff and no referrer on pages, API, assets and errors', async () => {
    const asset = fs.existsSync(CLIENT_ASSETS) ? fs.readdirSync(CLIENT_ASSETS).find((f) => f.endsWith('.js')) : undefined;
    const paths = ['/', '/d/vn-fr-2023', '/api/health', '/api/documents', '/api/nothing-here', '/signin/not-a-token', ...(asset ? [`/assets/${asset}`] : [])];
    for (const target of paths) {
      const res = await fetch(`${server.url}${target}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, target).toContain("frame-ancestors 'none'");
      expect(csp, target).toMatch(/script-src 'self'(;|$)/);
      expect(csp, target).toContain("object-src 'none'");
      expect(csp, target).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers.get('x-frame-options'), target).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), target).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), target).toBe('no-referrer');
      expect(res.headers.get('x-powered-by'), target).toBeNull();
    }
  });

  it('serves no source map, even one left in the build (attack: reading the whole client source)', async () => {
    fs.mkdirSync(CLIENT_ASSETS, { recursive: true });
    const probe = path.join(CLIENT_ASSETS, 'probe-web-edge.js.map');
    fs.writeFileSync(probe, '{"version":3,"sources":["secret.ts"]}');
    try {
      const res = await fetch(`${server.url}/assets/probe-web-edge.js.map`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('secret.ts');
    } finally {
      fs.rmSync(probe);
    }
  });

  it('reads ACCORD_SOURCE_MAPS as 0 (the default) or 1, and refuses to start on any other value', async () => {
    const base = { DATA_DIR: '/tmp/accord-config-only' };
    expect(loadConfig(base).sourceMaps).toBe(false);
    expect(loadConfig({ ...base, ACCORD_SOURCE_MAPS: '1' }).sourceMaps).toBe(true);
    await expect(start({ ACCORD_SOURCE_MAPS: 'yes' })).rejects.toThrow(/ACCORD_SOURCE_MAPS/);
  });
});

describe('forwarded headers (TRUST_PROXY)', () => {
  const crossSite = { origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'content-type': 'application/json' };

  it('ignores X-Forwarded-Host with no proxy trusted: a cross-site POST naming the attacker as host is refused and logged (attack)', async () => {
    const { server, logged } = await start();
    try {
      const cookie = await signInAs(server, DEMO.vnDrafter);
      const res = await fetch(`${server.url}/api/me`, { method: 'PATCH', headers: { ...crossSite, cookie }, body: JSON.stringify({ locale: 'fr' }) });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe(ErrorCode.Forbidden);
      expect((await (await fetch(`${server.url}/api/me`, { headers: { cookie } })).json()).account.locale).not.toBe('fr');
      expect(logged.find((l) => l.msg === 'cross-site request refused')).toMatchObject({ level: 40, address: expect.any(String), path: '/api/me', origin: 'https://evil.example' });
      // The sync endpoint and socket.io believe the same: no forwarded host from an untrusted peer.
      const socket = rawSyncSocket(server.wsUrl, DOC, { cookie, origin: 'https://evil.example', headers: { 'x-forwarded-host': 'evil.example' } });
      expect((await socket.refused).status).toBe(403);
      expect(logged.find((l) => l.msg === 'sync connection refused: cross-site')).toMatchObject({ level: 40 });
    } finally {
      await server.close();
    }
  });

  it('believes X-Forwarded-Host from a proxy TRUST_PROXY names (loopback here), and only then', async () => {
    const { server } = await start({ TRUST_PROXY: 'loopback' });
    try {
      const cookie = await signInAs(server, DEMO.vnDrafter);
      // As a TLS proxy on this machine would forward the page's own request for https://evil.example.
      const res = await fetch(`${server.url}/api/me`, { method: 'PATCH', headers: { ...crossSite, cookie }, body: JSON.stringify({ locale: 'fr' }) });
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a TRUST_PROXY it cannot read, naming it', async () => {
    await expect(start({ TRUST_PROXY: 'everyone; drop table' })).rejects.toThrow(/TRUST_PROXY/);
  });
});

describe('rate limits', () => {
  let server: Server;
  let logged: Logged[];
  beforeAll(async () => ({ server, logged } = await start({}, { signInFailuresPerAddress: 3, restWritesPerSession: 4, restWritesWindowMs: 60_000 })));
  afterAll(() => server?.close());

  it('answers 429 with Retry-After beyond the REST writes of one session, and leaves other sessions alone (attack: a scripted flood)', async () => {
    const drafter = await signInAs(server, DEMO.frDrafter);
    const head = await signInAs(server, DEMO.frHead);
    const write = (cookie: string, locale: string) =>
      fetch(`${server.url}/api/me`, { method: 'PATCH', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ locale }) });
    for (let i = 0; i < 4; i++) expect((await write(drafter, 'vi')).status).toBe(200);
    const limited = await write(drafter, 'en');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe(ErrorCode.RateLimited);
    // Nothing changed by the refused write; reads are not limited.
    expect((await (await fetch(`${server.url}/api/me`, { headers: { cookie: drafter } })).json()).account.locale).toBe('vi');
    expect((await write(head, 'fr')).status).toBe(200);
    const entry = logged.filter((l) => l.msg === 'request rate limited').at(-1);
    expect(entry).toMatchObject({ level: 40, account: expect.any(String), method: 'PATCH', path: '/api/me' });
  });

  it('answers 429 with Retry-After after too many failed sign-ins from one address, and logs it (attack: guessing links)', async () => {
    const guess = () => fetch(`${server.url}/api/sign-in/${'A'.repeat(43)}`);
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(404);
    const limited = await guess();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe(ErrorCode.RateLimited);
    // The page route counts with the API: same address, same limit.
    expect((await fetch(`${server.url}/signin/${'B'.repeat(43)}`)).status).toBe(429);
    expect(logged.find((l) => l.msg === 'request rate limited' && l.path === '/api/sign-in/…')).toMatchObject({ level: 40, address: expect.any(String), limit: 'sign-in attempts from this address' });
    // The link's token is a bearer secret: never logged.
    expect(JSON.stringify(logged)).not.toContain('A'.repeat(43));
  });
});
