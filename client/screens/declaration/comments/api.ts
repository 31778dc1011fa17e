import type { Anchor, ThreadStatus, ThreadView, Visibility } from '../../../../shared/comments.ts';
import type { Lang } from '../../../../shared/model/index.ts';
import type { DocumentSummary } from '../../../../shared/protocol.ts';
import type { Action, Role } from '../../../../shared/roles.ts';
import { request as send } from '../../../lib/http.ts';

/**
 * The comment threads REST API, as this page uses it. Every failure is an
 * ApiError whose message is the server's own sentence (shown to the user).
 */

/** The signed-in member, as `GET /api/documents/:id` presents them. */
export interface Me {
  accountId: string;
  name: string;
  role: Role;
  partyId: string | null;
  actions: Action[];
}

export interface NewThreadInput {
  pairId: string;
  lang: Lang;
  anchor: Anchor;
  quote: string;
  visibility: Visibility;
  body: string;
}

/** One JSON request through the shared client of lib/http.ts. */
function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, json?: unknown, signal?: AbortSignal): Promise<T> {
  return send<T>(method, path, { ...(json !== undefined ? { body: json } : {}), ...(signal ? { signal } : {}) });
}

const documentPath = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;

export function commentsApi(documentId: string) {
  const base = documentPath(documentId);
  return {
    async me(signal?: AbortSignal): Promise<{ document: DocumentSummary; me: Me }> {
      return request('GET', base, undefined, signal);
    },
    async listThreads(signal?: AbortSignal): Promise<ThreadView[]> {
      return (await request<{ threads: ThreadView[] }>('GET', `${base}/threads`, undefined, signal)).threads;
    },
    async listThreadsOfPair(pairId: string): Promise<ThreadView[]> {
      return (await request<{ threads: ThreadView[] }>('GET', `${base}/threads?pairId=${encodeURIComponent(pairId)}`)).threads;
    },
    async createThread(input: NewThreadInput): Promise<ThreadView> {
      return (await request<{ thread: ThreadView }>('POST', `${base}/threads`, input)).thread;
    },
    async reply(threadId: string, body: string): Promise<ThreadView> {
      return (await request<{ thread: ThreadView }>('POST', `${base}/threads/${encodeURIComponent(threadId)}/comments`, { body })).thread;
    },
    async setStatus(threadId: string, status: ThreadStatus): Promise<ThreadView> {
      return (await request<{ thread: ThreadView }>('PATCH', `${base}/threads/${encodeURIComponent(threadId)}`, { status })).thread;
    },
    /** The changed thread arrives by the live push (the route answers { ok }). */
    async editComment(commentId: string, body: string): Promise<void> {
      await request('PATCH', `${base}/comments/${encodeURIComponent(commentId)}`, { body });
    },
    async deleteComment(commentId: string): Promise<void> {
      await request('DELETE', `${base}/comments/${encodeURIComponent(commentId)}`);
    },
  };
}

export type CommentsApi = ReturnType<typeof commentsApi>;
