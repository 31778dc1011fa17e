import { Router } from 'express';
import { z } from 'zod';
import { buildExportModel, LAYOUTS } from '../export/model.ts';
import { CONTENT_TYPES, exportFileName, FORMATS } from '../export/formats.ts';
import { authorize } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import type { VersionService } from '../versions/service.ts';
import { parse } from './context.ts';
import { DocumentParams } from './schemas.ts';

const ExportQuery = z.object({
  format: z.enum(FORMATS).default('pdf'),
  layout: z.enum(LAYOUTS).default('parallel'),
  version: z.union([z.literal('draft'), z.coerce.number().int().positive()]).default('draft'),
});

/** Downloads of a version or the live draft, as PDF or DOCX. Comments never appear in any export. */
export function exportRouter(store: Store, versions: VersionService): Router {
  const router = Router();
  router.get('/documents/:documentId/export', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const { format, layout, version } = parse(ExportQuery, req.query);
    const access = await authorize(store, req.account, documentId, 'export');
    const model = await buildExportModel(store, versions, access.document, version);
    // pdfkit, fontkit and docx weigh ~30 MiB: loaded on the first export, not at start.
    const { renderExport } = await import('../export/render.ts');
    const file = await renderExport(model, format, layout);
    res.setHeader('Content-Type', CONTENT_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(model, format, layout)}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file);
  });
  return router;
}
