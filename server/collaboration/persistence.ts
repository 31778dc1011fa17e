import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import { encodeIntegratedState } from './integratedState.ts';
import type { UpdatePreparer } from './ingest/preparer.ts';
import { decodeRowScan, encodeRowScan, type RowScan } from './ingest/storedRows.ts';
import { nextSliceTurn } from '../scheduling/sliceTurns.ts';

/** Pieces per part the worker sends while it cuts a large stored row (~a slice's worth: see applyRows). */
const LOAD_PART_PIECES = 100;

/**
 * A room's link to the store: loads the document from its update log, appends
 * each accepted update, and compacts the log when it grows.
 *
 * Compaction costs nothing that grows with the document on most rounds: the
 * rows appended since the last compaction are merged into one row by the store
 * (on its helper thread: merging a few hundred rows takes 15–35 ms, which on
 * the event loop every client of every room would wait through), and the
 * update that triggered it is relayed without waiting for it. The whole state
 * is re-encoded into one row only once those merged rows add up to half the
 * size of the last full state (or become many), so its cost, spread over the
 * updates that led to it, stays proportional to their size, not to the
 * document's.
 */
export class RoomPersistence {
  /** Rows appended since the last compaction, and the seq of the row before the first of them. */
  private tailRows = 0;
  private tailAfterSeq: number;
  /** The merge of the tail under way on the store's side, if any (a failure is logged: see append). */
  private merging: Promise<void> | undefined;
  /** Rows other than the last full state (merged tails, or rows found at load), and their bytes. */
  private extraRows: number;
  private extraBytes: number;
  /** Size of the last full state (or of everything found at load). */
  private baseBytes: number;
  private lastSeq: number;
  private constructor(
    private readonly store: Store,
    private readonly documentId: string,
    private readonly compactAfterUpdates: number,
    private readonly logger: Logger | undefined,
    /** Scans the large rows this log writes (a compacted state, a merged tail) to keep with them; none without it. */
    private readonly scanner: UpdatePreparer | undefined,
    /** The seqs of the rows read at open, and the scans that came with them and fit them (see keepScans). */
    private readonly openedSeqs: number[],
    private readonly openedScans: Array<RowScan | undefined>,
    lastSeq: number,
    bytes: number,
  ) {
    this.lastSeq = lastSeq;
    this.tailAfterSeq = lastSeq;
    this.extraRows = Math.max(0, openedSeqs.length - 1);
    this.extraBytes = 0;
    this.baseBytes = bytes;
  }

  /**
   * Reads a document's stored rows (nothing applied yet: see `applyRows`),
   * with the scans kept with them (`scans[i]`: row i's, if any fits it).
   */
  static async open(
    store: Store,
    documentId: string,
    options: { compactAfterUpdates: number; logger?: Logger; scanner?: UpdatePreparer },
  ): Promise<{ rows: Uint8Array[]; scans: Array<RowScan | undefined>; persistence: RoomPersistence; bytes: number }> {
    const { updates, seqs, scans: kept, lastSeq } = await store.loadUpdates(documentId);
    const bytes = updates.reduce((sum, u) => sum + u.length, 0);
    const scans = updates.map((row, i) => decodeRowScan(kept[i], row));
    const persistence = new RoomPersistence(store, documentId, options.compactAfterUpdates, options.logger, options.scanner, seqs, scans, lastSeq, bytes);
    return { rows: updates, scans, persistence, bytes };
  }

  /**
   * Keeps with the large rows read at open the scans made of them (`rows`
   * and `scans` as open gave them), where none that fits them was kept: the
   * next open of the document reads its summary instead of computing it.
   * Never fails: a scan not kept is made again next time.
   */
  keepScans(rows: Uint8Array[], scans: RowScan[]): void {
    const missing = rows.flatMap((row, i) =>
      row.length >= limits.largeUpdateBytes && !this.openedScans[i] && scans[i] && this.openedSeqs[i] !== undefined
        ? [{ seq: this.openedSeqs[i]!, scan: encodeRowScan(scans[i]!, row.length) }]
        : [],
    );
    if (missing.length > 0) void this.keep(missing);
  }

  /** Scans a large row this log has just written (off the event loop) and keeps the scan with it. */
  private scanWritten(seq: number, row: Uint8Array): void {
    if (!this.scanner || row.length < limits.largeUpdateBytes) return;
    void this.scanner.scan(row).then(
      (scan) => this.keep([{ seq, scan: encodeRowScan(scan, row.length) }]),
      (error: unknown) => this.logger?.warn({ documentId: this.documentId, err: error }, 'could not scan a stored row; it is read again at the next open'),
    );
  }

  private async keep(scans: Array<{ seq: number; scan: Uint8Array }>): Promise<void> {
    try {
      await this.store.keepRowScans(this.documentId, scans);
    } catch (error) {
      this.logger?.warn({ documentId: this.documentId, err: error }, 'could not keep the scans of stored rows; they are read again at the next open');
    }
  }

