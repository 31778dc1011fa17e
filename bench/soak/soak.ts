/**
 * `npm run soak`: Accord under a long, steady, realistic load, checked for
 * leaks rather than speed. Not part of `npm test` (it takes minutes).
 *
 * The real server runs as a child process as `npm start` runs it, compiled
 * (bench/soak/instrumentedServer.mjs: dist/node/server/main.js plus a memory
 * report over IPC), on a fresh DATA_DIR, with the
 * demo declaration. SOAK_CLIENTS raw y-protocols clients (bench/soak/client.ts)
 * open it: SOAK_WRITERS of them type at their own place every
 * SOAK_INTERVAL_MS (and delete what they typed once it is long, so the
 * document stays the same size and memory has no reason to grow),
 * SOAK_RECONNECTERS drop their connection every 20–60 s (abruptly or
 * cleanly), type while offline and come back; reviewers open comment
 * threads, reply, list threads and approve over REST; SOAK_FOLLOWERS
 * socket.io clients follow the declaration (pushes of threads, hashes,
 * approvals), each leaving and coming back every 30–90 s. Every SOAK_SAMPLE_SECONDS the soak records the server's RSS
 * (/proc/<pid>/status), its heap after a full GC, and the SQLite WAL size; it
 * collects every log line at level warn or above.
 *
 * At the end every client, a fresh client and the stored log (read from the
 * SQLite file after a clean SIGTERM) must hold the same document. The exit
 * code is non-zero when the heap or RSS grows over the second half beyond
 * the thresholds, the WAL exceeds its bound, anything was logged at warn or
 * error, a request failed, or the documents differ.
 *
 * Environment: SOAK_CLIENTS (100), SOAK_MINUTES (10), SOAK_WRITERS (clients/5),
 * SOAK_RECONNECTERS (clients/10), SOAK_FOLLOWERS (clients/10), SOAK_INTERVAL_MS (300), SOAK_SAMPLE_SECONDS
 * (10), SOAK_MAX_HEAP_SLOPE and SOAK_MAX_RSS_SLOPE (MiB per minute over the
 * second half: 0.5 and 2), SOAK_MAX_WAL_MIB (16).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { io as ioClient, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { anchorOfRange } from '../../shared/anchors.ts';
import type { ClientToServerEvents, JoinReply, ServerToClientEvents } from '../../shared/protocol.ts';
import { orderArray, paragraphXmlText, paragraphsMap, readOrder } from '../../shared/model/index.ts';
import { DEMO_DOCUMENT, fingerprint } from '../sync/demoSeed.ts';
import { cpuSeconds } from '../sync/stats.ts';
import { SoakClient } from './client.ts';
// The link's page asks first; confirming POSTs (the same as the tests do).
import { followSignInLink } from '../../tests/helpers/auth.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const CLIENTS = num('SOAK_CLIENTS', 100);
const config = {
  clients: CLIENTS,
  minutes: num('SOAK_MINUTES', 10),
  writers: num('SOAK_WRITERS', Math.max(1, Math.round(CLIENTS / 5))),
  reconnecters: num('SOAK_RECONNECTERS', Math.max(1, Math.round(CLIENTS / 10))),
  followers: num('SOAK_FOLLOWERS', Math.max(1, Math.round(CLIENTS / 10))),
  intervalMs: num('SOAK_INTERVAL_MS', 300),
  sampleSeconds: num('SOAK_SAMPLE_SECONDS', 10),
  maxHeapSlope: num('SOAK_MAX_HEAP_SLOPE', 0.5),
  maxRssSlope: num('SOAK_MAX_RSS_SLOPE', 2),
  maxWalMiB: num('SOAK_MAX_WAL_MIB', 16),
};

const EDITORS = ['vn-drafter@demo.accord', 'fr-drafter@demo.accord', 'vn-head@demo.accord', 'fr-head@demo.accord', 'secretariat@demo.accord'];
const HEADS = ['vn-head@demo.accord', 'fr-head@demo.accord'];
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms: number) => ms * (0.5 + Math.random());

interface Sample {
  seconds: number;
  rssMiB: number;
  heapMiB: number;
  externalMiB: number;
  walMiB: number;
  dbMiB: number;
  connected: number;
  typed: number;
  reconnects: number;
  requests: number;
  serverCpuSeconds: number;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

function fileMiB(file: string): number {
  try {
    return fs.statSync(file).size / MiB;
  } catch {
    return 0;
  }
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** The whole declaration as JSON (order and cells as XML, marks included) and its state vector. */
function snapshot(doc: Y.Doc): string {
  return JSON.stringify({
    order: orderArray(doc).toJSON(),
    paragraphs: paragraphsMap(doc).toJSON(),
    vector: [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]),
  });
}

