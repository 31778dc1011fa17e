import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import type { Store } from '../store/types.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import type { UpdatePreparer } from './ingest/preparer.ts';

/**
 * A room's link to the store: loads the document from its update log, appends
 * each accepted update, and compacts the log when it grows.
 *
 * Compaction costs nothing that grows with the document on most rounds: the
 * rows appended since the last compaction (kept in memory) are merged into one
 * row. The whole state is re-encoded into one row only once those merged rows
 * add up to half the size of the last full state (or become many), so its
 * cost, spread over the updates that led to it, stays proportional to their
 * size, not to the document's.
 */
export class RoomPersistence {
  /** Updates appended since the last compaction, and the seq of the row before the first of them. */
  private tail: Uint8Array[] = [];
  private tailAfterSeq: number;
  /** Rows other than the last full state (merged tails, or rows found at load), and their bytes. */
  private extraRows: number;
  private extraBytes: number;
  /** Size of the last full state (or of everything found at load). */
  private baseBytes: number;
  private lastSeq: number;

  private constructor(
    private readonly store: Store,
    private readonly documentId: string,
    rows: number,
    bytes: number,
    lastSeq: number,
  ) {
    this.lastSeq = lastSeq;
    this.tailAfterSeq = lastSeq;
    this.extraRows = Math.max(0, rows - 1);
    this.extraBytes = 0;
    this.baseBytes = bytes;
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
      persistence: new RoomPersistence(store, documentId, updates.length, updates.reduce((sum, u) => sum + u.length, 0), lastSeq),
      storedState: updates.length === 1 ? updates[0] : undefined,
      bytes: updates.reduce((sum, u) => sum + u.length, 0),
      rows: updates.length,
    };
  }

  /** Stores one update; resolves once it is durable. Compacts when the log is long. */
  async append(update: Uint8Array, doc: Y.Doc): Promise<void> {
    this.lastSeq = await this.store.appendUpdate(this.documentId, update);
    this.tail.push(update);
    if (this.tail.length < limits.compactAfterUpdates) return;
    const merged = Y.mergeUpdates(this.tail);
    if (this.extraBytes + merged.length >= this.baseBytes / 2 || this.extraRows + 1 >= limits.compactAfterUpdates) {
      // The doc holds every update applied so far, so its state covers every stored row.
      const state = Y.encodeStateAsUpdate(doc);
      this.tailAfterSeq = await this.store.compact(this.documentId, state, this.lastSeq);
      this.baseBytes = state.length;
      this.extraRows = 0;
      this.extraBytes = 0;
    } else {
      this.tailAfterSeq = await this.store.compact(this.documentId, merged, this.lastSeq, this.tailAfterSeq);
      this.extraRows++;
      this.extraBytes += merged.length;
    }
    this.tail = [];
  }
}
