import type { DeletedPairView, PairHistoryApproval, PairHistoryEntry } from '../../shared/history.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { HistoryRecorder } from './recorder.ts';

/** How long noted entries wait before they are written (one transaction for a burst of typing). */
const WRITE_AFTER_MS = 1000;
/** Rows of the history written in one turn of the event loop. */
const WRITE_CHUNK = 200;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How many deleted pairs "Recently deleted" lists. */
export const RECENTLY_DELETED_LIMIT = 50;

/**
 * Who changed what: each live document's recorder notes the edits of signed-in
 * connections, written every second (and before any read, and when the room
 * closes); the history of a pair and "Recently deleted" are read from there.
 */
export class HistoryService {
  private readonly live = new Map<string, HistoryRecorder>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    sync: SyncServer,
    private readonly logger: Logger,
    private readonly currentHash: (documentId: string, pairId: string) => Promise<string | undefined>,
  ) {
    sync.observeRooms((documentId, doc) => {
      const recorder = new HistoryRecorder(doc, () => this.schedule());
      this.live.set(documentId, recorder);
      return () => {
        void this.write(documentId, recorder);
        recorder.dispose();
        this.live.delete(documentId);
      };
    });
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const [documentId, recorder] of this.live) void this.write(documentId, recorder);
    }, WRITE_AFTER_MS);
    this.timer.unref();
  }

  /** One write at a time, in the order taken: a burst of typing is extended only while nobody's entry came after it. */
  private writing: Promise<void> = Promise.resolve();

  private write(documentId: string, recorder: HistoryRecorder): Promise<void> {
    const batch = recorder.take();
    this.writing = this.writing.then(() => this.writeBatch(documentId, batch));
    return this.writing;
  }

  private async writeBatch(documentId: string, { edits, structure }: ReturnType<HistoryRecorder['take']>): Promise<void> {
    try {
      // In chunks, a turn of the event loop each: a second of edits to 2,000 pairs is thousands of rows.
      for (let i = 0; i < edits.length; i += WRITE_CHUNK) {
        if (i > 0) await nextTurn();
        await this.store.recordPairEdits(documentId, edits.slice(i, i + WRITE_CHUNK));
      }
      for (const [i, change] of structure.entries()) {
        if (i > 0 && i % (WRITE_CHUNK / 10) === 0) await nextTurn();
        if ('deleted' in change) await this.store.recordDeletedPair(documentId, change.deleted);
        else await this.store.forgetDeletedPair(documentId, change.restored);
      }
    } catch (error) {
      // The history is not the text: losing an entry must not take the document down.
      this.logger.warn({ documentId, err: error }, 'pair history could not be written');
    }
  }

  /** Writes what a document's recorder holds now (before reading the history). */
  async flush(documentId: string): Promise<void> {
    const recorder = this.live.get(documentId);
    if (recorder) await this.write(documentId, recorder);
  }

  private async names(ids: Iterable<string>): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const id of new Set(ids)) names.set(id, (await this.store.getAccount(id))?.name ?? '—');
    return names;
  }

  /** A pair's history, oldest first, with its current approvals and whether the text changed after each. */
  async pairHistory(documentId: string, pairId: string): Promise<{ entries: PairHistoryEntry[]; approvals: PairHistoryApproval[] }> {
    await this.flush(documentId);
    const edits = await this.store.listPairEdits(documentId, pairId);
    const approvals = (await this.store.listApprovals(documentId)).filter((a) => a.pairId === pairId);
    const names = await this.names([...edits.map((e) => e.accountId), ...approvals.map((a) => a.accountId)]);
    const hash = await this.currentHash(documentId, pairId);
    return {
      entries: edits.map((e) => ({
        what: e.what,
        lang: e.lang,
        name: names.get(e.accountId)!,
        partyId: e.partyId,
        from: e.firstAt,
        to: e.lastAt,
        afterApprovalOf: approvals.filter((a) => e.lastAt > a.createdAt).map((a) => a.partyId),
      })),
      approvals: approvals.map((a) => ({
        partyId: a.partyId,
        status: a.status,
        name: names.get(a.accountId)!,
        at: a.createdAt,
        current: hash === a.hash,
        editedSince: edits.some((e) => e.lastAt > a.createdAt),
      })),
    };
  }

  /** Who edited a pair after a time (the editors "What changed" names), in the order they first did. */
  async editorsSince(documentId: string, pairId: string, since: string): Promise<Array<{ name: string; partyId: string | null }>> {
    await this.flush(documentId);
    const edits = (await this.store.listPairEdits(documentId, pairId)).filter((e) => e.what === 'edit' && e.lastAt > since);
    const names = await this.names(edits.map((e) => e.accountId));
    const seen = new Set<string>();
    return edits.flatMap((e) => (seen.has(e.accountId) ? [] : (seen.add(e.accountId), [{ name: names.get(e.accountId)!, partyId: e.partyId }])));
  }

  /** The pairs deleted and not brought back, latest first. */
  async recentlyDeleted(documentId: string): Promise<DeletedPairView[]> {
    await this.flush(documentId);
    const deleted = await this.store.listDeletedPairs(documentId, RECENTLY_DELETED_LIMIT);
    const names = await this.names(deleted.map((d) => d.accountId));
    return deleted.map(({ pair, accountId, partyId, deletedAt }) => ({
      pairId: pair.id,
      kind: pair.kind,
      vi: pair.vi,
      fr: pair.fr,
      afterId: pair.afterId,
      number: pair.index + 1,
      name: names.get(accountId)!,
      partyId,
      deletedAt,
    }));
  }
}
