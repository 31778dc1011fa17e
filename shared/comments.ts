import type { Lang } from './model/types.ts';
import type { MemberRole } from './roles.ts';

/** Who may read a thread: every party, or only the author's delegation. */
export const VISIBILITIES = ['shared', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const THREAD_STATUSES = ['open', 'resolved'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/**
 * The delegation a member speaks for when commenting: their party, or the
 * secretariat as a group of its own. Observers outside any party belong to no
 * delegation (they cannot write internal comments).
 */
export function delegationOf(member: MemberRole): string | null {
  if (member.partyId) return member.partyId;
  return member.role === 'secretariat' ? '#secretariat' : null;
}

/** Where a thread is anchored: Yjs relative positions (base64) in one language of one pair. */
export interface Anchor {
  start: string;
  end: string;
}

export interface CommentView {
  id: string;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export interface ThreadView {
  id: string;
  documentId: string;
  pairId: string;
  lang: Lang;
  anchor: Anchor;
  /** The text the thread was opened on, kept when that text is deleted. */
  quote: string;
  /** True when the anchored text no longer exists in the document. */
  detached: boolean;
  visibility: Visibility;
  /** The author's delegation (party id, or "#secretariat"). */
  delegation: string;
  authorId: string;
  status: ThreadStatus;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  comments: CommentView[];
}
