/**
 * The fan-out load generator, run as its own process:
 *   node --import tsx bench/sync/loadgen.ts '<LoadConfig JSON>'
 * prints one line `RESULT <LoadResult JSON>` at the end.
 *
 * N clients open one document over raw WebSockets (`ws` + y-protocols framing,
 * see wire.ts), do the sync step 1/2 handshake, then N/10 writers each append
 * one character to their own paragraph every `intervalMs`. Every update is
 * identified by its first Yjs struct id (writer's client id, clock): the
 * writer notes the send time of each clock, every other client notes the
 * arrival time, so latency is measured end to end without trusting any clock
 * but this process's. Receivers do not integrate updates while measuring
 * (they keep them; writers integrate them live): at the end every client's
 * text is rebuilt and compared with a fresh client's, which checks
 * convergence; a per-update receipt count checks that every update arrived.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { paragraphXmlText, paragraphsMap, readOrder } from '../../shared/model/index.ts';
import { DEMO_PAIRS, demoUpdate, fingerprint } from './demoSeed.ts';
import { cpuSeconds, peakRssKiB, quantile, writeCalls } from './stats.ts';
import { SYNC_STEP2, SYNC_UPDATE, Wire, structRanges, type Dialect } from './wire.ts';
import { runAsChildMain } from '../childMain.ts';

export interface LoadConfig {
  /** Full WebSocket URL of the document. */
  url: string;
  dialect: Dialect;
  documentName: string;
  /** Cookie headers, used round-robin (Accord); empty for the peers. */
  cookies: string[];
  clients: number;
  writers: number;
  seconds: number;
  intervalMs: number;
  serverPid: number;
  /** Send the demo content as the first update (the peers start empty). */
  seed: boolean;
  /** How long after the last keystroke every update must have arrived; past it the server fell behind. */
  drainSeconds: number;
}

export interface LoadResult {
  clients: number;
  writers: number;
  sent: number;
  expected: number;
  delivered: number;
  missing: number;
  duplicates: number;
  converged: boolean;
  /**
   * Every update arrived within `drainSeconds` after typing stopped. When
   * false the server fell behind: the latencies cover only what arrived, and
   * convergence was not checked (the clients do not hold everything).
   */
  drained: boolean;
  drainSeconds: number;
  latencyMs: { p50: number; p99: number; max: number };
  serverCpuSeconds: number;
  cpuPer1000: number;
  /** The server's write system calls (each a frame, or a few when the kernel took them together) and bytes written while typing and draining. */
  serverWrites: { calls: number; bytes: number };
  peakRssKiB: number;
  connectMs: number;
  loadgenCpuSeconds: number;
  /** The load generator's own event-loop delay while typing (p99, max): high values mean it, not the server, was the bottleneck. */
  loadgenLagMs: { p99: number; max: number };
  errors: string[];
}

const REMOTE = 'remote';

/** One simulated client: a socket, a Y.Doc holding what it synced, and what it received. */
class BenchClient {
  readonly doc = new Y.Doc();
  readonly wire: Wire;
  readonly ws: WebSocket;
  /** Updates received while measuring (receivers integrate them at the end). */
  readonly received: Uint8Array[] = [];
  synced = false;
  /** Last seq received from each writer (by writer index): a seq not above it is a duplicate. */
  lastSeq: Int32Array = new Int32Array(0);
  /** Writers integrate updates at once, so that they type into the current text. */
  live = false;
  readonly ready: Promise<void>;

