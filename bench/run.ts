/**
 * `npm run bench`: runs every benchmark, one after another, each in its own
 * process (so none inherits another's heap or JIT state). Environment
 * variables pass through (BENCH_SECONDS, BENCH_CLIENTS, BENCH_ROUNDS, BENCH_WRITE, …).
 * `npm run bench -- sync` runs only the benches whose file name contains "sync".
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES = ['bench/export.bench.ts', 'bench/diff.bench.ts', 'bench/cellWalk.bench.ts', 'bench/sync/fanout.bench.ts', 'bench/bigdoc.bench.ts', 'bench/docsize.bench.ts', 'bench/browser.bench.ts'];
const root = path.resolve(import.meta.dirname, '..');
const filter = process.argv[2];

let failed = 0;
for (const bench of BENCHES.filter((b) => !filter || b.includes(filter))) {
  console.log(`\n=== ${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', bench], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench} failed (${result.status ?? result.signal})`);
  }
}
process.exit(failed ? 1 : 0);
