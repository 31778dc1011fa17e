import { renderDocx } from './docx.ts';
import type { ExportModel, Layout } from './model.ts';
import { renderPdf } from './pdf.ts';

export const FORMATS = ['pdf', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Renders an export in a format and layout. */
export function renderExport(model: ExportModel, format: Format, layout: Layout): Promise<Buffer> {
  return format === 'pdf' ? renderPdf(model, layout) : renderDocx(model, layout);
}

/** "vn-fr-2023-v2-parallel.pdf" / "vn-fr-2023-draft-fr.docx" */
export function exportFileName(model: ExportModel, format: Format, layout: Layout): string {
  return `${model.documentId}-${model.version ? `v${model.version.number}` : 'draft'}-${layout}.${format}`;
}
