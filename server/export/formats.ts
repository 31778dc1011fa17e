import type { ExportModel, Layout } from './model.ts';

/** Export formats and their names: light, so routes can use them without loading the renderers. JSON is the record itself (json.ts). */
export const FORMATS = ['pdf', 'docx', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  json: 'application/json; charset=utf-8',
};

/** "vn-fr-2023-v2-parallel.pdf" / "vn-fr-2023-draft-fr.docx" / "vn-fr-2023-v2.json" (JSON has no layout) */
export function exportFileName(model: ExportModel, format: Format, layout: Layout): string {
  const which = model.version ? `v${model.version.number}` : 'draft';
  return format === 'json' ? `${model.documentId}-${which}.json` : `${model.documentId}-${which}-${layout}.${format}`;
}
