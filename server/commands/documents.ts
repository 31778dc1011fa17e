import * as Y from 'yjs';
import { ID_PATTERN } from '../../shared/limits.ts';
import { insertPair, type NewPair } from '../../shared/model/index.ts';
import type { DocumentSummary, PartySummary } from '../../shared/protocol.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { conflict, documentNotFound, HttpError, invalidInput, partyNotFound } from '../errors.ts';
import type { Store } from '../store/types.ts';
import { auditActorOf, type Actor } from './members.ts';

/** The first Yjs update of a declaration holding these pairs. */
export function initialUpdate(pairs: NewPair[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const pair of pairs) insertPair(doc, pair);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

export interface CreateDocumentRequest {
  id: string;
  title: { vi: string; fr: string };
  parties: PartySummary[];
  observersMayComment?: boolean;
  /** First text; by default one title pair holding the title. */
  pairs?: NewPair[];
}

/** Creates a declaration with its parties and first text. */
export async function createDocument(store: Store, request: CreateDocumentRequest): Promise<DocumentSummary> {
  if (!ID_PATTERN.test(request.id)) throw new HttpError(400, ErrorCode.InvalidId, `Document id "${request.id}": use 1–64 letters, digits, "-" or "_".`, { id: request.id });
  if (await store.getDocument(request.id)) throw conflict(`A declaration with id "${request.id}" already exists.`, ErrorCode.DocumentExists, { id: request.id });
  const partyIds = request.parties.map((p) => p.id);
  if (new Set(partyIds).size !== partyIds.length) throw new HttpError(400, ErrorCode.DuplicatePartyIds, 'Two parties have the same id.');
  for (const id of partyIds) if (!ID_PATTERN.test(id)) throw new HttpError(400, ErrorCode.InvalidId, `Party id "${id}": use 1–64 letters, digits, "-" or "_".`, { id });
  const pairs = request.pairs ?? [{ kind: 'title', vi: request.title.vi, fr: request.title.fr }];
  await store.createDocument(
    { id: request.id, title: request.title, parties: request.parties, observersMayComment: request.observersMayComment ?? false },
    initialUpdate(pairs),
  );
  return (await store.getDocument(request.id))!;
}

/** Adds a party (delegation) to a declaration. */
export async function addParty(store: Store, documentId: string, party: PartySummary, by: Actor): Promise<DocumentSummary> {
  const document = await store.getDocument(documentId);
  if (!document) throw invalidInput(`No declaration with id "${documentId}".`, { field: 'documentId' });
  if (!ID_PATTERN.test(party.id)) throw new HttpError(400, ErrorCode.InvalidId, `Party id "${party.id}": use 1–64 letters, digits, "-" or "_".`, { id: party.id });
  if (document.parties.some((p) => p.id === party.id)) throw conflict(`Declaration "${documentId}" already has a party "${party.id}".`, ErrorCode.PartyExists, { party: party.id });
  await store.addParty(documentId, party, auditActorOf(by));
  return (await store.getDocument(documentId))!;
}

/**
 * Removes a party (delegation) from a declaration — only while nothing of the
 * agreement refers to it: no signature (signed stays signed), no approval or
 * reservation of a pair nor agreement to the structure (withdraw them first),
 * no internal comment thread (a party re-added with the same id would read
 * them). Its members lose their
 * membership with it (a head or drafter speaks for a party; an observer of it
 * followed it): they are named in the answer. Versions already cut keep the
 * parties they were cut with; later versions no longer need this one.
 */
export async function removeParty(store: Store, documentId: string, partyId: string, by: Actor): Promise<{ document: DocumentSummary; revokedAccountIds: string[] }> {
  if (!(await store.getDocument(documentId))) throw documentNotFound(documentId);
  const outcome = await store.removeParty(documentId, partyId, auditActorOf(by));
  if (!outcome.removed) {
    switch (outcome.reason) {
      case 'not_found':
        throw partyNotFound(documentId, partyId);
      case 'has_signatures':
        throw new HttpError(409, ErrorCode.PartyHasSignatures, `Party "${partyId}" has signed a version of "${documentId}": its signatures stay part of the record, so it cannot be removed.`, { party: partyId });
      case 'has_approvals':
        throw new HttpError(409, ErrorCode.PartyHasApprovals, `Party "${partyId}" has approved or reserved paragraphs of "${documentId}": its head must withdraw them before it can be removed.`, { party: partyId });
      case 'has_structure_approval':
        throw new HttpError(
          409,
          ErrorCode.PartyHasStructureApproval,
          `Party "${partyId}" has agreed the order and kinds of the paragraphs of "${documentId}": its head must withdraw that agreement before it can be removed.`,
        );
      case 'has_internal_comments':
        throw new HttpError(409, ErrorCode.PartyHasInternalComments, `Party "${partyId}" has internal comment threads in "${documentId}": it cannot be removed (a party added again with its id would read them).`, { party: partyId });
    }
  }
  return { document: (await store.getDocument(documentId))!, revokedAccountIds: outcome.revokedAccountIds };
}
