import PDFDocument from 'pdfkit';
import type { CanonicalCell } from '../../shared/canonicalText.ts';
import { FONTS } from './fonts.ts';
import { attestationLine, encodeAttestation } from '../versions/attestation.ts';
import { DRAFT_WATERMARK, exportDate, signOffLines, versionLine, type ExportModel, type Layout } from './model.ts';
import { drawLines, layoutCell, type LaidOutCell } from './pdfText.ts';
import { drawSignatureBlocks } from './pdfSignatures.ts';
import { drawOutlinedText } from './pdfWatermark.ts';
import { signatureBlocks } from './signatureBlocks.ts';

/**
 * The PDF export (pdfkit): A4, fonts embedded, numbered pairs, version and
 * hash, sign-off block and a version's blocks for handwritten signatures,
 * DRAFT watermark (outlines, not text) on every page of anything not signed
 * off, "n / N" page numbers; only operative paragraphs are numbered. The
 * text keeps its bold and italic, in DejaVu's own faces (pdfText.ts). In the
 * parallel layout each pair is one row: a row that does not fit moves to the
 * next page, and a row longer than a page is split at a line so both
 * languages continue side by side.
 */

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 54, right: 54, top: 60, bottom: 64 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE.height - MARGIN.bottom;
const TEXT = { font: 'serif', size: 10.5, lineGap: 2.5 };
const NUMBER_WIDTH = 22;
const GUTTER = 24;
const COLUMN_WIDTH = (CONTENT_WIDTH - NUMBER_WIDTH - GUTTER) / 2;
const ROW_GAP = 9;
const INK = '#1d2430';
const MUTED = '#5b6472';
const RULE = '#c9ced6';

type Doc = PDFKit.PDFDocument;

function setText(doc: Doc, kind: keyof typeof FONTS, size: number, color = INK): void {
  doc.font(kind).fontSize(size).fillColor(color);
}

/** A cell laid out in lines, in the body text's style (bold throughout for a title pair). */
function layout(doc: Doc, cell: CanonicalCell, width: number, size: number, bold: boolean): LaidOutCell {
  return layoutCell(doc, cell, width, { size, lineGap: TEXT.lineGap, bold, color: INK });
}

function drawHeader(doc: Doc, model: ExportModel, languages: Layout): void {
  const titles = languages === 'vi' ? [model.title.vi] : languages === 'fr' ? [model.title.fr] : [model.title.vi, model.title.fr];
  setText(doc, 'serifBold', 15);
  for (const title of titles) doc.text(title, MARGIN.left, doc.y, { width: CONTENT_WIDTH, align: 'center', lineGap: 2 });
  doc.moveDown(0.6);
  setText(doc, 'sans', 9, MUTED);
  const parties = model.parties.map((p) => (languages === 'fr' ? p.name.fr : languages === 'vi' ? p.name.vi : `${p.name.vi} / ${p.name.fr}`));
  doc.text(parties.join('  ·  '), MARGIN.left, doc.y, { width: CONTENT_WIDTH, align: 'center' });
  doc.text(versionLine(model), MARGIN.left, doc.y + 2, { width: CONTENT_WIDTH, align: 'center' });
  doc.moveDown(1);
}

function columnHeads(doc: Doc): void {
  const y = doc.y;
  setText(doc, 'sansBold', 8.5, MUTED);
  doc.text('TIẾNG VIỆT', MARGIN.left + NUMBER_WIDTH, y, { width: COLUMN_WIDTH, lineBreak: false });
  doc.text('FRANÇAIS', MARGIN.left + NUMBER_WIDTH + COLUMN_WIDTH + GUTTER, y, { width: COLUMN_WIDTH, lineBreak: false });
  doc.moveTo(MARGIN.left, y + 13).lineTo(PAGE.width - MARGIN.right, y + 13).strokeColor(RULE).lineWidth(0.6).stroke();
  doc.y = y + 20;
}

function newPage(doc: Doc, withColumnHeads: boolean): void {
  doc.addPage();
  doc.y = MARGIN.top;
  if (withColumnHeads) columnHeads(doc);
}

