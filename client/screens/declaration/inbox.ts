import { afterNextFrame } from './afterNextFrame.ts';

/**
 * What this page receives on the sync connection while its person types:
 * others' edits and cursors wait for the frame that shows her keystroke, then
 * are shown together, right after it.
 *
 * Why: with two others typing, their characters and cursors made Chromium
 * paint 20–30 frames a second. Once frames come one after another, Chromium
 * begins each on the display's beat, so the person's own keystroke waited for
 * the next beat (0–16.7 ms) and often for the end of a frame begun for someone
 * else's character before it; on an idle page a keystroke's frame begins at
 * once (docs/benchmarks.md, "Browser: others' changes after the keystroke's
 * frame"). Shown right after her keystroke's frame, others' changes get their
 * own frame while she is between keystrokes, and the page is idle again when
 * her next key comes. Applying them inside the keystroke's task instead was
 * tried: it delays the keystroke's frame by their 1–2 ms of work each.
 *
 * Others' changes wait at most INBOX_MAX_HOLD_MS (a person who types slowly
 * still sees them within a sixth of a second), and not at all when she has
 * not typed for TYPING_WINDOW_MS. Messages keep their order. Nothing is lost
 * here: a message that waits is applied before its connection's close is
 * handled, so the provider sees it as it would have.
 */

/** The longest a received message waits while the person types. */
export const INBOX_MAX_HOLD_MS = 150;
/** The person counts as typing for this long after her last edit. */
export const TYPING_WINDOW_MS = 500;

export interface InboxOptions {
  /** Calls back once the frame that shows the current changes is out (default: after the next animation frame). */
  afterFrame?: (run: () => void) => void;
  now?: () => number;
  /** A message whose handling threw (default: reported as an uncaught error, as it would have been on its own). */
  onError?: (error: unknown) => void;
}

const rethrowLater = (error: unknown): void =>
  queueMicrotask(() => {
    throw error;
  });

export interface Inbox {
  /** A message arrived: `apply` handles it now, or after the person's keystroke's frame (in order). */
  receive(apply: () => void): void;
  /** The person changed the document (a keystroke, a paste, a deletion). */
  localEdit(): void;
  /** Applies what waits, now (the connection closes, the page is hidden or left). */
  release(): void;
  /** Messages waiting. */
  waiting(): number;
  dispose(): void;
}

export function createInbox(options: InboxOptions = {}): Inbox {
  const afterFrame = options.afterFrame ?? afterNextFrame;
  const now = options.now ?? (() => performance.now());
  const onError = options.onError ?? rethrowLater;
  let held: Array<() => void> = [];
  let lastEdit = -Infinity;
  let deadline: ReturnType<typeof setTimeout> | undefined;
  let releaseAfterFrame = false;
  let disposed = false;

  const release = (): void => {
    clearTimeout(deadline);
    deadline = undefined;
    const due = held;
    held = [];
    // One after another in this task: their changes show in one frame. A message whose handling
    // throws is reported, and the ones after it still apply.
    for (const apply of due) {
      try {
        apply();
      } catch (error) {
        onError(error);
      }
    }
  };

  const onHide = (): void => {
    if (document.visibilityState === 'hidden') release();
  };
  window.addEventListener('pagehide', release);
  document.addEventListener('visibilitychange', onHide);

  return {
    receive(apply) {
      if (disposed) return apply();
      // Behind a waiting message, every message waits: order is kept.
      if (held.length === 0 && now() - lastEdit >= TYPING_WINDOW_MS) return apply();
      held.push(apply);
      deadline ??= setTimeout(release, INBOX_MAX_HOLD_MS);
    },
    localEdit() {
      lastEdit = now();
      if (releaseAfterFrame) return;
      releaseAfterFrame = true;
      afterFrame(() => {
        releaseAfterFrame = false;
        release();
      });
    },
    release,
    waiting: () => held.length,
    dispose() {
      disposed = true;
      release();
      window.removeEventListener('pagehide', release);
      document.removeEventListener('visibilitychange', onHide);
    },
  };
}

/**
 * A WebSocket class for y-websocket (its `WebSocketPolyfill` option) whose
 * message handler goes through the inbox; a message still waiting when the
 * socket closes is applied first.
 */
export function socketThroughInbox(inbox: Inbox, Base: typeof WebSocket = WebSocket): typeof WebSocket {
  return class InboxWebSocket extends Base {
    #onmessage: ((this: WebSocket, event: MessageEvent) => unknown) | null = null;
    #onclose: ((this: WebSocket, event: CloseEvent) => unknown) | null = null;

    override get onmessage(): ((this: WebSocket, event: MessageEvent) => unknown) | null {
      return this.#onmessage;
    }
    override set onmessage(handler: ((this: WebSocket, event: MessageEvent) => unknown) | null) {
      this.#onmessage = handler;
      super.onmessage = handler ? (event: MessageEvent) => inbox.receive(() => handler.call(this, event)) : null;
    }
    override get onclose(): ((this: WebSocket, event: CloseEvent) => unknown) | null {
      return this.#onclose;
    }
    override set onclose(handler: ((this: WebSocket, event: CloseEvent) => unknown) | null) {
      this.#onclose = handler;
      super.onclose = handler
        ? (event: CloseEvent) => {
            inbox.release();
            handler.call(this, event);
          }
        : null;
    }
  };
}
