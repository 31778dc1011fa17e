import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limits } from '../../shared/limits.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { seeded, type Random } from '../helpers/random.ts';
import { startTestServer } from '../helpers/server.ts';
import { databaseRows, seedActivity } from '../helpers/state.ts';

const DOC = 'vn-fr-2023';
const SEEDS = [5, 17, 256, 4242, 777777];
/** FUZZ_REQUESTS=2000 for a longer exploratory run (it prints the statuses seen). */
const REQUESTS_PER_SEED = Number(process.env.FUZZ_REQUESTS ?? 300);
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

/** Every route of server/routes/*.ts (and the sign-in page), with the params it takes. */
const ROUTES: Array<[method: string, path: string]> = [
  ['GET', '/api/health'],
  ['GET', '/api/me'],
  ['PATCH', '/api/me'],
  ['POST', '/api/session/logout'],
  ['GET', '/api/documents'],
  ['POST', '/api/documents'],
  ['GET', '/api/documents/:documentId'],
  ['GET', '/api/documents/:documentId/pairs'],
  ['GET', '/api/documents/:documentId/pairs/:pairId'],
  ['GET', '/api/documents/:documentId/members'],
  ['POST', '/api/documents/:documentId/members'],
  ['DELETE', '/api/documents/:documentId/members/:accountId'],
  ['POST', '/api/documents/:documentId/members/:accountId/link'],
  ['POST', '/api/documents/:documentId/parties'],
  ['DELETE', '/api/documents/:documentId/parties/:partyId'],
  ['GET', '/api/server-key'],
  ['GET', '/api/documents/:documentId/approvals'],
  ['PUT', '/api/documents/:documentId/pairs/:pairId/approval'],
  ['DELETE', '/api/documents/:documentId/pairs/:pairId/approval'],
  ['GET', '/api/documents/:documentId/pairs/:pairId/approval/:partyId/changes'],
  ['PUT', '/api/documents/:documentId/structure/approval'],
  ['DELETE', '/api/documents/:documentId/structure/approval'],
  ['GET', '/api/documents/:documentId/structure/approval/:partyId/changes'],
  ['GET', '/api/documents/:documentId/versions'],
  ['POST', '/api/documents/:documentId/versions'],
  ['GET', '/api/documents/:documentId/versions/:number'],
  ['POST', '/api/documents/:documentId/versions/:number/signatures'],
  ['POST', '/api/documents/:documentId/versions/:number/restore'],
  ['GET', '/api/documents/:documentId/diff'],
  ['GET', '/api/documents/:documentId/verify'],
  ['GET', '/api/documents/:documentId/export'],
  ['GET', '/api/documents/:documentId/threads'],
  ['POST', '/api/documents/:documentId/threads'],
  ['POST', '/api/documents/:documentId/threads/:threadId/comments'],
  ['PATCH', '/api/documents/:documentId/threads/:threadId'],
  ['PATCH', '/api/documents/:documentId/comments/:commentId'],
  ['DELETE', '/api/documents/:documentId/comments/:commentId'],
  ['GET', '/signin/:token'],
  ['GET', '/api/sign-in/:token'],
  ['POST', '/api/sign-in/:token'],
  ['POST', '/api/session/logout-everywhere'],
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'PURGE'];
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND']);

