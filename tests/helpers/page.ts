/**
 * The little of a browser page that the declaration's connection modules
 * listen to (outbox.ts, inbox.ts): `window` and `document` as event targets,
 * with a visibility the test can change. Node has neither.
 */
export interface FakePage {
  /** The page is being left (`pagehide` on window). */
  leave(): void;
  /** The tab is hidden (`visibilitychange` with `document.visibilityState` 'hidden'). */
  hide(): void;
  /** Removes the globals again. */
  remove(): void;
}

export function installFakePage(): FakePage {
  const window = new EventTarget();
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  Object.assign(globalThis, { window, document });
  return {
    leave: () => window.dispatchEvent(new Event('pagehide')),
    hide() {
      document.visibilityState = 'hidden';
      document.dispatchEvent(new Event('visibilitychange'));
    },
    remove() {
      delete (globalThis as { window?: unknown }).window;
      delete (globalThis as { document?: unknown }).document;
    },
  };
}
