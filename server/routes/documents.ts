import { Router } from 'express';
import { z } from 'zod';
import { ID_PATTERN } from '../../shared/limits.ts';
import { readAllPairs, readPairText } from '../../shared/model/index.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { documentNotFound, invalidInput, pairNotFound } from '../errors.ts';
import type { Store } from '../store/types.ts';

const Id = z.string().regex(ID_PATTERN, 'ids are 1–64 letters, digits, "-" or "_"');
const DocumentParams = z.object({ documentId: Id });
const PairParams = z.object({ documentId: Id, pairId: Id });

/** Parses route params with a schema; a failure is a 400 naming the field. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidInput(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/**
 * Read access to declarations: metadata from the store, text derived from the
 * live document (the CRDT holds the text, decision 1).
 */
export function documentsRouter(store: Store, sync: SyncServer): Router {
  const router = Router();

  router.get('/documents', async (_req, res) => {
    res.json({ documents: await store.listDocuments() });
  });

  router.get('/documents/:documentId', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const document = await store.getDocument(documentId);
    if (!document) throw documentNotFound(documentId);
    res.json({ document });
  });

  router.get('/documents/:documentId/pairs', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const pairs = await sync.readDocument(documentId, readAllPairs);
    if (!pairs) throw documentNotFound(documentId);
    res.json({ pairs });
  });

  router.get('/documents/:documentId/pairs/:pairId', async (req, res) => {
    const { documentId, pairId } = parse(PairParams, req.params);
    const found = await sync.readDocument(documentId, (doc) => ({ pair: readPairText(doc, pairId) }));
    if (!found) throw documentNotFound(documentId);
    if (!found.pair) throw pairNotFound(documentId, pairId);
    res.json({ pair: found.pair });
  });

  return router;
}
