import type { ExportModel, Layout } from './model.ts';

/** Export formats and their names: light, so routes can use them without loading the renderers. */
export const FORMATS = ['pdf', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** "vn-fr-2023-v2-parallel.pdf" / "vn-fr-2023-draft-fr.docx" */
export function exportFileName(model: ExportModel, format: Format, layout: Layout): string {
  return `${model.documentId}-${model.version ? `v${model.version.number}` : 'draft'}-${layout}.${format}`;
}
