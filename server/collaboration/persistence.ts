import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import type { Store } from '../store/types.ts';

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

  /** Loads the stored document into a new Y.Doc. */
  static async load(store: Store, documentId: string): Promise<{ doc: Y.Doc; persistence: RoomPersistence }> {
    const { updates, lastSeq } = await store.loadUpdates(documentId);
    const doc = new Y.Doc({ gc: true });
    if (updates.length > 0) Y.applyUpdate(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
    return { doc, persistence: new RoomPersistence(store, documentId, updates.length, lastSeq) };
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