  constructor(
    config: LoadConfig,
    cookie: string | undefined,
    private readonly onUpdate: (client: BenchClient, update: Uint8Array, at: number) => void,
    private readonly onError: (message: string) => void,
  ) {
    this.wire = new Wire(config.dialect, config.documentName);
    this.ws = new WebSocket(config.url, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    this.ws.binaryType = 'nodebuffer';
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(this.wire.sync(SYNC_UPDATE, update));
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('client did not sync within 60 s')), 60_000);
      this.ws.on('open', () => {
        for (const frame of this.wire.hello()) this.send(frame);
        this.send(this.wire.sync(0, Y.encodeStateVector(this.doc)));
      });
      this.ws.on('message', (data: Buffer) => {
        const at = performance.now();
        let message;
        try {
          message = this.wire.parse(data);
        } catch (error) {
          this.onError(`undecodable frame: ${(error as Error).message}`);
          return;
        }
        switch (message.kind) {
          case 'step1':
            this.send(this.wire.sync(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, message.stateVector)));
            return;
          case 'step2':
            Y.applyUpdate(this.doc, message.update, REMOTE);
            if (!this.synced) {
              this.synced = true;
              clearTimeout(timer);
              resolve();
            }
            return;
          case 'update':
            this.onUpdate(this, message.update, at);
            if (this.live) Y.applyUpdate(this.doc, message.update, REMOTE);
            else this.received.push(message.update);
            return;
          case 'auth':
            if (message.denied) reject(new Error(`permission denied: ${message.reason}`));
            return;
          default:
            return;
        }
      });
      this.ws.on('close', (code, reason) => {
        if (!this.synced) reject(new Error(`closed before sync: ${code} ${reason.toString()}`));
      });
      this.ws.on('error', (error) => reject(error));
    });
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Integrates what was kept and returns the text. */
  settle(): string {
    if (this.received.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(this.received.splice(0)), REMOTE);
    return fingerprint(this.doc);
  }

  close(): void {
    this.ws.terminate();
    this.doc.destroy();
  }
}

/** A writer: the client it types with, the paragraph it types into, and the send time of each clock. */
interface Writer {
  index: number;
  client: BenchClient;
  text: Y.XmlText;
  firstClock: number;
  sentAt: number[];
  /** Receipts per update (index = clock - firstClock). */
  receipts: Uint32Array;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens clients a few at a time (a crowd arriving, without a thundering herd). */
async function connectAll(count: number, make: (i: number) => BenchClient): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  const BATCH = 25;
  for (let i = 0; i < count; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => make(i + j));
    clients.push(...batch);
    await Promise.all(batch.map((c) => c.ready));
  }
  return clients;
}

/** The cells (paragraph texts) of the demo in reading order, one per writer (wrapping around). */
function cellTexts(doc: Y.Doc): Y.XmlText[] {
  const texts: Y.XmlText[] = [];
  const paragraphs = paragraphsMap(doc);
  for (const id of readOrder(doc)) {
    for (const lang of ['vi', 'fr'] as const) {
      const fragment = paragraphs.get(id)?.get(lang);
      const element = fragment instanceof Y.XmlFragment ? fragment.get(0) : undefined;
      const text = element instanceof Y.XmlElement ? paragraphXmlText(element) : undefined;
      if (text) texts.push(text);
    }
  }
  return texts;
}

