import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { readStructure, structureHashInput, type StructureEntry } from '../../shared/agreedStructure.ts';
import { limits } from '../../shared/limits.ts';
import { orderArray, paragraphsMap } from '../../shared/model/index.ts';

/** `structureHash` (shared/agreedStructure.ts) with Node's native SHA-256: the same hash of the same input. */
export function structureHashNative(entries: ReadonlyArray<StructureEntry>): string {
  return hash('sha256', structureHashInput(entries), 'hex');
}

/**
 * Whether a transaction may have changed the structure: it changed `order`,
 * the set of pairs, or a pair's own keys (its kind; a cell put in place).
 * Typing in a cell changes none of these, so keystrokes cost one look at the
 * types the transaction changed.
 */
export function touchesStructure(transaction: Y.Transaction, order: Y.AbstractType<unknown>, paragraphs: Y.AbstractType<unknown>): boolean {
  for (const type of transaction.changed.keys()) {
    if (type === order || type === paragraphs) return true;
    if (type._item?.parent === paragraphs) return true;
  }
  return false;
}

/**
 * Keeps the structure hash of a live document current, like the pair hash
 * tracker does for the text: after a structural transaction (a pair deleted,
 * added, moved, split, merged or given another kind) it reads the structure
 * and reports its hash if it changed. Reading the structure costs ~1 µs a
 * pair, so a burst of structural transactions (a pasted document arriving in
 * slices) is read at most once every `intervalMs`; the first at once. Reading
 * the hash brings it up to date.
 */
export class StructureTracker {
  private current: string;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private lastRead: number;
  private readonly order: Y.AbstractType<unknown>;
  private readonly paragraphs: Y.AbstractType<unknown>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly onChange: (hash: string) => void,
    private readonly intervalMs: number = limits.hashPushIntervalMs,
  ) {
    this.order = orderArray(doc) as unknown as Y.AbstractType<unknown>;
    this.paragraphs = paragraphsMap(doc) as unknown as Y.AbstractType<unknown>;
    // The stored document's structure (the room attaches observers once its stored rows are in): not reported, nothing changed.
    this.current = structureHashNative(readStructure(doc));
    this.lastRead = performance.now();
    doc.on('afterTransaction', this.handleTransaction);
  }

  get(): string {
    this.refresh();
    return this.current;
  }

  dispose(): void {
    this.doc.off('afterTransaction', this.handleTransaction);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly handleTransaction = (transaction: Y.Transaction): void => {
    if (!touchesStructure(transaction, this.order, this.paragraphs)) return;
    this.dirty = true;
    // After the turn (its other transactions may touch the structure too), and not more often than every intervalMs.
    this.timer ??= setTimeout(() => this.refresh(), Math.max(0, this.lastRead + this.intervalMs - performance.now()));
  };

  private refresh(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.lastRead = performance.now();
    const before = this.current;
    this.current = structureHashNative(readStructure(this.doc));
    if (before !== this.current) this.onChange(this.current);
  }
}
