import type { ThreadView } from '../../../../shared/comments.ts';
import type { Lang } from '../../../../shared/model/index.ts';

/**
 * The comment threads this member may see, as last told by the server (the
 * initial GET, the answers to our own requests and the live pushes). Comment
 * data never lives in the Y.Doc (docs/DESIGN.md decision 1).
 */
export class ThreadStore {
  private readonly threads = new Map<string, ThreadView>();
  /** When each thread was last upserted (a counter), to merge a full load with newer pushes. */
  private readonly upserted = new Map<string, number>();
  private sequence = 0;
  private readonly listeners = new Set<(changed: ReadonlySet<string> | 'all') => void>();

  /** A mark to pass to replaceAll: taken when a full load starts. */
  mark(): number {
    return this.sequence;
  }

  /**
   * Replaces everything with a full load started at `since` (a mark), keeping
   * the threads pushed or answered while it was on its way (they are newer).
   */
  replaceAll(threads: ThreadView[], since = Infinity): void {
    const newer = [...this.threads.values()].filter((t) => (this.upserted.get(t.id) ?? -1) > since);
    this.threads.clear();
    this.upserted.clear();
    for (const thread of threads) this.threads.set(thread.id, thread);
    for (const thread of newer) {
      this.threads.set(thread.id, thread);
      this.upserted.set(thread.id, this.sequence);
    }
    this.emit('all');
  }

  /** Adds or replaces threads (a push, or the answer to one of our requests). */
  upsert(...threads: ThreadView[]): void {
    if (threads.length === 0) return;
    this.sequence++;
    for (const thread of threads) {
      this.threads.set(thread.id, thread);
      this.upserted.set(thread.id, this.sequence);
    }
    this.emit(new Set(threads.map((t) => t.id)));
  }

  get(id: string): ThreadView | undefined {
    return this.threads.get(id);
  }

  all(): ThreadView[] {
    return [...this.threads.values()];
  }

  /** Threads anchored in one language of one pair. */
  forCell(pairId: string, lang: Lang): ThreadView[] {
    return this.all().filter((t) => t.pairId === pairId && t.lang === lang);
  }

  /** Open threads of a pair, counted by delegation. */
  openCountsByDelegation(pairId: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of this.threads.values()) {
      if (t.pairId === pairId && t.status === 'open') counts.set(t.delegation, (counts.get(t.delegation) ?? 0) + 1);
    }
    return counts;
  }

  onChange(listener: (changed: ReadonlySet<string> | 'all') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(changed: ReadonlySet<string> | 'all'): void {
    for (const listener of this.listeners) listener(changed);
  }
}
