import { renderDocx } from './docx.ts';
import type { Format } from './formats.ts';
import { renderJson } from './json.ts';
import type { ExportModel, Layout } from './model.ts';
import { renderPdf } from './pdf.ts';

/** Renders an export in a format and layout (imported lazily: it loads pdfkit and docx). */
export async function renderExport(model: ExportModel, format: Format, layout: Layout): Promise<Buffer> {
  if (format === 'json') return renderJson(model);
  return format === 'pdf' ? renderPdf(model, layout) : renderDocx(model, layout);
}
