/**
 * Open sync connections counted per document, per remote address and per
 * member, for the connection limits (shared/limits.ts). A connection is
 * counted on its address from its upgrade request on (one still
 * authenticating holds resources too), and on its document and member once
 * admitted.
 */

/** A connection being opened, as the counts hold it. */
export interface Opening {
  /** Counts it on a document for an account (it was admitted). */
  countFor(documentId: string, accountId: string): void;
  /** Uncounts it everywhere; idempotent. */
  release(): void;
}

function bump(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

export class ConnectionCounts {
  private readonly perDocument = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();
  /** Per member: connections open to each document (for maxOpenDocumentsPerMember). */
  private readonly perMember = new Map<string, Map<string, number>>();

  fromAddress(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  onDocument(documentId: string): number {
    return this.perDocument.get(documentId) ?? 0;
  }

  /** Whether opening `documentId` would make the member hold more than `max` declarations open. */
  documentsOverLimit(accountId: string, documentId: string, max: number): boolean {
    const open = this.perMember.get(accountId);
    return !!open && !open.has(documentId) && open.size >= max;
  }

  /** Counts a connection from `address`, until its `release`. */
  open(address: string): Opening {
    bump(this.perAddress, address, 1);
    let counted: { documentId: string; accountId: string } | undefined;
    let released = false;
    return {
      countFor: (documentId, accountId) => {
        if (released || counted) return;
        counted = { documentId, accountId };
        bump(this.perDocument, documentId, 1);
        const open = this.perMember.get(accountId) ?? new Map<string, number>();
        bump(open, documentId, 1);
        this.perMember.set(accountId, open);
      },
      release: () => {
        if (released) return;
        released = true;
        bump(this.perAddress, address, -1);
        if (!counted) return;
        bump(this.perDocument, counted.documentId, -1);
        const open = this.perMember.get(counted.accountId);
        if (!open) return;
        bump(open, counted.documentId, -1);
        if (open.size === 0) this.perMember.delete(counted.accountId);
      },
    };
  }
}
