/**
 * Scenario 2 of issue 7, the big document: 200 pairs × 2 languages × ~1,500
 * characters plus a history of 50,000 single-character edits (bench/bigdoc/bigDoc.ts,
 * ~1.6 MB encoded). Servers alternated (accord, reference, hocuspocus, accord, …)
 * for BENCH_ROUNDS rounds, each run a fresh server process, the load generator
 * (bench/bigdoc/client.ts) in its own process. Figures per run:
 * - fresh sync: connect → whole document received (median of BIGDOC_FRESH clients, one at a time);
 * - 20 joins: 20 clients at once, until the last has the whole document (median of BIGDOC_JOIN_ROUNDS);
 * - load (Accord): the server's own `document opened` / `document loaded` log lines (store
 *   read; every row applied), on the first join after the start and again after a restart;
 *   after the restart, what clients feel meanwhile (bench/bigdoc/client.ts, `restartOnly`):
 *   a fresh sync, a reconnecting client's sync, its first edit relayed;
 * - stall while a 1.6 MB update is pushed into an empty document: the longest round trip
 *   of a ping (sync step 1 every 10 ms) to another document, and the server's own
 *   event-loop delay (ACCORD_STALL_LOG / STALL_LOG, bench/peers).
 *
 * Environment: BENCH_ROUNDS (3), BENCH_SERVERS (all), BENCH_WRITE (0: print only),
 * BIGDOC_PAIRS (200), BIGDOC_EDITS (50000), BIGDOC_FRESH (5), BIGDOC_JOINERS (20),
 * BIGDOC_JOIN_ROUNDS (3), BENCH_PROFILE (1: Accord with --cpu-prof into bench/profiles/).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIG_DOC, buildBigDoc } from './bigdoc/bigDoc.ts';
import type { BigDocConfig, BigDocResult } from './bigdoc/client.ts';
import { BENCH_DOCUMENTS, seedAccordDataDir } from './bigdoc/seedAccord.ts';
import { commitDescription, machineDescription } from './machine.ts';
import { REPO_ROOT, SERVER_NAMES, startBenchServer, type RunningServer, type ServerName } from './sync/servers.ts';
import { median } from './sync/stats.ts';

const env = process.env;
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const SERVERS = (env.BENCH_SERVERS?.split(',') ?? [...SERVER_NAMES]) as ServerName[];
const OPTIONS = { ...BIG_DOC, pairs: Number(env.BIGDOC_PAIRS ?? BIG_DOC.pairs), edits: Number(env.BIGDOC_EDITS ?? BIG_DOC.edits) };
const PROFILE_DIR = path.join(REPO_ROOT, 'bench/profiles');

interface Run {
  server: ServerName;
  round: number;
  result: BigDocResult;
  /** The server's longest event-loop delay while the big update was ingested. */
  inProcessStallMs: number;
  /** Accord: `document loaded` times of the big document (first start, after restart): store read → fully applied. */
  loadMs: number[];
  /** Accord: `document opened` times: store read → serving the stored rows to joiners holding nothing. */
  openMs: number[];
  restartSyncMs?: number;
  /** Accord, after the restart: a reconnecting client's sync (non-empty state vector) and its first edit relayed to the fresh client. */
  reconnectSyncMs?: number;
  editRelayedMs?: number;
  /** Accord: the server's longest event-loop delay from the restart until the document is loaded. */
  restartStallMs?: number;
}

function runClient(config: BigDocConfig): Promise<BigDocResult> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/bigdoc/client.ts', JSON.stringify(config)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as BigDocResult);
      else reject(new Error(`big-document client failed (${code}):\n${output}`));
    });
  });
}

/** The longest `event-loop max` the server printed between two instants (its window ends at the stamp). */
function stallBetween(output: string, from: number, to: number): number {
  let max = 0;
  for (const m of output.matchAll(/^event-loop max ([\d.]+) (\d+)$/gm)) {
    const at = Number(m[2]);
    if (at >= from && at <= to + 250) max = Math.max(max, Number(m[1]));
  }
  return max;
}

/** A field of every log line with this message for a document (pino JSON lines). */
function logTimes(output: string, message: string, field: string, documentId: string): number[] {
  const times: number[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes(`"${message}"`) || !line.includes(`"${documentId}"`)) continue;
    times.push(Number(JSON.parse(line)[field]));
  }
  return times;
}

