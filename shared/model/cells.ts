import * as Y from 'yjs';
import { MARK_BITS, walkCell, walkParagraph, type ItemAlive, type WalkedRun } from './cellWalk.ts';
import type { CellContent, CellInput, TextRun } from './types.ts';

/**
 * Reading and writing one cell's Y.XmlFragment in the exact shape y-prosemirror
 * uses for our schema: each paragraph a Y.XmlElement('paragraph') holding one
 * Y.XmlText whose formatting attributes are the marks ({ strong: {} }).
 */

/** Converts a cell input (a plain string or runs) to paragraphs of runs. */
export function toCellContent(input: CellInput | undefined): CellContent {
  if (input === undefined) return [[]];
  if (typeof input === 'string') return input.split('\n').map((line) => (line ? [{ text: line }] : []));
  return input.length === 0 ? [[]] : input;
}

function runAttributes(run: TextRun): Record<string, unknown> {
  const attrs: Record<string, unknown> = {};
  if (run.marks?.strong) attrs.strong = {};
  if (run.marks?.em) attrs.em = {};
  return attrs;
}

/** The Y.XmlText of a paragraph element, if it has one. */
export function paragraphXmlText(element: Y.XmlElement): Y.XmlText | undefined {
  const first = element.get(0);
  return first instanceof Y.XmlText ? first : undefined;
}

/** Runs of one paragraph element, as the walk of a cell reads them (cellWalk.ts). */
export function readParagraph(element: Y.XmlElement): TextRun[] {
  return (walkParagraph(element) ?? []).map(toTextRun);
}

/** The whole content of a cell as paragraphs of runs: its paragraphs as a page shows them (cellWalk.ts). */
export function readCell(fragment: Y.XmlFragment, alive?: ItemAlive): CellContent {
  return walkCell(fragment, alive).map((runs) => runs.map(toTextRun));
}

function toTextRun({ text, bits }: WalkedRun): TextRun {
  if (bits === 0) return { text };
  const marks: NonNullable<TextRun['marks']> = {};
  if (bits & MARK_BITS.get('strong')!) marks.strong = true;
  if (bits & MARK_BITS.get('em')!) marks.em = true;
  return { text, marks };
}

/**
 * Appends runs at the end of a paragraph element, creating its text node if needed.
 * A paragraph can hold several text nodes (two editors typing into the same empty
 * paragraph each create one), so the runs go into the last one, not the first.
 */
export function appendRuns(element: Y.XmlElement, runs: TextRun[]): void {
  if (runs.length === 0) return;
  const last = element.length > 0 ? element.get(element.length - 1) : undefined;
  let text = last instanceof Y.XmlText ? last : undefined;
  if (!text) {
    text = new Y.XmlText();
    element.insert(element.length, [text]);
  }
  for (const run of runs) {
    if (run.text.length) text.insert(text.length, run.text, runAttributes(run));
  }
}

/**
 * Deletes the characters of a paragraph from `from` to its end, across all its
 * text nodes (see appendRuns: there can be more than one).
 */
export function truncateParagraph(element: Y.XmlElement, from: number): void {
  let pos = 0;
  for (const child of element.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    const end = pos + child.length;
    if (end > from) {
      const start = Math.max(from, pos);
      child.delete(start - pos, end - start);
    }
    pos = end;
  }
}

/** Inserts paragraphs into a fragment at a child index. Must run inside the doc. */
export function insertParagraphs(fragment: Y.XmlFragment, index: number, content: CellContent): void {
  const elements = content.map(() => new Y.XmlElement('paragraph'));
  fragment.insert(index, elements);
  elements.forEach((element, i) => appendRuns(element, content[i] ?? []));
}

/** Length of a run list in characters. */
export function runsLength(runs: TextRun[]): number {
  return runs.reduce((n, run) => n + run.text.length, 0);
}

/** The runs of `runs` from character `from` to the end. */
export function sliceRuns(runs: TextRun[], from: number): TextRun[] {
  const out: TextRun[] = [];
  let pos = 0;
  for (const run of runs) {
    const end = pos + run.text.length;
    if (end > from) {
      const text = run.text.slice(Math.max(0, from - pos));
      out.push(run.marks ? { text, marks: run.marks } : { text });
    }
    pos = end;
  }
  return out;
}
