import { BorderStyle, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { SignatureBlock } from './signatureBlocks.ts';

/**
 * The blocks for handwritten signatures in the DOCX (signatureBlocks.ts), as
 * in the PDF: a borderless table, two parties to a row, each with its name,
 * "Done at …, on …", room to sign, a line, the head's name and a caption.
 */

const FONT = 'Times New Roman';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

const line = (text: string, options: { bold?: boolean; size?: number; after?: number; color?: string } = {}) =>
  new Paragraph({
    spacing: { after: options.after ?? 40 },
    keepNext: true,
    children: [new TextRun({ text, bold: options.bold, size: options.size ?? 19, font: FONT, color: options.color })],
  });

function cellOf(block: SignatureBlock | undefined): TableCell {
  const children = block
    ? [
        ...block.party.map((p) => line(p, { bold: true, size: 20 })),
        ...block.doneAt.map((d) => line(d, { size: 18 })),
        // Room to sign, then the line to sign on (the paragraph's bottom border).
        new Paragraph({ spacing: { before: 900, after: 60 }, keepNext: true, border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '1D2430', space: 1 } }, children: [] }),
        line(block.signer, { size: 21 }),
        line(block.caption, { size: 15, color: '5B6472', after: 0 }),
      ]
    : [new Paragraph({ children: [] })];
  return new TableCell({ children, width: { size: 50, type: WidthType.PERCENTAGE }, margins: { top: 80, bottom: 80, left: 80, right: 360 } });
}

export function signatureTable(blocks: SignatureBlock[]): Table[] {
  if (blocks.length === 0) return [];
  const rows: TableRow[] = [];
  for (let i = 0; i < blocks.length; i += 2) rows.push(new TableRow({ cantSplit: true, children: [cellOf(blocks[i]), cellOf(blocks[i + 1])] }));
  return [
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows,
      borders: { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
    }),
  ];
}
