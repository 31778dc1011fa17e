/**
 * The document-size load generator (issue 7, scenario 3), run as its own process:
 *   node --import tsx bench/bigdoc/writers.ts '<WritersConfig JSON>'
 * prints `RESULT <WritersResult JSON>`.
 *
 * W writers, each its own connection and Yjs client id, type one character
 * every `intervalMs` into one pair (each into its own paragraph of that pair)
 * for `seconds`. The load generator syncs the document once and lets every
 * writer type through that one copy (switching the client id), instead of
 * holding W copies of a document of several megabytes. Server CPU (user +
 * system, all threads, /proc) is read before and after typing.
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { getPair, paragraphXmlText } from '../../shared/model/index.ts';
import { cpuSeconds } from '../sync/stats.ts';
import { SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, Wire, structRanges } from '../sync/wire.ts';
import { runAsChildMain } from '../childMain.ts';

export interface WritersConfig {
  /** ws://host:port/sync */
  base: string;
  cookies: string[];
  document: string;
  pairId: string;
  writers: number;
  seconds: number;
  intervalMs: number;
  serverPid: number;
}

export interface WritersResult {
  sent: number;
  delivered: number;
  expected: number;
  serverCpuSeconds: number;
  cpuPer1000: number;
  syncMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Client ids of the writers (above any id the document's history uses). */
const WRITER_IDS = 1_000_000;

/** Opens a socket, answers the server's step 1 with nothing, resolves with the step 2 for `stateVector`. */
function open(config: WritersConfig, i: number, stateVector: Uint8Array, onUpdate: (update: Uint8Array) => void) {
  const wire = new Wire('y-websocket', config.document);
  const ws = new WebSocket(`${config.base}/${config.document}`, { headers: { cookie: config.cookies[i % config.cookies.length]! }, perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  const synced = new Promise<Uint8Array>((resolve, reject) => {
    ws.on('open', () => ws.send(wire.sync(SYNC_STEP1, stateVector)));
    ws.on('message', (data: Buffer) => {
      const message = wire.parse(data);
      if (message.kind === 'step1') ws.send(wire.sync(SYNC_STEP2, Y.encodeStateAsUpdate(new Y.Doc(), message.stateVector)));
      else if (message.kind === 'step2') resolve(message.update);
      else if (message.kind === 'update') onUpdate(message.update);
    });
    ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    ws.on('error', reject);
  });
  return { ws, wire, synced };
}

export async function runWriters(config: WritersConfig): Promise<WritersResult> {
  const doc = new Y.Doc();
  const syncStart = performance.now();
  let delivered = 0;
  let measuring = false;
  const reader = open(config, 0, Y.encodeStateVector(doc), (update) => {
    if (measuring) for (const range of structRanges(update)) if (range.client >= WRITER_IDS) delivered += range.length;
  });
  Y.applyUpdate(doc, await reader.synced);
  const syncMs = performance.now() - syncStart;
  const pair = getPair(doc, config.pairId);
  if (!pair) throw new Error(`pair ${config.pairId} not in the document`);
  const paragraphs = (['vi', 'fr'] as const).flatMap((lang) => pair.cell(lang).toArray().map((p) => paragraphXmlText(p as Y.XmlElement)!));

  const writers = await Promise.all(
    Array.from({ length: config.writers }, async (_, i) => {
      // Counted in keystrokes: the server may relay several in one merged frame.
      const connection = open(config, i, Y.encodeStateVector(doc), (update) => {
        if (measuring) for (const range of structRanges(update)) if (range.client >= WRITER_IDS) delivered += range.length;
      });
      await connection.synced;
      return { ...connection, clientId: WRITER_IDS + i, text: paragraphs[i % paragraphs.length]! };
    }),
  );
  let current = writers[0]!;
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'local') current.ws.send(current.wire.sync(SYNC_UPDATE, update));
  });
  // Let the server finish opening the document (hashing every pair) before measuring.
  let before = cpuSeconds(config.serverPid);
  for (let i = 0; i < 60; i++) {
    await sleep(500);
    const now = cpuSeconds(config.serverPid);
    if (now - before < 0.03) break;
    before = now;
  }

  const cpuBefore = cpuSeconds(config.serverPid);
  measuring = true;
  const ticks = Math.floor((config.seconds * 1000) / config.intervalMs);
  let sent = 0;
  const start = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    for (let w = 0; w < writers.length; w++) {
      // Writers spread over the interval.
      const due = start + tick * config.intervalMs + (w * config.intervalMs) / writers.length;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      current = writers[w]!;
      doc.clientID = current.clientId;
      doc.transact(() => current.text.insert(current.text.length, 'abcdefghij'[tick % 10]!), 'local');
      sent++;
    }
  }
  const expected = sent * (writers.length - 1) + sent; // the other writers and the reader
  const drainStart = performance.now();
  while (delivered < expected && performance.now() - drainStart < 10_000) await sleep(20);
  const serverCpuSeconds = cpuSeconds(config.serverPid) - cpuBefore;
  for (const w of [reader, ...writers]) w.ws.terminate();
  return { sent, delivered, expected, serverCpuSeconds, cpuPer1000: (serverCpuSeconds / sent) * 1000, syncMs };
}

runAsChildMain(import.meta.filename, runWriters);
