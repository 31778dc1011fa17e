import type { StructureEntry } from '../../shared/agreedStructure.ts';
import type { PairContent } from '../../shared/canonicalText.ts';

/** A head's word on one pair for one party, bound to the pair's text hash. */
export interface StoredApproval {
  documentId: string;
  pairId: string;
  partyId: string;
  status: 'agreed' | 'reserved';
  reason: string | null;
  /** pairHash() of the text approved. */
  hash: string;
  /** The approved text, bold and italic included, for "what changed since I approved". */
  text: PairContent;
  accountId: string;
  createdAt: string;
}

/**
 * A head's "agreed" to the structure of the whole text for one party — which
 * pairs, in which order, of which kind (shared/agreedStructure.ts) — bound to
 * its hash. One per party: agreeing again replaces it.
 */
export interface StoredStructureApproval {
  documentId: string;
  partyId: string;
  /** structureHash() of the structure agreed. */
  hash: string;
  /** The structure agreed, for "what changed since we agreed". */
  structure: StructureEntry[];
  accountId: string;
  createdAt: string;
}

/** An immutable snapshot of the whole text. */
export interface StoredVersion {
  documentId: string;
  number: number;
  createdAt: string;
  createdBy: string;
  /** The canonical serialisation that `hash` covers (JSON). */
  content: string;
  hash: string;
  prevHash: string | null;
}

export interface StoredSignature {
  documentId: string;
  version: number;
  partyId: string;
  accountId: string;
  signedAt: string;
  /** Ed25519 signature by the server's key (base64) over the signed payload. */
  signature: string;
}

/** Approvals, versions and signatures. */
export interface AgreementStore {
  setApproval(approval: StoredApproval): Promise<void>;
  removeApproval(documentId: string, pairId: string, partyId: string): Promise<boolean>;
  listApprovals(documentId: string): Promise<StoredApproval[]>;
  setStructureApproval(approval: StoredStructureApproval): Promise<void>;
  removeStructureApproval(documentId: string, partyId: string): Promise<boolean>;
  listStructureApprovals(documentId: string): Promise<StoredStructureApproval[]>;
  /** Appends a version; fails if `number` is taken (the chain has one head). */
  insertVersion(version: StoredVersion): Promise<void>;
  listVersions(documentId: string): Promise<StoredVersion[]>;
  getVersion(documentId: string, number: number): Promise<StoredVersion | undefined>;
  insertSignature(signature: StoredSignature): Promise<void>;
  listSignatures(documentId: string): Promise<StoredSignature[]>;
}
