import * as Y from 'yjs';
import { ID_PATTERN } from '../../shared/limits.ts';
import { insertPair, type NewPair } from '../../shared/model/index.ts';
import type { DocumentSummary, PartySummary } from '../../shared/protocol.ts';
import { conflict, invalidInput } from '../errors.ts';
import type { Store } from '../store/types.ts';

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
  if (!ID_PATTERN.test(request.id)) throw invalidInput(`Document id "${request.id}": use 1–64 letters, digits, "-" or "_".`);
  if (await store.getDocument(request.id)) throw conflict(`A declaration with id "${request.id}" already exists.`);
  const partyIds = request.parties.map((p) => p.id);
  if (new Set(partyIds).size !== partyIds.length) throw invalidInput('Two parties have the same id.');
  for (const id of partyIds) if (!ID_PATTERN.test(id)) throw invalidInput(`Party id "${id}": use 1–64 letters, digits, "-" or "_".`);
  const pairs = request.pairs ?? [{ kind: 'title', vi: request.title.vi, fr: request.title.fr }];
  await store.createDocument(
    { id: request.id, title: request.title, parties: request.parties, observersMayComment: request.observersMayComment ?? false },
    initialUpdate(pairs),
  );
  return (await store.getDocument(request.id))!;
}

/** Adds a party (delegation) to a declaration. */
export async function addParty(store: Store, documentId: string, party: PartySummary): Promise<DocumentSummary> {
  const document = await store.getDocument(documentId);
  if (!document) throw invalidInput(`No declaration with id "${documentId}".`);
  if (!ID_PATTERN.test(party.id)) throw invalidInput(`Party id "${party.id}": use 1–64 letters, digits, "-" or "_".`);
  if (document.parties.some((p) => p.id === party.id)) throw conflict(`Declaration "${documentId}" already has a party "${party.id}".`);
  await store.addParty(documentId, party);
  return (await store.getDocument(documentId))!;
}