function clientConfig(server: RunningServer, updateFile: string): BigDocConfig {
  const accord = server.name === 'accord';
  return {
    base: server.base,
    dialect: server.dialect,
    cookies: server.cookies,
    updateFile,
    bigDocument: accord ? BENCH_DOCUMENTS.big : 'big',
    ingestDocument: accord ? BENCH_DOCUMENTS.ingest : 'ingest',
    pingDocument: accord ? BENCH_DOCUMENTS.ping : 'ping',
    seed: !accord,
    freshSyncs: Number(env.BIGDOC_FRESH ?? 5),
    joiners: Number(env.BIGDOC_JOINERS ?? 20),
    joinRounds: Number(env.BIGDOC_JOIN_ROUNDS ?? 3),
  };
}

async function runOne(name: ServerName, round: number, update: Uint8Array, updateFile: string): Promise<Run> {
  const nodeArgs = env.BENCH_PROFILE === '1' && name === 'accord' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  if (name !== 'accord') {
    const server = await startBenchServer(name, nodeArgs, { env: { STALL_LOG: '1' } });
    try {
      const result = await runClient(clientConfig(server, updateFile));
      return { server: name, round, result, inProcessStallMs: stallBetween(server.output(), result.ingest!.fromEpochMs, result.ingest!.toEpochMs), loadMs: [], openMs: [] };
    } finally {
      await server.stop();
    }
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bigdoc-'));
  try {
    await seedAccordDataDir(dataDir, { [BENCH_DOCUMENTS.big]: update, [BENCH_DOCUMENTS.ingest]: undefined, [BENCH_DOCUMENTS.ping]: undefined });
    const options = { dataDir, env: { LOG_LEVEL: 'info', ACCORD_STALL_LOG: '1' } };
    const server = await startBenchServer('accord', nodeArgs, options);
    let result: BigDocResult;
    let stall: number;
    const loads: number[] = [];
    const opens: number[] = [];
    const collect = (output: string) => {
      loads.push(...logTimes(output, 'document loaded', 'loadMs', BENCH_DOCUMENTS.big));
      opens.push(...logTimes(output, 'document opened', 'openMs', BENCH_DOCUMENTS.big));
    };
    try {
      result = await runClient(clientConfig(server, updateFile));
      stall = stallBetween(server.output(), result.ingest!.fromEpochMs, result.ingest!.toEpochMs);
    } finally {
      await server.stop();
      collect(server.output());
    }
    // Restart: the first join loads the document from the store.
    const restarted = await startBenchServer('accord', nodeArgs, options);
    let restartStall = NaN;
    let after: BigDocResult;
    try {
      const from = Date.now(); // the server is idle from its start until the client connects
      after = await runClient({ ...clientConfig(restarted, updateFile), restartOnly: true });
      if (!after.textMatches) result.textMatches = false;
      // Until the load is over (the server logs it), so that its stalls count.
      for (let i = 0; i < 100 && !restarted.output().includes('"document loaded"'); i++) await new Promise((r) => setTimeout(r, 50));
      restartStall = stallBetween(restarted.output(), from, Date.now());
    } finally {
      await restarted.stop();
      collect(restarted.output());
    }
    const { freshSyncMs: restartSyncMs, reconnectSyncMs, editRelayedMs } = after.restart!;
    return { server: name, round, result, inProcessStallMs: stall, loadMs: loads, openMs: opens, restartSyncMs, reconnectSyncMs, editRelayedMs, restartStallMs: restartStall };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function describe(run: Run): string {
  const r = run.result;
  const ingest = r.ingest!;
  return (
    `fresh sync ${median(r.freshSyncMs).toFixed(0)} ms, ${r.joinAllMs.length} × 20 joins ${median(r.joinAllMs).toFixed(0)} ms, ` +
    `ingest ${ingest.doneMs.toFixed(0)} ms, ping rtt max ${ingest.maxPingRttMs.toFixed(0)} gap ${ingest.maxPingGapMs.toFixed(0)} ms, in-process stall ${run.inProcessStallMs.toFixed(0)} ms` +
    (run.loadMs.length
      ? `, open ${run.openMs.map((l) => l.toFixed(0)).join(' / ')} ms, fully loaded ${run.loadMs.map((l) => l.toFixed(0)).join(' / ')} ms, ` +
        `after restart: fresh sync ${run.restartSyncMs?.toFixed(0)} ms, reconnect sync ${run.reconnectSyncMs?.toFixed(0)} ms, first edit relayed ${run.editRelayedMs?.toFixed(0)} ms, event-loop max ${run.restartStallMs?.toFixed(0)} ms`
      : '') +
    `, step 2 ${(r.step2Bytes / 1e6).toFixed(2)} MB, text ${r.textMatches ? 'ok' : 'MISMATCH'}`
  );
}

interface Summary {
  server: ServerName;
  freshMs: number;
  joinMs: number;
  ingestMs: number;
  pingRttMs: number;
  pingGapMs: number;
  stallMs: number;
  loadMs: number;
  openMs: number;
  restartSyncMs: number;
  reconnectSyncMs: number;
  editRelayedMs: number;
  restartStallMs: number;
  ok: boolean;
}

function summarise(runs: Run[]): Summary[] {
  return SERVER_NAMES.flatMap((server) => {
    const mine = runs.filter((r) => r.server === server);
    if (mine.length === 0) return [];
    return [
      {
        server,
        freshMs: median(mine.map((r) => median(r.result.freshSyncMs))),
        joinMs: median(mine.map((r) => median(r.result.joinAllMs))),
        ingestMs: median(mine.map((r) => r.result.ingest!.doneMs)),
        pingRttMs: median(mine.map((r) => r.result.ingest!.maxPingRttMs)),
        pingGapMs: median(mine.map((r) => r.result.ingest!.maxPingGapMs)),
        stallMs: median(mine.map((r) => r.inProcessStallMs)),
        loadMs: median(mine.flatMap((r) => r.loadMs)),
        openMs: median(mine.flatMap((r) => r.openMs)),
        restartSyncMs: median(mine.map((r) => r.restartSyncMs ?? NaN)),
        reconnectSyncMs: median(mine.map((r) => r.reconnectSyncMs ?? NaN)),
        editRelayedMs: median(mine.map((r) => r.editRelayedMs ?? NaN)),
        restartStallMs: Math.max(...mine.map((r) => r.restartStallMs ?? NaN)),
        ok: mine.every((r) => r.result.textMatches),
      },
    ];
  });
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

function tables(summaries: Summary[]): string {
  const of = (s: ServerName) => summaries.find((x) => x.server === s);
  const [a, r, h] = [of('accord'), of('reference'), of('hocuspocus')];
  return [
    '| server | fresh sync ms | 20 joins ms | ingest 1.6 MB ms | other room: longest ping ms | other room: longest gap ms | server event-loop max ms | text ok |',
    '|---|---|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${s.server} | ${fmt(s.freshMs)} | ${fmt(s.joinMs)} | ${fmt(s.ingestMs)} | ${fmt(s.pingRttMs)} | ${fmt(s.pingGapMs)} | ${fmt(s.stallMs)} | ${s.ok ? 'yes' : '**no**'} |`,
    ),
    '',
    'Load from store after a restart (Accord; ms from the first connection, or from the store read for the server\'s own log lines):',
    '',
    '| server | serving (`document opened`) | fresh sync | reconnect sync (state vector) | first edit relayed | fully loaded (`document loaded`) | event-loop max until loaded |',
    '|---|---|---|---|---|---|---|',
    ...summaries
      .filter((s) => Number.isFinite(s.loadMs))
      .map((s) => `| ${s.server} | ${fmt(s.openMs)} | ${fmt(s.restartSyncMs)} | ${fmt(s.reconnectSyncMs)} | ${fmt(s.editRelayedMs)} | ${fmt(s.loadMs)} | ${fmt(s.restartStallMs)} |`),
    '',
    '| ratio | fresh sync | 20 joins | longest ping (stall) | server event-loop max |',
    '|---|---|---|---|---|',
    `| Accord / reference | ${ratio(a?.freshMs, r?.freshMs)} | ${ratio(a?.joinMs, r?.joinMs)} | ${ratio(a?.pingRttMs, r?.pingRttMs)} | ${ratio(a?.stallMs, r?.stallMs)} |`,
    `| Accord / Hocuspocus | ${ratio(a?.freshMs, h?.freshMs)} | ${ratio(a?.joinMs, h?.joinMs)} | ${ratio(a?.pingRttMs, h?.pingRttMs)} | ${ratio(a?.stallMs, h?.stallMs)} |`,
  ].join('\n');
}

function targets(summaries: Summary[]): string {
  const a = summaries.find((s) => s.server === 'accord');
  const r = summaries.find((s) => s.server === 'reference');
  if (!a) return '';
  const line = (label: string, ok: boolean | undefined, detail: string) => `- ${label}: ${ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**'} (${detail})`;
  return [
    line('fresh sync ≤ reference', r && a.freshMs <= r.freshMs, `${fmt(a.freshMs)} vs ${fmt(r?.freshMs ?? NaN)} ms`),
    line('20 joins ≤ ½ reference', r && a.joinMs <= r.joinMs / 2, `${fmt(a.joinMs)} vs ${fmt(r?.joinMs ?? NaN)} ms`),
    line(
      'load from store ≤ 100 ms (usable: sync requests answered, first edit relayed)',
      Math.max(a.restartSyncMs, a.reconnectSyncMs, a.editRelayedMs) <= 100 && a.restartStallMs <= 100,
      `after a restart, from the first connection: fresh sync ${fmt(a.restartSyncMs)} ms, reconnecting client's sync ${fmt(a.reconnectSyncMs)} ms, ` +
        `first edit relayed ${fmt(a.editRelayedMs)} ms, event-loop max ${fmt(a.restartStallMs)} ms; fully loaded (applied in slices meanwhile) after ${fmt(a.loadMs)} ms`,
    ),
    line('no stall over 100 ms while a 1.6 MB document is ingested', a.pingRttMs <= 100 && a.stallMs <= 100, `longest ping ${fmt(a.pingRttMs)} ms, event-loop max ${fmt(a.stallMs)} ms`),
  ].join('\n');
}

async function main(): Promise<void> {
  if (env.BENCH_PROFILE === '1') fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const started = Date.now();
  const { doc, update } = buildBigDoc(OPTIONS);
  doc.destroy();
  const updateFile = path.join(os.tmpdir(), `accord-bigdoc-${process.pid}.bin`);
  fs.writeFileSync(updateFile, update);
  console.log(`big document: ${OPTIONS.pairs} pairs, ${OPTIONS.edits} edits, ${(update.length / 1e6).toFixed(2)} MB (built in ${Date.now() - started} ms); ${ROUNDS} rounds; servers ${SERVERS.join(', ')}`);
  const runs: Run[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of SERVERS) {
        const run = await runOne(name, round, update, updateFile);
        runs.push(run);
        console.log(`round ${round} ${name.padEnd(10)} ${describe(run)}`);
      }
    }
  } finally {
    fs.rmSync(updateFile, { force: true });
  }
  const summaries = summarise(runs);
  const text = `${tables(summaries)}\n\nTargets (issue 7):\n${targets(summaries)}`;
  console.log(`\n${text}`);
  if (env.BENCH_WRITE === '0') return;
  const section =
    `\n### Big document, ${new Date().toISOString().slice(0, 10)} — ${machineDescription()}, commit ${commitDescription()}\n\n` +
    `${OPTIONS.pairs} pairs × 2 languages × ~${OPTIONS.charsPerCell} characters, then ${OPTIONS.edits.toLocaleString('en')} single-character edits by ${OPTIONS.editors} clients interleaved ` +
    `(60 % inserts, 40 % deletes at random places; \`bench/bigdoc/bigDoc.ts\`, seeded): ${(update.length / 1e6).toFixed(2)} MB encoded. Accord holds it in its store ` +
    `(created, then the update appended as one row); the peers are sent it by a client. Servers alternated for ${ROUNDS} rounds, each run a fresh server process, ` +
    `the load generator (\`bench/bigdoc/client.ts\`) in its own process. *Fresh sync*: a client holding nothing, \`new WebSocket\` → the whole document received ` +
    `(median of ${clientConfigDefaults()}). *Ingest*: a client pushes the whole update into an empty document; meanwhile a client of another document sends ` +
    `sync step 1 every 10 ms: its longest round trip is how long other rooms stood still; the server's own event-loop maximum (\`monitorEventLoopDelay\`) ` +
    `is printed by the server (Accord: \`ACCORD_STALL_LOG=1\`, peers: \`STALL_LOG=1\`). *Load from store*: Accord's log lines on the first join after start and after a restart: \`document opened\` ` +
    `(SQLite read; from then on sync requests are answered from the stored rows and edits stored and relayed) and \`document loaded\` (every row applied in slices, ` +
    `and the edits accepted meanwhile). *After a restart*, from the first connection: a client holding nothing (fresh sync) and two holding the document connect at once, each on a thread of its own in the ` +
    `load generator (warmed first: its own first megabytes received are not the server's time); one of the two sends its state vector (reconnect sync) and an edit, timed until ` +
    `the other receives it (first edit relayed); the server's event-loop maximum until loaded. ` +
    `Medians across rounds (event-loop: the maximum). The machine is shared with other work.\n\n${text}\n`;
  fs.appendFileSync(path.join(REPO_ROOT, 'docs/benchmarks.md'), section);
  console.log('\nwritten: docs/benchmarks.md');
}

function clientConfigDefaults(): string {
  return `${env.BIGDOC_FRESH ?? 5} clients one after another; 20 joins: median of ${env.BIGDOC_JOIN_ROUNDS ?? 3} crowds`;
}

await main();
