import type { CellContent, Lang, PairKind } from './model/index.ts';

/** Who changed what, as the API gives it (server/history/service.ts) and the page reads it (client/lib/historyApi.ts). */

/** What an entry of a pair's history records. */
export type PairEditKind = 'edit' | 'deleted' | 'restored';

/** One entry of a pair's history as the API gives it: who (name, delegation), what, in which cell, when. */
export interface PairHistoryEntry {
  what: PairEditKind;
  lang: Lang | null;
  name: string;
  partyId: string | null;
  from: string;
  to: string;
  /** The parties whose current approval of the pair was given before this entry ended: the text changed after they agreed. */
  afterApprovalOf: string[];
}

/** A current approval of the pair, and whether the text was edited after it (then maybe brought back: `current`). */
export interface PairHistoryApproval {
  partyId: string;
  status: 'agreed' | 'reserved';
  name: string;
  at: string;
  /** The pair's text is the one approved now. */
  current: boolean;
  /** Someone edited the pair after this approval. */
  editedSince: boolean;
}

export interface DeletedPairView {
  pairId: string;
  kind: PairKind;
  vi: CellContent;
  fr: CellContent;
  afterId: string | null;
  /** Its ¶ number when it was deleted. */
  number: number;
  name: string;
  partyId: string | null;
  deletedAt: string;
}

/** A pair's history: its entries, and its current approvals. */
export interface PairHistory {
  entries: PairHistoryEntry[];
  approvals: PairHistoryApproval[];
}
