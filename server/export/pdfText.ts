import type { CanonicalCell, CanonicalRun } from '../../shared/canonicalText.ts';

/**
 * Rich text for the PDF: a cell's runs laid out into lines, each word in its
 * own face (DejaVu Serif, Bold, Italic, Bold Italic), then drawn line by line.
 * pdfkit wraps text of one font at a time; laying the lines out here lets
 * bold and italic words share a line, gives each cell its exact height, and
 * lets a long row be split between pages at a line.
 *
 * Lines break after breaking spaces (never at U+00A0 or U+202F, which French
 * typography binds to the word beside them) and after a hyphen or dash inside
 * a word ("franco-vietnamien"); a word wider than the column is cut between
 * characters. pdfkit measures text word by word (each up to and including
 * its space), so the width of a line is the sum of its words' widths.
 */

export type FaceName = 'serif' | 'serifBold' | 'serifItalic' | 'serifBoldItalic';

/** The face of a run: bold if the run is bold or the whole cell is (a title), italic if it is italic. */
export function faceOf(marks: CanonicalRun['marks'], bold: boolean): FaceName {
  const strong = bold || (marks?.includes('strong') ?? false);
  const em = marks?.includes('em') ?? false;
  return strong ? (em ? 'serifBoldItalic' : 'serifBold') : em ? 'serifItalic' : 'serif';
}

export interface TextStyle {
  size: number;
  lineGap: number;
  color: string;
  /** The whole cell in bold (a title pair). */
  bold: boolean;
}

interface Segment {
  text: string;
  face: FaceName;
  /** From the start of the line. */
  x: number;
}

export interface LaidOutCell {
  lines: Segment[][];
  /** Height of one line, its gap included (pdfkit's heightOfString per line). */
  lineHeight: number;
  /** From the top of a line to its baseline. */
  ascent: number;
  size: number;
  color: string;
}

type Doc = PDFKit.PDFDocument;

interface Part {
  text: string;
  face: FaceName;
}

/** After a run of breaking spaces, or after a hyphen or dash between two non-spaces. */
const BREAK_AFTER = /[ \t]+|(?<=\S)[-\u2013\u2014](?=\S)/gu;

/** The paragraph cut into pieces that a line may end after, each piece the parts (faces) it spans. */
function pieces(parts: Part[]): Part[][] {
  const text = parts.map((p) => p.text).join('');
  const ends: number[] = [];
  for (const match of text.matchAll(BREAK_AFTER)) ends.push(match.index + match[0].length);
  if (ends.at(-1) !== text.length) ends.push(text.length);
  const out: Part[][] = [];
  let partIndex = 0;
  let partStart = 0;
  let start = 0;
  for (const end of ends) {
    const piece: Part[] = [];
    while (partIndex < parts.length && partStart < end) {
      const part = parts[partIndex]!;
      const from = Math.max(start, partStart) - partStart;
      const to = Math.min(end, partStart + part.text.length) - partStart;
      if (to > from) piece.push({ text: part.text.slice(from, to), face: part.face });
      if (partStart + part.text.length <= end) {
        partStart += part.text.length;
        partIndex++;
      } else break;
    }
    if (piece.length) out.push(piece);
    start = end;
  }
  return out;
}

function width(doc: Doc, text: string, face: FaceName, size: number): number {
  return doc.font(face).fontSize(size).widthOfString(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** A piece wider than the line, cut between characters into pieces that fit (at least one character each). */
function cutWide(doc: Doc, piece: Part[], lineWidth: number, size: number): Part[][] {
  const out: Part[][] = [];
  let current: Part[] = [];
  let used = 0;
  for (const part of piece) {
    for (const { segment } of graphemes.segment(part.text)) {
      const w = width(doc, segment, part.face, size);
      if (used + w > lineWidth && (current.length > 0 || used > 0)) {
        out.push(current);
        current = [];
        used = 0;
      }
      const last = current.at(-1);
      if (last && last.face === part.face) last.text += segment;
      else current.push({ text: segment, face: part.face });
      used += w;
    }
  }
  if (current.length) out.push(current);
  return out;
}

/** The parts of a line as drawn: neighbours of one face joined, the spaces it ends with dropped, each placed. */
function placeLine(doc: Doc, parts: Part[], size: number): Segment[] {
  const joined: Part[] = [];
  for (const part of parts) {
    const last = joined.at(-1);
    if (last && last.face === part.face) last.text += part.text;
    else joined.push({ ...part });
  }
  while (joined.length) {
    const last = joined.at(-1)!;
    last.text = last.text.replace(/[ \t]+$/u, '');
    if (last.text) break;
    joined.pop();
  }
  let x = 0;
  return joined.map((part) => {
    const segment = { text: part.text, face: part.face, x };
    x += width(doc, part.text, part.face, size);
    return segment;
  });
}

/** Lays a cell out in lines of `lineWidth` points. An empty cell has no line; an empty paragraph is an empty line. */
export function layoutCell(doc: Doc, cell: CanonicalCell, lineWidth: number, style: TextStyle): LaidOutCell {
  const base = style.bold ? 'serifBold' : 'serif';
  doc.font(base).fontSize(style.size);
  const lineHeight = doc.currentLineHeight(true) + style.lineGap;
  // pdfkit's own top-of-line to baseline (its default `baseline: 'top'`), for the cell's face.
  const ascent = ((doc as unknown as { _font: { ascender: number } })._font.ascender / 1000) * style.size;
  const lines: Segment[][] = [];
  const empty = cell.every((paragraph) => paragraph.every((run) => run.text === ''));
  if (!empty) {
    for (const paragraph of cell) {
      let line: Part[] = [];
      let used = 0;
      const flush = () => {
        lines.push(placeLine(doc, line, style.size));
        line = [];
        used = 0;
      };
      for (const whole of pieces(paragraph.map((run) => ({ text: run.text, face: faceOf(run.marks, style.bold) })))) {
        const full = whole.reduce((w, part) => w + width(doc, part.text, part.face, style.size), 0);
        const last = whole.at(-1)!;
        // Spaces at the end of a line take no room (they are not drawn).
        const visible = full - width(doc, /[ \t]*$/u.exec(last.text)![0], last.face, style.size);
        if (visible <= lineWidth) {
          if (line.length > 0 && used + visible > lineWidth) flush();
          line.push(...whole);
          used += full;
          continue;
        }
        if (line.length > 0) flush();
        cutWide(doc, whole, lineWidth, style.size).forEach((piece, i) => {
          if (i > 0) flush();
          line.push(...piece);
          used = piece.reduce((w, part) => w + width(doc, part.text, part.face, style.size), 0);
        });
      }
      flush();
    }
  }
  return { lines, lineHeight, ascent, size: style.size, color: style.color };
}

/** Draws lines `from` to `to` of a laid-out cell, the first at `y`; returns the height drawn. */
export function drawLines(doc: Doc, cell: LaidOutCell, x: number, y: number, from = 0, to = cell.lines.length): number {
  doc.fillColor(cell.color);
  for (let i = from; i < to; i++) {
    const baseline = y + (i - from) * cell.lineHeight + cell.ascent;
    for (const segment of cell.lines[i]!) {
      doc.font(segment.face).fontSize(cell.size);
      doc.text(segment.text, x + segment.x, baseline, { lineBreak: false, baseline: 'alphabetic' });
    }
  }
  return (to - from) * cell.lineHeight;
}
