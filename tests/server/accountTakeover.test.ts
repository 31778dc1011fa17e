import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, followSignInLink, signInAs } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Issue 20, acceptance 1 and 2: a secretariat of one small agreement cannot
 * become anybody who exists outside it (a sign-in link signs in the whole
 * account), and cannot take a party's seat in its own agreement.
 */

const DOC = 'vn-fr-2023';
const SMALL = 'small-agreement';

describe('accounts: nobody can become somebody else', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let global: string;
  /** Secretariat of SMALL only. */
  let smallSecretariat: string;
  const smallSecretariatEmail = 'small-sec@example.org';

  const invitesOf = (email: string): number => {
    const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM invites WHERE account_id = (SELECT id FROM accounts WHERE email = ?)').get(email) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const accountId = async (email: string) => (await server.store.findAccountByEmail(email))!.id;
  const invite = (cookie: string, documentId: string, body: { name: string; email: string | null; role: string; partyId: string | null }) =>
    api(server.url, cookie)(`/api/documents/${documentId}/members`, { method: 'POST', json: body });
  const link = (cookie: string, documentId: string, id: string) =>
    api(server.url, cookie)(`/api/documents/${documentId}/members/${id}/link`, { method: 'POST', json: {} });

  beforeAll(async () => {
    server = await startTestServer();
    global = await signInAs(server, DEMO.secretariat);
    const created = await api(server.url, global)('/api/documents', {
      method: 'POST',
      json: { id: SMALL, title: { vi: 'Thỏa thuận nhỏ', fr: 'Petit accord' }, parties: [{ id: 'a', name: { vi: 'A', fr: 'A' } }, { id: 'b', name: { vi: 'B', fr: 'B' } }] },
    });
    expect(created.status).toBe(201);
    const sec = await invite(global, SMALL, { name: 'Thư ký nhỏ', email: smallSecretariatEmail, role: 'secretariat', partyId: null });
    expect(sec.status).toBe(201);
    smallSecretariat = await followSignInLink(sec.body.signInUrl);
  });
  afterAll(async () => {
    await server.close();
  });

  describe('sign-in links (acceptance 1)', () => {
    it('adds vn-head to a small agreement but gives its secretariat no link for them, and refuses one on /link (account takeover)', async () => {
      const before = invitesOf(DEMO.vnHead);
      const res = await invite(smallSecretariat, SMALL, { name: 'Trần Minh Đức', email: DEMO.vnHead, role: 'head', partyId: 'a' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ existingAccount: true, signInUrl: null, member: { role: 'head', partyId: 'a' } });
      expect(JSON.stringify(res.body)).not.toContain('/signin/');
      const again = await link(smallSecretariat, SMALL, await accountId(DEMO.vnHead));
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe(ErrorCode.SignInLinkRefused);
      expect(JSON.stringify(again.body)).not.toContain('/signin/');
      // No token was made for the head at all: there is nothing to intercept.
      expect(invitesOf(DEMO.vnHead)).toBe(before);
    });

    it('gives a per-declaration secretariat no link for the global secretariat, by invitation or /link (account takeover)', async () => {
      const before = invitesOf(DEMO.secretariat);
      const res = await invite(smallSecretariat, SMALL, { name: 'Nguyễn Thu Hà', email: DEMO.secretariat, role: 'secretariat', partyId: null });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ existingAccount: true, signInUrl: null });
      const again = await link(smallSecretariat, SMALL, await accountId(DEMO.secretariat));
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe(ErrorCode.SignInLinkRefused);
      expect(invitesOf(DEMO.secretariat)).toBe(before);
    });

    it('lets a per-declaration secretariat link only people who belong nowhere else, and stops once they do (account takeover)', async () => {
      const res = await invite(smallSecretariat, SMALL, { name: 'Người mới', email: 'newcomer@example.org', role: 'drafter', partyId: 'b' });
      expect(res.status).toBe(201);
      expect(res.body.existingAccount).toBe(false);
      const cookie = await followSignInLink(res.body.signInUrl);
      expect((await api(server.url, cookie)(`/api/documents/${SMALL}`)).body.me).toMatchObject({ name: 'Người mới', role: 'drafter', partyId: 'b' });
      const id = await accountId('newcomer@example.org');
      expect((await link(smallSecretariat, SMALL, id)).status).toBe(201);

      // Once the same person belongs to a declaration the small secretariat does not administer, no more links.
      expect((await invite(global, HANOI_TOULOUSE_ID, { name: 'Người mới', email: 'newcomer@example.org', role: 'observer', partyId: null })).status).toBe(201);
      const refused = await link(smallSecretariat, SMALL, id);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe(ErrorCode.SignInLinkRefused);
    });

    it('still gives the global secretariat links for existing accounts, by invitation and /link', async () => {
      const res = await invite(global, SMALL, { name: 'Claire Dubois', email: DEMO.frHead, role: 'observer', partyId: null });
      expect(res.status).toBe(201);
      expect(res.body.existingAccount).toBe(true);
      const cookie = await followSignInLink(res.body.signInUrl);
      expect((await api(server.url, cookie)(`/api/documents/${DOC}`)).body.me).toMatchObject({ role: 'head', partyId: 'fr' });
      const again = await link(global, DOC, await accountId(DEMO.vnHead));
      expect(again.status).toBe(201);
      expect(again.body.signInUrl).toContain('/signin/');
    });
  });

  describe('roles separated (acceptance 2)', () => {
    it('refuses the secretariat a seat of a party in its own declaration, itself included, and changes nothing (seat taking)', async () => {
      const ownId = await accountId(smallSecretariatEmail);
      for (const [role, partyId] of [['drafter', 'a'], ['head', 'b'], ['observer', 'a']] as const) {
        const res = await invite(smallSecretariat, SMALL, { name: 'Thư ký nhỏ', email: smallSecretariatEmail, role, partyId });
        expect(res.status, role).toBe(409);
        expect(res.body.error.code).toBe(ErrorCode.SecretariatHoldsNoSeat);
      }
      expect(await server.store.getMembership(SMALL, ownId)).toMatchObject({ role: 'secretariat', partyId: null });
      // The global secretariat cannot seat itself either, as head of Việt Nam in the joint declaration.
      const res = await invite(global, DOC, { name: 'Nguyễn Thu Hà', email: DEMO.secretariat, role: 'drafter', partyId: 'vn' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe(ErrorCode.SecretariatHoldsNoSeat);
      expect((await api(server.url, global)(`/api/documents/${DOC}`)).body.me).toMatchObject({ role: 'secretariat', partyId: null });
    });

    it('keeps the global secretariat’s rights whatever membership is stored for it (rights reduced by a self-invite)', async () => {
      const id = await accountId(DEMO.secretariat);
      // As a self-invitation stored before this check made it.
      await server.store.setMembership({ documentId: HANOI_TOULOUSE_ID, accountId: id, role: 'drafter', partyId: 'hanoi' });
      try {
        const me = (await api(server.url, global)(`/api/documents/${HANOI_TOULOUSE_ID}`)).body.me;
        expect(me).toMatchObject({ role: 'secretariat', partyId: null });
        expect(me.actions).toContain('manage_members');
        expect((await api(server.url, global)(`/api/documents/${HANOI_TOULOUSE_ID}/members`)).body.members[0]).toHaveProperty('email');
      } finally {
        await server.store.setMembership({ documentId: HANOI_TOULOUSE_ID, accountId: id, role: 'secretariat', partyId: null });
      }
    });
  });
});