/** Path segments that name nothing (already percent-encoded, as they go on the wire). */
const GARBAGE_SEGMENTS = [
  '..', '%2e%2e', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '.', '%00', '%', '%zz', '%c3%28', '%ff%fe', '%E2%80%AE',
  encodeURIComponent('ドキュメント'), encodeURIComponent('<script>'), encodeURIComponent('a b'), '-', '_',
  'x'.repeat(65), 'y'.repeat(5000), '__proto__', 'constructor', 'null', 'undefined', '0', '-1', '1e999', 'NaN',
  'no-such-thing', encodeURIComponent('{"$ne":1}'), '%252e%252e',
];
/** Real ids, used only with methods that change nothing (so that reads reach deeper). */
const REAL_FOR_READS: Record<string, string[]> = {
  pairId: ['environment', 'digital', 'closing'],
  partyId: ['vn', 'fr'],
  number: ['1', '2'],
};
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json; charset=koi8-r',
  'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/vnd.api+json', 'garbage', '',
];

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function randomJson(random: Random, depth = 0): unknown {
  switch (random.int(depth > 2 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return random.pick([0, -1, 1.5, 1e308, true, false]);
    case 2:
      return random.pick(['', 'x', 'a'.repeat(6000), '\u202e', '<img src=x onerror=alert(1)>', '../../']);
    case 3:
      return String.fromCharCode(...random.bytes(random.int(30)));
    case 4:
      return [];
    case 5:
      return Array.from({ length: random.int(4) }, () => randomJson(random, depth + 1));
    default:
      // Keys that no request body of the API combines into something valid on their own.
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(['x', '__proto__', 'constructor', 'status', 'name', 'kind', '']), randomJson(random, depth + 1)]));
  }
}

function randomQuery(random: Random): string {
  if (random.chance(0.4)) return '';
  const parts = Array.from({ length: 1 + random.int(4) }, () =>
    random.pick([
      `from=${random.pick(['1', '0', '-1', 'x', '1e9', ''])}`,
      `to=${random.pick(['draft', '1', 'x', ''])}`,
      `q=${random.pick(['a', '%zz', 'b'.repeat(300)])}`,
      'q=a&q=b',
      `format=${random.pick(['pdf', 'docx', 'exe', ''])}`,
      `layout=${random.pick(['parallel', 'x'])}`,
      `version=${random.pick(['draft', '0', 'x'])}`,
      '__proto__[admin]=1',
      'a[]=1&a[]=2',
      `status=${random.pick(['open', 'resolved', 'x'])}`,
      '%',
      `${'k'.repeat(random.int(3000))}=v`,
    ]),
  );
  return `?${parts.join('&')}`;
}

function randomBody(random: Random): Buffer | undefined {
  switch (random.int(6)) {
    case 0:
      return undefined;
    case 1:
      return Buffer.from(random.pick(['{', '{"a":', '[1,2', 'nul', '{"a":1}}', '\u0000', "{'a':1}", '{"a":NaN}']));
    case 2:
      return Buffer.from(random.bytes(random.int(200)));
    case 3:
      // Beyond the JSON body limit.
      return Buffer.from(JSON.stringify({ x: 'z'.repeat(limits.maxJsonBodyBytes + random.int(10_000)) }));
    default:
      return Buffer.from(JSON.stringify(randomJson(random)));
  }
}

function send(baseUrl: string, request: FuzzRequest, agent: http.Agent): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers: request.headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

