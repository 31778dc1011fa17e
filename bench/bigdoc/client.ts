/**
 * The big-document load generator (issue 7, scenario 2), run as its own process:
 *   node --import tsx bench/bigdoc/client.ts '<BigDocConfig JSON>'
 * prints one line `RESULT <BigDocResult JSON>` at the end.
 *
 * Phases, against one server holding (or, for the peers, first sent) the big document:
 * - fresh sync: one client at a time opens the document holding nothing and
 *   sends sync step 1; timed from `new WebSocket` to the arrival of the
 *   server's sync step 2 (the whole document). Clients apply it afterwards,
 *   outside the timing (their own CPU, equal for every server), and the text
 *   is checked against the big document's.
 * - 20 joins: 20 such clients at once, timed until the last has its step 2.
 * - ingest: a pinger on another document sends sync step 1 every 10 ms and
 *   notes each reply's round trip while a writer pushes the whole big update
 *   into an empty document; the longest round trip (and longest gap between
 *   replies) is how long other rooms stood still. Done when an observer on
 *   that document has received the update.
 * - restart (Accord only, `restartOnly`): against a server that has just
 *   restarted, so the document is loaded from the store on these joins, three
 *   clients connect at once, as after a restart: one holding nothing (fresh
 *   sync) and two holding the whole document (clients reconnecting, each on a
 *   thread of its own: reconnecting.ts), both sending their state vector, and
 *   one of them, as soon as it is connected, an edit (a user typing).
 *   Timed from the first `new WebSocket`: the fresh client's and the editor's
 *   sync step 2, and the edit reaching the other reconnecting client
 *   (relayed: the server relays only what it stored).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WebSocket, WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { fingerprint } from '../sync/demoSeed.ts';
import { median } from '../sync/stats.ts';
import { SYNC_UPDATE, type Dialect } from '../sync/wire.ts';
import { Conn } from './conn.ts';
import type { ReconnectingJob, ReconnectingReply } from './reconnecting.ts';
import { runAsChildMain } from '../childMain.ts';
import { getPair, paragraphXmlText, paragraphsMap } from '../../shared/model/index.ts';

export interface BigDocConfig {
  /** ws://host:port[/sync]: documents are `${base}/${name}` (y-websocket) or named in frames (Hocuspocus). */
  base: string;
  dialect: Dialect;
  cookies: string[];
  /** File holding the big document's update. */
  updateFile: string;
  /** Document names: the big one, an empty one to push into, another one to ping. */
  bigDocument: string;
  ingestDocument: string;
  pingDocument: string;
  /** Push the big update into `bigDocument` first (the peers start empty). */
  seed: boolean;
  freshSyncs: number;
  joiners: number;
  joinRounds: number;
  restartOnly?: boolean;
}

