import * as Y from 'yjs';

/** One update that builds on a struct the document does not hold yet. */
export interface WaitingUpdate<Origin> {
  origin: Origin;
  update: Uint8Array;
  /** The struct it waits for. */
  waitsFor: Y.ID;
  /** A live update, or a sync step 2 (see clientIdPolicy.ts): received again as it came. */
  live: boolean;
}

/**
 * Updates held back, unapplied, until the struct each builds on arrives —
 * what Yjs would keep pending, but kept outside the doc so that every update
 * is checked whole against the document it lands in (see updateStructure.ts).
 *
 * A page sends such an update only in the moment after it reconnects: what
 * it typed offline reaches the server with its answer to the server's sync
 * step 1, and a keystroke made before that answer builds on it. So little is
 * ever held; a connection that holds more than the bounds is closed (it
 * reconnects, and its handshake sends everything at once).
 */
export class WaitingUpdates<Origin> {
  private entries: Array<WaitingUpdate<Origin> & { bytes: number }> = [];
  private readonly perOrigin = new Map<Origin, { count: number; bytes: number }>();

  constructor(private readonly bounds: { updates: number; bytes: number }) {}

  /** Holds an update; false (nothing held) when its connection already holds as much as the bounds allow. */
  hold(origin: Origin, update: Uint8Array, waitsFor: Y.ID, live: boolean): boolean {
    const held = this.perOrigin.get(origin) ?? { count: 0, bytes: 0 };
    if (held.count + 1 > this.bounds.updates || held.bytes + update.length > this.bounds.bytes) return false;
    this.perOrigin.set(origin, { count: held.count + 1, bytes: held.bytes + update.length });
    this.entries.push({ origin, update, waitsFor, live, bytes: update.length });
    return true;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Removes and returns, in arrival order, the updates whose awaited struct the document now holds. */
  takeReady(doc: Y.Doc): WaitingUpdate<Origin>[] {
    const ready: WaitingUpdate<Origin>[] = [];
    this.entries = this.entries.filter((entry) => {
      if (entry.waitsFor.clock >= Y.getState(doc.store, entry.waitsFor.client)) return true;
      ready.push(entry);
      this.release(entry.origin, entry.bytes);
      return false;
    });
    return ready;
  }

  /** Forgets what a connection held (it left: its next handshake sends it again). */
  drop(origin: Origin): void {
    if (!this.perOrigin.delete(origin)) return;
    this.entries = this.entries.filter((entry) => entry.origin !== origin);
  }

  clear(): void {
    this.entries = [];
    this.perOrigin.clear();
  }

  private release(origin: Origin, bytes: number): void {
    const held = this.perOrigin.get(origin);
    if (!held) return;
    if (held.count <= 1) this.perOrigin.delete(origin);
    else this.perOrigin.set(origin, { count: held.count - 1, bytes: held.bytes - bytes });
  }
}
