import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';

/**
 * Live connections are authenticated when they open. A session ended in this
 * process closes its connections at once (app.ts); one ended elsewhere — the
 * CLI's `sign-out-everywhere` works on the same DATA_DIR from its own process —
 * or past its 30 days would keep them open. So every `everyMs` the sessions
 * that open connections were opened with are looked up again, and the
 * connections of those gone are closed (4401 for sync).
 */
export function sweepEndedSessions(options: {
  store: Store;
  /** The sessions open connections were opened with (sync, socket.io). */
  sources: Array<() => Promise<Set<string>>>;
  end: (sessionIds: Set<string>) => Promise<void>;
  everyMs: number;
  logger: Logger;
}): () => void {
  let running = false;
  const sweep = async () => {
    const ids = new Set<string>();
    for (const source of options.sources) for (const id of await source()) ids.add(id);
    if (ids.size === 0) return;
    const live = await options.store.liveSessions(ids, new Date());
    const ended = new Set([...ids].filter((id) => !live.has(id)));
    if (ended.size === 0) return;
    options.logger.info({ sessions: ended.size }, 'closing the connections of sessions ended elsewhere or expired');
    await options.end(ended);
  };
  const timer = setInterval(() => {
    if (running) return; // a slow sweep is not stacked on
    running = true;
    sweep()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'could not check the sessions of open connections'))
      .finally(() => (running = false));
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
