import { progressOf, statusOf, type ApprovalStatus, type ApprovalView, type StructureApprovals } from '../../shared/approvals.ts';
import type { DocumentSummary, PartySummary, ServerToClientEvents } from '../../shared/protocol.ts';
import { agreementApi, errorMessage, type DocumentMe, type Progress } from './agreementApi.ts';
import { errorText } from './errorText.ts';
import { acquireSocket, connectShared } from './realtimeSocket.ts';

/**
 * The approvals of one declaration, kept live: loaded with GET …/approvals,
 * then updated by the server's socket.io pushes (`pairs:hashes` when a pair's
 * text changes, `approval:changed` when a head approves, reserves or
 * withdraws). Every screen derives a status with the shared `statusOf`, so an
 * edit anywhere turns an approval stale here without a reload.
 */

export interface PairState {
  pairId: string;
  /** The pair's current hash on the server ('' when unknown). */
  hash: string;
  approvals: ApprovalView[];
}

export interface PartyStatus {
  status: ApprovalStatus;
  approval: ApprovalView | undefined;
}

/** In an ApprovalsChange: the structure's hash or approvals changed (never a pair id: ids are letters, digits, "-" and "_"). */
export const STRUCTURE_CHANGED = '#structure';

/** 'all': reload everything; otherwise the pair ids that changed (and STRUCTURE_CHANGED). */
export type ApprovalsChange = 'all' | ReadonlySet<string>;

export type LiveState = 'loading' | 'live' | 'offline' | 'failed';

export interface LiveApprovals {
  readonly documentId: string;
  /** Resolves once the document, the person and the approvals are loaded (rejects if they cannot be). */
  readonly ready: Promise<void>;
  document(): DocumentSummary | undefined;
  parties(): PartySummary[];
  me(): DocumentMe | undefined;
  /** Pair ids in reading order as the server last listed them. */
  pairIds(): string[];
  pair(pairId: string): PairState | undefined;
  statusOf(pairId: string, partyId: string): PartyStatus;
  /** The structure (order and kinds of the pairs): its hash on the server and each party's approval. */
  structure(): StructureApprovals;
  structureStatusOf(partyId: string): PartyStatus;
  progress(): Progress;
  state(): LiveState;
  /** The last failure (when state is 'failed'). */
  failure(): string | undefined;
  /** Records a pair's approvals as an API call returned them (the push follows). */
  setApprovals(pairId: string, approvals: ApprovalView[]): void;
  /** Records the structure's approvals as an API call returned them. */
  setStructureApprovals(approvals: ApprovalView[]): void;
  /** Reloads the whole matrix. */
  refresh(): Promise<void>;
  subscribe(listener: (change: ApprovalsChange) => void): () => void;
  onState(listener: (state: LiveState) => void): () => void;
  destroy(): void;
}

type Push =
  | { kind: 'hashes'; hashes: Record<string, string | null>; structure?: string }
  | { kind: 'approvals'; pairId: string; approvals: ApprovalView[] }
  | { kind: 'structureApprovals'; approvals: ApprovalView[] };

