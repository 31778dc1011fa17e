import Database from 'better-sqlite3';
import path from 'node:path';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inviteMember, OPERATOR, issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { CloseCode, ErrorCode, type ErrorBody, type JoinReply } from '../../shared/protocol.ts';
import { DEMO, api, followSignInLink, signInApiUrl, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

function socketIo(url: string, headers: Record<string, string>): Socket {
  return ioClient(url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: headers });
}

function join(socket: Socket, documentId: string): Promise<JoinReply> {
  return new Promise((resolve) => socket.emit('document:join', { documentId }, resolve));
}

function connectError(socket: Socket): Promise<{ message: string; data?: { code: string } }> {
  return new Promise((resolve) => socket.once('connect_error', resolve as never));
}

describe('identity and permissions on every path', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let secretariat: string;
  let drafter: string;
  let observer: string;
  /** A member of the Hà Nội–Toulouse agreement only. */
  let outsider: string;

  beforeAll(async () => {
    server = await startTestServer();
    secretariat = await signInAs(server, DEMO.secretariat);
    drafter = await signInAs(server, DEMO.vnDrafter);
    observer = await signInAs(server, DEMO.observer);
    const { token } = await inviteMember(server.store, {
      documentId: HANOI_TOULOUSE_ID,
      name: 'Pierre Toulousain',
      email: 'pierre@toulouse.example',
      role: 'drafter',
      partyId: 'toulouse',
    }, OPERATOR);
    outsider = await followSignInLink(signInUrl(server.url, token!));
  });
  afterAll(async () => {
    await server.close();
  });

  describe('REST', () => {
    it('answers 401 with a JSON error to requests without a session', async () => {
      for (const route of ['/api/documents', `/api/documents/${DOC}`, `/api/documents/${DOC}/pairs`, '/api/me']) {
        const res = await api(server.url, undefined)(route);
        expect(res.status, route).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    });

    it('lists only the declarations the person belongs to', async () => {
      const mine = (await api(server.url, outsider)('/api/documents')).body.documents;
      expect(mine.map((d: { id: string }) => d.id)).toEqual([HANOI_TOULOUSE_ID]);
      expect(mine[0].me).toEqual({ role: 'drafter', partyId: 'toulouse' });
      const all = (await api(server.url, secretariat)('/api/documents')).body.documents;
      expect(all.map((d: { id: string }) => d.id)).toEqual([DOC, HANOI_TOULOUSE_ID]);
    });

    it('refuses a member of one declaration any read of another (403)', async () => {
      for (const route of [`/api/documents/${DOC}`, `/api/documents/${DOC}/pairs`, `/api/documents/${DOC}/pairs/title`, `/api/documents/${DOC}/members`]) {
        const res = await api(server.url, outsider)(route);
        expect(res.status, route).toBe(403);
        expect(res.body.error.message).toContain('not a member');
      }
    });

    it('tells the page who the person is and what their role allows', async () => {
      const res = await api(server.url, observer)(`/api/documents/${DOC}`);
      expect(res.body.me).toMatchObject({ name: 'Sophie Bernard', role: 'observer', partyId: null, actions: ['read', 'export'] });
      const head = await api(server.url, await signInAs(server, DEMO.frHead))(`/api/documents/${DOC}`);
      expect(head.body.me).toMatchObject({ role: 'head', partyId: 'fr', actions: ['read', 'edit_text', 'comment', 'approve', 'sign', 'export'] });
    });

    it('lets only the secretariat invite, and validates invitations', async () => {
      const invite = { name: 'Đỗ Văn Nam', email: 'nam@hanoi.example', role: 'drafter', partyId: 'vn' };
      const byDrafter = await api(server.url, drafter)(`/api/documents/${DOC}/members`, { method: 'POST', json: invite });
      expect(byDrafter.status).toBe(403);
      expect(byDrafter.body.error.message).toBe('Your role does not allow you to manage members.');

      const bad = api(server.url, secretariat);
      const cases: Array<[object, number, RegExp]> = [
        [{ ...invite, role: 'king' }, 400, /role/],
        [{ ...invite, partyId: null }, 400, /belongs to a party/],
        [{ ...invite, partyId: 'mars' }, 400, /no party "mars"/],
        [{ ...invite, email: 'not-an-email' }, 400, /email/],
        [{ ...invite, name: '' }, 400, /name/],
        [{ ...invite, role: 'head' }, 409, /already has a head/],
      ];
      for (const [body, status, message] of cases) {
        const res = await bad(`/api/documents/${DOC}/members`, { method: 'POST', json: body });
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.error.message).toMatch(message);
      }
      expect((await server.store.findAccountByEmail('nam@hanoi.example'))).toBeUndefined();

      const ok = await bad(`/api/documents/${DOC}/members`, { method: 'POST', json: invite });
      expect(ok.status).toBe(201);
      expect(ok.body.member).toMatchObject({ name: 'Đỗ Văn Nam', role: 'drafter', partyId: 'vn' });
      expect(ok.body.signInUrl).toMatch(/\/signin\/[A-Za-z0-9_-]{43}$/);
    });

    it('makes sign-in links single-use and expiring, stores only their hash, and sets an HttpOnly SameSite cookie', async () => {
      const account = (await server.store.findAccountByEmail(DEMO.frDrafter))!;
      const token = await issueSignInToken(server.store, account.id);
      const use = (t: string) => fetch(signInApiUrl(signInUrl(server.url, t)), { method: 'POST', headers: { origin: server.url } });
      const first = await use(token);
      expect(first.status).toBe(200);
      const cookie = first.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^accord_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);

      const again = await use(token);
      expect(again.status).toBe(410);
      expect(((await again.json()) as ErrorBody).error.code).toBe(ErrorCode.SignInLinkUsed);
      expect(again.headers.get('set-cookie')).toBeNull();

      const expired = await use(await issueSignInToken(server.store, account.id, -1000));
      expect([expired.status, ((await expired.json()) as ErrorBody).error.code]).toEqual([410, ErrorCode.SignInLinkExpired]);
      const unknown = await use('x'.repeat(43));
      expect([unknown.status, ((await unknown.json()) as ErrorBody).error.code]).toEqual([404, ErrorCode.InvalidToken]);

      const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
      const stored = db.prepare('SELECT token_hash FROM invites').all() as Array<{ token_hash: string }>;
      const sessions = db.prepare('SELECT token_hash FROM sessions').all() as Array<{ token_hash: string }>;
      db.close();
      expect(stored.some((r) => r.token_hash === token)).toBe(false);
      expect(stored.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
      expect(sessions.some((r) => cookie.includes(r.token_hash))).toBe(false);
    });

    it('refuses cross-site state changes (Origin and Sec-Fetch-Site) and accepts our own', async () => {
      const party = { id: 'observers', name: { vi: 'Quan sát viên', fr: 'Observateurs' } };
      const call = api(server.url, secretariat);
      const evil = await call(`/api/documents/${DOC}/parties`, { method: 'POST', json: party, headers: { origin: 'https://evil.example' } });
      expect(evil.status).toBe(403);
      expect(evil.body.error.message).toMatch(/Cross-site request refused/);
      const fetchSite = await call(`/api/documents/${DOC}/parties`, { method: 'POST', json: party, headers: { 'sec-fetch-site': 'cross-site' } });
      expect(fetchSite.status).toBe(403);
      expect((await server.store.getDocument(DOC))!.parties.map((p) => p.id)).toEqual(['vn', 'fr']);
      const ours = await call(`/api/documents/${DOC}/parties`, { method: 'POST', json: party });
      expect(ours.status).toBe(201);
      expect(ours.body.document.parties.map((p: { id: string }) => p.id)).toEqual(['vn', 'fr', 'observers']);
    });
  });

  describe('socket.io', () => {
    it('refuses a handshake without a session', async () => {
      const socket = socketIo(server.url, {});
      const error = await connectError(socket);
      expect(error.data?.code).toBe('unauthorized');
      socket.close();
    });

    it('refuses a handshake from another site', async () => {
      const socket = socketIo(server.url, { cookie: drafter, origin: 'https://evil.example' });
      expect((await connectError(socket)).data?.code).toBe('forbidden');
      socket.close();
    });

    it('lets a member join their declaration’s room and refuses another declaration’s', async () => {
      const socket = socketIo(server.url, { cookie: outsider });
      expect(await join(socket, HANOI_TOULOUSE_ID)).toMatchObject({ ok: true, document: { id: HANOI_TOULOUSE_ID } });
      expect(await join(socket, DOC)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      socket.close();
    });
  });

  describe('y-websocket sync', () => {
    it('refuses an upgrade without a session with HTTP 401, the same for unknown and existing documents (attack: probing which ids exist)', async () => {
      const existing = await rawSyncSocket(server.wsUrl, DOC).refused;
      const unknown = await rawSyncSocket(server.wsUrl, 'no-such-declaration').refused;
      const malformed = await rawSyncSocket(server.wsUrl, '../etc/passwd').refused;
      for (const refused of [existing, unknown, malformed]) {
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ error: { code: ErrorCode.Unauthorized, message: 'sign in first: no valid session' }, closeCode: CloseCode.Unauthorized });
      }
      // REST answers the same for both.
      expect((await api(server.url, undefined)(`/api/documents/${DOC}`)).status).toBe(401);
      expect((await api(server.url, undefined)('/api/documents/no-such-declaration')).status).toBe(401);
    });

    it('refuses a member of another declaration, and a cross-site page, with HTTP 403 before the upgrade', async () => {
      const other = rawSyncSocket(server.wsUrl, DOC, { cookie: outsider });
      expect(await other.refused).toMatchObject({ status: 403, body: { error: { code: ErrorCode.Forbidden, message: 'not a member of this declaration' }, closeCode: CloseCode.Forbidden } });
      expect(other.messages).toHaveLength(0);
      const crossSite = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter, origin: 'https://evil.example' });
      expect(await crossSite.refused).toMatchObject({ status: 403, body: { closeCode: CloseCode.Forbidden } });
    });

    it('lets a member of the other declaration write there, and nowhere else', async () => {
      const client = connectProvider(server.wsUrl, HANOI_TOULOUSE_ID, new Y.Doc(), { cookie: outsider });
      await synced(client.provider);
      expect(client.doc.getArray('order').length).toBeGreaterThan(0);
      client.provider.destroy();
    });

    it('stops a revoked member at their next connection, on every path', async () => {
      const { account, token } = await inviteMember(server.store, {
        documentId: DOC,
        name: 'Temporary Drafter',
        email: 'temp@example.org',
        role: 'drafter',
        partyId: 'fr',
      }, OPERATOR);
      const cookie = await followSignInLink(signInUrl(server.url, token!));
      const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
      await synced(client.provider);
      client.provider.destroy();

      const revoke = await api(server.url, secretariat)(`/api/documents/${DOC}/members/${account.id}`, { method: 'DELETE', headers: { origin: server.url } });
      expect(revoke.status).toBe(200);
      expect((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).status).toBe(403);
      const again = rawSyncSocket(server.wsUrl, DOC, { cookie });
      expect((await again.refused).status).toBe(403);
      const socket = socketIo(server.url, { cookie });
      expect(await join(socket, DOC)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      socket.close();
    });
  });
});
