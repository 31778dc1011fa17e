/**
 * Approval status, derived the same way on every screen and on the server:
 * an approval counts only while the pair's current hash is the one approved.
 */
export type ApprovalStatus = 'agreed' | 'reserved' | 'stale' | 'pending';

export interface ApprovalView {
  partyId: string;
  status: 'agreed' | 'reserved';
  reason: string | null;
  hash: string;
  accountId: string;
  byName: string;
  at: string;
}

/** A pair's row of the status matrix. */
export interface PairApprovals {
  pairId: string;
  /** Current hash of the pair's text (both languages). */
  hash: string;
  approvals: ApprovalView[];
}

export function statusOf(approval: ApprovalView | undefined, currentHash: string): ApprovalStatus {
  if (!approval) return 'pending';
  return approval.hash === currentHash ? approval.status : 'stale';
}

/** "n of N pairs agreed by all parties". */
export function progressOf(pairs: PairApprovals[], partyIds: string[]): { agreedByAll: number; total: number } {
  const agreedByAll = pairs.filter((pair) =>
    partyIds.every((party) => statusOf(pair.approvals.find((a) => a.partyId === party), pair.hash) === 'agreed'),
  ).length;
  return { agreedByAll, total: pairs.length };
}
