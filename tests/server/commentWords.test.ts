import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { resolveAnchor } from '../../server/comments/anchors.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { limits } from '../../shared/limits.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * The words of comments: a body over the limit is refused with its own code
 * (nothing stored), search finds bodies typed in NFD, and a thread keeps its
 * anchor when its words are retyped in place.
 */

const DOC = 'vn-fr-2023';

function anchorOn(doc: Y.Doc, pairId: string, lang: 'vi' | 'fr', words: string) {
  const text = firstXmlText(doc, pairId, lang);
  const from = text.toString().indexOf(words);
  if (from < 0) throw new Error(`"${words}" not in ${pairId}/${lang}`);
  return anchorOfRange(text, from, from + words.length);
}

describe('the words of comments', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let editor: ReturnType<typeof connectProvider>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    editor = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frDrafter });
    await synced(editor.provider);
  });
  afterAll(async () => {
    editor.provider.destroy();
    await server.close();
  });

  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const list = async (who: keyof typeof DEMO, query = '') => (await as(who)(`/api/documents/${DOC}/threads${query}`)).body.threads as ThreadView[];
  const open = (body: string, words = 'patrimoine', pairId = 'heritage') =>
    as('frDrafter')(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId, lang: 'fr', anchor: anchorOn(editor.doc, pairId, 'fr', words), quote: words, visibility: 'shared', body },
    });

  it('refuses a comment, a reply or an edit over 5,000 characters with the code comment_too_long, and stores nothing', async () => {
    const tooLong = 'é'.repeat(limits.maxCommentLength + 1);
    const before = (await list('frDrafter')).length;
    const created = await open(tooLong);
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe(ErrorCode.CommentTooLong);
    expect(created.body.error.message).toMatch(/at most 5000 characters/);
    expect((await list('frDrafter')).length).toBe(before);

    // Exactly the limit is fine (spaces around are trimmed, as always).
    const ok = await open(`  ${'a'.repeat(limits.maxCommentLength)}  `);
    expect(ok.status).toBe(201);
    const thread = ok.body.thread as ThreadView;

    const reply = await as('frDrafter')(`/api/documents/${DOC}/threads/${thread.id}/comments`, { method: 'POST', json: { body: tooLong } });
    expect([reply.status, reply.body.error.code]).toEqual([400, ErrorCode.CommentTooLong]);
    const edit = await as('frDrafter')(`/api/documents/${DOC}/comments/${thread.comments[0]!.id}`, { method: 'PATCH', json: { body: tooLong } });
    expect([edit.status, edit.body.error.code]).toEqual([400, ErrorCode.CommentTooLong]);
    const after = (await list('frDrafter')).find((t) => t.id === thread.id)!;
    expect(after.comments.map((c) => c.body)).toEqual(['a'.repeat(limits.maxCommentLength)]);
  });

  it('finds a comment whose body was typed in NFD with a query in NFC, and the other way round', async () => {
    const created = await open('Cần thống nhất với Hà Nội'.normalize('NFD'), 'développement durable', 'environment');
    expect(created.status).toBe(201);
    const id = created.body.thread.id;
    expect((await list('vnDrafter', `?q=${encodeURIComponent('hà nội')}`)).map((t) => t.id)).toContain(id);
    expect((await list('vnDrafter', `?q=${encodeURIComponent('THỐNG NHẤT'.normalize('NFD'))}`)).map((t) => t.id)).toContain(id);
    expect((await list('vnDrafter', `?q=${encodeURIComponent('Hải Phòng')}`)).map((t) => t.id)).not.toContain(id);
  });

  it('keeps a thread on its words when they are retyped in place, and detaches it when other words replace them', async () => {
    const words = 'tourisme';
    const created = await open('Garder ce mot', words, 'heritage');
    expect(created.status).toBe(201);
    const thread = created.body.thread as ThreadView;
    const text = firstXmlText(editor.doc, 'heritage', 'fr');
    const retype = (replacement: string, keepFirst: boolean) => {
      // As an editor does it: the selection replaced by the first letter typed (y-prosemirror keeps a
      // common first letter), then the other letters one by one.
      const from = text.toString().indexOf(words);
      editor.doc.transact(() => {
        if (keepFirst) text.delete(from + 1, words.length - 1);
        else text.delete(from, words.length);
      });
      for (let i = keepFirst ? 1 : 0; i < replacement.length; i++) text.insert(from + i, replacement[i]!);
    };
    const state = () => server.sync.readDocument(DOC, (doc) => resolveAnchor(doc, 'heritage', 'fr', thread.anchor, thread.quote));

    retype(words, true);
    await waitFor(async () => (await list('frDrafter')).some((t) => t.id === thread.id && !t.detached), 'the thread still attached after a retype');
    expect(await state()).toEqual({ ok: true, text: words, detached: false });

    retype(words.normalize('NFD'), false); // every letter deleted and typed again
    await waitFor(async () => JSON.stringify(await state()) === JSON.stringify({ ok: true, text: words, detached: false }), 'attached after a full retype');

    // Other words typed over them: the thread is detached, its quote kept.
    const from = text.toString().indexOf(words);
    editor.doc.transact(() => {
      text.delete(from, words.length);
      text.insert(from, 'voyage');
    });
    await waitFor(async () => (await list('frDrafter')).some((t) => t.id === thread.id && t.detached && t.quote === words), 'detached after other words');
  });
});