describe('REST fuzzing', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let rowsBefore: ReturnType<typeof databaseRows>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    await seedActivity(server, DOC, cookies);
    rowsBefore = databaseRows(server.dataDir);
  });
  afterAll(async () => {
    await server.close();
  });

  /** A random request; one that could be a valid change of state is made cross-site, so it must be refused too. */
  function randomRequest(random: Random): FuzzRequest {
    const [routeMethod, template] = random.pick(ROUTES);
    const method = random.chance(0.7) ? routeMethod : random.pick(METHODS);
    const safe = SAFE.has(method);
    let allReal = true;
    let path = template.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'documentId' && random.chance(0.6)) return random.pick([DOC, 'hanoi-toulouse-2023']);
      if (safe && REAL_FOR_READS[name] && random.chance(0.5)) return random.pick(REAL_FOR_READS[name]!);
      if (name !== 'documentId') allReal = false;
      return random.pick(GARBAGE_SEGMENTS);
    });
    if (random.chance(0.05)) path += `/${random.pick(GARBAGE_SEGMENTS)}`;
    // The export renders a PDF: a valid query is rare, to keep the run short.
    if (template.endsWith('/export') && random.chance(0.8)) path += '?format=exe';
    else path += randomQuery(random);
    const headers: Record<string, string> = {};
    const who = random.pick([...(Object.keys(DEMO) as Array<keyof typeof DEMO>), 'anonymous', 'forged'] as const);
    if (who === 'forged') headers.cookie = `accord_session=${random.pick(['x', 'a'.repeat(5000), '%zz', ''])}`;
    else if (who !== 'anonymous') headers.cookie = cookies[who];
    if (random.chance(0.3)) headers.origin = random.pick(['https://evil.example', 'null', server.url.replace('127.0.0.1', 'localhost'), server.url]);
    const body = safe && random.chance(0.7) ? undefined : randomBody(random);
    if (body) {
      // Explicit: Node's client sends a GET or DELETE body without any length, which garbles the request.
      headers['content-length'] = String(body.length);
      headers['content-type'] = random.pick(CONTENT_TYPES);
      if (random.chance(0.1)) headers['content-encoding'] = random.pick(['gzip', 'deflate', 'br', 'compress', 'x-garbage']);
    }
    if (!headers['content-type']) delete headers['content-type'];
    // Bodiless changes (sign out, cut a version, sign, withdraw, remove, issue a link) need no
    // payload to be valid: with every id real, only a cross-site Origin makes them invalid.
    const bodiless = ['/api/session/logout', '/logout-everywhere', '/versions', '/signatures', '/restore', '/approval', '/members/:accountId', '/link'].some((end) => template.endsWith(end));
    if (!safe && bodiless && allReal && headers.cookie) headers.origin = 'https://evil.example';
    return { method, path, headers, ...(body ? { body } : {}) };
  }

  // Regression test for what the fuzzer found: express's own HTML 404 ("Cannot DELETE /signin/x").
  it('answers a method pages do not take (DELETE, POST, PROPFIND on a page path) with a JSON 404, not an HTML page', async () => {
    for (const method of ['DELETE', 'POST', 'PROPFIND']) {
      const res = await send(server.url, { method, path: '/signin/%3Cscript%3E', headers: { cookie: cookies.frDrafter } }, new http.Agent());
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: ErrorCode.NotFound, message: expect.stringContaining(method) } });
    }
  });

  it.each(SEEDS)('seed %i: random requests to every route get a 4xx with a JSON error (never a 5xx) and change nothing', async (seed) => {
    const random = seeded(seed);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS_PER_SEED; i++) {
      const request = randomRequest(random);
      const context = `seed ${seed} request ${i}: ${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers).slice(0, 300)}`;
      const res = await send(server.url, request, agent);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // The one documented 5xx: a page (not /api) asked for before the client was built.
      const documented = res.status === 503 && !request.path.startsWith('/api/') && (request.method === 'HEAD' || res.body.startsWith('The client is not built.'));
      if (!documented) expect(res.status, `${context}\n→ ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.status >= 400 && res.status < 500 && request.method !== 'HEAD') {
        expect(res.type, `${context}\n→ ${res.status} ${res.body.slice(0, 300)}`).toMatch(/^application\/json/);
        const body = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
        expect(typeof body.error?.message, `${context}\n→ ${res.body.slice(0, 300)}`).toBe('string');
        expect(body.error!.message!.length, context).toBeGreaterThan(0);
        expect(ERROR_CODES.has(body.error!.code!), `${context}: code ${body.error!.code}`).toBe(true);
      }
    }
    agent.destroy();
    if (process.env.FUZZ_REQUESTS) console.log('STATUSES', seed, JSON.stringify([...statuses].sort()));
    // Both refusals and answers occurred; nothing stored changed; the server is up.
    expect([...statuses.keys()].some((s) => s < 400), `seed ${seed}`).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400), `seed ${seed}`).toBe(true);
    expect(databaseRows(server.dataDir), `seed ${seed}`).toEqual(rowsBefore);
    expect((await api(server.url, cookies.secretariat)('/api/health')).status).toBe(200);
  });
});
