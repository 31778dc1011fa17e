import { Router } from 'express';
import { readAllPairs, readPairText } from '../../shared/model/index.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { createDocument } from '../commands/documents.ts';
import { forbidden, pairNotFound, unauthorized } from '../errors.ts';
import { actionsOf, authorize, loadAccess } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { CreateDocumentBody, DocumentParams, PairParams } from './schemas.ts';

/**
 * Declarations: metadata from the store, text derived from the live document
 * (the CRDT holds the text, decision 1). Each route: validate, load and
 * authorize, do, present.
 */
export function documentsRouter(store: Store, sync: SyncServer): Router {
  const router = Router();

  // The declarations the signed-in person belongs to (all of them for the secretariat).
  router.get('/documents', async (req, res) => {
    const account = req.account;
    if (!account) throw unauthorized();
    const all = await store.listDocuments();
    const mine = new Set((await store.listMembershipsOf(account.id)).map((m) => m.documentId));
    const documents = [];
    for (const document of all) {
      if (!account.isSecretariat && !mine.has(document.id)) continue;
      const access = (await loadAccess(store, account, document.id))!;
      documents.push({ ...document, me: { role: access.member!.role, partyId: access.member!.partyId } });
    }
    res.json({ documents });
  });

  router.post('/documents', async (req, res) => {
    if (!req.account) throw unauthorized();
    if (!req.account.isSecretariat) throw forbidden('create declarations');
    const body = parse(CreateDocumentBody, req.body);
    const document = await createDocument(store, body);
    res.status(201).json({ document });
  });

  router.get('/documents/:documentId', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'read');
    res.json({
      document: access.document,
      me: {
        accountId: access.account.id,
        name: access.account.name,
        role: access.member!.role,
        partyId: access.member!.partyId,
        actions: actionsOf(access),
      },
    });
  });

  router.get('/documents/:documentId/pairs', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    // Answered once what it shows is stored: nobody reads text a crash could still lose.
    res.json({ pairs: await sync.readStored(documentId, readAllPairs) });
  });

  router.get('/documents/:documentId/pairs/:pairId', async (req, res) => {
    const { documentId, pairId } = parse(PairParams, req.params);
    await authorize(store, req.account, documentId, 'read');
    const pair = await sync.readStored(documentId, (doc) => readPairText(doc, pairId));
    if (!pair) throw pairNotFound(documentId, pairId);
    res.json({ pair });
  });

  return router;
}
