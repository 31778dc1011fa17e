import type { PairEditKind } from '../../shared/history.ts';
import type { DeletedPair, Lang } from '../../shared/model/index.ts';

/** What a person did to a pair: typed in one of its cells, or deleted or restored it. */
export type { PairEditKind };

/** One entry of a pair's history (typing in one cell by one account, coalesced over minutes). */
export interface PairEdit {
  pairId: string;
  accountId: string;
  /** The delegation the account spoke for then (null: the secretariat). */
  partyId: string | null;
  /** The cell typed in; null for a deletion or a restore. */
  lang: Lang | null;
  what: PairEditKind;
  firstAt: string;
  lastAt: string;
}

/** A pair someone deleted, kept so that an editor can bring it back (until it is restored). */
export interface StoredDeletedPair {
  pair: DeletedPair;
  accountId: string;
  partyId: string | null;
  deletedAt: string;
}

/** Who changed which pair, when; and the pairs deleted (server/history/). */
export interface HistoryStore {
  /** Appends entries; typing by the same account in the same cell within minutes extends the last entry. */
  recordPairEdits(documentId: string, edits: PairEdit[]): Promise<void>;
  /** A pair's entries, oldest first. */
  listPairEdits(documentId: string, pairId: string): Promise<PairEdit[]>;
  /** Keeps a deleted pair (replacing an earlier deletion of the same id). */
  recordDeletedPair(documentId: string, deleted: StoredDeletedPair): Promise<void>;
  /** The pair is back: it leaves the list. */
  forgetDeletedPair(documentId: string, pairId: string): Promise<void>;
  /** The pairs deleted and not restored, latest first. */
  listDeletedPairs(documentId: string, limit: number): Promise<StoredDeletedPair[]>;
}
