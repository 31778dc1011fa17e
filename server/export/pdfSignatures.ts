import type { FONTS } from './fonts.ts';
import type { SignatureBlock } from './signatureBlocks.ts';

/**
 * Draws the blocks for handwritten signatures (signatureBlocks.ts) in the
 * PDF: two to a row, each with its party, "Done at …, on …", room to sign,
 * a line, the head's name and the line's caption. A row never splits
 * between pages.
 */

type Doc = PDFKit.PDFDocument;

export interface Frame {
  left: number;
  width: number;
  bottom: number;
  top: number;
  ink: string;
  muted: string;
}

const GAP = 28;
const ROOM_TO_SIGN = 46;

function style(doc: Doc, face: keyof typeof FONTS, size: number, color: string): void {
  doc.font(face).fontSize(size).fillColor(color);
}

function blockHeight(doc: Doc, block: SignatureBlock, width: number): number {
  let h = 0;
  style(doc, 'sansBold', 9.5, '#000');
  for (const line of block.party) h += doc.heightOfString(line, { width }) + 1;
  style(doc, 'sans', 8.5, '#000');
  for (const line of block.doneAt) h += doc.heightOfString(line, { width }) + 1;
  h += ROOM_TO_SIGN;
  style(doc, 'serif', 10, '#000');
  h += 4 + doc.heightOfString(block.signer, { width });
  style(doc, 'sans', 7.5, '#000');
  return h + doc.heightOfString(block.caption, { width });
}

function drawBlock(doc: Doc, block: SignatureBlock, x: number, y: number, width: number, frame: Frame): void {
  doc.y = y;
  style(doc, 'sansBold', 9.5, frame.ink);
  for (const line of block.party) {
    doc.text(line, x, doc.y, { width });
    doc.y += 1;
  }
  style(doc, 'sans', 8.5, frame.ink);
  for (const line of block.doneAt) {
    doc.text(line, x, doc.y, { width });
    doc.y += 1;
  }
  const lineY = doc.y + ROOM_TO_SIGN;
  doc.moveTo(x, lineY).lineTo(x + width * 0.85, lineY).strokeColor(frame.ink).lineWidth(0.7).stroke();
  style(doc, 'serif', 10, frame.ink);
  doc.text(block.signer, x, lineY + 4, { width });
  style(doc, 'sans', 7.5, frame.muted);
  doc.text(block.caption, x, doc.y, { width });
}

/** Draws the blocks from the current position, moving to a new page (`newPage`) for a row that does not fit. */
export function drawSignatureBlocks(doc: Doc, blocks: SignatureBlock[], frame: Frame, newPage: () => void): void {
  const width = (frame.width - GAP) / 2;
  for (let i = 0; i < blocks.length; i += 2) {
    const row = blocks.slice(i, i + 2);
    const height = Math.max(...row.map((b) => blockHeight(doc, b, width)));
    if (doc.y + height > frame.bottom && doc.y > frame.top + 1) newPage();
    const y = doc.y;
    row.forEach((block, j) => drawBlock(doc, block, frame.left + j * (width + GAP), y, width, frame));
    doc.y = y + height + 18;
  }
}
