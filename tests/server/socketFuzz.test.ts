import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { io as ioClient, type Socket } from 'socket.io-client';
import { ID_PATTERN, limits } from '../../shared/limits.ts';
import { ErrorCode, SOCKET_IO_PATH } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { waitFor } from '../helpers/clients.ts';
import { seeded, type Random } from '../helpers/random.ts';
import { startTestServer } from '../helpers/server.ts';
import { databaseRows, seedActivity } from '../helpers/state.ts';

const DOC = 'vn-fr-2023';
const OTHER_DOC = 'hanoi-toulouse-2023';
const SEEDS = [3, 11, 99, 2024, 31337];
const EVENTS_PER_SEED = 1000;
const RAW_FRAMES_PER_SEED = 100;
/** How long an acknowledgement may take before the test calls it unanswered. */
const ACK_WAIT_MS = 3000;

const KNOWN = ['document:join', 'document:leave'] as const;
/** Events the server sends; a client sending them must get nothing for it. */
const SERVER_EVENTS = ['thread:changed', 'pairs:hashes', 'approval:changed', 'document:presence'];
const ODD_NAMES = ['', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'document:JOIN', 'document:join ', 'document', 'x'.repeat(2000), 'ドキュメント:参加', 'document:join\u0000'];
const ERROR_CODES = new Set<string>(Object.values(ErrorCode));
type Who = keyof typeof DEMO | 'anonymous';
const WHO: Who[] = [...(Object.keys(DEMO) as Array<keyof typeof DEMO>), 'anonymous'];

/** A random value of any shape a JSON-or-binary payload can have. */
function randomValue(random: Random, depth = 0): unknown {
  switch (random.int(depth > 3 ? 7 : 12)) {
    case 0:
      return null;
    case 1:
      return random.pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e308, -0]);
    case 2:
      return random.pick(['', 'vn-fr-2023', '../../etc/passwd', '%00', '<script>', 'x'.repeat(65), '\u202e\ud800']);
    case 3:
      return random.chance(0.5);
    case 4:
      return random.chance(0.3) ? 'y'.repeat(10_000 + random.int(100_000)) : String.fromCharCode(...random.bytes(1 + random.int(40)));
    case 5:
      return Buffer.from(random.bytes(random.int(2000)));
    case 6: {
      // Deep nesting, as arrays or objects (as deep as the client library can encode; deeper in the raw packets below).
      let value: unknown = 'bottom';
      const levels = 50 + random.int(random.chance(0.2) ? 1500 : 500);
      for (let i = 0; i < levels; i++) value = random.chance(0.5) ? [value] : { documentId: value };
      return value;
    }
    case 7:
      return Array.from({ length: random.int(5) }, () => randomValue(random, depth + 1));
    case 8:
      return { documentId: randomValue(random, depth + 1) };
    case 9:
      return { documentId: random.pick([DOC, OTHER_DOC, 'no-such-doc', 'a'.repeat(64)]), ...(random.chance(0.3) ? { extra: randomValue(random, depth + 1) } : {}) };
    case 10:
      return { documentId: random.pick(['', 'a'.repeat(65), 'vn fr', 'vn/fr', '..', 'ü', '%2e%2e']) };
    default:
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(['documentId', '__proto__', 'constructor', 'a', '']), randomValue(random, depth + 1)]));
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