/** The first text node of every cell, in reading order: where writers type. */
function cellTexts(doc: Y.Doc): Y.XmlText[] {
  const texts: Y.XmlText[] = [];
  for (const id of readOrder(doc)) {
    for (const lang of ['vi', 'fr'] as const) {
      const fragment = paragraphsMap(doc).get(id)?.get(lang);
      const element = fragment instanceof Y.XmlFragment ? fragment.get(0) : undefined;
      const text = element instanceof Y.XmlElement ? paragraphXmlText(element) : undefined;
      if (text) texts.push(text);
    }
  }
  return texts;
}

/** Compiles the server as `npm run build` does, so the soak runs what `npm start` runs. */
function compileServer(): void {
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.server.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling the server failed:\n${result.stdout}${result.stderr}`);
}

async function startServer(dataDir: string) {
  compileServer();
  const child = spawn(process.execPath, ['--expose-gc', 'bench/soak/instrumentedServer.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  const logLines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (d) => (stdout += d));
  // Logs are JSON lines on stderr at level warn and above (LOG_LEVEL=warn); anything else there is an error too.
  child.stderr!.on('data', (d) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim()) logLines.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stdout}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /Accord listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${stdout}\n${logLines.join('\n')}`)));
  });
  const links = new Map<string, string>();
  for (const m of stdout.matchAll(/(\S+@demo\.accord)\s+(http:\/\/\S+\/signin\/\S+)/g)) links.set(m[1]!, m[2]!);
  const cookies = new Map<string, string>();
  for (const email of EDITORS) cookies.set(email, await followSignInLink(links.get(email)!));
  /** Heap after a full GC, from the server itself. */
  const memory = () =>
    new Promise<NodeJS.MemoryUsage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no memory report within 10 s')), 10_000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve((m as { memory: NodeJS.MemoryUsage }).memory);
      });
      child.send('memory');
    });
  return { child, url, cookies, logLines, exited, memory };
}