export function liveApprovals(documentId: string): LiveApprovals {
  const pairs = new Map<string, PairState>();
  let order: string[] = [];
  let structure: StructureApprovals = { hash: '', approvals: [] };
  let summary: DocumentSummary | undefined;
  let me: DocumentMe | undefined;
  let current: LiveState = 'loading';
  let failure: string | undefined;
  let destroyed = false;
  const listeners = new Set<(change: ApprovalsChange) => void>();
  const stateListeners = new Set<(state: LiveState) => void>();
  const abort = new AbortController();

  /** Pushes received while a reload is in flight: replayed over its (older) answer. */
  let replay: Push[] | null = null;

  const notify = (change: ApprovalsChange): void => {
    for (const listener of [...listeners]) listener(change);
  };
  const setState = (next: LiveState): void => {
    if (next === current || destroyed) return;
    current = next;
    for (const listener of [...stateListeners]) listener(next);
  };

  /** Applies one push; returns the pair ids it changed, or 'all' when the list of pairs changed. */
  const apply = (push: Push): ApprovalsChange => {
    if (push.kind === 'structureApprovals') {
      structure = { ...structure, approvals: push.approvals };
      return new Set([STRUCTURE_CHANGED]);
    }
    if (push.kind === 'approvals') {
      const state = pairs.get(push.pairId);
      if (state) state.approvals = push.approvals;
      else pairs.set(push.pairId, { pairId: push.pairId, hash: '', approvals: push.approvals });
      return new Set([push.pairId]);
    }
    const changed = new Set<string>();
    let structural = false;
    for (const [pairId, hash] of Object.entries(push.hashes)) {
      if (hash === null) {
        structural ||= pairs.delete(pairId);
        order = order.filter((id) => id !== pairId);
        continue;
      }
      const state = pairs.get(pairId);
      if (state) state.hash = hash;
      else {
        pairs.set(pairId, { pairId, hash, approvals: [] });
        structural = true;
      }
      changed.add(pairId);
    }
    if (push.structure !== undefined && push.structure !== structure.hash) {
      structure = { ...structure, hash: push.structure };
      changed.add(STRUCTURE_CHANGED);
      // A pair moved or changed kind: the order and kinds this page lists come from the matrix.
      structural = true;
    }
    if (structural) scheduleRefresh();
    return structural ? 'all' : changed;
  };

  const receive = (push: Push): void => {
    if (destroyed) return;
    replay?.push(push);
    notify(apply(push));
  };

  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (refreshing) return refreshing;
    replay = [];
    refreshing = agreementApi
      .approvals(documentId, abort.signal)
      .then((matrix) => {
        if (destroyed) return;
        pairs.clear();
        for (const pair of matrix.pairs) pairs.set(pair.pairId, { ...pair });
        order = matrix.pairs.map((p) => p.pairId);
        structure = { hash: matrix.structure.hash, approvals: matrix.structure.approvals };
        for (const push of replay ?? []) apply(push);
        failure = undefined;
        notify('all');
      })
      .finally(() => {
        replay = null;
        refreshing = undefined;
      });
    return refreshing;
  };

  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleRefresh(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refresh().catch(() => {}), 250);
  }

  // ------------------------------------------------------------ socket.io
  const lease = acquireSocket();
  const socket = lease.socket;
  lease.on('pairs:hashes', (payload: Parameters<ServerToClientEvents['pairs:hashes']>[0]) => {
    if (payload?.documentId === documentId) receive({ kind: 'hashes', hashes: payload.hashes, structure: payload.structure });
  });
  lease.on('structureApproval:changed', (payload: Parameters<ServerToClientEvents['structureApproval:changed']>[0]) => {
    if (payload?.documentId === documentId) receive({ kind: 'structureApprovals', approvals: payload.approvals });
  });
  lease.on('approval:changed', (payload: Parameters<ServerToClientEvents['approval:changed']>[0]) => {
    if (payload?.documentId === documentId) receive({ kind: 'approvals', pairId: payload.pairId, approvals: payload.approvals });
  });
  const join = (): void => {
    socket.emit('document:join', { documentId }, (reply) => {
      if (destroyed) return;
      if (!reply.ok) {
        failure = errorText(reply.error.code, reply.error.params) ?? reply.error.message;
        setState('failed');
        return;
      }
      // Whatever happened while we were away: reload, then follow the pushes.
      refresh().then(
        () => setState('live'),
        (error: unknown) => {
          failure = errorMessage(error);
          setState('offline');
        },
      );
    });
  };
  lease.on('disconnect', () => setState(current === 'failed' ? 'failed' : 'offline'));
  lease.on('connect_error', (error: Error & { data?: { code?: string; message?: string } }) => {
    failure = (error.data?.code ? errorText(error.data.code) : undefined) ?? error.data?.message ?? error.message;
    setState('offline');
  });

  const ready = Promise.all([agreementApi.document(documentId, abort.signal), refresh()]).then(([loaded]) => {
    summary = loaded.document;
    me = loaded.me;
    notify('all');
  });
  ready.catch((error: unknown) => {
    if (destroyed) return;
    failure = errorMessage(error);
    setState('failed');
  });
  connectShared(lease, join);

  const api: LiveApprovals = {
    documentId,
    ready,
    document: () => summary,
    parties: () => summary?.parties ?? [],
    me: () => me,
    pairIds: () => order,
    pair: (pairId) => pairs.get(pairId),
    statusOf(pairId, partyId) {
      const state = pairs.get(pairId);
      const approval = state?.approvals.find((a) => a.partyId === partyId);
      return { status: state ? statusOf(approval, state.hash) : 'pending', approval };
    },
    structure: () => structure,
    structureStatusOf(partyId) {
      const approval = structure.approvals.find((a) => a.partyId === partyId);
      return { status: structure.hash ? statusOf(approval, structure.hash) : 'pending', approval };
    },
    progress() {
      const list = order.flatMap((id) => pairs.get(id) ?? []);
      return progressOf(list, api.parties().map((p) => p.id), structure);
    },
    state: () => current,
    failure: () => failure,
    setApprovals(pairId, approvals) {
      notify(apply({ kind: 'approvals', pairId, approvals }));
    },
    setStructureApprovals(approvals) {
      notify(apply({ kind: 'structureApprovals', approvals }));
    },
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      clearTimeout(refreshTimer);
      abort.abort();
      listeners.clear();
      stateListeners.clear();
      lease.release();
    },
  };
  return api;
}
