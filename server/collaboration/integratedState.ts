import * as Y from 'yjs';

/**
 * The document as the server holds it — every struct and deletion it has
 * integrated, and so relayed and stored — without what Yjs keeps pending
 * (structs whose dependencies never arrived, deletions of structs it does not
 * hold yet).
 *
 * `Y.encodeStateAsUpdate` merges the pending parts in, trusting that a struct
 * id names one struct. A client can break that trust: it can send a struct
 * that reuses the id of one already integrated, with an origin the server
 * never saw. Yjs keeps it pending (it checks dependencies before noticing the
 * id is known), and the merge inside `encodeStateAsUpdate` may then write the
 * forged struct in place of the real one: every joiner, and a compacted log,
 * would lose the real text and everything typed after it (the fuzz test found
 * it; tests/server/forgedStructs.test.ts is the regression test).
 *
 * Leaving pending parts out loses nothing that was accepted: pending parts
 * were never relayed nor stored; once their dependencies arrive they are
 * integrated, and relayed and stored like any update. A client that sent them
 * legitimately (out of order, e.g. through another tab) resends them at its
 * next sync if the server restarts meanwhile.
 */
export function encodeIntegratedState(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  const store = doc.store;
  const { pendingStructs, pendingDs } = store;
  if (!pendingStructs && !pendingDs) return Y.encodeStateAsUpdate(doc, stateVector);
  // Yjs offers no encoder without the pending parts: they are set aside for the call (synchronous, nothing else runs meanwhile).
  store.pendingStructs = null;
  store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, stateVector);
  } finally {
    store.pendingStructs = pendingStructs;
    store.pendingDs = pendingDs;
  }
}
