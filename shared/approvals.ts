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

/**
 * The structure's row of the status matrix (shared/agreedStructure.ts): the
 * current hash of the order and kinds of the pairs, and each party's
 * structure approval (status always 'agreed': the structure is agreed or not).
 */
export interface StructureApprovals {
  hash: string;
  approvals: ApprovalView[];
}

/** "n of N pairs agreed by all parties", and whether every party agreed the structure they stand in. */
export interface Progress {
  agreedByAll: number;
  total: number;
  /** Every party agreed the current order and kinds of the pairs. */
  structureAgreed: boolean;
  /** Every pair and the structure agreed by every party: the text as it stands may be signed. */
  complete: boolean;
}

export function statusOf(approval: ApprovalView | undefined, currentHash: string): ApprovalStatus {
  if (!approval) return 'pending';
  return approval.hash === currentHash ? approval.status : 'stale';
}

/** A party's status for the structure. */
export function structureStatusOf(structure: StructureApprovals, partyId: string): ApprovalStatus {
  return statusOf(structure.approvals.find((a) => a.partyId === partyId), structure.hash);
}

export function progressOf(pairs: PairApprovals[], partyIds: string[], structure: StructureApprovals): Progress {
  const agreedByAll = pairs.filter((pair) =>
    partyIds.every((party) => statusOf(pair.approvals.find((a) => a.partyId === party), pair.hash) === 'agreed'),
  ).length;
  const structureAgreed = partyIds.every((party) => structureStatusOf(structure, party) === 'agreed');
  return { agreedByAll, total: pairs.length, structureAgreed, complete: structureAgreed && agreedByAll === pairs.length };
}
