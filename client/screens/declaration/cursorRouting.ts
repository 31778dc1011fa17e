import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Lang } from '../../../shared/model/index.ts';
import { locateCursor } from './presence.ts';

/**
 * Remote cursors routed to the one cell they are in.
 *
 * y-prosemirror's cursor plugin listens to the awareness 'change' event and
 * re-renders its editor on every change; each re-render is a dispatch that
 * also runs a Yjs transaction (the sync plugin's view update), and every
 * transaction calls the handlers of all editors on the doc. With one editor
 * per cell that is 2 × pairs editors: at 200 pairs, every character anyone
 * typed (it moves their cursor) made 400 editors dispatch, ~160,000 handler
 * calls, tens of milliseconds per keystroke (docs/benchmarks.md, "Browser").
 *
 * Each editor gets a view of the awareness that only says 'change' when a
 * cursor entered, moved in or left its cell. Everything else (the states it
 * draws, publishing this page's own cursor) goes to the shared awareness.
 */

export interface CursorRouter {
  /** What the cursor plugin of this cell's editor should see as the awareness. */
  forCell(pairId: string, lang: Lang): Awareness;
  destroy(): void;
}

type ChangeListener = (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => void;

const cellKey = (pairId: string, lang: Lang): string => `${pairId}\u0000${lang}`;

export function cursorRouter(awareness: Awareness, doc: Y.Doc): CursorRouter {
  const listeners = new Map<string, Set<ChangeListener>>();
  /** The cell each remote client's cursor was last seen in. */
  const cellOf = new Map<number, string>();

  const onChange: ChangeListener = (change, origin) => {
    const touched = new Set<string>();
    for (const clientId of [...change.added, ...change.updated, ...change.removed]) {
      // This page's own cursor is never drawn in its own editors.
      if (clientId === awareness.clientID) continue;
      const before = cellOf.get(clientId);
      const state = awareness.getStates().get(clientId) as { cursor?: unknown } | undefined;
      const at = state ? locateCursor(doc, state.cursor) : undefined;
      const now = at ? cellKey(at.pairId, at.lang) : undefined;
      if (now) cellOf.set(clientId, now);
      else cellOf.delete(clientId);
      if (before) touched.add(before);
      if (now) touched.add(now);
    }
    for (const key of touched) for (const listener of listeners.get(key) ?? []) listener(change, origin);
  };
  awareness.on('change', onChange);

  return {
    forCell(pairId, lang) {
      const key = cellKey(pairId, lang);
      // Inherits everything else: reads of the states, setLocalStateField and
      // the events it emits all reach the shared awareness (and the provider).
      const view = Object.create(awareness) as Awareness;
      // Only 'change' is routed; any other event is the shared awareness's own.
      view.on = ((event: string, listener: ChangeListener) => {
        if (event !== 'change') return awareness.on(event as 'change', listener);
        let set = listeners.get(key);
        if (!set) listeners.set(key, (set = new Set()));
        set.add(listener);
      }) as Awareness['on'];
      view.off = ((event: string, listener: ChangeListener) => {
        if (event !== 'change') return awareness.off(event as 'change', listener);
        const set = listeners.get(key);
        set?.delete(listener);
        if (set?.size === 0) listeners.delete(key);
      }) as Awareness['off'];
      return view;
    },
    destroy() {
      awareness.off('change', onChange);
      listeners.clear();
      cellOf.clear();
    },
  };
}