describe('socket.io fuzzing', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  /** Documents each member may join. */
  const memberOf = new Map<Who, Set<string>>();
  let rowsBefore: ReturnType<typeof databaseRows>;
  let bystander: Socket;
  let bystanderDisconnects = 0;

  const connect = (who: Who, extraHeaders: Record<string, string> = {}): Socket =>
    ioClient(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: who === 'anonymous' ? extraHeaders : { cookie: cookies[who], ...extraHeaders },
    });

  beforeAll(async () => {
    // The fuzzer sends events as fast as they are answered; the per-connection
    // rate limit (socketFlood.test.ts) would answer most of them "rate_limited".
    server = await startTestServer({ limits: { maxSocketEventsPerSecond: 1_000_000 } });
    cookies = await signInAll(server);
    await seedActivity(server, DOC, cookies);
    for (const who of WHO) {
      if (who === 'anonymous') memberOf.set(who, new Set());
      else memberOf.set(who, new Set((await api(server.url, cookies[who])('/api/documents')).body.documents.map((d: { id: string }) => d.id)));
    }
    rowsBefore = databaseRows(server.dataDir);
    // Someone using the app normally while the fuzzer runs.
    bystander = connect('vnHead');
    bystander.on('disconnect', () => bystanderDisconnects++);
    const joined = await bystander.emitWithAck('document:join', { documentId: DOC });
    expect(joined.ok).toBe(true);
  });
  afterAll(async () => {
    bystander.disconnect();
    await server.close();
  });

  /** The ack an event must get: success only for a valid join of a member's document or a valid leave. */
  function expectReply(who: Who, event: string, args: unknown[], reply: unknown, context: string): void {
    const [payload] = args;
    const valid = args.length === 1 && isPlainObject(payload) && typeof payload.documentId === 'string' && ID_PATTERN.test(payload.documentId);
    const mayJoin = valid && memberOf.get(who)!.has(payload.documentId as string);
    const succeeds = (event === 'document:join' && mayJoin) || (event === 'document:leave' && valid);
    if (succeeds) {
      expect(reply, context).toMatchObject({ ok: true });
      return;
    }
    expect(reply, context).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
    const { error } = reply as { error: { code: string; message: string } };
    expect(ERROR_CODES.has(error.code), `${context}: code ${error.code}`).toBe(true);
    expect(error.message.length, context).toBeGreaterThan(0);
  }

  it.each(SEEDS)('seed %i: thousands of malformed events get an error ack or a disconnect, change nothing, and leave other clients alone', async (seed) => {
    const random = seeded(seed);
    let socket: Socket | undefined;
    let who: Who = 'anonymous';
    let disconnected = false;
    const outcomes = { acked: 0, probed: 0, disconnected: 0, refusedHandshakes: 0 };

    for (let i = 0; i < EVENTS_PER_SEED; i++) {
      const context = `seed ${seed} event ${i}`;
      if (!socket || disconnected) {
        socket?.disconnect();
        who = random.pick(WHO);
        const crossSite = who !== 'anonymous' && random.chance(0.05);
        socket = connect(who, crossSite ? { origin: 'https://evil.example' } : {});
        const current = socket;
        disconnected = false;
        current.on('disconnect', () => {
          if (current === socket) disconnected = true;
        });
        const refusal = await new Promise<{ code: string; message: string } | null>((resolve) => {
          current.once('connect', () => resolve(null));
          current.once('connect_error', (err) => resolve((err as Error & { data?: { code: string; message: string } }).data ?? { code: 'none', message: err.message }));
        });
        if (who === 'anonymous' || crossSite) {
          expect(refusal, context).toMatchObject({ code: who === 'anonymous' ? ErrorCode.Unauthorized : ErrorCode.Forbidden, message: expect.any(String) });
          outcomes.refusedHandshakes++;
          socket.disconnect();
          socket = undefined;
          continue;
        }
        expect(refusal, context).toBeNull();
      }
      const event = random.chance(0.5) ? random.pick(KNOWN) : random.chance(0.3) ? random.pick(SERVER_EVENTS) : random.chance(0.5) ? random.pick(ODD_NAMES) : `ev-${random.int(1e6)}`;
      const args = Array.from({ length: random.pick([0, 1, 1, 1, 1, 2, 3]) }, () => randomValue(random));
      // Now and then a payload beyond socket.io's maxHttpBufferSize: the server must drop the connection.
      const oversized = random.chance(0.02);
      if (oversized) args.splice(0, args.length, { documentId: 'z'.repeat(limits.maxSocketIoPayloadBytes + 1024) });
      const withAck = random.chance(0.7);
      const s = socket;

      if (withAck) {
        const outcome = await new Promise<{ err: Error | null; reply?: unknown }>((resolve) => {
          s.timeout(ACK_WAIT_MS).emit(event as 'document:join', ...(args as [{ documentId: string }]), (err: Error | null, reply: unknown) => resolve({ err, reply }));
        });
        if (outcome.err) {
          // Only a connection the server dropped may leave an ack unanswered.
          await waitFor(() => disconnected, `${context}: ${JSON.stringify(event.slice(0, 40))} ack never answered on a live connection`, 1000);
          outcomes.disconnected++;
          // …and only for a payload beyond the size limit: any other event is answered.
          expect(oversized, `${context}: disconnected for a payload within the limit`).toBe(true);
          continue;
        }
        expect(oversized, `${context}: an oversized payload was handled`).toBe(false);
        expectReply(who, event, args, outcome.reply, `${context}: ${JSON.stringify(event.slice(0, 40))}`);
        outcomes.acked++;
      } else {
        (s.emit as (...a: unknown[]) => void)(event, ...args);
        const probe = await new Promise<{ err: Error | null; reply?: unknown }>((resolve) => {
          s.timeout(ACK_WAIT_MS).emit('document:leave', { documentId: 'probe' }, (err: Error | null, reply: unknown) => resolve({ err, reply } as never));
        });
        if (probe.err) {
          await waitFor(() => disconnected, `${context}: probe unanswered on a live connection`, 1000);
          outcomes.disconnected++;
          expect(oversized, `${context}: disconnected for a payload within the limit`).toBe(true);
          continue;
        }
        expect(probe.reply, context).toEqual({ ok: true });
        outcomes.probed++;
      }
    }
    socket?.disconnect();

    expect(outcomes.acked, `seed ${seed}`).toBeGreaterThan(EVENTS_PER_SEED / 4);
    expect(outcomes.probed, `seed ${seed}`).toBeGreaterThan(0);
    // Nothing stored changed; the server answers; the bystander was never disconnected and still gets pushes.
    expect(databaseRows(server.dataDir), `seed ${seed}`).toEqual(rowsBefore);
    expect((await api(server.url, cookies.secretariat)('/api/health')).status).toBe(200);
    expect(bystanderDisconnects).toBe(0);
    const presence = new Promise((resolve) => bystander.once('document:presence', resolve));
    const newcomer = connect('frDrafter');
    expect(await newcomer.emitWithAck('document:join', { documentId: DOC })).toMatchObject({ ok: true });
    await presence;
    newcomer.disconnect();
  });

  // Regression tests for what the fuzzer found: acks the server never answered.
  it('answers an unknown event that asks for an acknowledgement with a not_found error, instead of leaving the client waiting', async () => {
    const socket = connect('frDrafter');
    const reply = await socket.timeout(ACK_WAIT_MS).emitWithAck('document:delete' as 'document:join', { documentId: DOC });
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCode.NotFound, message: expect.stringContaining('document:delete') } });
    socket.disconnect();
  });

  it('answers document:join sent with no payload, or with two, as invalid input instead of leaving the client waiting', async () => {
    const socket = connect('frDrafter');
    const emit = socket.timeout(ACK_WAIT_MS).emitWithAck.bind(socket.timeout(ACK_WAIT_MS)) as (...args: unknown[]) => Promise<unknown>;
    expect(await emit('document:join')).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidInput } });
    expect(await emit('document:join', { documentId: DOC }, { documentId: OTHER_DOC })).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidInput } });
    expect(await emit('document:leave', 'x', 'y', 'z')).toMatchObject({ ok: false, error: { code: ErrorCode.InvalidInput } });
    socket.disconnect();
  });

  /** A raw socket.io connection (engine.io v4 over WebSocket), for packets no client library would send. */
  async function rawSocketIo(cookie: string | undefined) {
    const ws = new WebSocket(`${server.wsUrl}${SOCKET_IO_PATH}/?EIO=4&transport=websocket`, { headers: cookie ? { cookie } : {} });
    const frames: Array<string | Buffer> = [];
    ws.on('message', (data, isBinary) => frames.push(isBinary ? (data as Buffer) : data.toString()));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor(() => frames.length > 0, 'the engine.io open packet');
    ws.send('40');
    await waitFor(() => frames.length > 1, 'the namespace connect answer');
    return { ws, frames, closed };
  }

  const VALID_PACKETS = [
    '42["document:join",{"documentId":"vn-fr-2023"}]',
    '421["document:join",{"documentId":"vn-fr-2023"}]',
    '422["document:leave",{"documentId":"hanoi-toulouse-2023"}]',
    '423["document:join"]',
    '424["no-such-event",{"a":1}]',
    '451-["document:join",{"_placeholder":true,"num":0}]',
    '40',
    '41',
    '3',
    '40/admin,',
    '42/admin,["document:join",{"documentId":"vn-fr-2023"}]',
  ];

  function fuzzedPacket(random: Random): string | Buffer {
    const base = random.pick(VALID_PACKETS);
    switch (random.int(8)) {
      case 0: {
        const chars = [...base];
        for (let k = 0; k < 1 + random.int(4); k++) chars[random.int(chars.length)] = String.fromCharCode(random.int(128));
        return chars.join('');
      }
      case 1:
        return base.slice(0, random.int(base.length));
      case 2:
        return base + String.fromCharCode(...random.bytes(1 + random.int(10)));
      case 3:
        return `${random.int(10)}${random.int(10)}${random.chance(0.5) ? random.int(1e12) : ''}${random.pick(['[', '{', '"', '[]', '[1]', '["x",', 'null', '[null]', '["__proto__"]', '[{"toString":1}]'])}`;
      case 4:
        return Buffer.from(random.bytes(random.int(64)));
      case 5:
        return `4${random.pick(['5', '6'])}${random.int(20)}-${base.slice(2)}`;
      case 6: {
        // Nesting far deeper than any client library would encode.
        const depth = 1000 + random.int(100_000);
        return `42${random.int(100)}["document:join",${'['.repeat(depth)}${']'.repeat(depth)}]`;
      }
      default:
        return String.fromCharCode(...random.bytes(random.int(80)));
    }
  }

  it.each(SEEDS)('seed %i: malformed socket.io and engine.io packets close only their own connection and change nothing', async (seed) => {
    const random = seeded(seed);
    let raw: Awaited<ReturnType<typeof rawSocketIo>> | undefined;
    let closed = true;
    let probeId = 1000;
    const outcomes = { answered: 0, closed: 0 };
    for (let i = 0; i < RAW_FRAMES_PER_SEED; i++) {
      if (closed) {
        raw = await rawSocketIo(cookies[random.pick(Object.keys(DEMO) as Array<keyof typeof DEMO>)]);
        closed = false;
        const current = raw;
        void raw.closed.then(() => {
          if (current === raw) closed = true;
        });
      }
      const r = raw!;
      r.ws.send(fuzzedPacket(random));
      const id = probeId++;
      r.ws.send(`42${id}["document:leave",{"documentId":"probe"}]`);
      await waitFor(() => closed || r.frames.some((f) => typeof f === 'string' && f.startsWith(`43${id}[`)), `seed ${seed} frame ${i}: the probe answered or the connection closed`, ACK_WAIT_MS);
      if (closed) outcomes.closed++;
      else {
        expect(r.frames.find((f) => typeof f === 'string' && f.startsWith(`43${id}[`))).toBe(`43${id}[{"ok":true}]`);
        outcomes.answered++;
      }
    }
    raw?.ws.close();
    expect(outcomes.answered, `seed ${seed}`).toBeGreaterThan(0);
    expect(outcomes.closed, `seed ${seed}`).toBeGreaterThan(0);
    expect(databaseRows(server.dataDir), `seed ${seed}`).toEqual(rowsBefore);
    expect((await api(server.url, cookies.secretariat)('/api/health')).status).toBe(200);
    expect(bystanderDisconnects).toBe(0);
  });
});
