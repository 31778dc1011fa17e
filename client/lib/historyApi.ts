import type { CellContent, Lang, PairKind } from '../../shared/model/index.ts';
import { request } from './http.ts';

/** Who changed what (server/routes/history.ts). */

export interface PairHistoryEntry {
  what: 'edit' | 'deleted' | 'restored';
  lang: Lang | null;
  name: string;
  partyId: string | null;
  from: string;
  to: string;
  afterApprovalOf: string[];
}

export interface PairHistoryApproval {
  partyId: string;
  status: 'agreed' | 'reserved';
  name: string;
  at: string;
  current: boolean;
  editedSince: boolean;
}

export interface PairHistory {
  entries: PairHistoryEntry[];
  approvals: PairHistoryApproval[];
}

export interface DeletedPairView {
  pairId: string;
  kind: PairKind;
  vi: CellContent;
  fr: CellContent;
  afterId: string | null;
  number: number;
  name: string;
  partyId: string | null;
  deletedAt: string;
}

const doc = (id: string): string => `/api/documents/${encodeURIComponent(id)}`;

export const historyApi = {
  pairHistory: (documentId: string, pairId: string, signal?: AbortSignal) =>
    request<PairHistory>('GET', `${doc(documentId)}/pairs/${encodeURIComponent(pairId)}/history`, signal ? { signal } : {}),
  recentlyDeleted: async (documentId: string, signal?: AbortSignal) =>
    (await request<{ pairs: DeletedPairView[] }>('GET', `${doc(documentId)}/deleted-pairs`, signal ? { signal } : {})).pairs,
};
