import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';

type Apply = (documentId: string, accountId: string) => Promise<void>;

/**
 * Applies membership changes to live connections. One made through this
 * server is applied at once (`applyNow`). One made by another process — the
 * CLI's `accord revoke`, `invite` or `remove-party` on the same DATA_DIR — is
 * found in the membership audit log (every change writes its entry in the
 * same transaction) every `everyMs`, and applied then: a revoked person's
 * sync connections close (4403) and their socket.io sockets leave the room.
 * A change already applied here is not applied twice.
 */
export class MembershipSweep {
  private seq = 0;
  /** The log's end when each (document, account) was last applied here: later entries are news. */
  private readonly applied = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly store: Store,
    private readonly apply: Apply,
    private readonly logger: Logger,
  ) {}

  /** Starts from where the log ends now (earlier changes were in the store when connections opened). */
  async start(everyMs: number): Promise<void> {
    this.seq = (await this.store.membershipChangesSince(undefined)).seq;
    this.timer = setInterval(() => {
      if (this.running) return; // a slow sweep is not stacked on
      this.running = true;
      this.sweep()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not check for membership changes made elsewhere'))
        .finally(() => (this.running = false));
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Applies a change this server just made; the log's entries up to now need no second application. */
  async applyNow(documentId: string, accountId: string): Promise<void> {
    const { seq } = await this.store.membershipChangesSince(undefined);
    await this.apply(documentId, accountId);
    const key = keyOf(documentId, accountId);
    this.applied.set(key, Math.max(seq, this.applied.get(key) ?? 0));
  }

  private async sweep(): Promise<void> {
    const { seq, changed } = await this.store.membershipChangesSince(this.seq);
    this.seq = seq;
    const news = changed.filter((c) => (this.applied.get(keyOf(c.documentId, c.accountId)) ?? 0) < c.seq);
    for (const [key, upTo] of this.applied) if (upTo <= seq) this.applied.delete(key);
    if (news.length === 0) return;
    this.logger.info({ changes: news.length }, 'applying membership changes made elsewhere to live connections');
    for (const { documentId, accountId } of news) await this.apply(documentId, accountId);
  }
}

const keyOf = (documentId: string, accountId: string) => `${documentId}\u0000${accountId}`;