export interface BigDocResult {
  updateBytes: number;
  freshSyncMs: number[];
  joinAllMs: number[];
  /** Bytes of the step 2 a fresh client received. */
  step2Bytes: number;
  textMatches: boolean;
  ingest?: { doneMs: number; maxPingRttMs: number; maxPingGapMs: number; pings: number; fromEpochMs: number; toEpochMs: number };
  /** restartOnly: from the first connection after the restart, each one's step 2 and the edit relayed. */
  restart?: { freshSyncMs: number; reconnectSyncMs: number; editRelayedMs: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Collects this process's garbage now (it runs with --expose-gc), before a
 * timed phase: the documents built to prepare it (tens of MB each) would
 * otherwise be collected during the phase, delaying the messages it times.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function cookieOf(config: BigDocConfig, i: number): string | undefined {
  return config.cookies.length ? config.cookies[i % config.cookies.length] : undefined;
}

/** Connects and syncs from nothing; returns the time taken and the step 2 received. */
async function freshSync(config: BigDocConfig, i: number): Promise<{ ms: number; conn: Conn; update: Uint8Array }> {
  const start = performance.now();
  const conn = new Conn(config, config.bigDocument, cookieOf(config, i));
  await conn.opened;
  const update = await conn.requestSync();
  return { ms: performance.now() - start, conn, update };
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const text = fingerprint(doc);
  doc.destroy();
  return text;
}

async function ingest(config: BigDocConfig, bigUpdate: Uint8Array): Promise<NonNullable<BigDocResult['ingest']>> {
  const pinger = new Conn(config, config.pingDocument, cookieOf(config, 0));
  const writer = new Conn(config, config.ingestDocument, cookieOf(config, 1));
  const observer = new Conn(config, config.ingestDocument, cookieOf(config, 0));
  await Promise.all([pinger.opened, writer.opened, observer.opened]);
  await Promise.all([pinger.requestSync(), writer.requestSync(), observer.requestSync()]);
  await sleep(300);

  const rtts: number[] = [];
  let lastReply = performance.now();
  let maxGap = 0;
  let pinging = true;
  const pingLoop = (async () => {
    while (pinging) {
      const sent = performance.now();
      const reply = pinger.requestSync(Y.encodeStateVector(new Y.Doc())).then(() => {
        const now = performance.now();
        rtts.push(now - sent);
        maxGap = Math.max(maxGap, now - lastReply);
        lastReply = now;
      });
      await Promise.race([sleep(10), reply]).then(() => sleep(Math.max(0, sent + 10 - performance.now())));
    }
  })();
  await sleep(200);
  const received = observer.nextUpdate();
  const fromEpochMs = Date.now();
  const start = performance.now();
  writer.ws.send(writer.wire.sync(SYNC_UPDATE, bigUpdate));
  await received;
  const doneMs = performance.now() - start;
  await sleep(500); // stalls right after the broadcast (storing, hashing) count too
  pinging = false;
  const toEpochMs = Date.now();
  await pingLoop;
  await sleep(50);
  for (const c of [pinger, writer, observer]) c.close();
  return { doneMs, maxPingRttMs: Math.max(...rtts), maxPingGapMs: maxGap, pings: rtts.length, fromEpochMs, toEpochMs };
}

/**
 * Runs this process's WebSocket receiving once on a message the size of the
 * document (through a server of its own, in two fragments as Accord sends a
 * stored row), before a timed phase: the first megabytes a fresh process
 * receives pay for cold code and for memory touched for the first time
 * (here 12 µs a page: ~30 ms for 1.5 MB in and out of its buffers), which is
 * the load generator's cost, not the server's.
 */
async function warmReceiving(bigUpdate: Uint8Array): Promise<void> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 * 1024 * 1024 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (ws) => {
    ws.send(bigUpdate.subarray(0, 16), { binary: true, fin: false });
    ws.send(bigUpdate.subarray(16), { binary: true, fin: true });
  });
  const { port } = server.address() as { port: number };
  for (let i = 0; i < 2; i++) {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    ws.terminate();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A reconnecting client on a thread of its own (reconnecting.ts), loaded and waiting for its job. */
async function reconnectingClient(): Promise<{ run: (job: ReconnectingJob) => Promise<number>; close: () => Promise<number> }> {
  const worker = new Worker(new URL('../../server/collaboration/ingest/boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./reconnecting.ts', import.meta.url).href },
  });
  const replies: ReconnectingReply[] = [];
  let wake: (() => void) | undefined;
  worker.on('message', (reply: ReconnectingReply) => {
    replies.push(reply);
    wake?.();
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  const next = async (): Promise<ReconnectingReply> => {
    while (replies.length === 0) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), failed]);
    return replies.shift()!;
  };
  if ((await next()) !== 'ready') throw new Error('reconnecting client: not ready');
  return {
    run: async (job) => {
      worker.postMessage(job);
      const reply = await next();
      if (reply === 'ready' || 'error' in reply) throw new Error(`reconnecting client (${job.role}): ${reply === 'ready' ? 'ready twice' : reply.error}`);
      return reply.ms;
    },
    close: () => worker.terminate(),
  };
}

