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
 *
 * The observer watches only the near rows and a few on each side of them:
 * Chromium computes the intersections of every watched element on every
 * frame that changes the layout (each character anyone types), ~1 ms for 200
 * rows (docs/benchmarks.md, "Browser: fewer rows watched"). The near rows
 * are one stretch of the list, so a row can only come near after the watched
 * one between it and them did; when none is near any more (a jump far away,
 * rows moved), every row is watched again until the next report says which
 * are near.
 */

export interface LazyRows {
  /** Starts watching a new row (it is static until it is near, or someone reaches for it). */
  add(row: Row): void;
  /** Stops watching a row (it is being destroyed). */
  remove(row: Row): void;
  /** Rows may have moved (the list was reordered): watch them all until the next report says which are near. */
  rewatch(): void;
  /** Calls back once the rows added so far have been placed (live if near): the page is ready to type. */
  whenSettled(callback: () => void): void;
  destroy(): void;
}

/** How far beyond the viewport rows are kept live: one viewport height above and below. */
export const NEAR_MARGIN = '100% 0px 100% 0px';

/** How many rows beyond the near ones, on each side, are watched too. */
const WATCHED_BEYOND = 3;

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

  /** The rows the observer watches (all of them until the near ones are known, then those and a few around). */
  const watched = new Set<Row>();
  const watch = (row: Row): void => {
    if (watched.has(row)) return;
    watched.add(row);
    observer.observe(row.element);
  };
  const watchAll = (): void => {
    for (const row of rowOf.values()) watch(row);
  };
  /** Watches the near rows and WATCHED_BEYOND rows on each side of them, no others. */
  const narrow = (): void => {
    if (unplaced.size > 0) return;
    const first = near.values().next().value;
    const list = first?.element.parentElement;
    if (!first || !list) return watchAll();
    const ordered: Row[] = [];
    let from = Infinity;
    let to = -1;
    for (const element of list.children) {
      const row = rowOf.get(element);
      if (!row) continue;
      if (near.has(row)) {
        from = Math.min(from, ordered.length);
        to = ordered.length;
      }
      ordered.push(row);
    }
    const keep = new Set(ordered.slice(Math.max(0, from - WATCHED_BEYOND), to + WATCHED_BEYOND + 1));
    for (const row of keep) watch(row);
    for (const row of watched) {
      // A row not in the list (yet) stays watched: its place is not known.
      if (keep.has(row) || row.element.parentElement !== list) continue;
      watched.delete(row);
      observer.unobserve(row.element);
      near.delete(row);
    }
  };

  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        const row = rowOf.get(entry.target);
        if (!row || !watched.has(row)) continue;
        unplaced.delete(row);
        if (entry.isIntersecting) {
          near.add(row);
          row.goLive();
        } else near.delete(row);
      }
      trim();
      narrow();
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
      watch(row);
    },
    remove(row) {
      observer.unobserve(row.element);
      watched.delete(row);
      rowOf.delete(row.element);
      near.delete(row);
      unplaced.delete(row);
    },
    rewatch: watchAll,
    whenSettled(callback) {
      if (unplaced.size === 0) callback();
      else waiting.push(callback);
    },
    destroy() {
      observer.disconnect();
      document.removeEventListener('focusout', onFocusOut);
      clearTimeout(trimSoon);
      rowOf.clear();
      watched.clear();
      near.clear();
      unplaced.clear();
      waiting = [];
    },
  };
}
