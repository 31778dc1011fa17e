/**
 * Scenario 1 of issue 7, fan-out: N clients on one document, N/10 writers each
 * typing a character every 100 ms. For each N, servers are alternated
 * (accord, reference, hocuspocus, accord, …) for BENCH_ROUNDS rounds; every
 * run gets a fresh server process and a fresh load generator process.
 *
 * Environment:
 *   BENCH_CLIENTS   comma-separated N values (default 10,50,200)
 *   BENCH_SECONDS   typing time per run (default 20)
 *   BENCH_ROUNDS    rounds (default 3)
 *   BENCH_SERVERS   subset of accord,reference,hocuspocus (default all), plus
 *                   accord-base: Accord built from BENCH_BASE_ROOT (another
 *                   checkout), for before/after rounds alternated in one run
 *   BENCH_INTERVAL  ms between a writer's keystrokes (default 100)
 *   BENCH_DRAIN_SECONDS how long after the last keystroke every update must
 *                   have arrived (default 15); a server that has not delivered
 *                   everything by then is reported as fallen behind, not waited for
 *   BENCH_PROFILE   1: run Accord with --cpu-prof into bench/profiles/; or a
 *                   comma-separated list of servers to profile (e.g. accord,hocuspocus),
 *                   each into bench/profiles/<server>/
 *   BENCH_PROFILE_LOADGEN 1: run the load generator with --cpu-prof into bench/profiles/loadgen/
 *   BENCH_WRITE     0: do not write docs/benchmarks.md and docs/bench-fanout.svg
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadConfig, LoadResult } from './loadgen.ts';
import { markdownTables, roundsTable, summarise, svgChart, type Run } from './report.ts';
import { REPO_ROOT, SERVER_NAMES, startBenchServer, type RunningServer, type ServerName } from './servers.ts';
import { commitDescription, machineDescription } from '../machine.ts';

const env = process.env;
const CLIENTS = (env.BENCH_CLIENTS ?? '10,50,200').split(',').map(Number).filter((n) => n > 1);
const SECONDS = Number(env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const INTERVAL = Number(env.BENCH_INTERVAL ?? 100);
const DRAIN_SECONDS = Number(env.BENCH_DRAIN_SECONDS ?? 15);
/** Beyond typing and draining: connecting N clients, checking convergence, closing. Past it the load generator is killed. */
const LOADGEN_SLACK_SECONDS = 180;
const SERVERS = (env.BENCH_SERVERS?.split(',') ?? [...SERVER_NAMES]) as ServerName[];
const PROFILE_DIR = path.join(REPO_ROOT, 'bench/profiles');
/** Servers run with --cpu-prof (BENCH_PROFILE=1 is Accord alone, into PROFILE_DIR as before). */
const PROFILED = env.BENCH_PROFILE === '1' ? ['accord'] : (env.BENCH_PROFILE?.split(',').filter(Boolean) ?? []);
function profileArgs(name: ServerName): string[] {
  if (!PROFILED.includes(name)) return [];
  const dir = env.BENCH_PROFILE === '1' ? PROFILE_DIR : path.join(PROFILE_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Runs the load generator in its own process against a running server. */
function runLoadgen(server: RunningServer, clients: number): Promise<LoadResult> {
  const config: LoadConfig = {
    url: server.url,
    dialect: server.dialect,
    documentName: server.documentName,
    cookies: server.cookies,
    clients,
    writers: Math.max(1, Math.round(clients / 10)),
    seconds: SECONDS,
    intervalMs: INTERVAL,
    serverPid: server.pid,
    seed: server.seed,
    drainSeconds: DRAIN_SECONDS,
  };
  const profile = env.BENCH_PROFILE_LOADGEN === '1' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/loadgen`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/sync/loadgen.ts', JSON.stringify(config)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const limitSeconds = SECONDS + DRAIN_SECONDS + LOADGEN_SLACK_SECONDS;
  let killed = false;
  const watchdog = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, limitSeconds * 1000);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as LoadResult);
      else if (killed) reject(new Error(`load generator against ${server.name} did not finish within ${limitSeconds} s; killed:\n${output.slice(-2000)}`));
      else reject(new Error(`load generator failed (${code}) against ${server.name}:\n${output}`));
    });
  });
}

function describe(r: LoadResult): string {
  const ok = !r.drained
    ? `FELL BEHIND (not drained within ${r.drainSeconds} s: ${r.delivered}/${r.expected} delivered)`
    : r.converged && r.missing === 0 && r.duplicates === 0
      ? 'ok'
      : `FAILED (missing ${r.missing}, dup ${r.duplicates}, converged ${r.converged})`;
  return (
    `p50 ${r.latencyMs.p50.toFixed(1)} p99 ${r.latencyMs.p99.toFixed(1)} max ${r.latencyMs.max.toFixed(1)} ms, ` +
    `cpu ${r.serverCpuSeconds.toFixed(2)} s (${r.cpuPer1000.toFixed(5)} s/1k), rss ${(r.peakRssKiB / 1024).toFixed(0)} MiB, ` +
    `writes ${r.serverWrites.calls} (${(r.serverWrites.bytes / 1e6).toFixed(1)} MB), ` +
    `${r.delivered}/${r.expected} delivered, loadgen cpu ${r.loadgenCpuSeconds.toFixed(1)} s lag p99 ${r.loadgenLagMs.p99.toFixed(0)} max ${r.loadgenLagMs.max.toFixed(0)} ms, ${ok}` +
    (r.errors.length ? ` errors: ${r.errors.slice(0, 3).join('; ')}` : '')
  );
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  console.log(`fan-out: clients ${CLIENTS.join(', ')}; ${SECONDS} s each; ${ROUNDS} rounds; servers ${SERVERS.join(', ')}`);
  for (const clients of CLIENTS) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const name of SERVERS) {
        const server = await startBenchServer(name, profileArgs(name));
        try {
          const result = await runLoadgen(server, clients);
          runs.push({ server: name, round, result });
          console.log(`N=${clients} round ${round} ${name.padEnd(10)} ${describe(result)}`);
        } finally {
          await server.stop();
        }
      }
    }
  }

  const summaries = summarise(runs, SECONDS);
  const tables = `${markdownTables(summaries)}\n\nEvery round:\n\n${roundsTable(runs)}`;
  console.log(`\n${tables}`);
  if (env.BENCH_WRITE === '0') return;
  const date = new Date().toISOString().slice(0, 10);
  const section =
    `\n### Sync fan-out, ${date} — ${machineDescription()}, commit ${commitDescription()}\n\n` +
    `N clients on the demo declaration, N/10 writers each appending one character to its own paragraph every ${INTERVAL} ms for ${SECONDS} s; ` +
    `servers alternated (${SERVERS.join(', ')}) for ${ROUNDS} rounds, each run a fresh server process; load generator in its own process ` +
    `(raw \`ws\` + y-protocols). Latency: a writer's send to each other client's receipt. CPU: server user+system seconds while typing and draining, ` +
    `per 1,000 delivered updates. RSS: server's peak (VmHWM). Medians across rounds. Accord runs with sign-in, SQLite (WAL, synchronous=FULL, ` +
    `persist before broadcast) and approval tracking; the reference server (\`@y/websocket-server\` 0.1.1) and Hocuspocus (\`@hocuspocus/server\` ` +
    `4.7.0, no extensions) keep documents in memory only. Accord runs as \`npm start\` runs it (compiled to JavaScript by tsc, plain Node), like the peers. The machine is shared: other work may run meanwhile, hence the alternation and medians; the load generator's own event-loop lag is printed with each run. Chart: [bench-fanout.svg](bench-fanout.svg).\n\n${tables}\n`;
  fs.appendFileSync(path.join(REPO_ROOT, 'docs/benchmarks.md'), section);
  fs.writeFileSync(path.join(REPO_ROOT, 'docs/bench-fanout.svg'), svgChart(summaries, `Fan-out: p99 latency, ${SECONDS} s runs, median of ${ROUNDS}`));
  console.log('\nwritten: docs/benchmarks.md, docs/bench-fanout.svg');
}

await main();
