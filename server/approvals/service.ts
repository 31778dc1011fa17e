import type * as Y from 'yjs';
import type { ApprovalView, PairApprovals } from '../../shared/approvals.ts';
import { cellText, plainCell, readPairContent } from '../../shared/canonicalText.ts';
import { diffCells } from '../../shared/diff.ts';
import { pairHash } from '../../shared/hash.ts';
import { readOrder } from '../../shared/model/index.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { HttpError, pairNotFound, partyNotFound } from '../errors.ts';
import type { DocumentAccess } from '../policies/access.ts';
import type { StoredApproval } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { HashPushes } from './hashPushes.ts';
import { PairHashTracker, hashAllPairs } from './pairHashTracker.ts';
import { StructureTracker } from './structureTracker.ts';

/** Sends an event to every follower of a document (set by the socket.io server). */
export type DocumentPublisher = (documentId: string, event: 'pairs:hashes' | 'approval:changed' | 'structureApproval:changed', payload: unknown) => void;

/** A document's live hashes: each pair's, the structure's, and the pushes that tell its followers when they change. */
interface LiveHashes {
  tracker: PairHashTracker;
  structure: StructureTracker;
  pushes: HashPushes;
}

/** Stored approvals as the API presents them, with the names of the heads who gave them. */
export async function presentApprovals(
  store: Store,
  approvals: Array<Pick<StoredApproval, 'partyId' | 'hash' | 'accountId' | 'createdAt'> & Partial<Pick<StoredApproval, 'status' | 'reason'>>>,
): Promise<ApprovalView[]> {
  const names = new Map<string, string>();
  for (const id of new Set(approvals.map((a) => a.accountId))) names.set(id, (await store.getAccount(id))?.name ?? '—');
  return approvals.map((a) => ({
    partyId: a.partyId,
    status: a.status ?? 'agreed',
    reason: a.reason ?? null,
    hash: a.hash,
    accountId: a.accountId,
    byName: names.get(a.accountId) ?? '—',
    at: a.createdAt,
  }));
}

/**
 * Approvals bound to the text: keeps every live document's pair hashes current
 * (pushing changes, which turn approvals stale on every screen), and records
 * heads' approvals against the hash of the text they saw.
 */
export class ApprovalService {
  /** Each live document's pair hashes, and the pushes that tell its followers when they change. */
  private readonly live = new Map<string, LiveHashes>();
  private publish: DocumentPublisher = () => {};

  constructor(
    private readonly store: Store,
    private readonly sync: SyncServer,
  ) {
    sync.observeRooms((documentId, doc) => {
      const pushes = new HashPushes((hashes, structure) =>
        this.publish(documentId, 'pairs:hashes', { documentId, hashes: Object.fromEntries(hashes), ...(structure === undefined ? {} : { structure }) }),
      );
      const tracker = new PairHashTracker(doc, (changed) => pushes.add(changed));
      const structure = new StructureTracker(doc, (hash) => pushes.addStructure(hash));
      this.live.set(documentId, { tracker, structure, pushes });
      return () => {
        tracker.dispose();
        structure.dispose();
        pushes.flush();
        this.live.delete(documentId);
      };
    });
  }

  /** A pair's approvals changed: pages get the hashes waiting to be pushed first, so they judge the approval against them. */
  private publishApprovals(documentId: string, pairId: string, approvals: ApprovalView[]): void {
    this.live.get(documentId)?.pushes.flush();
    this.publish(documentId, 'approval:changed', { documentId, pairId, approvals });
  }

  /** The structure's approvals changed: as for a pair's, the hashes waiting to be pushed go first. */
  publishStructureApprovals(documentId: string, approvals: ApprovalView[]): void {
    this.live.get(documentId)?.pushes.flush();
    this.publish(documentId, 'structureApproval:changed', { documentId, approvals });
  }

  /** The structure's current hash, from the live tracker (undefined: the document is not open; read it from the store). */
  liveStructureHash(documentId: string): string | undefined {
    return this.live.get(documentId)?.structure.get();
  }

  setPublisher(publish: DocumentPublisher): void {
    this.publish = publish;
  }

  /** Current hash of every pair. */
  async currentHashes(documentId: string): Promise<Map<string, string>> {
    const live = this.live.get(documentId);
    if (live) return live.tracker.snapshot();
    return (await this.sync.readDocument(documentId, hashAllPairs)) ?? new Map();
  }

