import * as Y from 'yjs';
import { paragraphsMap, type Lang } from '../../shared/model/index.ts';
import { connectionOfOrigin } from '../collaboration/connectionAccounts.ts';
import type { PairEdit, StoredDeletedPair } from '../store/historyTypes.ts';
import { placesBefore, readDeletedPair, type Place } from './deletedPairs.ts';

/**
 * At most this many deleted pairs of one transaction have their content kept
 * ("Recently deleted" lists 50): a few bytes can delete every pair, and
 * reading each one's cells is work on the event loop (issue 19's bound).
 */
const KEPT_PER_TRANSACTION = 50;

/** What one document's transactions gave the history since it was last written. */
export interface HistoryBatch {
  edits: PairEdit[];
  /** In the order they happened: pairs deleted (kept for "Recently deleted"), and pairs back under their id (they leave it). */
  structure: Array<{ deleted: StoredDeletedPair } | { restored: string }>;
}

const isLang = (key: string | null): key is Lang => key === 'vi' || key === 'fr';

/** The cells (pair id, language) whose text a transaction changed, walking up from each changed type. */
function touchedCells(transaction: Y.Transaction, paragraphs: Y.Map<unknown>): Array<{ pairId: string; lang: Lang }> {
  const cells = new Map<string, { pairId: string; lang: Lang }>();
  for (const type of transaction.changed.keys()) {
    let item = type._item;
    let lang: string | null = null;
    while (item) {
      const parent = item.parent as Y.AbstractType<unknown>;
      if (parent === (paragraphs as unknown)) {
        if (item.parentSub && isLang(lang)) cells.set(`${item.parentSub}\u0000${lang}`, { pairId: item.parentSub, lang });
        break;
      }
      lang = item.parentSub;
      item = parent._item;
    }
  }
  return [...cells.values()];
}

/**
 * Watches one live document: after each transaction a signed-in connection
 * made, notes who typed in which cell, and which pairs they deleted (with
 * their content, read before Yjs drops it) or brought back. Transactions of
 * the server itself (loading the stored rows) are nobody's edit.
 */
export class HistoryRecorder {
  private batch: HistoryBatch = { edits: [], structure: [] };
  private readonly paragraphs: Y.Map<unknown>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly onPending: () => void,
  ) {
    this.paragraphs = paragraphsMap(doc) as Y.Map<unknown>;
    doc.on('afterTransaction', this.handleTransaction);
  }

  /** What was noted since the last take. */
  take(): HistoryBatch {
    const batch = this.batch;
    this.batch = { edits: [], structure: [] };
    return batch;
  }

  dispose(): void {
    this.doc.off('afterTransaction', this.handleTransaction);
  }

  private readonly handleTransaction = (transaction: Y.Transaction): void => {
    const connection = connectionOfOrigin(transaction.origin);
    if (!connection || transaction.changed.size === 0) return;
    const accountId = connection.user.id;
    const partyId = connection.presence.partyId;
    const at = new Date().toISOString();
    const entry = (pairId: string, what: PairEdit['what'], lang: Lang | null): PairEdit => ({ pairId, accountId, partyId, lang, what, firstAt: at, lastAt: at });
    const structural = new Set<string>();
    let places: Map<string, Place> | undefined;
    const placesOnce = () => (places ??= placesBefore(transaction, this.doc));
    let kept = 0;
    for (const key of transaction.changed.get(this.paragraphs as unknown as Y.AbstractType<Y.YEvent<Y.Map<unknown>>>) ?? []) {
      if (key === null) continue;
      structural.add(key);
      const now = this.paragraphs._map.get(key);
      if (now && !now.deleted) {
        // Set again over an earlier value of the key: a deleted pair brought back under its id.
        if (now.left) {
          this.batch.edits.push(entry(key, 'restored', null));
          this.batch.structure.push({ restored: key });
        }
        continue;
      }
      const removed = this.paragraphs._map.get(key);
      // Deleted by this transaction (not before it, the key changed again since).
      if (!removed || !removed.deleted || !Y.isDeleted(transaction.deleteSet, removed.id)) continue;
      this.batch.edits.push(entry(key, 'deleted', null));
      if (kept >= KEPT_PER_TRANSACTION) continue;
      const pair = readDeletedPair(transaction, this.doc, key, placesOnce);
      if (!pair) continue;
      const blank = [...pair.vi, ...pair.fr].every((paragraph) => paragraph.every((run) => run.text.trim() === ''));
      if (!blank) {
        kept += 1;
        this.batch.structure.push({ deleted: { pair, accountId, partyId, deletedAt: at } });
      }
    }
    for (const { pairId, lang } of touchedCells(transaction, this.paragraphs)) {
      if (structural.has(pairId)) continue;
      const last = this.batch.edits.at(-1);
      // A burst of keystrokes in one cell: one entry.
      if (last && last.what === 'edit' && last.pairId === pairId && last.lang === lang && last.accountId === accountId) last.lastAt = at;
      else this.batch.edits.push(entry(pairId, 'edit', lang));
    }
    this.onPending();
  };
}