  /**
   * Applies stored rows to a doc, in order: runs of small rows in one
   * transaction (cheaper than merging them first, which would decode and
   * re-encode everything once more; with a preparer, at most a slice each), each large row cut by the worker and
   * applied in slices, so opening a large document does not stall the others.
   * Rows are not checked against the content policy again: they were when accepted.
   */
  static async applyRows(
    doc: Y.Doc,
    rows: Uint8Array[],
    options: { preparer?: UpdatePreparer; origin?: unknown; stop?: () => boolean; sliceMs?: number } = {},
  ): Promise<void> {
    const { preparer, origin = null, stop, sliceMs = limits.loadSliceMs } = options;
    const large = (row: Uint8Array) => preparer !== undefined && row.length >= limits.largeUpdateBytes;
    for (let i = 0; i < rows.length; ) {
      if (stop?.()) return;
      if (large(rows[i]!)) {
        // Applied as the worker cuts it: the first parts while it cuts the rest.
        for await (const pieces of preparer!.prepareInParts(rows[i++]!, limits.largeUpdatePieceStructs, { check: false, partPieces: LOAD_PART_PIECES })) {
          if (!(await applyInSlices(doc, pieces, origin, sliceMs, { stop }))) return;
          // Parts already received follow at once (a microtask): let other work run between them too.
          await nextSliceTurn();
        }
        continue;
      }
      const run: Uint8Array[] = [];
      while (i < rows.length && !large(rows[i]!)) run.push(rows[i++]!);
      if (!preparer) {
        doc.transact(() => {
          for (const row of run) Y.applyUpdate(doc, row, origin);
        }, origin);
        continue;
      }
      // On the server (other documents' clients wait meanwhile), a run of small rows is applied a slice
      // at a time too, as the pieces of a large one: a long log of small rows (a large paste is stored
      // a slice a row) held the loop 1.2 s in one transaction, Yjs merging and splitting items again
      // between rows.
      if (!(await applyInSlices(doc, run, origin, sliceMs, { stop }))) return;
    }
  }

  /** Loads the stored document into a new Y.Doc (for reading a document no room holds). */
  static async load(
    store: Store,
    documentId: string,
    options: { compactAfterUpdates: number; logger?: Logger; preparer?: UpdatePreparer; scanner?: UpdatePreparer },
  ): Promise<{ doc: Y.Doc; persistence: RoomPersistence }> {
    const { rows, persistence } = await RoomPersistence.open(store, documentId, options);
    const doc = new Y.Doc({ gc: true });
    await RoomPersistence.applyRows(doc, rows, { preparer: options.preparer });
    return { doc, persistence };
  }

  /**
   * Stores one update; resolves once it is durable. Compacts when the log is
   * long — not while `doc` is undefined (the room is still loading the stored
   * rows: its doc does not hold them all yet); the next append after the load
   * does. Merging the tail is posted, not awaited: the helper thread merges
   * the rows up to this one, which are then replaced by their merge (rows
   * appended meanwhile stay after it). A failed merge leaves the rows as they
   * were (nothing is lost) and is only logged: the next merge takes the same
   * tail and more.
   */
  async append(update: Uint8Array, doc: Y.Doc | undefined): Promise<void> {
    this.lastSeq = await this.store.appendUpdate(this.documentId, update);
    this.tailRows++;
    if (this.tailRows < this.compactAfterUpdates || !doc || this.merging) return;
    const rows = this.tailRows;
    this.tailRows = 0;
    this.logger?.debug({ documentId: this.documentId, rows }, 'compacting the update log');
    if (this.extraRows + 1 >= this.compactAfterUpdates || this.extraBytes >= this.baseBytes / 2) {
      // The doc holds every update applied so far, so its state covers every
      // stored row (and maybe more not yet stored: storing it early is harmless).
      // One transaction: a crash leaves either the old rows or the whole state.
      // Without Yjs's pending parts: they were never stored, and may forge ids (see encodeIntegratedState).
      const state = encodeIntegratedState(doc);
      this.tailAfterSeq = await this.store.compact(this.documentId, state, this.lastSeq);
      this.scanWritten(this.tailAfterSeq, state);
      this.baseBytes = state.length;
      this.extraRows = 0;
      this.extraBytes = 0;
      this.logger?.debug({ documentId: this.documentId, rows }, 'compacted the update log');
      return;
    }
    this.merging = this.store.mergeRows(this.documentId, this.tailAfterSeq, this.lastSeq).then(
      ({ seq, bytes, merged }) => {
        this.merging = undefined;
        if (merged) this.scanWritten(seq, merged);
        this.tailAfterSeq = seq;
        this.extraRows++;
        this.extraBytes += bytes;
        this.logger?.debug({ documentId: this.documentId, rows }, 'compacted the update log');
      },
      (error: unknown) => {
        // A merge only tidies the log: its transaction left the rows as they
        // were, so nothing is lost and the next merge takes this tail too. It
        // can be refused for a while (SQLITE_BUSY when another process keeps
        // the write lock past busy_timeout); if storage really broke, the next
        // append says so and stops the room.
        this.merging = undefined;
        this.logger?.warn({ documentId: this.documentId, rows, err: error }, 'could not merge the recent rows of the update log; they stay as they are');
      },
    );
  }

  /** Resolves once the merge under way, if any, is stored or has failed. */
  async idle(): Promise<void> {
    await this.merging;
  }
}