async function main(): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-soak-'));
  const dbFile = path.join(dataDir, 'accord.sqlite');
  console.log(`soak: ${JSON.stringify(config)}\ndata dir: ${dataDir}`);
  const server = await startServer(dataDir);
  const pid = server.child.pid!;
  const wsUrl = `${server.url.replace(/^http/, 'ws')}/sync/${DEMO_DOCUMENT}`;
  const errors: string[] = [];
  const onError = (message: string) => {
    if (errors.length < 50) errors.push(message);
  };

  // Clients arrive in batches of 20.
  const clients: SoakClient[] = [];
  for (let i = 0; i < config.clients; i += 20) {
    const batch = Array.from(
      { length: Math.min(20, config.clients - i) },
      (_, j) => new SoakClient(wsUrl, server.cookies.get(EDITORS[(i + j) % EDITORS.length]!)!, DEMO_DOCUMENT, onError),
    );
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.ready));
  }
  console.log(`${clients.length} clients synced`);

  let stopping = false;
  let typed = 0;
  let reconnects = 0;
  let requests = 0;
  const statuses = new Map<string, number>();

  /**
   * Types like a person at their own place: at the end of a paragraph nobody
   * else types in (slots beyond the demo's cells get a new paragraph), with
   * bold now and then; once the typed tail is long, deletes its first half.
   * Yjs merges such runs, so the document's structure stays the same size and
   * any growth of the server's heap is a leak. (Typing at random places
   * instead leaves about 0.65 Yjs structs, some 130 bytes of server heap, per
   * keystroke: that is the document's history, kept by design; see
   * docs/reliability.md.)
   */
  const typist = (client: SoakClient, slot: number) => {
    const texts = cellTexts(client.doc);
    let text = texts[slot % texts.length]!;
    if (slot >= texts.length) {
      const cell = text.parent!.parent as Y.XmlFragment;
      const paragraph = new Y.XmlElement('paragraph');
      text = new Y.XmlText();
      client.doc.transact(() => {
        cell.insert(cell.length, [paragraph]);
        paragraph.insert(0, [text]);
      });
    }
    const base = text.length;
    const alphabet = 'aăâeêioôơuưyđ«»éèàçœ ';
    return () => {
      if (text.length >= base + 80) text.delete(base, 40);
      text.insert(text.length, alphabet[Math.floor(Math.random() * alphabet.length)]!);
      if (Math.random() < 0.05 && text.length - base >= 3) text.format(text.length - 3, 3, { strong: {} });
      typed++;
    };
  };

  const writers = clients.slice(0, config.writers).map(async (client, w) => {
    const type = typist(client, w);
    await sleep((w / config.writers) * config.intervalMs);
    while (!stopping) {
      type();
      await sleep(jitter(config.intervalMs));
    }
  });

  const reconnecting = clients.slice(config.writers, config.writers + config.reconnecters).map(async (client, r) => {
    const type = typist(client, config.writers + r);
    while (!stopping) {
      await sleep(20_000 + Math.random() * 40_000);
      if (stopping) break;
      client.disconnect(Math.random() < 0.5);
      for (let k = 0; k < 3; k++) type(); // offline edits, sent at the resync
      await sleep(500 + Math.random() * 2500);
      client.reconnect();
      reconnects++;
    }
  });

  // Reviewers: comments and approvals over REST, a request every ~2 s.
  const call = async (kind: string, email: string, route: string, init: { method?: string; json?: unknown } = {}, accepted = [200, 201]) => {
    const headers: Record<string, string> = { cookie: server.cookies.get(email)! };
    if (init.json !== undefined) Object.assign(headers, { 'content-type': 'application/json', origin: server.url });
    const res = await fetch(`${server.url}/api/documents/${DEMO_DOCUMENT}${route}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    requests++;
    const key = `${kind} ${res.status}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    const body = await res.json().catch(() => undefined);
    if (!accepted.includes(res.status)) onError(`${kind}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return body as any;
  };
  const reviewer = clients[clients.length - 1]!;
  const threadIds: string[] = [];
  const reviewing = (async () => {
    let turn = 0;
    while (!stopping) {
      await sleep(jitter(2000));
      turn++;
      try {
        const email = EDITORS[turn % EDITORS.length]!;
        const roll = Math.random();
        if (roll < 0.2 || threadIds.length === 0) {
          // A thread on the first words of a cell (writers only type after the demo text).
          const texts = cellTexts(reviewer.doc);
          const index = Math.floor(Math.random() * texts.length);
          const text = texts[index]!;
          const pairId = readOrder(reviewer.doc)[Math.floor(index / 2)]!;
          const quote = text.toString().replace(/<[^>]*>/g, '').slice(0, 12);
          const created = await call('open thread', email, '/threads', {
            method: 'POST',
            json: { pairId, lang: index % 2 ? 'fr' : 'vi', anchor: anchorOfRange(text, 0, quote.length), quote, visibility: 'shared', body: `Soak ${turn}: « à revoir »` },
          });
          if (created?.thread?.id) threadIds.push(created.thread.id);
        } else if (roll < 0.5) {
          const id = threadIds[Math.floor(Math.random() * threadIds.length)]!;
          await call('reply', email, `/threads/${id}/comments`, { method: 'POST', json: { body: `Trả lời ${turn}` } });
        } else if (roll < 0.7) {
          await call('list threads', email, '/threads');
        } else {
          // Approve the current text of a pair; while writers type it may have changed meanwhile (409).
          const head = HEADS[turn % HEADS.length]!;
          const matrix = await call('approval matrix', head, '/approvals');
          const pair = matrix.pairs[Math.floor(Math.random() * matrix.pairs.length)];
          await call('approve', head, `/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } }, [200, 409]);
        }
      } catch (error) {
        onError(`review request failed: ${(error as Error).message}`);
      }
    }
  })();

  // socket.io followers: what the page keeps open besides the sync socket.
  let pushes = 0;
  let followerRejoins = 0;
  const follow = async (email: string): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(server.url, {
      transports: ['websocket'],
      forceNew: true,
      extraHeaders: { cookie: server.cookies.get(email)! },
    });
    for (const event of ['thread:changed', 'pairs:hashes', 'approval:changed', 'document:presence'] as const) socket.on(event, () => void pushes++);
    const reply = await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DEMO_DOCUMENT }, resolve));
    if (!reply.ok) onError(`socket.io join refused: ${JSON.stringify(reply)}`);
    return socket;
  };
  const following = Array.from({ length: config.followers }, async (_, f) => {
    const email = EDITORS[f % EDITORS.length]!;
    let socket = await follow(email);
    while (!stopping) {
      await sleep(30_000 + Math.random() * 60_000);
      if (stopping) break;
      socket.disconnect();
      socket = await follow(email);
      followerRejoins++;
    }
    socket.disconnect();
  });

  // Sampling.
  const samples: Sample[] = [];
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const started = Date.now();
  const cpuStart = cpuSeconds(pid);
  const header = 'time     RSS MiB  heap MiB  ext MiB  WAL MiB  DB MiB  connected  typed  reconn  requests';
  console.log(header);
  const durationMs = config.minutes * 60_000;
  while (Date.now() - started < durationMs) {
    await sleep(Math.min(config.sampleSeconds * 1000, durationMs - (Date.now() - started)));
    const memory = await server.memory();
    const sample: Sample = {
      seconds: Math.round((Date.now() - started) / 1000),
      rssMiB: rssMiB(pid),
      heapMiB: memory.heapUsed / MiB,
      externalMiB: memory.external / MiB,
      walMiB: fileMiB(`${dbFile}-wal`),
      dbMiB: fileMiB(dbFile),
      connected: clients.filter((c) => c.connected).length,
      typed,
      reconnects,
      requests,
      serverCpuSeconds: cpuSeconds(pid) - cpuStart,
    };
    samples.push(sample);
    const m = Math.floor(sample.seconds / 60);
    const s = String(sample.seconds % 60).padStart(2, '0');
    console.log(
      `${`${m}:${s}`.padStart(5)}  ${sample.rssMiB.toFixed(1).padStart(7)}  ${sample.heapMiB.toFixed(1).padStart(8)}  ${sample.externalMiB.toFixed(1).padStart(7)}  ${sample.walMiB.toFixed(2).padStart(7)}  ${sample.dbMiB.toFixed(2).padStart(6)}  ${String(sample.connected).padStart(9)}  ${String(typed).padStart(5)}  ${String(reconnects).padStart(6)}  ${String(requests).padStart(8)}`,
    );
  }
  lag.disable();

  // Stop the load, bring everyone back, and check convergence.
  stopping = true;
  await Promise.all([...writers, ...reconnecting, reviewing, ...following]);
  for (const client of clients) client.reconnect();
  const verifier = new SoakClient(wsUrl, server.cookies.get(EDITORS[0]!)!, DEMO_DOCUMENT, onError);
  await verifier.ready;
  let converged = false;
  const convergeStart = Date.now();
  while (!converged && Date.now() - convergeStart < 60_000) {
    await sleep(250);
    if (!clients.every((c) => c.connected)) continue;
    const reference = snapshot(verifier.doc);
    converged = clients.every((c) => snapshot(c.doc) === reference);
  }
  const reference = snapshot(verifier.doc);
  const referenceText = fingerprint(verifier.doc);
  if (!converged) onError(`clients did not converge: ${clients.filter((c) => snapshot(c.doc) !== reference).length} differ from a fresh client`);
  const unexpected = new Map<number, number>();
  for (const client of clients) for (const [code, n] of client.unexpectedCloses) unexpected.set(code, (unexpected.get(code) ?? 0) + n);

  for (const client of [verifier, ...clients]) client.close();
  await sleep(500);
  server.child.kill('SIGTERM');
  const exitCode = await server.exited;
  if (exitCode !== 0) onError(`server exited with ${exitCode} after SIGTERM`);

  // The stored log, read straight from the SQLite file, holds the same document.
  const db = new Database(dbFile, { readonly: true });
  const rows = db.prepare<[string], { data: Buffer }>('SELECT data FROM doc_updates WHERE document_id = ? ORDER BY seq').all(DEMO_DOCUMENT);
  db.close();
  const stored = new Y.Doc();
  Y.applyUpdate(stored, Y.mergeUpdates(rows.map((r) => r.data)));
  const storedMatches = snapshot(stored) === reference;
  if (!storedMatches) onError('the stored log differs from what the clients hold');

  // Verdict.
  const second = samples.filter((s) => s.seconds >= (config.minutes * 60) / 2);
  const heapSlope = slope(second.map((s) => [s.seconds / 60, s.heapMiB]));
  const rssSlope = slope(second.map((s) => [s.seconds / 60, s.rssMiB]));
  const maxWal = Math.max(...samples.map((s) => s.walMiB));
  const logged = server.logLines;
  const result = {
    config,
    durationMinutes: (samples.at(-1)?.seconds ?? 0) / 60,
    typed,
    reconnects,
    socketIo: { followers: config.followers, rejoins: followerRejoins, pushes },
    unexpectedCloses: Object.fromEntries(unexpected),
    requests: Object.fromEntries([...statuses].sort()),
    rssMiB: { first: samples[0]?.rssMiB, last: samples.at(-1)?.rssMiB, max: Math.max(...samples.map((s) => s.rssMiB)), slopeSecondHalfPerMin: rssSlope },
    heapMiB: { first: samples[0]?.heapMiB, last: samples.at(-1)?.heapMiB, max: Math.max(...samples.map((s) => s.heapMiB)), slopeSecondHalfPerMin: heapSlope },
    walMiB: { max: maxWal, last: samples.at(-1)?.walMiB },
    dbMiB: { last: samples.at(-1)?.dbMiB },
    storedRows: rows.length,
    textLength: referenceText.length,
    /** Yjs structs (items and tombstones) in the final document: CRDT history, which grows with edits by design. */
    structs: [...stored.store.clients.values()].reduce((n, list) => n + list.length, 0),
    storedBytes: rows.reduce((n, r) => n + r.data.length, 0),
    serverCpuSeconds: samples.at(-1)?.serverCpuSeconds,
    loadgenLagMs: { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
    converged,
    storedMatches,
    loggedWarnOrError: logged.length,
    errors,
  };
  console.log(`\nRESULT ${JSON.stringify(result)}`);
  if (logged.length > 0) console.log(`server log at warn or above (${logged.length} lines, first 20):\n${logged.slice(0, 20).join('\n')}`);

  const failures: string[] = [];
  if (!(heapSlope <= config.maxHeapSlope)) failures.push(`heap grows ${heapSlope.toFixed(2)} MiB/min over the second half (limit ${config.maxHeapSlope})`);
  if (!(rssSlope <= config.maxRssSlope)) failures.push(`RSS grows ${rssSlope.toFixed(2)} MiB/min over the second half (limit ${config.maxRssSlope})`);
  if (!(maxWal <= config.maxWalMiB)) failures.push(`WAL reached ${maxWal.toFixed(1)} MiB (limit ${config.maxWalMiB})`);
  if (logged.length > 0) failures.push(`${logged.length} log lines at warn or error`);
  if (errors.length > 0) failures.push(`${errors.length} errors: ${errors.slice(0, 5).join('; ')}`);
  if (!converged || !storedMatches) failures.push('no convergence');
  if (failures.length === 0) console.log('\nsoak passed: memory flat, WAL bounded, nothing logged, every client and the store agree');
  else console.log(`\nsoak FAILED:\n  ${failures.join('\n  ')}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
