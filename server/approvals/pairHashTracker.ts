import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { readPairContent, type PairContent } from '../../shared/canonicalText.ts';
import { canonicalPairHashInput, pairHashInput, type PairInput } from '../../shared/hash.ts';
import { limits } from '../../shared/limits.ts';
import { paragraphsMap } from '../../shared/model/index.ts';
import { onSliceTurn, type SliceTurn } from '../scheduling/sliceTurns.ts';

/**
 * `pairHash` (shared/hash.ts) with Node's native SHA-256: the same hash of the
 * same input, several times faster than the pure-JS one the browser needs.
 * The tracker re-hashes a pair after every turn in which someone typed in it.
 */
export function pairHashNative(content: PairInput): string {
  return hash('sha256', pairHashInput(content), 'hex');
}

/** `pairHashNative` of a pair as `readPairContent` reads it: canonical already, so not normalised a second time. */
function readPairHash(content: PairContent): string {
  return hash('sha256', canonicalPairHashInput(content), 'hex');
}

/** The pairs whose content a transaction touched (walks up from each changed type). */
export function touchedPairs(transaction: Y.Transaction, paragraphs: Y.Map<unknown>): Set<string> {
  const ids = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if (type === (paragraphs as unknown)) {
      for (const key of keys) if (key !== null) ids.add(key);
      continue;
    }
    let item = type._item;
    while (item) {
      if (item.parent === (paragraphs as unknown)) {
        if (item.parentSub) ids.add(item.parentSub);
        break;
      }
      item = (item.parent as Y.AbstractType<unknown>)._item;
    }
  }
  return ids;
}

/**
 * Keeps the hash of every pair of a live document current. Only the pairs a
 * transaction touched are re-hashed, so the cost of an update does not grow
 * with the document. Re-hashing waits for the end of the event-loop turn (the
 * transactions of one turn — a burst of keystrokes, the slices of a large
 * update — touch a pair once) and runs in slices, so a change to every pair
 * never stalls the server; reading a hash first brings every pair up to date.
 */
export class PairHashTracker {
  private readonly hashes = new Map<string, string>();
  private readonly paragraphs: Y.Map<Y.Map<unknown>>;
  /** Pairs touched since they were last hashed. */
  private readonly dirty = new Set<string>();
  private flushTimer: SliceTurn | undefined;
  /** Pairs not hashed yet since the document opened. */
  private readonly unreported = new Set<string>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly onChange: (changed: Map<string, string | null>) => void,
  ) {
    this.paragraphs = paragraphsMap(doc);
    // The first hashes are computed in slices too (a large document would stall its opening), and not reported: nothing changed.
    for (const id of this.paragraphs.keys()) {
      this.dirty.add(id);
      this.unreported.add(id);
    }
    if (this.dirty.size > 0) this.flushTimer = onSliceTurn(() => this.flush(limits.pairHashSliceMs));
    doc.on('afterTransaction', this.handleTransaction);
  }

  get(pairId: string): string | undefined {
    this.flush(Infinity);
    return this.hashes.get(pairId);
  }

  snapshot(): Map<string, string> {
    this.flush(Infinity);
    return new Map(this.hashes);
  }

  dispose(): void {
    this.doc.off('afterTransaction', this.handleTransaction);
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
  }

  private rehash(id: string): string | null {
    const content = readPairContent(this.doc, id);
    if (!content) {
      this.hashes.delete(id);
      return null;
    }
    const hash = readPairHash(content);
    this.hashes.set(id, hash);
    return hash;
  }

  private readonly handleTransaction = (transaction: Y.Transaction): void => {
    for (const id of touchedPairs(transaction, this.paragraphs as Y.Map<unknown>)) {
      this.dirty.add(id);
      // Changed since the document opened (e.g. an edit accepted while it loaded): worth reporting, even if not hashed yet.
      this.unreported.delete(id);
    }
    if (this.dirty.size > 0) this.flushTimer ??= onSliceTurn(() => this.flush(limits.pairHashSliceMs));
  };

  /** Re-hashes dirty pairs for at most `budgetMs`, reports the hashes that changed, and schedules the rest. */
  private flush(budgetMs: number): void {
    this.flushTimer?.cancel();
    this.flushTimer = undefined;
    if (this.dirty.size === 0) return;
    const deadline = performance.now() + budgetMs;
    const changed = new Map<string, string | null>();
    for (const id of this.dirty) {
      this.dirty.delete(id);
      const quiet = this.unreported.delete(id);
      const before = this.hashes.get(id) ?? null;
      const after = this.rehash(id);
      if (before !== after && !quiet) changed.set(id, after);
      if (performance.now() >= deadline) break;
    }
    if (this.dirty.size > 0) this.flushTimer = onSliceTurn(() => this.flush(limits.pairHashSliceMs));
    if (changed.size > 0) this.onChange(changed);
  }
}

/** Hashes of every pair of a document (for documents not loaded in a room). */
export function hashAllPairs(doc: Y.Doc): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const id of paragraphsMap(doc).keys()) {
    const content = readPairContent(doc, id);
    if (content) hashes.set(id, readPairHash(content));
  }
  return hashes;
}
