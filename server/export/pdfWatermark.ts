import type { FONTS } from './fonts.ts';

/**
 * The draft watermark of the PDF, drawn as the outlines of its letters
 * (vector paths), not as text: it is seen on the page but is not in the text
 * layer, so `pdftotext` (and copying, searching, screen readers) never mixes
 * its letters into the declaration's columns. A text notice of the same words
 * stays in the header band of every page (pdf.ts), above the columns.
 */

type Doc = PDFKit.PDFDocument;

interface Glyph {
  path: { toSVG(): string };
}
interface GlyphRun {
  glyphs: Glyph[];
  positions: Array<{ xAdvance: number; xOffset: number; yOffset: number }>;
  advanceWidth: number;
}
interface FontkitFont {
  unitsPerEm: number;
  layout(text: string): GlyphRun;
}

/** The fontkit font behind one of the registered faces (pdfkit's own, once selected), and its cap height in thousandths of the size. */
function fontkitOf(doc: Doc, face: keyof typeof FONTS): { font: FontkitFont; capHeight: number } {
  doc.font(face);
  return (doc as unknown as { _font: { font: FontkitFont; capHeight: number } })._font;
}

/**
 * Draws `text` as filled outlines, centred on (`cx`, `cy`), turned by
 * `angle` degrees (counter-clockwise as pdfkit turns: negative rises to the right).
 */
export function drawOutlinedText(
  doc: Doc,
  text: string,
  options: { face: keyof typeof FONTS; size: number; cx: number; cy: number; angle: number; color: string; opacity: number },
): void {
  const { font, capHeight: cap } = fontkitOf(doc, options.face);
  const run = font.layout(text.normalize('NFC'));
  const scale = options.size / font.unitsPerEm;
  const width = run.advanceWidth * scale;
  // DejaVu's OS/2 table is too old to carry a cap height: 0.729 em is its "H".
  const capHeight = ((Number.isFinite(cap) ? cap : 729) / 1000) * options.size;
  doc.save();
  doc.rotate(options.angle, { origin: [options.cx, options.cy] });
  // Baseline so that the capitals sit centred on cy; font units have y upwards.
  doc.translate(options.cx - width / 2, options.cy + capHeight / 2);
  doc.scale(scale, -scale);
  doc.fillColor(options.color).fillOpacity(options.opacity);
  let pen = 0;
  run.glyphs.forEach((glyph, i) => {
    const at = run.positions[i]!;
    const svg = glyph.path.toSVG();
    if (svg) {
      doc.save();
      doc.translate(pen + at.xOffset, at.yOffset);
      doc.path(svg).fill();
      doc.restore();
    }
    pen += at.xAdvance;
  });
  doc.restore();
}
