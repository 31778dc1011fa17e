import type { StoredComment, StoredThread } from './commentTypes.ts';

/** Comment threads and comments as rows of their tables. */

export interface ThreadRow {
  id: string;
  document_id: string;
  pair_id: string;
  lang: 'vi' | 'fr';
  anchor_start: string;
  anchor_end: string;
  quote: string;
  visibility: 'shared' | 'internal';
  delegation: string;
  author_id: string;
  status: 'open' | 'resolved';
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}
export interface CommentRow {
  id: string;
  thread_id: string;
  author_id: string;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export const threadOf = (r: ThreadRow): StoredThread => ({
  id: r.id,
  documentId: r.document_id,
  pairId: r.pair_id,
  lang: r.lang,
  anchorStart: r.anchor_start,
  anchorEnd: r.anchor_end,
  quote: r.quote,
  visibility: r.visibility,
  delegation: r.delegation,
  authorId: r.author_id,
  status: r.status,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
});
export const commentOf = (r: CommentRow): StoredComment => ({
  id: r.id,
  threadId: r.thread_id,
  authorId: r.author_id,
  body: r.body,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  deletedAt: r.deleted_at,
});
