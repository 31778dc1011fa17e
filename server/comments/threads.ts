import type * as Y from 'yjs';
import type { ThreadView } from '../../shared/comments.ts';
import type { StoredThread } from '../store/commentTypes.ts';
import type { Store } from '../store/types.ts';
import { resolveAnchor } from './anchors.ts';

/**
 * Threads as members see them: with their comments, author names and whether
 * their text still exists (`doc` is the live document).
 */
export async function presentThreads(store: Store, doc: Y.Doc, threads: StoredThread[]): Promise<ThreadView[]> {
  // Read the document before any await: callers may release it once this returns a promise.
  const detached = new Map(
    threads.map((t) => {
      const state = resolveAnchor(doc, t.pairId, t.lang, { start: t.anchorStart, end: t.anchorEnd }, t.quote);
      return [t.id, !state.ok || state.detached];
    }),
  );
  const comments = await store.listComments(threads.map((t) => t.id));
  const names = new Map<string, string>();
  for (const id of new Set(comments.map((c) => c.authorId))) names.set(id, (await store.getAccount(id))?.name ?? '—');
  return threads.map((t) => {
    const anchor = { start: t.anchorStart, end: t.anchorEnd };
    return {
      id: t.id,
      documentId: t.documentId,
      pairId: t.pairId,
      lang: t.lang,
      anchor,
      quote: t.quote,
      detached: detached.get(t.id)!,
      visibility: t.visibility,
      delegation: t.delegation,
      authorId: t.authorId,
      status: t.status,
      createdAt: t.createdAt,
      resolvedAt: t.resolvedAt,
      resolvedBy: t.resolvedBy,
      comments: comments
        .filter((c) => c.threadId === t.id)
        .map((c) => ({
          id: c.id,
          authorId: c.authorId,
          authorName: names.get(c.authorId) ?? '—',
          body: c.body,
          createdAt: c.createdAt,
          editedAt: c.editedAt,
          deleted: c.deletedAt !== null,
        })),
    };
  });
}
