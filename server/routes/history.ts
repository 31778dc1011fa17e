import { Router } from 'express';
import type { HistoryService } from '../history/service.ts';
import { authorize } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { DocumentParams, PairParams } from './schemas.ts';

/**
 * Who changed what (issue 21): a pair's history, read by every member (it names
 * those who typed, as presence does); "Recently deleted", for those who may
 * edit the text (they are the ones who can bring a pair back).
 */
export function historyRouter(store: Store, history: HistoryService): Router {
  const router = Router();

  router.get('/documents/:documentId/pairs/:pairId/history', async (req, res) => {
    const { documentId, pairId } = parse(PairParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    res.json(await history.pairHistory(documentId, pairId));
  });

  router.get('/documents/:documentId/deleted-pairs', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'edit_text');
    res.json({ pairs: await history.recentlyDeleted(documentId) });
  });

  return router;
}
