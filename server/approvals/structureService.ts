import type * as Y from 'yjs';
import { diffStructure, readStructure, type PairSnippet, type StructureChanges } from '../../shared/agreedStructure.ts';
import type { ApprovalView, StructureApprovals } from '../../shared/approvals.ts';
import { cellText } from '../../shared/canonicalText.ts';
import { readPairText } from '../../shared/model/index.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { HttpError, documentNotFound, partyNotFound } from '../errors.ts';
import type { DocumentAccess } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import { presentApprovals, type ApprovalService } from './service.ts';
import { structureHashNative } from './structureTracker.ts';

const SNIPPET_CHARS = 90;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS).replace(/\s+\S*$/, '')}…` : flat;
}

/**
 * Structure approvals (shared/agreedStructure.ts): each party's head agrees
 * the order and kinds of the pairs, bound to the structure's hash as the
 * page they read it on computed it; any later delete, insert, move, split,
 * merge or change of kind turns it stale on every screen (the hash is tracked
 * live by ApprovalService, which pushes it with the pair hashes).
 */
export class StructureApprovalService {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncServer,
    private readonly approvals: ApprovalService,
  ) {}

  /** The structure's current hash. */
  async currentHash(documentId: string): Promise<string> {
    const live = this.approvals.liveStructureHash(documentId);
    if (live !== undefined) return live;
    const read = await this.sync.readDocument(documentId, (doc: Y.Doc) => structureHashNative(readStructure(doc)));
    if (read === undefined) throw documentNotFound(documentId);
    return read;
  }

  private async views(documentId: string): Promise<ApprovalView[]> {
    return presentApprovals(this.store, await this.store.listStructureApprovals(documentId));
  }

  /** The structure's row of the status matrix: its current hash and every party's approval. */
  async row(documentId: string): Promise<StructureApprovals> {
    const hash = await this.currentHash(documentId);
    return { hash, approvals: await this.views(documentId) };
  }

  /**
   * Records that the head's party agrees the structure they saw (`seenHash`);
   * refused if it changed since (someone moved, added or deleted a pair meanwhile).
   */
  async approve(access: DocumentAccess, input: { hash: string }): Promise<ApprovalView[]> {
    const documentId = access.document.id;
    // Stored before the approval that quotes it, as for a pair.
    const structure = await this.sync.readStored(documentId, readStructure);
    if (!structure) throw documentNotFound(documentId);
    const hash = structureHashNative(structure);
    if (hash !== input.hash) {
      throw new HttpError(
        409,
        ErrorCode.TextChanged,
        'The order or the kinds of the pairs changed while you were reading them: review the declaration as it is now, then agree again.',
      );
    }
    const stored = await this.store.setStructureApproval({
      documentId,
      partyId: access.member!.partyId!,
      hash,
      structure,
      accountId: access.account.id,
      createdAt: new Date().toISOString(),
    });
    // The party was removed while the approval was on its way (as for a pair's approval).
    if (!stored) throw partyNotFound(documentId, access.member!.partyId!);
    const approvals = await this.views(documentId);
    this.approvals.publishStructureApprovals(documentId, approvals);
    return approvals;
  }

  /** Withdraws the party's agreement to the structure. */
  async withdraw(access: DocumentAccess): Promise<ApprovalView[]> {
    const documentId = access.document.id;
    if (!(await this.store.removeStructureApproval(documentId, access.member!.partyId!))) {
      throw new HttpError(404, ErrorCode.StructureApprovalNotFound, 'Your party has not agreed the order and kinds of the pairs.');
    }
    const approvals = await this.views(documentId);
    this.approvals.publishStructureApprovals(documentId, approvals);
    return approvals;
  }

  /**
   * What changed in the structure since a party agreed it: pairs deleted,
   * added, moved, of another kind, in ¶ numbers, each with the start of its
   * text (a deleted pair's from the text the parties approved of it).
   */
  async changesSince(documentId: string, partyId: string): Promise<StructureChanges> {
    const approval = (await this.store.listStructureApprovals(documentId)).find((a) => a.partyId === partyId);
    if (!approval) throw new HttpError(404, ErrorCode.StructureApprovalNotFound, `Party "${partyId}" has not agreed the order and kinds of the pairs.`);
    const read = await this.sync.readDocument(documentId, (doc) => {
      const structure = readStructure(doc);
      const changes = diffStructure(approval.structure, structure);
      const texts = new Map<string, PairSnippet>();
      for (const change of changes) {
        const text = change.type === 'removed' ? undefined : readPairText(doc, change.id);
        if (text) texts.set(change.id, { vi: snippet(text.vi), fr: snippet(text.fr) });
      }
      return { structure, changes, texts };
    });
    if (!read) throw documentNotFound(documentId);
    const removed = new Set(read.changes.filter((c) => c.type === 'removed').map((c) => c.id));
    if (removed.size > 0) {
      // A deleted pair's text is gone from the doc; the approvals of it keep the text approved (this party's first).
      const stored = (await this.store.listApprovals(documentId)).filter((a) => removed.has(a.pairId));
      stored.sort((a, b) => Number(b.partyId === partyId) - Number(a.partyId === partyId));
      for (const a of stored) {
        if (!read.texts.has(a.pairId)) read.texts.set(a.pairId, { vi: snippet(cellText(a.text.vi)), fr: snippet(cellText(a.text.fr)) });
      }
    }
    const hash = structureHashNative(read.structure);
    return {
      approved: { hash: approval.hash, at: approval.createdAt, pairs: approval.structure.length },
      current: { hash, pairs: read.structure.length },
      stale: hash !== approval.hash,
      changes: read.changes.map((c) => {
        const text = read.texts.get(c.id);
        return text ? { ...c, text } : c;
      }),
    };
  }
}
