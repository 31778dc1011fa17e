import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { CanonicalCell } from '../../shared/canonicalText.ts';
import { attestationLine, encodeAttestation } from '../versions/attestation.ts';
import { signatureTable } from './docxSignatures.ts';
import { watermarkParagraph } from './docxWatermark.ts';
import { signatureBlocks } from './signatureBlocks.ts';
import { DRAFT_WATERMARK, signOffLines, versionLine, type ExportModel, type Layout } from './model.ts';

/**
 * The DOCX export (the `docx` package), for delegations that continue in
 * Word: same content as the PDF, bold and italic as Word's own (<w:b/>,
 * <w:i/>); the parallel layout is a table of three columns (number,
 * Vietnamese, French), one row per pair; one language, or both one after the
 * other under a heading each, as the PDF. Only operative paragraphs are
 * numbered; a draft has Word's kind of watermark (docxWatermark.ts).
 */

const FONT = 'Times New Roman';

function para(text: string, options: { bold?: boolean; size?: number; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; lang?: string } = {}): Paragraph {
  // Paragraphs inside a cell are separate Word paragraphs.
  return new Paragraph({
    alignment: options.align,
    spacing: { after: 120 },
    children: [new TextRun({ text, bold: options.bold, size: options.size ?? 22, font: FONT, language: options.lang ? { value: options.lang } : undefined })],
  });
}

/**
 * A cell's paragraphs, each run a Word run in its marks (the whole cell bold
 * for a title); `prefix` (a number) starts the first paragraph.
 */
function paragraphsOf(cell: CanonicalCell, options: { bold: boolean; lang: string; prefix?: string }): Paragraph[] {
  const run = (text: string, marks?: readonly string[]) =>
    new TextRun({
      text,
      bold: options.bold || marks?.includes('strong') || undefined,
      italics: marks?.includes('em') || undefined,
      size: 22,
      font: FONT,
      language: { value: options.lang },
    });
  return cell.map(
    (runs, i) =>
      new Paragraph({
        spacing: { after: 120 },
        children: [...(i === 0 && options.prefix ? [run(options.prefix)] : []), ...runs.map((r) => run(r.text, r.marks))],
      }),
  );
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function parallelTable(model: ExportModel): Table {
  const cell = (children: Paragraph[], width: number) =>
    new TableCell({ children, width: { size: width, type: WidthType.PERCENTAGE }, margins: { top: 60, bottom: 60, left: 80, right: 80 } });
  const head = new TableRow({
    tableHeader: true,
    children: [cell([para('')], 6), cell([para('Tiếng Việt', { bold: true, size: 18 })], 47), cell([para('Français', { bold: true, size: 18 })], 47)],
  });
  const rows = model.pairs.map(
    (pair) =>
      new TableRow({
        cantSplit: false,
        children: [
          cell([para(pair.number === null ? '' : String(pair.number), { size: 18 })], 6),
          cell(paragraphsOf(pair.vi, { bold: pair.kind === 'title', lang: 'vi-VN' }), 47),
          cell(paragraphsOf(pair.fr, { bold: pair.kind === 'title', lang: 'fr-FR' }), 47),
        ],
      }),
  );
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [head, ...rows],
    borders: { top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideVertical: NO_BORDER, insideHorizontal: { style: BorderStyle.SINGLE, size: 2, color: 'C9CED6' } },
  });
}

function single(model: ExportModel, lang: 'vi' | 'fr'): Paragraph[] {
  // Only operative paragraphs carry a number ("1. "), as in the PDF.
  return model.pairs.flatMap((pair) => paragraphsOf(pair[lang], { bold: pair.kind === 'title', lang: lang === 'vi' ? 'vi-VN' : 'fr-FR', prefix: pair.number === null ? undefined : `${pair.number}. ` }));
}

/** The heading of one language's part in the sequential layout, as in the PDF: a Word heading, so it shows in the navigation pane. */
function languageHeading(lang: 'vi' | 'fr'): Paragraph[] {
  return [
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      keepNext: true,
      spacing: { before: 360, after: 160 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: 'C9CED6', space: 2 } },
      children: [new TextRun({ text: lang === 'vi' ? 'Tiếng Việt' : 'Français', bold: true, size: 24, font: FONT, color: '1D2430', language: { value: lang === 'vi' ? 'vi-VN' : 'fr-FR' } })],
    }),
  ];
}

/** Renders the export model as a DOCX file in the given layout. */
export function renderDocx(model: ExportModel, layout: Layout): Promise<Buffer> {
  const titles = layout === 'vi' ? [model.title.vi] : layout === 'fr' ? [model.title.fr] : [model.title.vi, model.title.fr];
  const partyName = (p: ExportModel['parties'][number]) => (layout === 'vi' ? p.name.vi : layout === 'fr' ? p.name.fr : `${p.name.vi} / ${p.name.fr}`);
  const header = [
    ...titles.map((t) => para(t, { bold: true, size: 30, align: AlignmentType.CENTER })),
    para(model.parties.map(partyName).join('  ·  '), { size: 18, align: AlignmentType.CENTER }),
    para(versionLine(model), { size: 18, align: AlignmentType.CENTER }),
  ];
  const body: Array<Paragraph | Table> =
    layout === 'parallel' ? [parallelTable(model)] : layout === 'sequential' ? [...languageHeading('vi'), ...single(model, 'vi'), ...languageHeading('fr'), ...single(model, 'fr')] : single(model, layout);
  const { heading, lines } = signOffLines(model);
  const signOff = [
    para(heading, { bold: true }),
    ...lines.map((line) => para(line, { size: 18 })),
    // Beside the electronic sign-off, a version's blocks for handwritten signatures, as in the PDF.
    ...signatureTable(signatureBlocks(model, layout)),
    // Apart from the block: the chain head this file was exported at (accord verify --against).
    para(attestationLine(model.attestation), { size: 14 }),
  ];
  const document = new Document({
    creator: 'Accord',
    title: titles.join(' — '),
    // Read back by `accord verify --against` (docProps/custom.xml).
    customProperties: [{ name: 'AccordAttestation', value: encodeAttestation(model.attestation) }],
    sections: [
      {
        // Not signed off: Word's own kind of watermark, a shape behind the text of every page (docxWatermark.ts).
        headers: model.signedOff ? undefined : { default: new Header({ children: [watermarkParagraph(DRAFT_WATERMARK)] }) },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT, ' / ', PageNumber.TOTAL_PAGES], size: 16, font: FONT })],
              }),
            ],
          }),
        },
        children: [...header, ...body, ...signOff],
      },
    ],
  });
  return Packer.toBuffer(document);
}
