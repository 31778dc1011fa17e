import type { Row } from './row.ts';

/**
 * Editors only for the rows near the viewport.
 *
 * Every editor (y-prosemirror binding) listens to every transaction of the
 * whole Y.Doc: with an editor per cell, 200 pairs meant 400 editors and ~800
 * handlers run for each character anyone typed, most of a keystroke's time
 * (docs/benchmarks.md, "Browser"). Rows within a screen above or below the
 * viewport are live (editors); the others are static text that looks the
 * same (staticCell.ts). An IntersectionObserver tells which rows are near;
 * a row that leaves goes static again, unless its editor is in use (focus,
 * input method composition): then it goes when that ends. A row someone
 * reached for while it was far (a comment's jump) goes at the next report or
 * when the focus leaves. So the number of
 * editors is bounded by what fits in three screens, whatever the length of
 * the declaration.
 */

export interface LazyRows {
  /** Starts watching a new row (it is static until it is near, or someone reaches for it). */
  add(row: Row): void;
  /** Stops watching a row (it is being destroyed). */
  remove(row: Row): void;
  /** Calls back once the rows added so far have been placed (live if near): the page is ready to type. */
  whenSettled(callback: () => void): void;
  destroy(): void;
}

/** How far beyond the viewport rows are kept live: one viewport height above and below. */
export const NEAR_MARGIN = '100% 0px 100% 0px';

export function lazyRows(): LazyRows {
  const rowOf = new Map<Element, Row>();
  const near = new Set<Row>();
  /** Rows added and not yet reported by the observer (its first report says whether they are near). */
  const unplaced = new Set<Row>();
  let waiting: Array<() => void> = [];

  /** Rows that are live and not near go static (the one someone is typing in refuses, for now). */
  const trim = (): void => {
    for (const row of rowOf.values()) if (row.live && !near.has(row)) row.goStatic();
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const row = rowOf.get(entry.target);
        if (!row) continue;
        unplaced.delete(row);
        if (entry.isIntersecting) {
          near.add(row);
          row.goLive();
        } else near.delete(row);
      }
      trim();
      if (unplaced.size === 0 && waiting.length) {
        const callbacks = waiting;
        waiting = [];
        for (const callback of callbacks) callback();
      }
    },
    { rootMargin: NEAR_MARGIN },
  );

  // A row kept live because it had the focus goes static once the focus has left it (and it is far).
  let trimSoon: ReturnType<typeof setTimeout> | undefined;
  const onFocusOut = (): void => {
    clearTimeout(trimSoon);
    trimSoon = setTimeout(trim, 0);
  };
  document.addEventListener('focusout', onFocusOut);

  return {
    add(row) {
      rowOf.set(row.element, row);
      unplaced.add(row);
      observer.observe(row.element);
    },
    remove(row) {
      observer.unobserve(row.element);
      rowOf.delete(row.element);
      near.delete(row);
      unplaced.delete(row);
    },
    whenSettled(callback) {
      if (unplaced.size === 0) callback();
      else waiting.push(callback);
    },
    destroy() {
      observer.disconnect();
      document.removeEventListener('focusout', onFocusOut);
      clearTimeout(trimSoon);
      rowOf.clear();
      near.clear();
      unplaced.clear();
      waiting = [];
    },
  };
}
