/**
 * The demo declaration as one Yjs update, built the way Accord builds its
 * demo document (`shared/model` insertPair over server/demo/jointDeclaration.ts),
 * so the peers start from the same content as Accord. Also the content
 * fingerprint used to check that clients converged.
 */
import * as Y from 'yjs';
import { insertPair, readOrder, readPairText } from '../../shared/model/index.ts';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';

export const DEMO_DOCUMENT = jointDeclaration.id;
export const DEMO_PAIRS = jointDeclaration.pairs.length;

export function demoUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const pair of jointDeclaration.pairs) insertPair(doc, pair);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** The plain text of the whole declaration in reading order (what "converged" compares). */
export function fingerprint(doc: Y.Doc): string {
  return readOrder(doc)
    .map((id) => {
      const text = readPairText(doc, id);
      return `${id}\n${text?.vi ?? ''}\n${text?.fr ?? ''}`;
    })
    .join('\n\n');
}
