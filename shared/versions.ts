import type { PartySummary } from './protocol.ts';

/**
 * Versions and signatures as the API presents them: one type for the server
 * that builds them and the page that shows them.
 */

/** A party head's signature of a version, with the head's name. */
export interface SignatureView {
  documentId: string;
  version: number;
  partyId: string;
  accountId: string;
  byName: string;
  signedAt: string;
  /** Ed25519 signature by the server's key (base64). */
  signature: string;
}

export interface VersionSummary {
  number: number;
  createdAt: string;
  createdBy: string;
  hash: string;
  prevHash: string | null;
  pairCount: number;
  /**
   * The parties whose heads must sign it, fixed when it was cut (names as
   * they were then): adding or removing a party later changes only later versions.
   */
  requiredParties: PartySummary[];
  signatures: SignatureView[];
  /** Every party it was cut for has signed: the version is final. */
  signedOff: boolean;
  /** Given at the cut (null: none, or cut before names were kept); not part of what is hashed or signed. */
  name: string | null;
  note: string | null;
  /** Who cut it, named as they were then, with their delegation (null: the secretariat's own; cutBy null: not recorded). */
  cutBy: { name: string; party: PartySummary | null } | null;
}

/**
 * What still keeps a version from being signed (GET …/versions/:n/readiness): the pairs some
 * party has not agreed with the version's text, by ¶ number in the version and the party's name,
 * and the parties that have not agreed its structure. Both empty: the heads may sign it.
 */
export interface SigningReadiness {
  pairs: Array<{ number: number; party: { vi: string; fr: string } }>;
  structure: Array<{ vi: string; fr: string }>;
}
