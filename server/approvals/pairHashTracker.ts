import * as Y from 'yjs';
import { pairHash } from '../../shared/hash.ts';
import { paragraphsMap, readPairText } from '../../shared/model/index.ts';

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
 * with the document.
 */
export class PairHashTracker {
  private readonly hashes = new Map<string, string>();
  private readonly paragraphs: Y.Map<Y.Map<unknown>>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly onChange: (changed: Map<string, string | null>) => void,
  ) {
    this.paragraphs = paragraphsMap(doc);
    for (const id of this.paragraphs.keys()) this.rehash(id);
    doc.on('afterTransaction', this.handleTransaction);
  }

  get(pairId: string): string | undefined {
    return this.hashes.get(pairId);
  }

  snapshot(): Map<string, string> {
    return new Map(this.hashes);
  }

  dispose(): void {
    this.doc.off('afterTransaction', this.handleTransaction);
  }

  private rehash(id: string): string | null {
    const text = readPairText(this.doc, id);
    if (!text) {
      this.hashes.delete(id);
      return null;
    }
    const hash = pairHash(text);
    this.hashes.set(id, hash);
    return hash;
  }

  private readonly handleTransaction = (transaction: Y.Transaction): void => {
    const changed = new Map<string, string | null>();
    for (const id of touchedPairs(transaction, this.paragraphs as Y.Map<unknown>)) {
      const before = this.hashes.get(id) ?? null;
      const after = this.rehash(id);
      if (before !== after) changed.set(id, after);
    }
    if (changed.size > 0) this.onChange(changed);
  };
}

/** Hashes of every pair of a document (for documents not loaded in a room). */
export function hashAllPairs(doc: Y.Doc): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const id of paragraphsMap(doc).keys()) {
    const text = readPairText(doc, id);
    if (text) hashes.set(id, pairHash(text));
  }
  return hashes;
}
