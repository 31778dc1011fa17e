/**
 * Export benchmark (issue "Export the final text"): a generated 200-pair
 * declaration rendered to PDF (parallel and single language) and DOCX.
 * Median of several runs after a warm-up; results appended to docs/benchmarks.md.
 *
 * Peer (issue 7, scenario 5): the same 200 pairs as an HTML page (a two-column
 * table, numbered, DejaVu Serif 10.5 pt, A4) printed to PDF by headless
 * Chromium — page.setContent + page.pdf timed, the browser's launch not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { jointDeclaration } from '../server/demo/jointDeclaration.ts';
import { cellText, plainCell } from '../shared/canonicalText.ts';
import type { ExportModel } from '../server/export/model.ts';
import { renderExport } from '../server/export/render.ts';
import { launchBrowser } from '../tests/browser/helpers.ts';
import { commitDescription, machineDescription } from './machine.ts';

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
      return { id: `p${i}`, kind: 'operative', vi: plainCell(p.vi), fr: plainCell(p.fr), number: i + 1 };
    }),
    version: { number: 7, createdAt: new Date().toISOString(), hash: 'f'.repeat(64) },
    signedOff: false,
    signOff: jointDeclaration.parties.map((p) => ({ partyName: `${p.name.vi} / ${p.name.fr}`, party: p.name, signature: null })),
    attestation: { format: 'accord-attestation-v1', documentId: 'bench-200', version: null, signatures: [], head: null, keyFingerprint: '0'.repeat(64) },
    record: { version: null, signatures: [], head: null, publicKeyPem: '' },
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

/** The same 200 pairs as one HTML page, the way a browser would print them. */
function html(m: ExportModel): string {
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = m.pairs.map((p) => `<tr><td class="n">${p.number ?? ''}</td><td lang="vi">${esc(cellText(p.vi))}</td><td lang="fr">${esc(cellText(p.fr))}</td></tr>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(m.title.vi)}</title><style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'DejaVu Serif'; font-size: 10.5pt; line-height: 1.35; }
h1 { font-size: 14pt; text-align: center; }
table { width: 100%; border-collapse: collapse; }
td { vertical-align: top; padding: 4pt 6pt; border-top: 0.5pt solid #ccc; }
td.n { width: 2em; text-align: right; color: #666; }
tr { break-inside: avoid; }
</style></head><body><h1>${esc(m.title.vi)}<br>${esc(m.title.fr)}</h1><table>${rows}</table></body></html>`;
}

/** Chromium printing `html(m)` to PDF: median of RUNS after a warm-up, launch excluded. */
async function chromiumPrint(m: ExportModel): Promise<{ median: number; bytes: number; pages: string; version: string }> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const run = async () => {
      await page.setContent(html(m), { waitUntil: 'load' });
      return page.pdf({ format: 'A4', printBackground: true });
    };
    const { median, bytes } = await time(run);
    const file = path.join(os.tmpdir(), 'accord-bench-chromium.pdf');
    fs.writeFileSync(file, await run());
    const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? '';
    return { median, bytes, pages, version: browser.version() };
  } finally {
    await browser.close();
  }
}

// Accord's parallel PDF, as measured above (first row).
const [, accordMs, accordKiB, pdfPages = ''] = /^\| PDF parallel \| \d+ \| (\d+) ms \| (\d+) KiB \| (\d*) \|/.exec(rows[0]!) ?? [];
const accordParallel = Number(accordMs);
const pdfBytes = Number(accordKiB) * 1024;
const chromium = await chromiumPrint(m);
const peer = `\nThe same ${PAIRS} pairs printed by Chromium ${chromium.version} headless (issue 7, scenario 5): a two-column HTML table in DejaVu Serif 10.5 pt on A4, page.setContent + page.pdf(), launch excluded, median of ${RUNS} after a warm-up.\n\n| PDF of ${PAIRS} pairs, parallel | median time | size | pages |\n|---|---|---|---|\n| Accord (pdfkit) | ${accordParallel} ms | ${(pdfBytes / 1024).toFixed(0)} KiB | ${pdfPages} |\n| Chromium print | ${chromium.median.toFixed(0)} ms | ${(chromium.bytes / 1024).toFixed(0)} KiB | ${chromium.pages} |\n\nAccord / Chromium: ${(accordParallel / chromium.median).toFixed(2)}×.\n`;
console.log(peer);
const header = `\n### Export, ${new Date().toISOString().slice(0, 10)} — ${machineDescription()}, commit ${commitDescription()}\n\nMedian of ${RUNS} runs after one warm-up, generated ${PAIRS}-pair declaration (the demo's paragraphs repeated).\n\n| export | pairs | median time | size | pages |\n|---|---|---|---|---|\n`;
if (process.env.BENCH_WRITE !== '0') fs.appendFileSync(path.join(import.meta.dirname, '../docs/benchmarks.md'), header + rows.join('\n') + '\n' + peer);
