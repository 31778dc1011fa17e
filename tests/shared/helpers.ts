import * as Y from 'yjs';
import { expect } from 'vitest';
import { ModelError, type ModelErrorReason } from '../../shared/errors.ts';
import { readAllPairs, readCell, requirePair, type Lang } from '../../shared/model/index.ts';
import type { CellContent } from '../../shared/model/index.ts';

/** Texts of every pair in reading order, as [vi, fr]. */
export function texts(doc: Y.Doc): Array<[string, string]> {
  return readAllPairs(doc).map((p) => [p.vi, p.fr]);
}

/** Runs of one cell of a pair (paragraphs of runs with marks). */
export function runsOf(doc: Y.Doc, id: string, lang: Lang): CellContent {
  return readCell(requirePair(doc, id).cell(lang));
}

/**
 * Runs `fn`, expects a ModelError with `reason` (and, when given, `mention` in
 * its message), and checks the doc did not change at all: no update event and
 * the same encoded state (which includes deletions, unlike the state vector).
 */
export function expectModelError(doc: Y.Doc, fn: () => unknown, reason: ModelErrorReason, mention?: string): ModelError {
  const before = Y.encodeStateAsUpdate(doc);
  const orderBefore = JSON.stringify(readAllPairs(doc));
  let updates = 0;
  const count = () => updates++;
  doc.on('update', count);
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  } finally {
    doc.off('update', count);
  }
  expect(caught, 'expected a ModelError').toBeInstanceOf(ModelError);
  const error = caught as ModelError;
  expect(error.reason).toBe(reason);
  expect(error.message.length).toBeGreaterThan(0);
  if (mention !== undefined) expect(error.message).toContain(mention);
  expect(updates, 'the doc emitted an update although the helper failed').toBe(0);
  expect(Buffer.from(Y.encodeStateAsUpdate(doc)).equals(Buffer.from(before)), 'the doc state changed although the helper failed').toBe(true);
  expect(JSON.stringify(readAllPairs(doc))).toBe(orderBefore);
  return error;
}

/** Brings every doc up to date with every other (full state exchange). */
export function syncAll(...docs: Y.Doc[]): void {
  for (let round = 0; round < 2; round++) {
    for (const from of docs) {
      for (const to of docs) {
        if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
      }
    }
  }
}

/** A copy of `doc` as a new Y.Doc (a second client that has synced). */
export function cloneDoc(doc: Y.Doc, clientID?: number): Y.Doc {
  const copy = new Y.Doc();
  if (clientID !== undefined) copy.clientID = clientID;
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** The seeded PRNG lives with the other test helpers; re-exported for the CRDT property tests. */
export { mulberry32 } from '../helpers/random.ts';
