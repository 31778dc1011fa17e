import type * as Y from 'yjs';
import { walkForeignStructure, type ForeignStructure } from '../../../shared/model/structure.ts';
import type { Logger } from '../../logger.ts';
import { nextSliceTurn } from '../../scheduling/sliceTurns.ts';

/** Items looked at between two turns of the event loop (~1 ms of work). */
const STEP_ITEMS = 5000;
/** Foreign pieces listed at most. */
const LIST_AT_MOST = 20;

/**
 * Looks, once a room has loaded a stored document, for content outside the
 * declaration's tree — only a document stored before every update was
 * checked can hold any — and logs it at error, so that it is never served
 * silently (`accord doctor` lists it too). The walk yields to the event loop
 * every few thousand items: a large document's other clients do not wait for it.
 */
export async function reportForeignStructure(doc: Y.Doc, logger: Logger, documentId: string): Promise<ForeignStructure[]> {
  const found: ForeignStructure[] = [];
  for (const _ of walkForeignStructure(doc, found, LIST_AT_MOST, STEP_ITEMS)) {
    await nextSliceTurn();
    if (doc.isDestroyed) return found;
  }
  if (found.length > 0) logger.error({ documentId, foreign: found }, 'the stored document holds content outside the declaration (run `accord doctor`)');
  return found;
}
