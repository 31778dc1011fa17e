import type { StructureChanges } from '../../shared/agreedStructure.ts';
import type { PairApprovals, ApprovalView, Progress, StructureApprovals } from '../../shared/approvals.ts';
import type { DiffPart, PairChange } from '../../shared/diff.ts';
import type { RestoreSummary } from '../../shared/restoreText.ts';
import type { PairText } from '../../shared/model/types.ts';
import type { DocumentSummary } from '../../shared/protocol.ts';
import type { Action, Role } from '../../shared/roles.ts';
import type { SignatureView, SigningReadiness, VersionSummary } from '../../shared/versions.ts';

export type { SignatureView, SigningReadiness, VersionSummary };
import { t } from '../i18n/index.ts';
import { errorText } from './errorText.ts';
import { ApiError, request, type RequestOptions } from './http.ts';

/**
 * The agreement part of the REST API (server/routes/agreement.ts): approvals,
 * the status matrix, versions, signatures and diffs. Every failure is an
 * ApiError, worded in the interface language from its code and params.
 */

/** The person as one declaration sees them (GET /api/documents/:id → me). */
export interface DocumentMe {
  accountId: string;
  name: string;
  role: Role;
  partyId: string | null;
  actions: Action[];
}

export type { Progress, StructureChanges };

export interface ApprovalMatrix {
  pairs: PairApprovals[];
  /** The order and kinds of the pairs: its current hash and each party's approval. */
  structure: StructureApprovals;
  progress: Progress;
}

/** "What changed since we approved" (GET …/approval/:partyId/changes). */
export interface ChangesSince {
  approved: { vi: string; fr: string; hash: string; at: string };
  current: { vi: string; fr: string; hash: string };
  stale: boolean;
  vi: DiffPart[];
  fr: DiffPart[];
  /** Who typed in the pair since it was approved (its history), in the order they first did. */
  editors?: Array<{ name: string; partyId: string | null }>;
}

/** A pair's plain text (GET …/pairs: the text identity, for snippets and search). */
export type { PairText };

export interface DiffResult {
  from: number;
  to: number | 'draft';
  changes: PairChange[];
}

/** One JSON request to our own origin: the shared client of lib/http.ts. */
function send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  return request<T>(method, path, options);
}

/** The message to show for any failure: a refusal worded from its code and params, in the interface language. */
export function errorMessage(error: unknown): string {
  const worded = error instanceof ApiError ? errorText(error.code, error.params) : undefined;
  if (worded) return worded;
  if (error instanceof Error && error.message) return error.message;
  return t('agreement.error.unknown');
}

const doc = (id: string): string => `/api/documents/${encodeURIComponent(id)}`;
const pair = (id: string, pairId: string): string => `${doc(id)}/pairs/${encodeURIComponent(pairId)}`;

export const agreementApi = {
  document(id: string, signal?: AbortSignal): Promise<{ document: DocumentSummary; me: DocumentMe }> {
    return send('GET', doc(id), { signal });
  },
  /** Every pair's text, in reading order. */
  async pairs(id: string, signal?: AbortSignal): Promise<PairText[]> {
    return (await send<{ pairs: PairText[] | null }>('GET', `${doc(id)}/pairs`, { signal })).pairs ?? [];
  },
  approvals(id: string, signal?: AbortSignal): Promise<ApprovalMatrix> {
    return send('GET', `${doc(id)}/approvals`, { signal });
  },
  async approve(id: string, pairId: string, body: { status: 'agreed' | 'reserved'; reason: string | null; hash: string }): Promise<ApprovalView[]> {
    return (await send<{ approvals: ApprovalView[] }>('PUT', `${pair(id, pairId)}/approval`, { body })).approvals;
  },
  async withdraw(id: string, pairId: string): Promise<ApprovalView[]> {
    return (await send<{ approvals: ApprovalView[] }>('DELETE', `${pair(id, pairId)}/approval`)).approvals;
  },
  changesSince(id: string, pairId: string, partyId: string, signal?: AbortSignal): Promise<ChangesSince> {
    return send('GET', `${pair(id, pairId)}/approval/${encodeURIComponent(partyId)}/changes`, { signal });
  },
  /** The head agrees, for their party, the structure (order and kinds of the pairs) whose hash their page computed. */
  async agreeStructure(id: string, hash: string): Promise<ApprovalView[]> {
    return (await send<{ approvals: ApprovalView[] }>('PUT', `${doc(id)}/structure/approval`, { body: { status: 'agreed', hash } })).approvals;
  },
  async withdrawStructure(id: string): Promise<ApprovalView[]> {
    return (await send<{ approvals: ApprovalView[] }>('DELETE', `${doc(id)}/structure/approval`)).approvals;
  },
  structureChanges(id: string, partyId: string, signal?: AbortSignal): Promise<StructureChanges> {
    return send('GET', `${doc(id)}/structure/approval/${encodeURIComponent(partyId)}/changes`, { signal });
  },
  async versions(id: string, signal?: AbortSignal): Promise<VersionSummary[]> {
    return (await send<{ versions: VersionSummary[] }>('GET', `${doc(id)}/versions`, { signal })).versions;
  },
  async cutVersion(id: string, body: { name?: string | null; note?: string | null; allowDuplicate?: boolean } = {}): Promise<VersionSummary> {
    return (await send<{ version: VersionSummary }>('POST', `${doc(id)}/versions`, { body })).version;
  },
  /** Puts a version's text back into the draft (the secretariat's). */
  async restoreVersion(id: string, number: number): Promise<RestoreSummary> {
    return (await send<{ restored: RestoreSummary }>('POST', `${doc(id)}/versions/${number}/restore`, { body: {} })).restored;
  },
  /** What keeps a version from being signed (nothing: it can be signed). */
  readiness(id: string, number: number, signal?: AbortSignal): Promise<SigningReadiness> {
    return send('GET', `${doc(id)}/versions/${number}/readiness`, { signal });
  },
  async sign(id: string, number: number): Promise<VersionSummary> {
    return (await send<{ version: VersionSummary }>('POST', `${doc(id)}/versions/${number}/signatures`, { body: {} })).version;
  },
  diff(id: string, from: number, to: number | 'draft', signal?: AbortSignal): Promise<DiffResult> {
    return send('GET', `${doc(id)}/diff?from=${from}&to=${to}`, { signal });
  },
};
