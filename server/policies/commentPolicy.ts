import { delegationOf, type Visibility } from '../../shared/comments.ts';
import type { MemberRole } from '../../shared/roles.ts';

/**
 * Who sees and changes which comments: pure predicates used by the REST
 * routes, the live socket.io pushes and (later) search and exports alike.
 */

/** Shared threads reach every member; internal ones only the author's delegation. */
export function canSeeThread(viewer: MemberRole | undefined, thread: { visibility: Visibility; delegation: string }): boolean {
  if (!viewer) return false;
  return thread.visibility === 'shared' || delegationOf(viewer) === thread.delegation;
}

/** Internal comments belong to a delegation; a member outside every delegation has none. */
export function canPostInternal(member: MemberRole): boolean {
  return delegationOf(member) !== null;
}

/** Only the author edits or deletes a comment. */
export function canChangeComment(accountId: string, comment: { authorId: string }): boolean {
  return comment.authorId === accountId;
}

/** The thread's author, or a head of the thread's delegation, resolves and reopens it. */
export function canResolveThread(
  member: MemberRole,
  accountId: string,
  thread: { authorId: string; delegation: string },
): boolean {
  return thread.authorId === accountId || (member.role === 'head' && delegationOf(member) === thread.delegation);
}
