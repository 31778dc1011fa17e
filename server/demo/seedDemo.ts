import * as Y from 'yjs';
import { insertPair } from '../../shared/model/index.ts';
import type { Store } from '../store/types.ts';
import { jointDeclaration } from './jointDeclaration.ts';

/** Builds the demo declaration's first Yjs update. */
export function buildDemoUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const pair of jointDeclaration.pairs) insertPair(doc, pair);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Loads the demo content into an empty store. Returns true when it did. */
export async function seedDemo(store: Store): Promise<boolean> {
  if ((await store.listDocuments()).length > 0) return false;
  const { id, title, parties } = jointDeclaration;
  await store.createDocument({ id, title, parties }, buildDemoUpdate());
  return true;
}