function drawNumber(doc: Doc, number: number | null, y: number): void {
  if (number === null) return; // only operative paragraphs are numbered
  setText(doc, 'sans', 8.5, MUTED);
  doc.text(String(number), MARGIN.left, y + 1.5, { width: NUMBER_WIDTH - 6, lineBreak: false });
}

function drawParallel(doc: Doc, model: ExportModel): void {
  columnHeads(doc);
  const firstRowY = () => MARGIN.top + 20;
  const viX = MARGIN.left + NUMBER_WIDTH;
  const frX = viX + COLUMN_WIDTH + GUTTER;
  for (const pair of model.pairs) {
    const bold = pair.kind === 'title';
    const vi = layout(doc, pair.vi, COLUMN_WIDTH, TEXT.size, bold);
    const fr = layout(doc, pair.fr, COLUMN_WIDTH, TEXT.size, bold);
    const lineHeight = vi.lineHeight;
    // Lines of each language drawn so far (a row split between pages).
    let viFrom = 0;
    let frFrom = 0;
    for (;;) {
      const available = BOTTOM - doc.y;
      const height = Math.max(vi.lines.length - viFrom, fr.lines.length - frFrom) * lineHeight;
      const atTop = doc.y <= firstRowY() + 0.5;
      if (height <= available) {
        const y = doc.y;
        if (viFrom === 0 && frFrom === 0) drawNumber(doc, pair.number, y);
        drawLines(doc, vi, viX, y, viFrom);
        drawLines(doc, fr, frX, y, frFrom);
        doc.y = y + height + ROW_GAP;
        break;
      }
      // A short row (or one with little room left under it) moves to the next
      // page whole; a longer one is split there, both languages side by side.
      const short = height <= 8 * lineHeight || available < 4 * lineHeight;
      if (!atTop && short && height <= BOTTOM - firstRowY()) {
        newPage(doc, true);
        continue;
      }
      const fit = Math.floor(available / lineHeight);
      if (fit === 0) {
        newPage(doc, true);
        continue;
      }
      const y = doc.y;
      if (viFrom === 0 && frFrom === 0) drawNumber(doc, pair.number, y);
      const viTo = Math.min(vi.lines.length, viFrom + fit);
      const frTo = Math.min(fr.lines.length, frFrom + fit);
      drawLines(doc, vi, viX, y, viFrom, viTo);
      drawLines(doc, fr, frX, y, frFrom, frTo);
      viFrom = viTo;
      frFrom = frTo;
      newPage(doc, true);
    }
  }
}

function drawSingle(doc: Doc, model: ExportModel, lang: 'vi' | 'fr'): void {
  const size = TEXT.size + 0.5;
  const x = MARGIN.left + NUMBER_WIDTH;
  for (const pair of model.pairs) {
    // Left-aligned, not justified: justifying turns every space (U+00A0 and
    // U+202F too) into a gap, which would lose French non-breaking spaces.
    const cell = layout(doc, pair[lang], CONTENT_WIDTH - NUMBER_WIDTH, size, pair.kind === 'title');
    if (doc.y + cell.lineHeight * 2 > BOTTOM) newPage(doc, false);
    const y = doc.y;
    drawNumber(doc, pair.number, y);
    doc.y = y; // drawing the number moved it down a line
    // Line by line, on as many pages as it takes; an empty pair keeps the line of its number.
    for (let i = 0; i < cell.lines.length; i++) {
      if (doc.y + cell.lineHeight - TEXT.lineGap > BOTTOM) newPage(doc, false);
      doc.y += drawLines(doc, cell, x, doc.y, i, i + 1);
    }
    if (cell.lines.length === 0) doc.y += cell.lineHeight;
    doc.y += ROW_GAP;
  }
}

/** The heading of one language's part in the sequential layout ("Tiếng Việt", "Français"). */
function languageHeading(doc: Doc, lang: 'vi' | 'fr'): void {
  // Kept with the first lines under it: a heading never ends a page.
  if (doc.y + 20 + 3 * (TEXT.size + TEXT.lineGap + 3) > BOTTOM) newPage(doc, false);
  const y = doc.y;
  setText(doc, 'sansBold', 11);
  doc.text(lang === 'vi' ? 'Tiếng Việt' : 'Français', MARGIN.left, y, { width: CONTENT_WIDTH, lineBreak: false });
  doc.moveTo(MARGIN.left, y + 16).lineTo(PAGE.width - MARGIN.right, y + 16).strokeColor(RULE).lineWidth(0.6).stroke();
  doc.y = y + 24;
}

