import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { nextSliceTurn } from '../../scheduling/sliceTurns.ts';

type Mergeable = { mergeWith(right: unknown): boolean };
const itemPrototype = Y.Item.prototype as unknown as Mergeable;

/**
 * Applies the pieces of a cut update (splitUpdate) to a document, one
 * transaction per slice of at most ~`sliceMs`, yielding to the event loop in
 * between. Returns false when `stop()` said to give up (the rest is not applied).
 *
 * While a slice's transaction runs, Yjs is kept from merging neighbouring
 * items: at the end of each transaction it joins adjacent runs of one client
 * (e.g. the pieces of a long first text that later edits had split), and the
 * next slice's edits would split them again — each split an insertion into an
 * array of every item of that client, which made applying in slices several
 * times slower than applying at once. The pieces come from an encoded state in
 * which Yjs had merged whatever could be, so leaving them unmerged changes
 * nothing (the same items as when applied at once). Only this synchronous
 * window is affected: no other transaction runs meanwhile.
 */
export async function applyInSlices(
  doc: Y.Doc,
  pieces: Iterable<Uint8Array>,
  origin: unknown,
  sliceMs: number,
  options: {
    /** Asked before each slice: true gives up (the rest is not applied). */
    stop?: () => boolean;
    /** Called before each piece: false stops the ingest with `refusal()` thrown (see clockGuard: what was checked no longer holds). */
    guard?: { fits: (piece: Uint8Array) => boolean; refusal: () => Error };
    /** Told how long each slice held the event loop (a piece is applied whole, so one can outlast `sliceMs`). */
    onSlice?: (ms: number) => void;
  } = {},
): Promise<boolean> {
  const { stop = () => false, guard, onSlice } = options;
  // Pieces may be worked out as they are applied (see deletePieces): read one ahead, never more.
  const iterator = pieces[Symbol.iterator]();
  let next = iterator.next();
  while (!next.done) {
    if (stop()) return false;
    const started = performance.now();
    const deadline = started + sliceMs;
    const mergeWith = itemPrototype.mergeWith;
    itemPrototype.mergeWith = () => false;
    try {
      doc.transact(() => {
        do {
          const piece = next.value!;
          if (guard && !guard.fits(piece)) throw guard.refusal();
          Y.applyUpdate(doc, piece, origin);
          next = iterator.next();
        } while (!next.done && performance.now() < deadline);
      }, origin);
    } finally {
      itemPrototype.mergeWith = mergeWith;
      onSlice?.(performance.now() - started);
    }
    if (!next.done) await nextSliceTurn();
  }
  return true;
}
