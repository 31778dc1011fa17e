import type { DeletedPairView, PairHistory } from '../../shared/history.ts';
import { request } from './http.ts';

export type { DeletedPairView, PairHistory, PairHistoryEntry } from '../../shared/history.ts';

/** Who changed what (server/routes/history.ts). */
const doc = (id: string): string => `/api/documents/${encodeURIComponent(id)}`;

export const historyApi = {
  pairHistory: (documentId: string, pairId: string, signal?: AbortSignal) =>
    request<PairHistory>('GET', `${doc(documentId)}/pairs/${encodeURIComponent(pairId)}/history`, signal ? { signal } : {}),
  recentlyDeleted: async (documentId: string, signal?: AbortSignal) =>
    (await request<{ pairs: DeletedPairView[] }>('GET', `${doc(documentId)}/deleted-pairs`, signal ? { signal } : {})).pairs,
};
