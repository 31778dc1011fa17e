import { limits } from '../../shared/limits.ts';

/**
 * A document's `pairs:hashes` pushes, coalesced: the first change goes out at
 * once, later ones at most once every `limits.hashPushIntervalMs`, the pairs
 * changed meanwhile in one push with their latest hashes (null: deleted), and
 * the structure's latest hash when it changed (shared/agreedStructure.ts).
 *
 * Why: the hash tracker reports after every turn in which someone typed, and
 * each report went to every follower of the document: with two people typing,
 * ~28 pushes a second to every page (each ~0.7 ms of a page's main thread,
 * docs/benchmarks.md), and N times that on the server for N followers. A
 * status turns "stale" at most a fifth of a second later; nothing is decided
 * from pushes (an approval is checked against the server's own hashes).
 */
export class HashPushes {
  private pending = new Map<string, string | null>();
  private pendingStructure: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSent = -Infinity;

  constructor(
    private readonly send: (hashes: Map<string, string | null>, structure: string | undefined) => void,
    private readonly intervalMs = limits.hashPushIntervalMs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Pairs whose hash changed (null: the pair is gone). */
  add(changed: ReadonlyMap<string, string | null>): void {
    for (const [pairId, hash] of changed) this.pending.set(pairId, hash);
    this.schedule();
  }

  /** The structure's hash changed (a pair deleted, added, moved, or of another kind). */
  addStructure(hash: string): void {
    this.pendingStructure = hash;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastSent + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what waits now (before an approval push, so a page learns the hashes first; when the room closes). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0 && this.pendingStructure === undefined) return;
    const hashes = this.pending;
    const structure = this.pendingStructure;
    this.pending = new Map();
    this.pendingStructure = undefined;
    this.lastSent = this.now();
    this.send(hashes, structure);
  }
}