export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const errors: string[] = [];
  const onError = (message: string) => {
    if (errors.length < 20) errors.push(message);
  };
  const cpuStart = process.cpuUsage();
  const writersByClientId = new Map<number, Writer>();
  const latencies: number[] = [];
  let measuring = false;
  let duplicates = 0;
  let delivered = 0;
  const onUpdate = (client: BenchClient, update: Uint8Array, at: number) => {
    if (!measuring) return;
    for (const range of structRanges(update)) {
      const writer = writersByClientId.get(range.client);
      if (!writer || writer.client === client) continue; // not a keystroke, or the writer's own (merged) one
      for (let clock = range.clock; clock < range.clock + range.length; clock++) {
        const seq = clock - writer.firstClock;
        const sentAt = writer.sentAt[seq];
        if (sentAt === undefined) {
          onError(`update of unknown seq ${seq}`);
          continue;
        }
        if (seq <= client.lastSeq[writer.index]!) {
          duplicates++;
          continue;
        }
        client.lastSeq[writer.index] = seq;
        writer.receipts[seq]!++;
        delivered++;
        latencies.push(at - sentAt);
      }
    }
  };

  // The holder keeps the document open (and seeds the peers) for the whole run.
  const holder = new BenchClient(config, config.cookies[0], () => {}, onError);
  await holder.ready;
  if (config.seed) {
    Y.applyUpdate(holder.doc, demoUpdate()); // sent to the server by the doc's update handler
    await sleep(300);
  }

  const connectStart = performance.now();
  const clients = await connectAll(config.clients, (i) => new BenchClient(config, config.cookies[i % Math.max(1, config.cookies.length)], onUpdate, onError));
  const connectMs = performance.now() - connectStart;
  for (const client of clients) {
    const pairs = readOrder(client.doc).length;
    if (pairs !== DEMO_PAIRS) throw new Error(`a client synced ${pairs} pairs, expected the demo's ${DEMO_PAIRS}`);
  }

  const ticks = Math.floor((config.seconds * 1000) / config.intervalMs);
  const writers: Writer[] = clients.slice(0, config.writers).map((client, w) => {
    client.live = true;
    const cells = cellTexts(client.doc);
    const writer: Writer = {
      index: w,
      client,
      text: cells[w % cells.length]!,
      firstClock: Y.getState(client.doc.store, client.doc.clientID),
      sentAt: [],
      receipts: new Uint32Array(ticks + 1),
    };
    writersByClientId.set(client.doc.clientID, writer);
    return writer;
  });
  for (const client of [holder, ...clients]) client.lastSeq = new Int32Array(writers.length).fill(-1);
  await sleep(500);

  const cpuBefore = cpuSeconds(config.serverPid);
  const writesBefore = writeCalls(config.serverPid);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  measuring = true;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  await Promise.all(
    writers.map(async (writer, w) => {
      await sleep((w / writers.length) * config.intervalMs); // spread the writers over the interval
      const start = performance.now();
      for (let seq = 0; seq < ticks; seq++) {
        const due = start + seq * config.intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        writer.sentAt.push(performance.now());
        writer.text.insert(writer.text.length, alphabet[seq % alphabet.length]!);
      }
    }),
  );
  lag.disable();
  const sent = writers.reduce((sum, w) => sum + w.sentAt.length, 0);
  const expected = sent * config.clients - sent; // every client but the writer itself
  const drainSeconds = config.drainSeconds ?? 15;
  const drainStart = performance.now();
  while (delivered < expected && performance.now() - drainStart < drainSeconds * 1000) await sleep(20);
  const cpuAfter = cpuSeconds(config.serverPid);
  const writesAfter = writeCalls(config.serverPid);
  measuring = false;
  const drained = delivered >= expected;

  let converged = false;
  let verifier: BenchClient | undefined;
  if (!drained) {
    // Fell behind: checking convergence would wait for (and integrate) a backlog that may take minutes.
    onError(`not drained within ${drainSeconds} s after typing stopped: ${delivered} of ${expected} updates delivered`);
  } else {
    // Convergence: every client's text equals what a fresh client syncs from the server now.
    verifier = new BenchClient(config, config.cookies[0], () => {}, onError);
    await verifier.ready;
    const reference = verifier.settle();
    converged = reference.length > 0;
    for (const client of [holder, ...clients]) if (client.settle() !== reference) converged = false;
    // ... and holds the demo plus exactly one character per update sent.
    const demo = new Y.Doc();
    Y.applyUpdate(demo, demoUpdate());
    if (reference.length !== fingerprint(demo).length + sent) {
      converged = false;
      onError(`server text has ${reference.length - fingerprint(demo).length} new characters, ${sent} were typed`);
    }
  }

  let missing = 0;
  for (const writer of writers) {
    for (let seq = 0; seq < writer.sentAt.length; seq++) missing += Math.max(0, config.clients - 1 - writer.receipts[seq]!);
  }
  const rss = peakRssKiB(config.serverPid);
  for (const client of [holder, ...(verifier ? [verifier] : []), ...clients]) client.close();

  const sorted = Float64Array.from(latencies).sort();
  const serverCpu = cpuAfter - cpuBefore;
  const cpu = process.cpuUsage(cpuStart);
  return {
    clients: config.clients,
    writers: config.writers,
    sent,
    expected,
    delivered,
    missing,
    duplicates,
    converged,
    drained,
    drainSeconds,
    latencyMs: { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: quantile(sorted, 1) },
    serverCpuSeconds: serverCpu,
    cpuPer1000: delivered > 0 ? (serverCpu / delivered) * 1000 : NaN,
    serverWrites: { calls: writesAfter.calls - writesBefore.calls, bytes: writesAfter.bytes - writesBefore.bytes },
    peakRssKiB: rss,
    connectMs,
    loadgenCpuSeconds: (cpu.user + cpu.system) / 1e6,
    loadgenLagMs: { p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
    errors,
  };
}

runAsChildMain(import.meta.filename, runLoad);
