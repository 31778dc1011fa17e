import type * as Y from 'yjs';
import { MARK_NAMES, type MarkName } from './editor/schema.ts';
import { getPair, readOrder, type CellContent, type PairKind } from './model/index.ts';
import { MARK_BITS, walkCell } from './model/cellWalk.ts';
import { PARAGRAPH_SEPARATOR } from './text.ts';

/**
 * The agreed text of a cell: its paragraphs of runs, bold and italic
 * included, in one canonical form. What is hashed, versioned, diffed and
 * exported is this form (docs/DESIGN.md decision 2, with formatting); the plain
 * text identity (text.ts `cellPlainText`) stays what search and checks use.
 *
 * Canonical means: text in NFC; no empty run; adjacent runs with the same
 * marks merged; marks in the schema's order (MARK_NAMES) and absent when
 * none; a line break inside a run's text is a paragraph break; a cell has at
 * least one paragraph. So two cells that look the same are equal however Yjs
 * split their runs, and NFD text equals its NFC form.
 */

export type { MarkName };

/** A run of text and its marks (none: `marks` absent). */
export interface CanonicalRun {
  text: string;
  marks?: readonly MarkName[];
}

export type CanonicalParagraph = CanonicalRun[];

/** One language of one pair: at least one paragraph. */
export type CanonicalCell = CanonicalParagraph[];

/** Both languages of a pair. */
export interface PairContent {
  vi: CanonicalCell;
  fr: CanonicalCell;
}

/** A pair in canonical form, as a version holds it. */
export interface CanonicalPair extends PairContent {
  id: string;
  kind: PairKind | string;
}

/** What `canonicalCell` accepts: runs whose marks are names (unknown names are not marks of the schema and are dropped). */
export interface RunInput {
  text: string;
  marks?: readonly string[];
}

// Marks as a bit set (MARK_BITS: bit i = MARK_NAMES[i]), and one frozen array per set.
const MARKS_OF: ReadonlyArray<readonly MarkName[] | undefined> = Array.from({ length: 1 << MARK_NAMES.length }, (_, bits) =>
  bits === 0 ? undefined : Object.freeze(MARK_NAMES.filter((_, i) => bits & (1 << i))),
);

function bitsOf(marks: readonly string[] | undefined): number {
  let bits = 0;
  if (marks) for (const name of marks) bits |= MARK_BITS.get(name) ?? 0;
  return bits;
}

/**
 * Characters that belong to the character before them whatever their
 * formatting (combining marks: a tone mark typed in NFD; Hangul vowel and
 * final jamo): NFC may compose them with it, so they join the run of that
 * character, and NFC of each run is NFC of the whole paragraph.
 */
const ATTACHED = /^[\p{M}\u1160-\u11FF]+/u;

/** Raw runs of one paragraph (text not yet NFC, possibly empty or split) to canonical paragraphs. */
function normaliseParagraphs(runs: ReadonlyArray<{ text: string; bits: number }>, out: CanonicalCell): void {
  let paragraph: Array<{ text: string; bits: number }> = [];
  const close = () => {
    out.push(paragraph.map(({ text, bits }) => (bits ? { text: text.normalize('NFC'), marks: MARKS_OF[bits]! } : { text: text.normalize('NFC') })));
    paragraph = [];
  };
  for (const run of runs) {
    const lines = run.text.includes(PARAGRAPH_SEPARATOR) ? run.text.split(PARAGRAPH_SEPARATOR) : [run.text];
    lines.forEach((line, i) => {
      if (i > 0) close();
      let text = line;
      const last = paragraph.at(-1);
      const attached = last ? ATTACHED.exec(text) : null;
      if (last && attached) {
        last.text += attached[0];
        text = text.slice(attached[0].length);
      }
      if (!text) return;
      if (last && last.bits === run.bits) last.text += text;
      else paragraph.push({ text, bits: run.bits });
    });
  }
  close();
}

/** The canonical form of a cell given as paragraphs of runs (from the model, a stored version, an import). */
export function canonicalCell(paragraphs: ReadonlyArray<ReadonlyArray<RunInput>>): CanonicalCell {
  const out: CanonicalCell = [];
  for (const paragraph of paragraphs) normaliseParagraphs(paragraph.map((run) => ({ text: run.text, bits: bitsOf(run.marks) })), out);
  if (out.length === 0) out.push([]);
  return out;
}

/** A plain string (paragraphs separated by "\n") as a cell without formatting. */
export function plainCell(text: string): CanonicalCell {
  return canonicalCell(text.split(PARAGRAPH_SEPARATOR).map((line) => [{ text: line }]));
}

/** The model's cell content (marks as flags: `{ strong: true }`) in canonical form. */
export function cellFromContent(content: CellContent): CanonicalCell {
  return canonicalCell(content.map((runs) => runs.map((run) => ({ text: run.text, marks: MARK_NAMES.filter((name) => run.marks?.[name]) }))));
}

/** The plain text of a canonical cell: the text identity (`cellPlainText` of the same fragment). */
export function cellText(cell: CanonicalCell): string {
  return cell.map((paragraph) => paragraph.map((run) => run.text).join('')).join(PARAGRAPH_SEPARATOR);
}

/** Whether any run of the cell is bold or italic. */
export function hasMarks(cell: CanonicalCell): boolean {
  return cell.some((paragraph) => paragraph.some((run) => run.marks !== undefined));
}

/**
 * The canonical form of one cell, read from the Y.XmlFragment y-prosemirror
 * binds to the editor by the walk every reader of a cell uses
 * (model/cellWalk.ts). Its plain text is `cellPlainText(fragment)`.
 */
export function readCellRuns(fragment: Y.XmlFragment): CanonicalCell {
  const out: CanonicalCell = [];
  for (const runs of walkCell(fragment)) normaliseParagraphs(runs, out);
  if (out.length === 0) out.push([]);
  return out;
}

/** A pair of a live doc in canonical form (what its hash covers), or undefined when there is no such pair. */
export function readPairContent(doc: Y.Doc, id: string): CanonicalPair | undefined {
  const pair = getPair(doc, id);
  if (!pair) return undefined;
  return { id, kind: pair.kind, vi: readCellRuns(pair.cell('vi')), fr: readCellRuns(pair.cell('fr')) };
}

/** Every pair of a live doc in canonical form, in reading order (what a version fixes). */
export function readAllPairContents(doc: Y.Doc): CanonicalPair[] {
  return readOrder(doc).flatMap((id) => readPairContent(doc, id) ?? []);
}