/** Both languages one after the other, each under its heading; the French follows on the same page when there is room. */
function drawSequential(doc: Doc, model: ExportModel): void {
  languageHeading(doc, 'vi');
  drawSingle(doc, model, 'vi');
  doc.y += 12;
  languageHeading(doc, 'fr');
  drawSingle(doc, model, 'fr');
}

function drawSignOff(doc: Doc, model: ExportModel, layout: Layout): void {
  // The electronic sign-off and the first row of handwritten signature blocks stay on one page.
  if (doc.y + (model.signOff.length > 0 ? 280 : 120) > BOTTOM) newPage(doc, false);
  doc.y += 10;
  doc.moveTo(MARGIN.left, doc.y).lineTo(PAGE.width - MARGIN.right, doc.y).strokeColor(RULE).lineWidth(0.6).stroke();
  doc.y += 10;
  const { heading, lines } = signOffLines(model);
  setText(doc, 'sansBold', 10);
  doc.text(heading, MARGIN.left, doc.y);
  doc.moveDown(0.5);
  setText(doc, 'sans', 9);
  for (const line of lines) {
    doc.text(line, MARGIN.left, doc.y, { width: CONTENT_WIDTH });
    doc.moveDown(0.3);
  }
  // Beside the electronic sign-off, a version's blocks for handwritten signatures (the draft has none).
  const blocks = signatureBlocks(model, layout);
  if (blocks.length > 0) {
    doc.y += 14;
    const frame = { left: MARGIN.left, width: CONTENT_WIDTH, top: MARGIN.top, bottom: BOTTOM, ink: INK, muted: MUTED };
    drawSignatureBlocks(doc, blocks, frame, () => newPage(doc, false));
  }
  // Below the block, apart from it: the chain head this file was exported at (accord verify --against).
  doc.moveDown(0.6);
  setText(doc, 'sans', 7, MUTED);
  doc.text(attestationLine(model.attestation), MARGIN.left, doc.y, { width: CONTENT_WIDTH });
}

function decoratePages(doc: Doc, model: ExportModel): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the bottom margin would otherwise make pdfkit start a new page.
    doc.page.margins.bottom = 0;
    const pageNumber = `${i - range.start + 1} / ${range.count}`;
    setText(doc, 'sans', 8.5, MUTED);
    // Footer text outside the margins must not add pages: no line break, fixed position.
    doc.text(pageNumber, MARGIN.left, PAGE.height - 40, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
    if (!model.signedOff) {
      // In words, in the header band above the text (searchable, read aloud)…
      setText(doc, 'sansBold', 7.5, '#b4233c');
      doc.text(DRAFT_WATERMARK, MARGIN.left, 30, { width: CONTENT_WIDTH, align: 'center', lineBreak: false });
      // …and across the page as outlines, not text: its letters stay out of the columns' text.
      drawOutlinedText(doc, DRAFT_WATERMARK, { face: 'sansBold', size: 38, cx: PAGE.width / 2, cy: PAGE.height / 2, angle: -35, color: '#b4233c', opacity: 0.1 });
    }
  }
}

/** Renders the export model as a PDF in the given layout. */
export function renderPdf(model: ExportModel, layout: Layout): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN.top, bottom: MARGIN.bottom, left: MARGIN.left, right: MARGIN.right },
    bufferPages: true,
    info: {
      Title: layout === 'fr' ? model.title.fr : model.title.vi,
      Subject: versionLine(model),
      Creator: 'Accord',
      CreationDate: exportDate(model),
      // Read back by `accord verify --against` (base64url: no escaping in a PDF string).
      AccordAttestation: encodeAttestation(model.attestation),
    } as PDFKit.DocumentInfo,
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.y = MARGIN.top;
  drawHeader(doc, model, layout);
  if (layout === 'parallel') drawParallel(doc, model);
  else if (layout === 'vi' || layout === 'fr') drawSingle(doc, model, layout);
  else drawSequential(doc, model);
  drawSignOff(doc, model, layout);
  decoratePages(doc, model);
  doc.end();
  return done;
}
