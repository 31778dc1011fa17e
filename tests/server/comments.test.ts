import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { resolveAnchor } from '../../server/comments/anchors.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { limits } from '../../shared/limits.ts';
import { readPairText } from '../../shared/model/index.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';


/** An anchor on the first occurrence of `words` in a cell of a synced client doc. */
function anchorOn(doc: Y.Doc, pairId: string, lang: 'vi' | 'fr', words: string) {
  const text = firstXmlText(doc, pairId, lang);
  const from = text.toString().indexOf(words);
  if (from < 0) throw new Error(`"${words}" not in ${pairId}/${lang}`);
  return anchorOfRange(text, from, from + words.length);
}

function follow(url: string, cookie: string, documentId = DOC) {
  const socket: Socket = ioClient(url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  const received: ThreadView[] = [];
  socket.on('thread:changed', ({ thread }) => received.push(thread));
  const joined = new Promise((resolve) => socket.emit('document:join', { documentId }, resolve));
  return { socket, received, joined };
}

describe('comments per delegation', () => {
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
  const open = (who: keyof typeof DEMO, body: object) => as(who)(`/api/documents/${DOC}/threads`, { method: 'POST', json: body });
  const list = async (who: keyof typeof DEMO, query = '') => (await as(who)(`/api/documents/${DOC}/threads${query}`)).body.threads as ThreadView[];

  it('keeps the anchor on its words while others edit before and inside them, and detaches it with its quote when they are deleted', async () => {
    const created = await open('vnDrafter', {
      pairId: 'environment',
      lang: 'vi',
      anchor: anchorOn(editor.doc, 'environment', 'vi', 'quản lý nước'),
      quote: 'quản lý nước',
      visibility: 'shared',
      body: 'Nên nói rõ: nước sạch và nước thải?',
    });
    expect(created.status).toBe(201);
    const id = created.body.thread.id;

    // Another client edits before the range and inside it.
    const text = firstXmlText(editor.doc, 'environment', 'vi');
    text.insert(0, 'MỚI ');
    const inside = text.toString().indexOf('lý nước') + 3;
    text.insert(inside, 'tài nguyên ');
    await waitFor(() => readPairText(editor.doc, 'environment')!.vi.startsWith('MỚI'), 'local edit');
    const state = await (async () => {
      for (let i = 0; i < 100; i++) {
        const s = await server.sync.readDocument(DOC, (doc) => resolveAnchor(doc, 'environment', 'vi', created.body.thread.anchor));
        if (s?.ok && s.text === 'quản lý tài nguyên nước') return s;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the server never saw the anchored text follow the edits');
    })();
    expect(state).toEqual({ ok: true, text: 'quản lý tài nguyên nước', detached: false });
    expect((await list('frDrafter')).find((t) => t.id === id)!.detached).toBe(false);

    // Delete the anchored words: the thread stays, detached, with its quote.
    const start = text.toString().indexOf('quản lý tài nguyên nước');
    text.delete(start, 'quản lý tài nguyên nước'.length);
    await waitFor(() => !readPairText(editor.doc, 'environment')!.vi.includes('tài nguyên'), 'delete');
    let thread: ThreadView | undefined;
    for (let i = 0; i < 100 && !thread?.detached; i++) {
      thread = (await list('frDrafter')).find((t) => t.id === id);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(thread).toMatchObject({ detached: true, quote: 'quản lý nước', status: 'open' });
  });

  it('stores author, delegation, time and visibility, pushes threads live to those allowed, and keeps them across a restart', async () => {
    const fr = follow(server.url, cookies.frDrafter);
    const vnHead = follow(server.url, cookies.vnHead);
    const observer = follow(server.url, cookies.observer);
    await Promise.all([fr.joined, vnHead.joined, observer.joined]);

    const internal = await open('vnDrafter', {
      pairId: 'digital',
      lang: 'fr',
      anchor: anchorOn(editor.doc, 'digital', 'fr', 'transformation numérique'),
      quote: 'transformation numérique',
      visibility: 'internal',
      body: 'Nội bộ: phía Pháp dùng “transition” ở câu sau, cần thống nhất.',
    });
    const shared = await open('vnDrafter', {
      pairId: 'digital',
      lang: 'vi',
      anchor: anchorOn(editor.doc, 'digital', 'vi', 'chuyển đổi số'),
      quote: 'chuyển đổi số',
      visibility: 'shared',
      body: 'Đề nghị dịch là « transition numérique ».',
    });
    expect(internal.status).toBe(201);
    expect(internal.body.thread).toMatchObject({ visibility: 'internal', delegation: 'vn', status: 'open', comments: [{ authorName: 'Lê Thị Lan' }] });
    expect(Date.now() - Date.parse(internal.body.thread.createdAt)).toBeLessThan(60_000);

    await waitFor(() => vnHead.received.length >= 2 && fr.received.length >= 1 && observer.received.length >= 1, 'live pushes', 1000);
    expect(vnHead.received.map((t) => t.id)).toEqual([internal.body.thread.id, shared.body.thread.id]);
    expect(fr.received.map((t) => t.id)).toEqual([shared.body.thread.id]);
    expect(observer.received.map((t) => t.id)).toEqual([shared.body.thread.id]);

    // The French side answers the shared one; the Vietnamese side gets it live.
    const reply = await as('frDrafter')(`/api/documents/${DOC}/threads/${shared.body.thread.id}/comments`, { method: 'POST', json: { body: 'D’accord, « transition numérique ».' } });
    expect(reply.status).toBe(201);
    await waitFor(() => vnHead.received.some((t) => t.comments.length === 2), 'the reply to reach the Vietnamese head', 1000);
    for (const f of [fr, vnHead, observer]) f.socket.disconnect();

    // A restart keeps everything.
    await server.close();
    server = await startTestServer({ dataDir: server.dataDir });
    const after = await list('vnHead');
    const sharedAfter = after.find((t) => t.id === shared.body.thread.id)!;
    expect(sharedAfter.comments.map((c) => [c.authorName, c.body])).toEqual([
      ['Lê Thị Lan', 'Đề nghị dịch là « transition numérique ».'],
      ['Julien Martin', 'D’accord, « transition numérique ».'],
    ]);
    expect(after.some((t) => t.id === internal.body.thread.id)).toBe(true);
    editor.provider.destroy();
    editor = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frDrafter });
    await synced(editor.provider);
  });

  it('never shows a delegation’s internal threads to another delegation or an observer: list, filters, search', async () => {
    const vnThreads = await list('vnHead');
    const internal = vnThreads.filter((t) => t.visibility === 'internal');
    expect(internal.length).toBeGreaterThan(0);
    for (const who of ['frDrafter', 'frHead', 'observer'] as const) {
      const seen = await list(who);
      expect(seen.some((t) => t.visibility === 'internal'), who).toBe(false);
      expect(await list(who, '?visibility=internal'), who).toEqual([]);
      expect(await list(who, `?q=${encodeURIComponent('Nội bộ')}`), who).toEqual([]);
      expect(await list(who, '?delegation=vn&pairId=digital&lang=fr')).toEqual([]);
    }
    expect((await list('vnDrafter', `?q=${encodeURIComponent('nội bộ')}`)).map((t) => t.id)).toEqual(internal.map((t) => t.id));
    // Replying to, resolving or reading another delegation's internal thread: it does not exist for them.
    const id = internal[0]!.id;
    expect((await as('frDrafter')(`/api/documents/${DOC}/threads/${id}/comments`, { method: 'POST', json: { body: 'hi' } })).status).toBe(404);
    expect((await as('frHead')(`/api/documents/${DOC}/threads/${id}`, { method: 'PATCH', json: { status: 'resolved' } })).status).toBe(404);
  });

  it('lets only the author edit or delete a comment, and the author or a head of the same delegation resolve', async () => {
    const [thread] = (await list('vnDrafter', '?visibility=shared&pairId=digital')) as ThreadView[];
    const first = thread!.comments[0]!;
    const edit = (who: keyof typeof DEMO) => as(who)(`/api/documents/${DOC}/comments/${first.id}`, { method: 'PATCH', json: { body: 'Sửa lại.' } });
    expect((await edit('vnHead')).status).toBe(403);
    expect((await edit('frDrafter')).status).toBe(403);
    expect((await edit('vnDrafter')).status).toBe(200);

    const status = (who: keyof typeof DEMO, s: string) => as(who)(`/api/documents/${DOC}/threads/${thread!.id}`, { method: 'PATCH', json: { status: s } });
    const refused = await status('frHead', 'resolved');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/its author or a head of its delegation/);
    expect((await status('vnHead', 'resolved')).body.thread).toMatchObject({ status: 'resolved', resolvedBy: expect.any(String) });
    expect((await status('vnDrafter', 'open')).body.thread).toMatchObject({ status: 'open', resolvedBy: null });

    const del = await as('vnDrafter')(`/api/documents/${DOC}/comments/${first.id}`, { method: 'DELETE', headers: { origin: server.url } });
    expect(del.status).toBe(200);
    const after = (await list('frDrafter')).find((t) => t.id === thread!.id)!;
    expect(after.comments[0]).toMatchObject({ deleted: true, body: '' });
    expect(after.comments[1]!.deleted).toBe(false);
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    const before = (await list('secretariat')).length;
    const good = {
      pairId: 'heritage',
      lang: 'fr',
      anchor: anchorOn(editor.doc, 'heritage', 'fr', 'patrimoine'),
      quote: 'patrimoine',
      visibility: 'shared',
      body: 'Ok',
    };
    const otherPair = anchorOn(editor.doc, 'closing', 'fr', 'Agenda 2030');
    const cases: Array<[string, object, number, RegExp]> = [
      ['unknown pair', { ...good, pairId: 'nope' }, 404, /no paragraph pair with id "nope"/],
      ['empty text', { ...good, body: '   ' }, 400, /cannot be empty/],
      ['oversized text', { ...good, body: 'x'.repeat(limits.maxCommentLength + 1) }, 400, /at most 5000/],
      ['forged author', { ...good, authorId: 'someone-else' }, 400, /authorId/],
      ['forged delegation', { ...good, delegation: 'fr' }, 400, /delegation/],
      ['anchor in another pair', { ...good, anchor: otherPair }, 400, /outside the fr text of pair "heritage"/],
      ['anchor in the other language', { ...good, lang: 'vi' }, 400, /outside the vi text/],
      ['garbage anchor', { ...good, anchor: { start: 'AAAA', end: 'AAAA' } }, 400, /anchor/],
      ['quote that is not the text', { ...good, quote: 'tourisme' }, 400, /is not the anchored text "patrimoine"/],
      ['unknown visibility', { ...good, visibility: 'secret' }, 400, /visibility/],
    ];
    for (const [label, body, status, message] of cases) {
      const res = await open('frDrafter', body);
      expect(res.status, label).toBe(status);
      expect(res.body.error.message, label).toMatch(message);
    }
    const observerTry = await open('observer', good);
    expect(observerTry.status).toBe(403);
    expect((await list('secretariat')).length).toBe(before);
  });
});
