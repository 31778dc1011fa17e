import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import type { UpdatePreparer } from './ingest/preparer.ts';
import { batchTrace } from './batchTrace.ts';

/**
 * A room's link to the store: loads the document from its update log, appends
 * each accepted update, and compacts the log when it grows.
 *
 * Compaction costs little that grows with the document on most rounds: the
 * rows appended since the last compaction are replaced by one row holding the
 * doc's changes since then (its structs after the state vector stored last,
 * and its delete set), without waiting for it to be stored. The whole state is re-encoded into one row only once those merged rows
 * add up to half the size of the last full state (or become many), so its
 * cost, spread over the updates that led to it, stays proportional to their
 * size, not to the document's.
 */
export class RoomPersistence {
  /** This room's appends, for the store: once one fails, the later ones fail too (they may build on it). */
  private readonly chain = randomUUID();
  /** Rows appended (or posted) since the last compaction, and the seq of the row before the first of them. */
  private tailRows = 0;
  private tailAfterSeq: number;
  /**
   * The state vector of what the rows up to `tailAfterSeq` hold (the doc's when
   * it was loaded or last compacted); unknown until `loaded` is called, when a
   * compaction stores the whole state instead.
   */
  private compactedState: Uint8Array | undefined;
  /** The compaction under way, and the error of the last one (fails the next append). */
  private compacting: Promise<void> | undefined;
  private compactionError: unknown;
  /** Rows other than the last full state (merged tails, or rows found at load), and their bytes. */
  private extraRows: number;
  private extraBytes: number;
  /** Size of the last full state (or of everything found at load). */
  private baseBytes: number;

  private constructor(
    private readonly store: Store,
    private readonly documentId: string,
    private readonly compactAfterUpdates: number,
    private readonly logger: Logger | undefined,
    rows: number,
    bytes: number,
    lastSeq: number,
  ) {
    this.tailAfterSeq = lastSeq;
    this.extraRows = Math.max(0, rows - 1);
    this.extraBytes = 0;
    this.baseBytes = bytes;
  }

  /** Reads a document's stored rows (nothing applied yet: see `applyRows`). */
  static async open(
    store: Store,
    documentId: string,
    options: { compactAfterUpdates: number; logger?: Logger },
  ): Promise<{ rows: Uint8Array[]; persistence: RoomPersistence; bytes: number }> {
    const { updates, lastSeq } = await store.loadUpdates(documentId);
    const bytes = updates.reduce((sum, u) => sum + u.length, 0);
    const persistence = new RoomPersistence(store, documentId, options.compactAfterUpdates, options.logger, updates.length, bytes, lastSeq);
    return { rows: updates, persistence, bytes };
  }

  /**
   * Applies stored rows to a doc, in order: runs of small rows in one
   * transaction (cheaper than merging them first, which would decode and
   * re-encode everything once more), each large row cut by the worker and
   * applied in slices, so opening a large document does not stall the others.
   */
  static async applyRows(
    doc: Y.Doc,
    rows: Uint8Array[],
    options: { preparer?: UpdatePreparer; origin?: unknown; stop?: () => boolean } = {},
  ): Promise<void> {
    const { preparer, origin = null, stop } = options;
    const large = (row: Uint8Array) => preparer !== undefined && row.length >= limits.largeUpdateBytes;
    for (let i = 0; i < rows.length; ) {
      if (stop?.()) return;
      if (large(rows[i]!)) {
        await applyInSlices(doc, await preparer!.prepare(rows[i++]!, limits.largeUpdatePieceStructs), origin, limits.largeUpdateSliceMs, stop);
        continue;
      }
      doc.transact(() => {
        while (i < rows.length && !large(rows[i]!)) Y.applyUpdate(doc, rows[i++]!, origin);
      }, origin);
    }
  }

  /** Loads the stored document into a new Y.Doc (for reading a document no room holds). */
  static async load(
    store: Store,
    documentId: string,
    options: { compactAfterUpdates: number; logger?: Logger; preparer?: UpdatePreparer },
  ): Promise<{ doc: Y.Doc; persistence: RoomPersistence }> {
    const { rows, persistence } = await RoomPersistence.open(store, documentId, options);
    const doc = new Y.Doc({ gc: true });
    await RoomPersistence.applyRows(doc, rows, { preparer: options.preparer });
    persistence.loaded(doc);
    return { doc, persistence };
  }

  /**
   * Records that `doc` now holds every stored row (it has just been loaded):
   * the rows appended from now on are the changes since this state, which is
   * what the next compaction encodes in their place.
   */
  loaded(doc: Y.Doc): void {
    this.compactedState = Y.encodeStateVector(doc);
  }

  /**
   * Stores one update; resolves once it is durable. Appends may be made before
   * the previous ones resolved: the store keeps their order, and fails the
   * ones after a failed one. Every `compactAfterUpdates` appends, posts a
   * compaction without waiting for it: this update is stored and may be
   * relayed at once, and the store runs the compaction before the appends
   * posted after it. A failed compaction leaves the stored rows as they were;
   * it fails the next append, so that the room stops as on any storage failure.
   */
  async append(update: Uint8Array, doc: Y.Doc): Promise<void> {
    const stored = this.store.appendUpdate(this.documentId, update, this.chain);
    this.tailRows++;
    await stored;
    if (this.compactionError) throw this.compactionError;
    if (this.tailRows < this.compactAfterUpdates || this.compacting) return;
    this.compacting = this.compact(doc).then(
      () => {
        this.compacting = undefined;
      },
      (error: unknown) => {
        this.compacting = undefined;
        this.compactionError = error;
      },
    );
  }

  /** Resolves once the compaction under way, if any, is stored; throws if it failed. */
  async idle(): Promise<void> {
    await this.compacting;
    if (this.compactionError) throw this.compactionError;
  }

  /**
   * Replaces the rows appended since the last compaction by one row: the doc's
   * changes since the state the last compaction stored (encoded from the doc in
   * well under a millisecond for a few hundred keystrokes, where merging the
   * rows themselves takes tens); or, once such rows add up to half the last
   * full state (or become many), replaces every row by the doc's whole state.
   * Each replaces every row after the last compaction's, those of appends
   * posted before it but not yet acknowledged included: the doc held their
   * updates before they were posted, so the row encoded now holds them too.
   * The doc may also hold updates not stored yet, which is harmless (applying
   * an update twice changes nothing).
   */
  private async compact(doc: Y.Doc): Promise<void> {
    const rows = this.tailRows;
    this.logger?.debug({ documentId: this.documentId, rows }, 'compacting the update log');
    const compactStart = performance.now();
    const since = this.compactedState;
    const state = Y.encodeStateVector(doc);
    const changes = since ? Y.encodeStateAsUpdate(doc, since) : undefined;
    this.compactedState = state;
    this.tailRows = 0;
    if (changes && this.extraBytes + changes.length < this.baseBytes / 2 && this.extraRows + 1 < this.compactAfterUpdates) {
      this.extraRows++;
      this.extraBytes += changes.length;
      this.tailAfterSeq = await this.store.compact(this.documentId, changes, Number.MAX_SAFE_INTEGER, this.tailAfterSeq);
    } else {
      const whole = Y.encodeStateAsUpdate(doc);
      this.baseBytes = whole.length;
      this.extraRows = 0;
      this.extraBytes = 0;
      this.tailAfterSeq = await this.store.compact(this.documentId, whole, Number.MAX_SAFE_INTEGER);
    }
    this.logger?.debug({ documentId: this.documentId, rows }, 'compacted the update log');
    batchTrace?.sample('compaction', performance.now() - compactStart);
  }
}
