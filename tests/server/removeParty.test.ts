import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import { CloseCode, ErrorCode } from '../../shared/protocol.ts';
import { accord, agreeEverything, agreeStructure, cutVersion, signVersion } from '../helpers/agreement.ts';
import { DEMO, api, followSignInLink, signInAll } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';
import { databaseRows } from '../helpers/state.ts';

/**
 * Removing a party (delegation): only the declaration's secretariat, only a
 * party nothing of the agreement refers to (no signature, approval of a pair
 * or of the structure, or internal comment); its members go with it, at once. Every refusal has a code and
 * changes nothing.
 */

const DOC = 'vn-fr-2023';

describe('removing a party', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const addParty = async (id: string) =>
    expect((await as('secretariat')(`/api/documents/${DOC}/parties`, { method: 'POST', json: { id, name: { vi: `Đoàn ${id}`, fr: `Délégation ${id}` } } })).status).toBe(201);
  const invite = async (partyId: string, role: string, email: string): Promise<{ cookie: string; accountId: string }> => {
    const res = await as('secretariat')(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: `Người ${email}`, email, role, partyId } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { cookie: await followSignInLink(res.body.signInUrl), accountId: res.body.member.accountId };
  };
  const partyIds = async () => (await as('observer')(`/api/documents/${DOC}`)).body.document.parties.map((p: { id: string }) => p.id);

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('removes a party nothing refers to, with its members, whose open connections are closed at once', async () => {
    await addParty('eu');
    const head = await invite('eu', 'head', 'eu-head@example.org');
    const drafter = await invite('eu', 'drafter', 'eu-drafter@example.org');
    const sync = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter.cookie });
    await sync.opened;

    const removed = await as('secretariat')(`/api/documents/${DOC}/parties/eu`, { method: 'DELETE' });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.document.parties.map((p: { id: string }) => p.id)).toEqual(['vn', 'fr']);
    expect(removed.body.revokedAccountIds.sort()).toEqual([head.accountId, drafter.accountId].sort());
    expect((await sync.closed).code).toBe(CloseCode.Forbidden);
    expect((await api(server.url, head.cookie)(`/api/documents/${DOC}`)).status).toBe(403);
    expect((await as('secretariat')(`/api/documents/${DOC}/members`)).body.members.map((m: { accountId: string }) => m.accountId)).not.toContain(head.accountId);
    // Its id may be used again: a new party, nothing of the old one.
    await addParty('eu');
    expect(await partyIds()).toEqual(['vn', 'fr', 'eu']);
    expect((await as('secretariat')(`/api/documents/${DOC}/parties/eu`, { method: 'DELETE' })).status).toBe(200);
  });

  it('refuses to remove a party that approved a pair or the structure, signed or wrote internal comments, or that does not exist — 409/404 with a code, nothing changed', async () => {
    // Signed: everything agreed, version 1 signed by both, then the French head withdraws every approval.
    await agreeEverything(server.url, DOC, [cookies.vnHead, cookies.frHead], cookies.observer);
    await cutVersion(as('secretariat'), DOC);
    await signVersion(as('vnHead'), DOC, 1);
    await signVersion(as('frHead'), DOC, 1);
    for (const p of (await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs) {
      expect((await as('frHead')(`/api/documents/${DOC}/pairs/${p.pairId}/approval`, { method: 'DELETE' })).status).toBe(200);
    }
    // Approved: the head of a new party agrees one pair.
    await addParty('un');
    const unHead = await invite('un', 'head', 'un-head@example.org');
    const pair = (await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs.find((p: { pairId: string }) => p.pairId === 'digital');
    expect((await api(server.url, unHead.cookie)(`/api/documents/${DOC}/pairs/digital/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } })).status).toBe(200);
    // Internal comments: a drafter of a new party writes one for her delegation only.
    await addParty('asean');
    const drafter = await invite('asean', 'drafter', 'asean@example.org');
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter.cookie });
    await synced(client.provider);
    const text = firstXmlText(client.doc, 'closing', 'fr');
    const thread = await api(server.url, drafter.cookie)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'closing', lang: 'fr', anchor: anchorOfRange(text, 0, 8), quote: text.toString().slice(0, 8), visibility: 'internal', body: 'Entre nous.' },
    });
    client.provider.destroy();
    expect(thread.status).toBe(201);
    // Agreed the structure only (which pairs, in which order, of which kind): the head of another new party.
    await addParty('au');
    const auHead = await invite('au', 'head', 'au-head@example.org');
    expect((await agreeStructure(server.url, auHead.cookie, DOC)).status).toBe(200);

    const before = databaseRows(server.dataDir);
    const cases: Array<[string, number, string, RegExp]> = [
      ['un', 409, ErrorCode.PartyHasApprovals, /has approved or reserved paragraphs/],
      ['au', 409, ErrorCode.PartyHasStructureApproval, /has agreed the order and kinds of the paragraphs of "vn-fr-2023": its head must withdraw that agreement/],
      ['fr', 409, ErrorCode.PartyHasSignatures, /has signed a version/],
      ['vn', 409, ErrorCode.PartyHasSignatures, /has signed a version/],
      ['asean', 409, ErrorCode.PartyHasInternalComments, /internal comment threads/],
      ['nobody', 404, ErrorCode.PartyNotFound, /has no party "nobody"/],
    ];
    for (const [partyId, status, code, message] of cases) {
      const res = await as('secretariat')(`/api/documents/${DOC}/parties/${partyId}`, { method: 'DELETE' });
      expect(res.status, partyId).toBe(status);
      expect(res.body.error.code, partyId).toBe(code);
      expect(res.body.error.message, partyId).toMatch(message);
    }
    expect((await as('secretariat')(`/api/documents/${DOC}/parties/${encodeURIComponent('bad id')}`, { method: 'DELETE' })).status).toBe(400);
    expect(databaseRows(server.dataDir)).toEqual(before);

    // Its head withdraws the agreement to the structure: nothing refers to the party any more, it goes.
    expect((await api(server.url, auHead.cookie)(`/api/documents/${DOC}/structure/approval`, { method: 'DELETE' })).status).toBe(200);
    expect((await as('secretariat')(`/api/documents/${DOC}/parties/au`, { method: 'DELETE' })).status).toBe(200);
    expect(await partyIds()).toEqual(['vn', 'fr', 'un', 'asean']);
  });

  it('lets nobody but the declaration’s own secretariat remove a party: heads, drafters, observers, another declaration’s secretariat, a cross-site page (attack)', async () => {
    await addParty('target');
    const otherSecretariat = await api(server.url, cookies.secretariat)(`/api/documents/${HANOI_TOULOUSE_ID}/members`, {
      method: 'POST',
      json: { name: 'Thư ký Hà Nội', email: 'hn-secretariat@example.org', role: 'secretariat', partyId: null },
    });
    const outsider = await followSignInLink(otherSecretariat.body.signInUrl);
    const before = databaseRows(server.dataDir);
    const attempts: Array<[string, string | undefined, number, Record<string, string>]> = [
      ['head', cookies.vnHead, 403, {}],
      ['drafter', cookies.frDrafter, 403, {}],
      ['observer', cookies.observer, 403, {}],
      ['secretariat of another declaration', outsider, 403, {}],
      ['nobody signed in', undefined, 401, {}],
      ['a cross-site page with the secretariat’s cookie', cookies.secretariat, 403, { origin: 'https://evil.example' }],
    ];
    for (const [who, cookie, status, headers] of attempts) {
      const res = await api(server.url, cookie)(`/api/documents/${DOC}/parties/target`, { method: 'DELETE', headers });
      expect(res.status, who).toBe(status);
      expect([ErrorCode.Forbidden, ErrorCode.Unauthorized], who).toContain(res.body.error.code);
    }
    expect(databaseRows(server.dataDir)).toEqual(before);
    expect(await partyIds()).toContain('target');
  });

  it('on the command line, asks before removing a party (anything but yes keeps it); --yes skips the question; refusals exit 2', async () => {
    await addParty('cli1');
    await addParty('cli2');
    await invite('cli1', 'observer', 'cli-observer@example.org');
    const env = { DATA_DIR: server.dataDir };
    const args = (party: string) => ['remove-party', '--document', DOC, '--party', party];

    for (const input of ['', 'no\n']) {
      const kept = await accord(env, args('cli1'), input);
      expect(kept.code, JSON.stringify(input)).toBe(1);
      expect(kept.stdout).toBe('Nothing removed.\n');
      expect(kept.stderr).toContain('Remove party cli1 (Đoàn cli1 / Délégation cli1) from vn-fr-2023? Its members lose access: Người cli-observer@example.org (observer).');
    }
    expect(await partyIds()).toContain('cli1');
    const asked = await accord(env, args('cli1'), 'yes\n');
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^Removed party cli1 and its 1 member\(s\) \(\S+\) from vn-fr-2023; parties now: vn, fr, un, asean, target, cli2\.\n$/);
    const scripted = await accord(env, [...args('cli2'), '--yes'], '');
    expect(scripted).toMatchObject({ code: 0, stderr: '' });
    expect(await partyIds()).not.toContain('cli2');

    const refused = await accord(env, [...args('un'), '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Party "un" has approved or reserved paragraphs of "vn-fr-2023"');
    const unknown = await accord(env, [...args('ghost'), '--yes']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no party "ghost"');
    expect(await partyIds()).toEqual(['vn', 'fr', 'un', 'asean', 'target']);
  });
});
