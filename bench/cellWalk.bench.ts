/**
 * The one walk of a cell (shared/model/cellWalk.ts, issue 19 point 3) against
 * the readers it replaced, in the same run: the plain text identity and the
 * canonical runs (what the server computes after every turn someone typed in
 * a pair, for the hash) of every cell of a 2,000-pair declaration with bold
 * and italic. The "before" readers are the code as it stood before the walk
 * (each its own traversal), kept here only to be measured against.
 * Median of RUNS passes over all cells, alternating before / after.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { readCellRuns } from '../shared/canonicalText.ts';
import { MARK_BITS, walkCell } from '../shared/model/cellWalk.ts';
import { getPair, insertPair, paragraphXmlText, readOrder } from '../shared/model/index.ts';
import { cellPlainText } from '../shared/text.ts';
import { commitDescription, machineDescription } from './machine.ts';
import { quantile } from './sync/stats.ts';

const PAIRS = 2000;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

// --- before: the plain text and the runs as each reader walked the cell itself ---
function xmlTextStringBefore(text: Y.XmlText): string {
  let out = '';
  for (let item = text._start; item !== null; item = item.right) if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str;
  return out;
}
function cellPlainTextBefore(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) {
      let out = '';
      for (const node of child.toArray()) if (node instanceof Y.XmlText) out += xmlTextStringBefore(node);
      parts.push(out);
    } else if (child instanceof Y.XmlText) parts.push(xmlTextStringBefore(child));
  }
  return parts.join('\n').normalize('NFC');
}
function runsBefore(fragment: Y.XmlFragment): Array<Array<{ text: string; bits: number }>> {
  const out: Array<Array<{ text: string; bits: number }>> = [];
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const runs: Array<{ text: string; bits: number }> = [];
    for (const node of child.toArray()) {
      if (!(node instanceof Y.XmlText)) continue;
      let bits = 0;
      for (let item = node._start; item !== null; item = item.right) {
        if (item.deleted) continue;
        if (item.content instanceof Y.ContentString) runs.push({ text: item.content.str, bits });
        else if (item.content instanceof Y.ContentFormat) {
          const bit = MARK_BITS.get(item.content.key) ?? 0;
          bits = item.content.value === null ? bits & ~bit : bits | bit;
        }
      }
    }
    out.push(runs);
  }
  return out;
}

const doc = new Y.Doc();
doc.transact(() => {
  for (let i = 0; i < PAIRS; i++) {
    insertPair(doc, { id: `p-${i}`, kind: 'operative', vi: `Điều ${i}. Hai bên nhất trí tăng cường hợp tác phát triển đô thị bền vững.\nThành phố Hà Nội.`, fr: `Article ${i}. Les deux parties conviennent de renforcer la coopération urbaine durable.` });
  }
});
doc.transact(() => {
  for (const id of readOrder(doc)) {
    const text = paragraphXmlText(getPair(doc, id)!.cell('vi').get(0) as Y.XmlElement)!;
    text.format(0, 8, { strong: {} });
    text.format(12, 10, { em: {} });
  }
});
const cells = readOrder(doc).flatMap((id) => [getPair(doc, id)!.cell('vi'), getPair(doc, id)!.cell('fr')]);

function pass(read: (fragment: Y.XmlFragment) => unknown): number {
  const started = performance.now();
  for (const fragment of cells) read(fragment);
  return performance.now() - started;
}

const readers = {
  'plain text: before': (f: Y.XmlFragment) => cellPlainTextBefore(f),
  'plain text: the walk': (f: Y.XmlFragment) => cellPlainText(f),
  'runs: before': (f: Y.XmlFragment) => runsBefore(f),
  'runs: the walk': (f: Y.XmlFragment) => walkCell(f),
  'runs, canonical (what is hashed): the walk': (f: Y.XmlFragment) => readCellRuns(f),
};
const times = new Map<string, number[]>(Object.keys(readers).map((k) => [k, []]));
for (const [, read] of Object.entries(readers)) for (let i = 0; i < 3; i++) pass(read); // warm-up
for (let run = 0; run < RUNS; run++) for (const [name, read] of Object.entries(readers)) times.get(name)!.push(pass(read));

const median = (name: string) => quantile([...times.get(name)!].sort((a, b) => a - b), 0.5);
console.log(`### Cell walk, ${new Date().toISOString().slice(0, 10)} — ${machineDescription()}, commit ${commitDescription()}\n`);
console.log(`Every cell of a ${PAIRS}-pair declaration (${cells.length} cells, bold and italic in half), median of ${RUNS} passes:\n`);
console.log('| reader | ms per pass | µs per cell |\n|---|---|---|');
for (const name of Object.keys(readers)) console.log(`| ${name} | ${median(name).toFixed(2)} | ${((median(name) * 1000) / cells.length).toFixed(2)} |`);
console.log(`\nPlain text, the walk / before: ${(median('plain text: the walk') / median('plain text: before')).toFixed(2)}×`);
console.log(`Runs, the walk / before: ${(median('runs: the walk') / median('runs: before')).toFixed(2)}×`);