  private presentApprovals(approvals: StoredApproval[]): Promise<ApprovalView[]> {
    return presentApprovals(this.store, approvals);
  }

  /** The status matrix: every pair in reading order with its current hash and approvals. */
  async matrix(documentId: string): Promise<PairApprovals[]> {
    const order = (await this.sync.readDocument(documentId, (doc: Y.Doc) => readOrder(doc))) ?? [];
    const hashes = await this.currentHashes(documentId);
    const stored = await this.store.listApprovals(documentId);
    const views = await this.presentApprovals(stored);
    const byPair = new Map<string, ApprovalView[]>();
    stored.forEach((a, i) => byPair.set(a.pairId, [...(byPair.get(a.pairId) ?? []), views[i]!]));
    return order.map((pairId) => ({ pairId, hash: hashes.get(pairId) ?? '', approvals: byPair.get(pairId) ?? [] }));
  }

  private async pairApprovals(documentId: string, pairId: string): Promise<ApprovalView[]> {
    return this.presentApprovals((await this.store.listApprovals(documentId)).filter((a) => a.pairId === pairId));
  }

  /**
   * Records a head's "agreed" or "reserved" for their party, bound to the text
   * they saw (`seenHash`); refused if the text changed since.
   */
  async approve(
    access: DocumentAccess,
    pairId: string,
    input: { status: 'agreed' | 'reserved'; reason: string | null; hash: string },
  ): Promise<ApprovalView[]> {
    const documentId = access.document.id;
    // Stored before the approval that quotes it (a crash cannot leave an approval of lost text).
    const content = await this.sync.readStored(documentId, (doc) => readPairContent(doc, pairId));
    if (!content) throw pairNotFound(documentId, pairId);
    const hash = pairHash(content);
    if (hash !== input.hash) {
      throw new HttpError(409, ErrorCode.TextChanged, 'The text of this pair changed while you were reading it: review the new text, then approve again.');
    }
    const stored = await this.store.setApproval({
      documentId,
      pairId,
      partyId: access.member!.partyId!,
      status: input.status,
      reason: input.status === 'reserved' ? input.reason : null,
      hash,
      text: { vi: content.vi, fr: content.fr },
      accountId: access.account.id,
      createdAt: new Date().toISOString(),
    });
    if (!stored) throw partyNotFound(documentId, access.member!.partyId!);
    const approvals = await this.pairApprovals(documentId, pairId);
    this.publishApprovals(documentId, pairId, approvals);
    return approvals;
  }

  /** Withdraws the party's approval or reservation of a pair. */
  async withdraw(access: DocumentAccess, pairId: string): Promise<ApprovalView[]> {
    const documentId = access.document.id;
    if (!(await this.store.removeApproval(documentId, pairId, access.member!.partyId!))) {
      throw new HttpError(404, ErrorCode.ApprovalNotFound, `Your party has not approved or reserved pair "${pairId}".`);
    }
    const approvals = await this.pairApprovals(documentId, pairId);
    this.publishApprovals(documentId, pairId, approvals);
    return approvals;
  }

  /**
   * "What changed since we approved": word diffs between the approved text and
   * the current one, formatting included (texts as plain text, the diffs with runs).
   */
  async changesSince(documentId: string, pairId: string, partyId: string) {
    const approval = (await this.store.listApprovals(documentId)).find((a) => a.pairId === pairId && a.partyId === partyId);
    if (!approval) throw new HttpError(404, ErrorCode.ApprovalNotFound, `Party "${partyId}" has not approved or reserved pair "${pairId}".`);
    const current = (await this.sync.readDocument(documentId, (doc) => readPairContent(doc, pairId))) ?? { vi: plainCell(''), fr: plainCell('') };
    const hash = pairHash(current);
    const approved = approval.text;
    return {
      approved: { vi: cellText(approved.vi), fr: cellText(approved.fr), hash: approval.hash, at: approval.createdAt },
      current: { vi: cellText(current.vi), fr: cellText(current.fr), hash },
      stale: hash !== approval.hash,
      vi: diffCells(approved.vi, current.vi),
      fr: diffCells(approved.fr, current.fr),
    };
  }
}
