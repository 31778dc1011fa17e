import type { PairApprovals, ApprovalView } from '../../shared/approvals.ts';
import type { DiffPart, PairChange, VersionPair } from '../../shared/diff.ts';
import type { DocumentSummary, ErrorBody } from '../../shared/protocol.ts';
import type { Action, Role } from '../../shared/roles.ts';
import { t } from '../i18n/index.ts';
import { ApiError } from './api.ts';

/**
 * The agreement part of the REST API (server/routes/agreement.ts): approvals,
 * the status matrix, versions, signatures and diffs. Every failure is an
 * ApiError carrying the server's own message, which the page shows as is.
 */

/** The person as one declaration sees them (GET /api/documents/:id → me). */
export interface DocumentMe {
  accountId: string;
  name: string;
  role: Role;
  partyId: string | null;
  actions: Action[];
}

export interface Progress {
  agreedByAll: number;
  total: number;
}

export interface ApprovalMatrix {
  pairs: PairApprovals[];
  progress: Progress;
}

/** "What changed since we approved" (GET …/approval/:partyId/changes). */
export interface ChangesSince {
  approved: { vi: string; fr: string; hash: string; at: string };
  current: { vi: string; fr: string; hash: string };
  stale: boolean;
  vi: DiffPart[];
  fr: DiffPart[];
}

export interface SignatureView {
  documentId: string;
  version: number;
  partyId: string;
  accountId: string;
  byName: string;
  signedAt: string;
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
  signedOff: boolean;
}

export type PairText = VersionPair;

export interface DiffResult {
  from: number;
  to: number | 'draft';
  changes: PairChange[];
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One JSON request to our own origin (the browser sends Origin, which writes need). */
async function send<T>(method: Method, path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', t('agreement.error.network'));
  }
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below.
  }
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, 'http_error', t('agreement.error.http', { status: String(response.status) }));
  }
  if (body === undefined) throw new ApiError(response.status, 'bad_response', t('agreement.error.badResponse'));
  return body as T;
}

/** The message to show for any failure. */
export function errorMessage(error: unknown): string {
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
  async versions(id: string, signal?: AbortSignal): Promise<VersionSummary[]> {
    return (await send<{ versions: VersionSummary[] }>('GET', `${doc(id)}/versions`, { signal })).versions;
  },
  async cutVersion(id: string): Promise<VersionSummary> {
    return (await send<{ version: VersionSummary }>('POST', `${doc(id)}/versions`, { body: {} })).version;
  },
  async sign(id: string, number: number): Promise<VersionSummary> {
    return (await send<{ version: VersionSummary }>('POST', `${doc(id)}/versions/${number}/signatures`, { body: {} })).version;
  },
  diff(id: string, from: number, to: number | 'draft', signal?: AbortSignal): Promise<DiffResult> {
    return send('GET', `${doc(id)}/diff?from=${from}&to=${to}`, { signal });
  },
};
