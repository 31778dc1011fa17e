import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';

/** Issue 20, acceptance 2: every membership change is kept, with who made it and when, and shown to whom it concerns. */

const DOC = 'vn-fr-2023';

describe('the membership audit log', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Awaited<ReturnType<typeof signInAll>>;
  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const audit = async (who: keyof typeof DEMO) => as(who)(`/api/documents/${DOC}/audit`);
  const invite = (body: { name: string; email: string; role: string; partyId: string | null }) => as('secretariat')(`/api/documents/${DOC}/members`, { method: 'POST', json: body });

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('keeps every change — invitation, role change, link, party added and removed, revocation — with its actor and time, newest first', async () => {
    const start = Date.now();
    const invited = await invite({ name: 'Mai Anh', email: 'mai@vn.example', role: 'drafter', partyId: 'vn' });
    expect(invited.status).toBe(201);
    const id = invited.body.member.accountId as string;
    expect((await invite({ name: 'Mai Anh', email: 'mai@vn.example', role: 'observer', partyId: 'vn' })).status).toBe(201);
    expect((await as('secretariat')(`/api/documents/${DOC}/members/${id}/link`, { method: 'POST', json: {} })).status).toBe(201);
    expect((await as('secretariat')(`/api/documents/${DOC}/parties`, { method: 'POST', json: { id: 'eu', name: { vi: 'EU', fr: 'UE' } } })).status).toBe(201);
    expect((await invite({ name: 'Ursula', email: 'ursula@eu.example', role: 'head', partyId: 'eu' })).status).toBe(201);
    expect((await as('secretariat')(`/api/documents/${DOC}/parties/eu`, { method: 'DELETE' })).status).toBe(200);
    expect((await as('secretariat')(`/api/documents/${DOC}/members/${id}`, { method: 'DELETE' })).status).toBe(200);

    const res = await audit('secretariat');
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('all');
    const entries = res.body.entries as AuditEntry[];
    const secretariat = (await server.store.findAccountByEmail(DEMO.secretariat))!;
    const mine = entries.filter((e) => Date.parse(e.at) >= start - 1000);
    expect(mine.map((e) => [e.action, e.subject?.name ?? null, e.role, e.partyId, e.previous])).toEqual([
      ['revoked', 'Mai Anh', 'observer', 'vn', null],
      ['party_removed', null, null, 'eu', null],
      ['revoked', 'Ursula', 'head', 'eu', null],
      ['link_issued', 'Ursula', 'head', 'eu', null],
      ['invited', 'Ursula', 'head', 'eu', null],
      ['party_added', null, null, 'eu', null],
      ['link_issued', 'Mai Anh', 'observer', 'vn', null],
      // The global secretariat's invitation of an existing account comes with a link too.
      ['link_issued', 'Mai Anh', 'observer', 'vn', null],
      ['role_changed', 'Mai Anh', 'observer', 'vn', { role: 'drafter', partyId: 'vn' }],
      ['link_issued', 'Mai Anh', 'drafter', 'vn', null],
      ['invited', 'Mai Anh', 'drafter', 'vn', null],
    ]);
    for (const e of mine) {
      expect(e.actor).toEqual({ accountId: secretariat.id, name: secretariat.name });
      expect(Date.parse(e.at)).toBeLessThanOrEqual(Date.now());
    }
    expect(mine.map((e) => e.seq)).toEqual([...mine.map((e) => e.seq)].sort((a, b) => b - a));
  });

  it('shows a head only its own party’s entries, never the other party’s (a head asks for the other delegation’s log)', async () => {
    expect((await invite({ name: 'Paul', email: 'paul@fr.example', role: 'drafter', partyId: 'fr' })).status).toBe(201);
    expect((await invite({ name: 'Hùng', email: 'hung@vn.example', role: 'drafter', partyId: 'vn' })).status).toBe(201);
    const vn = await audit('vnHead');
    expect(vn.status).toBe(200);
    expect(vn.body).toMatchObject({ scope: 'party', partyId: 'vn' });
    const vnEntries = vn.body.entries as AuditEntry[];
    expect(vnEntries.some((e) => e.subject?.name === 'Hùng')).toBe(true);
    expect(vnEntries.every((e) => e.partyId === 'vn' || e.previous?.partyId === 'vn')).toBe(true);
    expect(vnEntries.some((e) => e.subject?.name === 'Paul')).toBe(false);
    const fr = (await audit('frHead')).body.entries as AuditEntry[];
    expect(fr.some((e) => e.subject?.name === 'Paul')).toBe(true);
    expect(fr.some((e) => e.subject?.name === 'Hùng' || e.partyId === 'vn')).toBe(false);
    // No query string widens it.
    const widened = await as('vnHead')(`/api/documents/${DOC}/audit?partyId=fr&scope=all`);
    expect((widened.body.entries as AuditEntry[]).some((e) => e.partyId === 'fr')).toBe(false);
  });

  it('refuses the log to drafters and observers (403) and to people signed out (401)', async () => {
    for (const who of ['vnDrafter', 'frDrafter', 'observer'] as const) {
      const res = await audit(who);
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe(ErrorCode.Forbidden);
    }
    expect((await api(server.url, undefined)(`/api/documents/${DOC}/audit`)).status).toBe(401);
  });

  it('logs nothing for a refused change', async () => {
    const before = (await audit('secretariat')).body.entries.length;
    expect((await as('vnHead')(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'X', email: 'x@example.org', role: 'drafter', partyId: 'vn' } })).status).toBe(403);
    expect((await invite({ name: 'Nguyễn Thu Hà', email: DEMO.secretariat, role: 'head', partyId: 'vn' })).status).toBe(409);
    expect((await invite({ name: 'X', email: 'x@example.org', role: 'head', partyId: 'nowhere' })).status).toBe(400);
    expect((await audit('secretariat')).body.entries.length).toBe(before);
  });
});
