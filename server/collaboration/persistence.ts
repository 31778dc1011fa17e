import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import type { Store } from '../store/types.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import type { UpdatePreparer } from './ingest/preparer.ts';

/**
 * A room's link to the store: loads the document from its update log, appends
 * each accepted update, and compacts the log when it grows.
 */
export class RoomPersistence {
  private rowsSinceCompaction: number;
  private lastSeq: number;

  private constructor(
    private readonly store: Store,
    private readonly documentId: string,
    rows: number,
    lastSeq: number,
  ) {
    this.rowsSinceCompaction = rows;
    this.lastSeq = lastSeq;
  }

  /**
   * Loads the stored document into a new Y.Doc. The rows are applied in order
   * in one transaction: merging them first would decode and re-encode the
   * whole document once more. When the log is one row (compacted), that row
   * is the encoded state, returned for the room to serve joiners as is.
   */
  static async load(
    store: Store,
    documentId: string,
    preparer?: UpdatePreparer,
  ): Promise<{ doc: Y.Doc; persistence: RoomPersistence; storedState: Uint8Array | undefined; bytes: number; rows: number }> {
    const { updates, lastSeq } = await store.loadUpdates(documentId);
    const doc = new Y.Doc({ gc: true });
    // In order: runs of small rows at once, each large row cut by the worker and applied in slices.
    for (let i = 0; i < updates.length; ) {
      if (preparer && updates[i]!.length >= limits.largeUpdateBytes) {
        await applyInSlices(doc, await preparer.prepare(updates[i++]!, limits.largeUpdatePieceStructs), null, limits.largeUpdateSliceMs);
        continue;
      }
      doc.transact(() => {
        while (i < updates.length && !(preparer && updates[i]!.length >= limits.largeUpdateBytes)) Y.applyUpdate(doc, updates[i++]!);
      });
    }
    return {
      doc,
      persistence: new RoomPersistence(store, documentId, updates.length, lastSeq),
      storedState: updates.length === 1 ? updates[0] : undefined,
      bytes: updates.reduce((sum, u) => sum + u.length, 0),
      rows: updates.length,
    };
  }

  /** Stores one update; resolves once it is durable. Compacts when the log is long. */
  async append(update: Uint8Array, doc: Y.Doc): Promise<void> {
    this.lastSeq = await this.store.appendUpdate(this.documentId, update);
    this.rowsSinceCompaction++;
    if (this.rowsSinceCompaction > limits.compactAfterUpdates) {
      // The doc holds every update applied so far, so its state covers every stored row.
      await this.store.compact(this.documentId, Y.encodeStateAsUpdate(doc), this.lastSeq);
      this.rowsSinceCompaction = 1;
    }
  }
}
