import * as Y from 'yjs';
import type { ItemAlive } from '../../shared/model/cellWalk.ts';
import { isPairKind, orderArray, paragraphsMap, readCell, type DeletedPair, type Lang } from '../../shared/model/index.ts';

/**
 * A pair as it was just before the transaction that deleted it, read while
 * that transaction ends (the doc's `afterTransaction`), before Yjs drops the
 * deleted content: the items it deleted count as live. Undefined when the
 * transaction did not delete the pair under `id`.
 */
export function readDeletedPair(transaction: Y.Transaction, doc: Y.Doc, id: string): DeletedPair | undefined {
  const alive: ItemAlive = (item) => !item.deleted || Y.isDeleted(transaction.deleteSet, item.id);
  const item = paragraphsMap(doc)._map.get(id);
  if (!item || !item.deleted || !alive(item) || !(item.content instanceof Y.ContentType)) return undefined;
  const map = item.content.type;
  const value = (key: string): unknown => {
    const entry = map._map.get(key);
    return entry && alive(entry) ? entry.content.getContent()[0] : undefined;
  };
  const cells = {} as Record<Lang, DeletedPair['vi']>;
  for (const lang of ['vi', 'fr'] as const) {
    const fragment = value(lang);
    if (!(fragment instanceof Y.XmlFragment)) return undefined;
    cells[lang] = readCell(fragment, alive);
  }
  const kind = value('kind');
  return { id, kind: isPairKind(kind) ? kind : 'operative', ...cells, ...placeBefore(transaction, doc, id, alive) };
}

/** Where the pair stood in the reading order before the transaction: the pair before it and its index. */
function placeBefore(transaction: Y.Transaction, doc: Y.Doc, id: string, alive: ItemAlive): { afterId: string | null; index: number } {
  const seen = new Set<string>();
  let afterId: string | null = null;
  for (let item = orderArray(doc)._start; item !== null; item = item.right) {
    // Deleted before this transaction: its content is gone (not countable). Inserted by it: not there before.
    if (!item.countable || !alive(item) || item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0)) continue;
    for (const value of item.content.getContent()) {
      if (typeof value !== 'string' || seen.has(value)) continue;
      if (value === id) return { afterId, index: seen.size };
      seen.add(value);
      afterId = value;
    }
  }
  return { afterId, index: seen.size };
}
