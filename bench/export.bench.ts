/**
 * Export benchmark (issue "Export the final text"): a generated 200-pair
 * declaration rendered to PDF (parallel and single language) and DOCX.
 * Median of several runs after a warm-up; results appended to docs/benchmarks.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { jointDeclaration } from '../server/demo/jointDeclaration.ts';
import type { ExportModel } from '../server/export/model.ts';
import { renderExport } from '../server/export/render.ts';

const PAIRS = 200;
const RUNS = 5;

function model(): ExportModel {
  const source = jointDeclaration.pairs.slice(1);
  return {
    documentId: 'bench-200',
    title: jointDeclaration.title,
    parties: jointDeclaration.parties,
    pairs: Array.from({ length: PAIRS }, (_, i) => {
      const p = source[i % source.length]!;
      return { id: `p${i}`, kind: 'operative', vi: p.vi, fr: p.fr, number: i + 1 };
    }),
    version: { number: 7, createdAt: new Date().toISOString(), hash: 'f'.repeat(64) },
    signedOff: false,
    signatures: [],
    generatedAt: new Date().toISOString(),
  };
}

async function time(run: () => Promise<Buffer>): Promise<{ median: number; bytes: number }> {
  await run(); // warm-up: fonts parsed, code compiled
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    bytes = (await run()).length;
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, bytes };
}

const m = model();
const rows: string[] = [];
for (const [format, layout] of [['pdf', 'parallel'], ['pdf', 'vi'], ['docx', 'parallel']] as const) {
  const { median, bytes } = await time(() => renderExport(m, format, layout));
  let pages = '';
  if (format === 'pdf') {
    const file = path.join(os.tmpdir(), `accord-bench-${layout}.pdf`);
    fs.writeFileSync(file, await renderExport(m, format, layout));
    pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? '';
  }
  rows.push(`| ${format.toUpperCase()} ${layout} | ${PAIRS} | ${median.toFixed(0)} ms | ${(bytes / 1024).toFixed(0)} KiB | ${pages} |`);
  console.log(rows.at(-1));
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const header = `\n### Export, ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, commit ${commit}\n\nMedian of ${RUNS} runs after one warm-up, generated ${PAIRS}-pair declaration (the demo's paragraphs repeated).\n\n| export | pairs | median time | size | pages |\n|---|---|---|---|---|\n`;
if (process.env.BENCH_WRITE !== '0') fs.appendFileSync(path.join(import.meta.dirname, '../docs/benchmarks.md'), header + rows.join('\n') + '\n');
