import type { Lang } from '../../shared/model/types.ts';
import type { ThreadStatus, Visibility } from '../../shared/comments.ts';

export interface StoredThread {
  id: string;
  documentId: string;
  pairId: string;
  lang: Lang;
  anchorStart: string;
  anchorEnd: string;
  quote: string;
  visibility: Visibility;
  delegation: string;
  authorId: string;
  status: ThreadStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface StoredComment {
  id: string;
  threadId: string;
  authorId: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

/** Comment threads: in the store, never in the Y.Doc (docs/DESIGN.md decision 1). */
export interface CommentStore {
  createThread(thread: Omit<StoredThread, 'status' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>, first: { id: string; body: string }): Promise<void>;
  getThread(id: string): Promise<StoredThread | undefined>;
  listThreads(documentId: string): Promise<StoredThread[]>;
  listComments(threadIds: string[]): Promise<StoredComment[]>;
  getComment(id: string): Promise<StoredComment | undefined>;
  addComment(comment: { id: string; threadId: string; authorId: string; body: string }): Promise<void>;
  editComment(id: string, body: string): Promise<void>;
  deleteComment(id: string): Promise<void>;
  setThreadStatus(id: string, status: ThreadStatus, by: string | null): Promise<void>;
}
