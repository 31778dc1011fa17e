/**
 * Scenario 3 of issue 7: the cost of Accord's own work per update must not
 * grow with the document. Accord alone (the peers have no per-pair work),
 * holding a document of BIGDOC_SIZES pairs (default 200 and 2,000; same
 * generator as the big-document bench, bench/bigdoc/bigDoc.ts), under the same
 * write load: DOCSIZE_WRITERS writers (10) each typing one character every
 * 100 ms into one pair for DOCSIZE_SECONDS (10 s). Sizes alternated for
 * BENCH_ROUNDS rounds (3), each run a fresh server process, the load
 * generator (bench/bigdoc/writers.ts) in its own process. Figure: server CPU
 * seconds (user + system, /proc) per 1,000 updates; target: the large
 * document's ≤ 1.2 × the small one's.
 *
 * BENCH_WRITE=0: print only. BENCH_PROFILE=1: Accord with --cpu-prof into bench/profiles/.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIG_DOC, bigPairId, buildBigDoc } from './bigdoc/bigDoc.ts';
import { commitDescription, machineDescription } from './machine.ts';
import { BENCH_DOCUMENTS, seedAccordDataDir } from './bigdoc/seedAccord.ts';
import type { WritersConfig, WritersResult } from './bigdoc/writers.ts';
import { REPO_ROOT, startBenchServer } from './sync/servers.ts';
import { median } from './sync/stats.ts';

const env = process.env;
const SIZES = (env.BIGDOC_SIZES ?? '200,2000').split(',').map(Number);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const WRITERS = Number(env.DOCSIZE_WRITERS ?? 10);
const SECONDS = Number(env.DOCSIZE_SECONDS ?? 10);
const EDITS = Number(env.BIGDOC_EDITS ?? BIG_DOC.edits);
const PROFILE_DIR = path.join(REPO_ROOT, 'bench/profiles');

function runWriters(config: WritersConfig): Promise<WritersResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bigdoc/writers.ts', JSON.stringify(config)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as WritersResult);
      else reject(new Error(`writers failed (${code}):\n${output}`));
    });
  });
}

async function runOne(update: Uint8Array, pairs: number): Promise<WritersResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-docsize-'));
  try {
    await seedAccordDataDir(dataDir, { [BENCH_DOCUMENTS.big]: update });
    const nodeArgs = env.BENCH_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
    const server = await startBenchServer('accord', nodeArgs, { dataDir });
    try {
      return await runWriters({
        base: server.base,
        cookies: server.cookies,
        document: BENCH_DOCUMENTS.big,
        pairId: bigPairId(Math.floor(pairs / 2)),
        writers: WRITERS,
        seconds: SECONDS,
        intervalMs: 100,
        serverPid: server.pid,
      });
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (env.BENCH_PROFILE === '1') fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const docs = SIZES.map((pairs) => {
    const started = Date.now();
    const { doc, update } = buildBigDoc({ ...BIG_DOC, pairs, edits: EDITS });
    doc.destroy();
    console.log(`${pairs} pairs: ${(update.length / 1e6).toFixed(2)} MB (built in ${Date.now() - started} ms)`);
    return { pairs, update };
  });
  const results = new Map<number, WritersResult[]>(SIZES.map((s) => [s, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { pairs, update } of docs) {
      const r = await runOne(update, pairs);
      results.get(pairs)!.push(r);
      console.log(
        `round ${round} ${String(pairs).padStart(5)} pairs: ${r.sent} updates, ${r.delivered}/${r.expected} delivered, server CPU ${r.serverCpuSeconds.toFixed(2)} s = ${r.cpuPer1000.toFixed(3)} s / 1,000 updates (first sync ${r.syncMs.toFixed(0)} ms)`,
      );
    }
  }
  const per1000 = (pairs: number) => median(results.get(pairs)!.map((r) => r.cpuPer1000));
  const [small, large] = [SIZES[0]!, SIZES.at(-1)!];
  const ratio = per1000(large) / per1000(small);
  const table = [
    '| pairs | encoded MB | updates / run | all delivered | server CPU s / 1,000 updates (median) |',
    '|---|---|---|---|---|',
    ...docs.map(({ pairs, update }) => {
      const runs = results.get(pairs)!;
      return `| ${pairs} | ${(update.length / 1e6).toFixed(2)} | ${runs[0]!.sent} | ${runs.every((r) => r.delivered >= r.expected) ? 'yes' : '**no**'} | ${per1000(pairs).toFixed(3)} |`;
    }),
    '',
    `Ratio ${large} / ${small} pairs: **${ratio.toFixed(2)}×** — target ≤ 1.2×: ${ratio <= 1.2 ? '**met**' : '**missed**'}.`,
  ].join('\n');
  console.log(`\n${table}`);
  if (env.BENCH_WRITE === '0') return;
  const section =
    `\n### Per-update cost against document size, ${new Date().toISOString().slice(0, 10)} — ${machineDescription()}, commit ${commitDescription()}\n\n` +
    `Accord alone (sign-in, SQLite, approval tracking on), holding a document of ${SIZES.join(' or ')} pairs (the big-document generator, ${EDITS.toLocaleString('en')} edits of history each), ` +
    `${WRITERS} writers each typing one character every 100 ms into one pair for ${SECONDS} s; sizes alternated for ${ROUNDS} rounds, each run a fresh server process, ` +
    `the load generator (\`bench/bigdoc/writers.ts\`) in its own process. Server CPU: user + system seconds of the whole process (all threads) while typing and relaying, ` +
    `per 1,000 updates; medians. The machine is shared with other work.\n\n${table}\n`;
  fs.appendFileSync(path.join(REPO_ROOT, 'docs/benchmarks.md'), section);
  console.log('\nwritten: docs/benchmarks.md');
}

await main();
