import { Router } from 'express';
import { z } from 'zod';
import { THREAD_STATUSES, VISIBILITIES } from '../../shared/comments.ts';
import { textIncludes } from '../../shared/find.ts';
import { limits } from '../../shared/limits.ts';
import { LANGS } from '../../shared/model/index.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { presentThreads } from '../comments/threads.ts';
import { createThread, deleteComment, editComment, replyToThread, setThreadStatus } from '../commands/comments.ts';
import { authorize } from '../policies/access.ts';
import { canSeeThread } from '../policies/commentPolicy.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { HttpError } from '../errors.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DocumentParams, Id } from './schemas.ts';

/** Told when a thread changed, to push it live to those allowed to see it. */
export interface CommentNotifier {
  threadChanged(documentId: string, threadId: string): Promise<void>;
}

const Body = z
  .string()
  .trim()
  .min(1, 'a comment cannot be empty')
  .max(limits.maxCommentLength, `at most ${limits.maxCommentLength} characters`);
/** A body over the limit is refused with a code of its own, so the page can say so in its language. */
function refuseLongBody(input: unknown): void {
  const body = (input as { body?: unknown } | null)?.body;
  if (typeof body === 'string' && body.trim().length > limits.maxCommentLength) {
    throw new HttpError(400, ErrorCode.CommentTooLong, `body: a comment holds at most ${limits.maxCommentLength} characters (this one has ${body.trim().length})`);
  }
}
const EncodedPosition = z.string().min(1).max(limits.maxAnchorLength).regex(/^[A-Za-z0-9+/=]+$/, 'base64');

const NewThreadBody = z.strictObject({
  pairId: Id,
  lang: z.enum(LANGS),
  anchor: z.strictObject({ start: EncodedPosition, end: EncodedPosition }),
  quote: z.string().min(1, 'select some text').max(limits.maxQuoteLength),
  visibility: z.enum(VISIBILITIES),
  body: Body,
});
const CommentBody = z.strictObject({ body: Body });
const StatusBody = z.strictObject({ status: z.enum(THREAD_STATUSES) });
const ThreadParams = DocumentParams.extend({ threadId: Id });
const CommentParams = DocumentParams.extend({ commentId: Id });
const ThreadFilters = z.object({
  pairId: Id.optional(),
  lang: z.enum(LANGS).optional(),
  visibility: z.enum(VISIBILITIES).optional(),
  status: z.enum(THREAD_STATUSES).optional(),
  delegation: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
});

/** Comment threads of a declaration. Internal threads never leave their delegation. */
export function commentsRouter(store: Store, sync: SyncServer, notifier: CommentNotifier): Router {
  const router = Router();

  const present = async (documentId: string, threads: Awaited<ReturnType<Store['listThreads']>>) =>
    (await sync.readDocument(documentId, (doc) => presentThreads(store, doc, threads)))!;

  /** Pushes a changed thread to those allowed to see it and returns it as the author sees it. */
  const announce = async (documentId: string, threadId: string) => {
    await notifier.threadChanged(documentId, threadId);
    const [thread] = await present(documentId, [(await store.getThread(threadId))!]);
    return thread;
  };

  router.get('/documents/:documentId/threads', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const filters = parse(ThreadFilters, req.query);
    const access = await authorize(store, req.account, documentId, 'read');
    const visible = (await store.listThreads(documentId)).filter(
      (t) =>
        canSeeThread(access.member, t) &&
        (!filters.pairId || t.pairId === filters.pairId) &&
        (!filters.lang || t.lang === filters.lang) &&
        (!filters.visibility || t.visibility === filters.visibility) &&
        (!filters.status || t.status === filters.status) &&
        (!filters.delegation || t.delegation === filters.delegation),
    );
    let threads = await present(documentId, visible);
    if (filters.q) {
      // Search runs on what this member may see only; quotes and bodies are compared as the query is,
      // NFC or NFD alike and whatever the case (shared/find.ts): a body typed in NFD is found too.
      const q = filters.q;
      threads = threads.filter((t) => textIncludes(t.quote, q) || t.comments.some((c) => textIncludes(c.body, q)));
    }
    res.json({ threads });
  });

  router.post('/documents/:documentId/threads', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'comment');
    refuseLongBody(req.body);
    const input = parse(NewThreadBody, req.body);
    const threadId = await createThread(store, sync, access, input);
    res.status(201).json({ thread: await announce(documentId, threadId) });
  });

  router.post('/documents/:documentId/threads/:threadId/comments', async (req, res) => {
    const { documentId, threadId } = parse(ThreadParams, req.params);
    const access = await authorize(store, req.account, documentId, 'comment');
    refuseLongBody(req.body);
    const { body } = parse(CommentBody, req.body);
    await replyToThread(store, access, threadId, body);
    res.status(201).json({ thread: await announce(documentId, threadId) });
  });

  router.patch('/documents/:documentId/threads/:threadId', async (req, res) => {
    const { documentId, threadId } = parse(ThreadParams, req.params);
    const access = await authorize(store, req.account, documentId, 'comment');
    const { status } = parse(StatusBody, req.body);
    await setThreadStatus(store, access, threadId, status);
    res.json({ thread: await announce(documentId, threadId) });
  });

  router.patch('/documents/:documentId/comments/:commentId', async (req, res) => {
    const { documentId, commentId } = parse(CommentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'comment');
    refuseLongBody(req.body);
    const { body } = parse(CommentBody, req.body);
    const thread = await editComment(store, access, commentId, body);
    await notifier.threadChanged(documentId, thread.id);
    res.json({ ok: true });
  });

  router.delete('/documents/:documentId/comments/:commentId', async (req, res) => {
    const { documentId, commentId } = parse(CommentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'comment');
    const thread = await deleteComment(store, access, commentId);
    await notifier.threadChanged(documentId, thread.id);
    res.json({ ok: true });
  });

  return router;
}
