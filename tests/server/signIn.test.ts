import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { io as ioClient } from 'socket.io-client';
import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import { CloseCode, ErrorCode, type JoinReply } from '../../shared/protocol.ts';
import { DEMO, api, signInApiUrl, signInAs } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** A sign-in link asks before it signs in: GET uses nothing up, only a same-origin POST does. */
describe('sign-in links ask first', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const linkFor = async (email: string) => signInUrl(server.url, await issueSignInToken(server.store, (await server.store.findAccountByEmail(email))!.id));
  const confirm = (link: string, headers: Record<string, string> = {}) =>
    fetch(signInApiUrl(link), { method: 'POST', headers: { origin: server.url, ...headers } });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('a link scanner that opens a link many times uses nothing up: the person then signs in once, and only once (attack)', async () => {
    const link = await linkFor(DEMO.vnDrafter);
    for (let i = 0; i < 5; i++) {
      const page = await fetch(link, { redirect: 'manual' });
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(page.status).not.toBe(303);
      // The token is in the address: nothing the page loads may carry it on in a Referer, nor may a cache keep it.
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const peek = await fetch(signInApiUrl(link));
      expect(peek.status).toBe(200);
      expect(peek.headers.get('set-cookie')).toBeNull();
      expect(peek.headers.get('referrer-policy')).toBe('no-referrer');
      // HEAD, as some scanners send, neither.
      expect((await fetch(link, { method: 'HEAD' })).headers.get('set-cookie')).toBeNull();
    }
    const first = await confirm(link);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect((await api(server.url, cookie)('/api/me')).body.account.name).toBe('Lê Thị Lan');
    const second = await confirm(link);
    expect(second.status).toBe(410);
    expect((await second.json()).error.code).toBe(ErrorCode.SignInLinkUsed);
    expect(second.headers.get('set-cookie')).toBeNull();
    // Looked at after use, the link says so.
    const after = await fetch(signInApiUrl(link));
    expect([after.status, (await after.json()).error.code]).toEqual([410, ErrorCode.SignInLinkUsed]);
  });

  it('says who the link signs in as, no more: name, masked e-mail, roles and delegations, no declaration', async () => {
    const peek = await api(server.url, undefined)(new URL(signInApiUrl(await linkFor(DEMO.vnHead))).pathname);
    expect(peek.status).toBe(200);
    expect(peek.body.signIn).toMatchObject({
      account: { name: 'Trần Minh Đức', email: 'v•••@demo.accord', isSecretariat: false },
      roles: [{ role: 'head', party: { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' } }, { role: 'head', party: { vi: 'Thành phố Hà Nội', fr: 'Ville de Hà Nội' } }],
      signedInAs: null,
    });
    const text = JSON.stringify(peek.body);
    expect(text).not.toContain('vn-head@');
    expect(text).not.toContain(DOC);
    expect(text).not.toMatch(/"id"|accountId|documentId/);
    expect(new Date(peek.body.signIn.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses expired, unknown and malformed links with a code and changes nothing', async () => {
    const account = (await server.store.findAccountByEmail(DEMO.frDrafter))!;
    const expired = signInUrl(server.url, await issueSignInToken(server.store, account.id, -1000));
    for (const [link, status, code] of [
      [expired, 410, ErrorCode.SignInLinkExpired],
      [signInUrl(server.url, 'x'.repeat(43)), 404, ErrorCode.InvalidToken],
      [signInUrl(server.url, 'short'), 404, ErrorCode.InvalidToken],
    ] as const) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(signInApiUrl(link), { method, headers: { origin: server.url } });
        expect([res.status, (await res.json()).error.code], `${method} ${link}`).toEqual([status, code]);
        expect(res.headers.get('set-cookie')).toBeNull();
      }
    }
  });

  it('a head signed in who opens another member’s link, without confirming, keeps her session and her internal comment stays her delegation’s (attack)', async () => {
    const ha = await signInAs(server, DEMO.vnHead);
    const link = await linkFor(DEMO.frDrafter);
    // She opens it: the page and what it asks the server.
    const page = await fetch(link, { headers: { cookie: ha } });
    expect(page.headers.get('set-cookie')).toBeNull();
    const peek = await api(server.url, ha)(new URL(signInApiUrl(link)).pathname);
    expect(peek.body.signIn.account.name).toBe('Julien Martin');
    expect(peek.body.signIn.signedInAs).toEqual({ name: 'Trần Minh Đức', email: DEMO.vnHead, sameAccount: false });
    expect((await api(server.url, ha)('/api/me')).body.account.name).toBe('Trần Minh Đức');

    // Her "internal" comment is the Vietnamese delegation's, not the French one's.
    const local = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: ha });
    await synced(local.provider);
    const text = firstXmlText(local.doc, 'heritage', 'vi');
    const at = text.toString().indexOf('di sản');
    const made = await api(server.url, ha)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'heritage', lang: 'vi', anchor: anchorOfRange(text, at, at + 6), quote: 'di sản', visibility: 'internal', body: 'Nội bộ phía Việt Nam' },
    });
    local.provider.destroy();
    expect(made.status).toBe(201);
    expect(made.body.thread).toMatchObject({ visibility: 'internal', delegation: 'vn' });
    const frHead = await signInAs(server, DEMO.frHead);
    const seenByFrance = await api(server.url, frHead)(`/api/documents/${DOC}/threads`);
    expect(seenByFrance.body.threads.map((t: { id: string }) => t.id)).not.toContain(made.body.thread.id);
    // The link she did not use still works for Julien.
    expect((await confirm(link)).status).toBe(200);
  });

  it('a cross-site page cannot use a link to sign a visitor in as someone else (attack)', async () => {
    const link = await linkFor(DEMO.frDrafter);
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }] as Array<Record<string, string>>) {
      const res = await confirm(link, headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe(ErrorCode.Forbidden);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
    expect((await confirm(link)).status).toBe(200);
  });

  it('confirming as someone else ends the session this browser had and closes its live connections', async () => {
    const ha = await signInAs(server, DEMO.vnHead);
    const closes: number[] = [];
    const open = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: ha });
    await synced(open.provider);
    open.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    const socket = ioClient(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: ha } });
    expect(await new Promise<JoinReply>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve))).toMatchObject({ ok: true });
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));

    const res = await confirm(await linkFor(DEMO.frDrafter), { cookie: ha });
    expect(res.status).toBe(200);
    expect((await res.json()).account.name).toBe('Julien Martin');
    const julien = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(julien).not.toBe(ha);
    expect((await api(server.url, ha)('/api/me')).status).toBe(401);
    await waitFor(() => closes.includes(CloseCode.Unauthorized), 'her sync connection to close with 4401');
    await disconnected;
    open.provider.destroy();
    expect((await api(server.url, julien)('/api/me')).body.account.name).toBe('Julien Martin');
  });
});
