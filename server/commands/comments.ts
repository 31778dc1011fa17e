import type { Anchor, ThreadStatus, Visibility } from '../../shared/comments.ts';
import { delegationOf } from '../../shared/comments.ts';
import { newId } from '../../shared/ids.ts';
import type { Lang } from '../../shared/model/index.ts';
import { getPair } from '../../shared/model/index.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { normalizeText } from '../../shared/text.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { resolveAnchor } from '../comments/anchors.ts';
import { forbidden, HttpError, pairNotFound } from '../errors.ts';
import type { DocumentAccess } from '../policies/access.ts';
import { canChangeComment, canPostInternal, canResolveThread, canSeeThread } from '../policies/commentPolicy.ts';
import type { StoredThread } from '../store/commentTypes.ts';
import type { Store } from '../store/types.ts';

/**
 * Comment commands. Each takes an access already authorized for the action
 * ('comment' to write) and checks the comment-level rules itself.
 */

const threadNotFound = (id: string) => new HttpError(404, ErrorCode.ThreadNotFound, `No comment thread "${id}" in this declaration.`);
const commentNotFound = (id: string) => new HttpError(404, ErrorCode.CommentNotFound, `No comment "${id}" in this declaration.`);

/** A thread of this document that this member may see (hidden ones are "not found"). */
async function visibleThread(store: Store, access: DocumentAccess, threadId: string): Promise<StoredThread> {
  const thread = await store.getThread(threadId);
  if (!thread || thread.documentId !== access.document.id || !canSeeThread(access.member, thread)) throw threadNotFound(threadId);
  return thread;
}

export interface NewThread {
  pairId: string;
  lang: Lang;
  anchor: Anchor;
  quote: string;
  visibility: Visibility;
  body: string;
}

export async function createThread(store: Store, sync: SyncServer, access: DocumentAccess, input: NewThread): Promise<string> {
  const member = access.member!;
  if (input.visibility === 'internal' && !canPostInternal(member)) {
    throw forbidden('write internal comments: they belong to a delegation and you speak for none');
  }
  const documentId = access.document.id;
  const state = await sync.readDocument(documentId, (doc) => (getPair(doc, input.pairId) ? resolveAnchor(doc, input.pairId, input.lang, input.anchor) : undefined));
  if (!state) throw pairNotFound(documentId, input.pairId);
  if (!state.ok) throw new HttpError(400, ErrorCode.InvalidAnchor, `anchor: ${state.reason}.`);
  if (state.detached) throw new HttpError(400, ErrorCode.InvalidAnchor, 'anchor: select at least one character to comment on.');
  if (state.text !== normalizeText(input.quote)) {
    throw new HttpError(400, ErrorCode.QuoteMismatch, `quote: "${input.quote.slice(0, 60)}" is not the anchored text "${state.text.slice(0, 60)}".`);
  }
  const id = newId('t');
  await store.createThread(
    {
      id,
      documentId,
      pairId: input.pairId,
      lang: input.lang,
      anchorStart: input.anchor.start,
      anchorEnd: input.anchor.end,
      quote: state.text,
      visibility: input.visibility,
      delegation: delegationOf(member) ?? '#observers',
      authorId: access.account.id,
    },
    { id: newId('c'), body: input.body },
  );
  return id;
}

export async function replyToThread(store: Store, access: DocumentAccess, threadId: string, body: string): Promise<StoredThread> {
  const thread = await visibleThread(store, access, threadId);
  await store.addComment({ id: newId('c'), threadId, authorId: access.account.id, body });
  return thread;
}

/** Loads a comment of this document the member may see, and checks they wrote it. */
async function ownComment(store: Store, access: DocumentAccess, commentId: string): Promise<StoredThread> {
  const comment = await store.getComment(commentId);
  if (!comment) throw commentNotFound(commentId);
  const thread = await visibleThread(store, access, comment.threadId).catch(() => {
    throw commentNotFound(commentId);
  });
  if (comment.deletedAt) throw new HttpError(409, ErrorCode.CommentDeleted, 'This comment was deleted.');
  if (!canChangeComment(access.account.id, comment)) throw forbidden('change another person’s comment');
  return thread;
}

export async function editComment(store: Store, access: DocumentAccess, commentId: string, body: string): Promise<StoredThread> {
  const thread = await ownComment(store, access, commentId);
  await store.editComment(commentId, body);
  return thread;
}

export async function deleteComment(store: Store, access: DocumentAccess, commentId: string): Promise<StoredThread> {
  const thread = await ownComment(store, access, commentId);
  await store.deleteComment(commentId);
  return thread;
}

export async function setThreadStatus(store: Store, access: DocumentAccess, threadId: string, status: ThreadStatus): Promise<StoredThread> {
  const thread = await visibleThread(store, access, threadId);
  if (!canResolveThread(access.member!, access.account.id, thread)) {
    throw forbidden(`${status === 'resolved' ? 'resolve' : 'reopen'} this thread: its author or a head of its delegation does`);
  }
  if (thread.status !== status) await store.setThreadStatus(threadId, status, access.account.id);
  return thread;
}
