import type { DocumentSummary, PartySummary } from '../../shared/protocol.ts';
import type { AgreementStore } from './agreementTypes.ts';
import type { CommentStore } from './commentTypes.ts';
import type { HistoryStore } from './historyTypes.ts';
import type { IdentityStore } from './identityTypes.ts';

/** What is needed to create a document. */
export interface NewDocument {
  id: string;
  title: { vi: string; fr: string };
  parties: PartySummary[];
  observersMayComment?: boolean;
}

/** The stored update log of one document. */
export interface StoredUpdates {
  updates: Uint8Array[];
  /** Each row's sequence number, in the same order. */
  seqs: number[];
  /** What was kept with each row about its content (see keepRowScans), in the same order. */
  scans: Array<Uint8Array | undefined>;
  /** Sequence number of the last row, for compaction (0 when empty). */
  lastSeq: number;
}

/**
 * The store interface: SQLite by default, PostgreSQL later with the same
 * contract. Every write is durable when its promise resolves — callers
 * acknowledge (broadcast) only after that.
 */
export interface Store extends IdentityStore, CommentStore, AgreementStore, HistoryStore {
  listDocuments(): Promise<DocumentSummary[]>;
  getDocument(id: string): Promise<DocumentSummary | undefined>;
  /** Creates a document with its first Yjs update, atomically. */
  createDocument(doc: NewDocument, initialUpdate: Uint8Array): Promise<void>;
  loadUpdates(documentId: string): Promise<StoredUpdates>;
  /**
   * Appends one accepted update; resolves once it is on disk. Appends are
   * stored in the order they are made, and may be made before the previous
   * ones resolved.
   */
  appendUpdate(documentId: string, update: Uint8Array): Promise<number>;
  /**
   * Replaces the rows after `afterSeq` (default: from the first) up to
   * `uptoSeq` by one merged update, atomically. Resolves with the seq of the
   * merged row (rows appended later have greater ones).
   */
  compact(documentId: string, merged: Uint8Array, uptoSeq: number, afterSeq?: number): Promise<number>;
  /**
   * Replaces the rows after `afterSeq` up to `uptoSeq` by their merge
   * (Y.mergeUpdates), atomically, computed by the store (off the event loop
   * where it can). Meant for the tail of the log: the merged row takes a new
   * seq, after every row stored so far. Resolves with its seq and size, and
   * the merged row (absent when there was nothing to merge).
   */
  mergeRows(documentId: string, afterSeq: number, uptoSeq: number): Promise<{ seq: number; bytes: number; merged?: Uint8Array }>;
  /**
   * Keeps with each row (by seq) a scan of its content, read back by
   * loadUpdates; a row no longer there (compacted meanwhile) is skipped. Not
   * part of the document: nothing is lost without it, so it need not reach
   * the disk before the promise resolves.
   */
  keepRowScans(documentId: string, scans: Array<{ seq: number; scan: Uint8Array }>): Promise<void>;
  /**
   * Optional: makes the store ready to write now rather than on the first
   * write (e.g. starts a helper thread), so that the first update after a
   * restart is not the one waiting for it.
   */
  prepareWrites?(): Promise<void>;
  /** Which account each Yjs client id of the document belongs to (see server/collaboration/clientIdPolicy.ts). */
  loadClientClaims(documentId: string): Promise<Map<number, string>>;
  /** Records that `clientId` of the document belongs to `accountId`; the first claim stands. */
  claimClientId(documentId: string, clientId: number, accountId: string): Promise<void>;
  /** Optional: whether any document's stored rows add up to `bytes` or more (undefined: cannot say). */
  holdsDocumentLargerThan?(bytes: number): Promise<boolean>;
  close(): Promise<void>;
}