/** See `restartOnly` above: what clients feel right after a restart, while the server loads the document. */
async function afterRestart(config: BigDocConfig, bigUpdate: Uint8Array, check: (update: Uint8Array) => void): Promise<NonNullable<BigDocResult['restart']>> {
  // The reconnecting clients' document and the edit, prepared before the clock starts.
  const held = new Y.Doc();
  Y.applyUpdate(held, bigUpdate);
  const stateVector = Y.encodeStateVector(held);
  held.clientID = 0x7e57ed17;
  let edit: Uint8Array | undefined;
  held.once('update', (update: Uint8Array) => (edit = update));
  const firstPair = [...paragraphsMap(held).keys()][0]!;
  paragraphXmlText(getPair(held, firstPair)!.cell('vi').get(0) as Y.XmlElement)!.insert(0, '✎');
  held.destroy();
  const [editor, observer] = await Promise.all([reconnectingClient(), reconnectingClient()]);
  await warmReceiving(bigUpdate);
  collectGarbage();

  const start = performance.now();
  const job = (role: ReconnectingJob['role'], cookie: number): ReconnectingJob => ({
    role,
    server: { dialect: config.dialect, base: config.base },
    document: config.bigDocument,
    cookie: cookieOf(config, cookie),
    stateVector,
    edit: edit!,
    startEpochMs: performance.timeOrigin + start,
  });
  // (An edit the observer got in its step 2 instead would not count as relayed: NaN after 15 s rather than a hang.)
  const editRelayed = Promise.race([observer.run(job('observer', 0)), sleep(15_000).then(() => NaN)]);
  const reconnectSync = editor.run(job('editor', 1));
  const fresh = new Conn(config, config.bigDocument, cookieOf(config, 0));
  const freshSync = fresh.opened.then(() => fresh.requestSync()).then((update) => ({ ms: performance.now() - start, update }));
  const [freshResult, reconnectSyncMs, editRelayedMs] = await Promise.all([freshSync, reconnectSync, editRelayed]);
  fresh.close();
  await Promise.all([editor.close(), observer.close()]);
  check(freshResult.update);
  return { freshSyncMs: freshResult.ms, reconnectSyncMs, editRelayedMs };
}

export async function runBigDoc(config: BigDocConfig): Promise<BigDocResult> {
  const bigUpdate = new Uint8Array(fs.readFileSync(config.updateFile));
  const bigText = textOf(bigUpdate);
  const result: BigDocResult = { updateBytes: bigUpdate.length, freshSyncMs: [], joinAllMs: [], step2Bytes: 0, textMatches: true };
  const check = (update: Uint8Array) => {
    result.step2Bytes = update.length;
    if (textOf(update) !== bigText) result.textMatches = false;
  };

  if (config.restartOnly) {
    result.restart = await afterRestart(config, bigUpdate, check);
    result.freshSyncMs.push(result.restart.freshSyncMs);
    return result;
  }

  // A holder keeps the big document open (the peers drop a document when its last connection leaves).
  const holder = new Conn(config, config.bigDocument, cookieOf(config, 0));
  await holder.opened;
  const held = await holder.requestSync();
  // Accord answers a client holding nothing from its store while the document loads; a step 1
  // naming what the holder has is answered once it is loaded: measure from then on, as the
  // peers are measured with the document in memory.
  const holderDoc = new Y.Doc();
  Y.applyUpdate(holderDoc, held);
  await holder.requestSync(Y.encodeStateVector(holderDoc));
  holderDoc.destroy();
  if (config.seed) {
    holder.ws.send(holder.wire.sync(SYNC_UPDATE, bigUpdate));
    // Seeded once a fresh client gets the whole text.
    for (let tries = 0; ; tries++) {
      const { conn, update } = await freshSync(config, 0);
      conn.close();
      if (update.length >= bigUpdate.length * 0.9 && textOf(update) === bigText) break;
      if (tries > 50) throw new Error('the server never held the seeded big document');
      await sleep(200);
    }
  }
  await sleep(300);

  await warmReceiving(bigUpdate);
  collectGarbage();
  for (let i = 0; i < config.freshSyncs; i++) {
    const { ms, conn, update } = await freshSync(config, i);
    result.freshSyncMs.push(ms);
    conn.close();
    if (i === 0) check(update);
    await sleep(100);
  }

  for (let round = 0; round < config.joinRounds; round++) {
    const start = performance.now();
    const joined = await Promise.all(Array.from({ length: config.joiners }, (_, i) => freshSync(config, i)));
    result.joinAllMs.push(performance.now() - start);
    for (const j of joined) j.conn.close();
    check(joined.at(-1)!.update);
    await sleep(300);
  }

  result.ingest = await ingest(config, bigUpdate);
  holder.close();
  return result;
}

runAsChildMain(import.meta.filename, runBigDoc);

export { median };
