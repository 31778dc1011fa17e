import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
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
    private readonly compactAfterUpdates: number,
    private readonly logger: Logger | undefined,
    rows: number,
    lastSeq: number,
  ) {
    this.rowsSinceCompaction = rows;
    this.lastSeq = lastSeq;
  }

  /** Loads the stored document into a new Y.Doc. */
  static async load(
    store: Store,
    documentId: string,
    options: { compactAfterUpdates: number; logger?: Logger },
  ): Promise<{ doc: Y.Doc; persistence: RoomPersistence }> {
    const { updates, lastSeq } = await store.loadUpdates(documentId);
    const doc = new Y.Doc({ gc: true });
    if (updates.length > 0) Y.applyUpdate(doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));
    return { doc, persistence: new RoomPersistence(store, documentId, options.compactAfterUpdates, options.logger, updates.length, lastSeq) };
  }

  /** Stores one update; resolves once it is durable. Compacts when the log is long. */
  async append(update: Uint8Array, doc: Y.Doc): Promise<void> {
    this.lastSeq = await this.store.appendUpdate(this.documentId, update);
    this.rowsSinceCompaction++;
    if (this.rowsSinceCompaction > this.compactAfterUpdates) {
      // The doc holds every update applied so far, so its state covers every
      // stored row (and maybe more not yet stored: storing it early is harmless).
      // One transaction: a crash leaves either the old rows or the merged one.
      const rows = this.rowsSinceCompaction;
      this.logger?.debug({ documentId: this.documentId, rows }, 'compacting the update log');
      await this.store.compact(this.documentId, Y.encodeStateAsUpdate(doc), this.lastSeq);
      this.rowsSinceCompaction = 1;
      this.logger?.debug({ documentId: this.documentId, rows }, 'compacted the update log');
    }
  }
}
