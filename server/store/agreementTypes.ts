import type { StructureEntry } from '../../shared/agreedStructure.ts';
import type { PairContent } from '../../shared/canonicalText.ts';
import type { AuditActor } from '../../shared/audit.ts';
import type { PartySummary } from '../../shared/protocol.ts';

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

/** An immutable snapshot of the whole text, an entry of the document's chain (server/versions/chain.ts). */
export interface StoredVersion {
  documentId: string;
  number: number;
  createdAt: string;
  createdBy: string;
  /** The canonical serialisation that `hash` covers (JSON). */
  content: string;
  hash: string;
  prevHash: string | null;
  /** Its place in the chain (null: not in it — only a tampered row). */
  seq: number | null;
  /** The link of the chain entry before it (null for the first). */
  prevLink: string | null;
  /** The server key's signature over its place in the chain (null: cut before seals; held by the chain head). */
  seal: string | null;
  /** The parties whose heads must sign it, fixed when it was cut (for later versions, also inside `content`). */
  requiredParties: PartySummary[];
  /**
   * Its name and note, given at the cut, and who cut it (their name and delegation then): metadata, outside
   * `content`, so neither hashed, sealed nor signed (absent or null: none given, or cut before they were kept).
   */
  label?: VersionLabel;
}

/** What a version is called and who cut it (server/store/migrations.ts, migration 11). */
export interface VersionLabel {
  name: string | null;
  note: string | null;
  cutBy: { name: string; party: PartySummary | null } | null;
}

export interface StoredSignature {
  documentId: string;
  version: number;
  partyId: string;
  accountId: string;
  /** The head's name as signed (and shown in the sign-off block). */
  signerName: string;
  signedAt: string;
  /** "v2": covers its place in the chain; "v1": made before the chain (legacySignaturePayload). */
  format: 'v1' | 'v2';
  seq: number | null;
  prevLink: string | null;
  /** Ed25519 signature by the server's key (base64) over the signed payload. */
  signature: string;
}

/** The newest entry of a document's chain, signed by the server key (headPayload). */
export interface ChainHead {
  documentId: string;
  seq: number;
  link: string;
  attestedAt: string;
  signature: string;
}

/**
 * An append to a chain was refused: the head moved since it was read
 * ("moved": try again), or the stored head and entries disagree ("broken":
 * rows were deleted or added behind the server's back; run the verifier).
 */
export class ChainConflict extends Error {
  constructor(readonly reason: 'moved' | 'broken') {
    super(reason === 'moved' ? 'the chain head moved meanwhile' : 'the stored chain head does not match the stored entries');
    this.name = 'ChainConflict';
  }
}

/** Why a party could not be removed, or whom its removal took with it. */
export type PartyRemoval =
  | { removed: true; revokedAccountIds: string[] }
  | { removed: false; reason: 'not_found' | 'has_signatures' | 'has_approvals' | 'has_structure_approval' | 'has_internal_comments' };

/** Approvals, versions and signatures. */
export interface AgreementStore {
  /** Stores (or replaces) a party's approval of a pair; false, storing nothing, when the party no longer exists. */
  setApproval(approval: StoredApproval): Promise<boolean>;
  removeApproval(documentId: string, pairId: string, partyId: string): Promise<boolean>;
  listApprovals(documentId: string): Promise<StoredApproval[]>;
  /** Stores (or replaces) a party's structure approval; false, storing nothing, when the party no longer exists. */
  setStructureApproval(approval: StoredStructureApproval): Promise<boolean>;
  removeStructureApproval(documentId: string, partyId: string): Promise<boolean>;
  listStructureApprovals(documentId: string): Promise<StoredStructureApproval[]>;
  /** Every version of a document, by number. */
  listVersions(documentId: string): Promise<StoredVersion[]>;
  getVersion(documentId: string, number: number): Promise<StoredVersion | undefined>;
  listSignatures(documentId: string): Promise<StoredSignature[]>;
  getChainHead(documentId: string): Promise<ChainHead | undefined>;
  /**
   * Appends a version or a signature to the chain and moves its head to
   * `head`, atomically — only if the stored head is still `expected` and no
   * entry lies past it (else ChainConflict). A taken number or party fails.
   */
  appendToChain(entry: { version: StoredVersion } | { signature: StoredSignature }, head: ChainHead, expected: ChainHead | undefined): Promise<void>;
  /** Records the head of a chain that has none yet (entries made before chain heads), if it still has none. */
  attestChainHead(head: ChainHead): Promise<boolean>;
  /**
   * Removes a party that nothing of the agreement refers to (no signature, no
   * approval of a pair or of the structure, no internal comment thread), with
   * its members, atomically; with `by`, logged in the membership audit log
   * (the party's removal and each member's revocation) in the same transaction.
   */
  removeParty(documentId: string, partyId: string, by?: AuditActor): Promise<PartyRemoval>;
}
