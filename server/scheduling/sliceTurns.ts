/**
 * One slice of long work per turn of the event loop, for the whole process.
 *
 * Long work (applying a large update, loading a stored document, re-hashing
 * changed pairs) runs in slices of ~10 ms and yields in between, so that
 * other documents' frames are read meanwhile. Yielding with setImmediate
 * alone is not enough: Node runs every immediate queued before its check
 * phase in one go, so two rooms slicing at once (or a room's ingest and its
 * hash tracker) ran their slices back to back, and the loop stalled for the
 * sum (measured: 60–85 ms with 10 ms slices). Here each turn of the loop
 * runs at most one waiting slice; the others wait for the next turns, in
 * the order they asked (each gets its turn: no starvation). Between two
 * turns the loop polls I/O, so a frame waits for one slice at most.
 */

export interface SliceTurn {
  /** Gives the turn up, if it has not come yet (its callback is never called). */
  cancel(): void;
}

const waiting: Array<{ run: () => void; cancelled: boolean }> = [];
let scheduled = false;

function pump(): void {
  scheduled = false;
  let next = waiting.shift();
  while (next?.cancelled) next = waiting.shift();
  // Scheduled before running it: an immediate queued inside the check phase runs at the next turn.
  if (waiting.length > 0) schedule();
  next?.run();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(pump);
}

/** Calls `run` at a later turn of the event loop, alone in that turn among slices. */
export function onSliceTurn(run: () => void): SliceTurn {
  const entry = { run, cancelled: false };
  waiting.push(entry);
  schedule();
  return { cancel: () => void (entry.cancelled = true) };
}

/** Resolves at a later turn of the event loop, alone in that turn among slices (`await nextSliceTurn()` between slices). */
export function nextSliceTurn(): Promise<void> {
  return new Promise((resolve) => onSliceTurn(resolve));
}
