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
  signatures: SignatureView[];
  /** Every party of the document has signed: the version is final. */
  signedOff: boolean;
}
