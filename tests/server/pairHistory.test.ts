import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { capturePair, deletePair, readPairText, restorePair, type DeletedPair } from '../../shared/model/index.ts';
import { api, signInAll } from '../helpers/auth.ts';
import { agreeEverything } from '../helpers/agreement.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Who changed what (issue 21, points 2, 8 and 15): the server notes, per pair,
 * who typed in which language and when (from the connection's account, never
 * from the update), keeps each deleted pair's content for "Recently deleted",
 * and sees a pair restored under its id through the ordinary sync path.
 */

const DOC = 'vn-fr-2023';

async function setup() {
  const server = await startTestServer();
  const cookies = await signInAll(server);
  const vn = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
  const fr = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frDrafter });
  await Promise.all([synced(vn.provider), synced(fr.provider)]);
  const as = (who: keyof typeof cookies) => api(server.url, cookies[who]);
  const history = async (pairId: string, who: keyof typeof cookies = 'observer') => {
    const res = await as(who)(`/api/documents/${DOC}/pairs/${pairId}/history`);
    expect(res.status).toBe(200);
    return res.body as {
      entries: Array<{ what: string; lang: string | null; name: string; partyId: string | null; from: string; to: string; afterApprovalOf: string[] }>;
      approvals: Array<{ partyId: string; status: string; name: string; current: boolean; editedSince: boolean }>;
    };
  };
  const deleted = async (who: keyof typeof cookies = 'vnDrafter') => {
    const res = await as(who)(`/api/documents/${DOC}/deleted-pairs`);
    expect(res.status).toBe(200);
    return res.body.pairs as Array<DeletedPair & { pairId: string; number: number; name: string; partyId: string | null }>;
  };
  /** Until the other client holds what `doc` holds for this pair (so the server stored it). */
  const relayed = (from: Y.Doc, to: Y.Doc, pairId: string) =>
    waitFor(() => JSON.stringify(readPairText(from, pairId)) === JSON.stringify(readPairText(to, pairId)), 'the edit to reach the other client');
  const close = async () => {
    vn.provider.destroy();
    fr.provider.destroy();
    await server.close();
  };
  return { server, cookies, vn, fr, as, history, deleted, relayed, close };
}

let current: Awaited<ReturnType<typeof setup>> | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('the history of a pair', () => {
  it('names who typed in which language, with their delegation and the time', async () => {
    const t = (current = await setup());
    firstXmlText(t.vn.doc, 'environment', 'vi').insert(0, 'Thêm ');
    await t.relayed(t.vn.doc, t.fr.doc, 'environment');
    firstXmlText(t.fr.doc, 'environment', 'fr').insert(0, 'Aussi ');
    await t.relayed(t.fr.doc, t.vn.doc, 'environment');

    const { entries } = await t.history('environment');
    expect(entries.map((e) => [e.what, e.lang, e.name, e.partyId])).toEqual([
      ['edit', 'vi', 'Lê Thị Lan', 'vn'],
      ['edit', 'fr', 'Julien Martin', 'fr'],
    ]);
    for (const e of entries) expect(Number.isNaN(Date.parse(e.from))).toBe(false);
    // Nothing of another pair, and no account ids.
    expect(JSON.stringify(entries)).not.toMatch(/accountId|digital/);
    expect((await t.history('digital')).entries).toEqual([]);
  });

  it('keeps typing in one cell by one person as one entry', async () => {
    const t = (current = await setup());
    for (const word of ['a', 'b', 'c']) {
      firstXmlText(t.vn.doc, 'digital', 'vi').insert(0, word);
      await t.relayed(t.vn.doc, t.fr.doc, 'digital');
    }
    expect((await t.history('digital')).entries).toHaveLength(1);
  });

  it('is refused without a session, for a document that does not exist, and for a malformed pair id', async () => {
    const t = (current = await setup());
    expect((await api(t.server.url, undefined)(`/api/documents/${DOC}/pairs/environment/history`)).status).toBe(401);
    const malformed = await t.as('observer')(`/api/documents/${DOC}/pairs/${'x'.repeat(80)}/history`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_input');
    expect((await t.as('observer')(`/api/documents/no-such-doc/pairs/environment/history`)).status).toBe(404);
  });

  it('"What changed" names who edited the pair since the approval', async () => {
    const t = (current = await setup());
    await agreeEverything(t.server.url, DOC, [t.cookies.vnHead, t.cookies.frHead], t.cookies.observer);
    firstXmlText(t.fr.doc, 'heritage', 'fr').insert(0, 'Nouveau : ');
    await t.relayed(t.fr.doc, t.vn.doc, 'heritage');
    const res = await t.as('vnHead')(`/api/documents/${DOC}/pairs/heritage/approval/vn/changes`);
    expect(res.status).toBe(200);
    expect(res.body.stale).toBe(true);
    expect(res.body.editors).toEqual([{ name: 'Julien Martin', partyId: 'fr' }]);
  });

  it('keeps the trace of a change made after an agreement and then undone', async () => {
    const t = (current = await setup());
    await agreeEverything(t.server.url, DOC, [t.cookies.vnHead, t.cookies.frHead], t.cookies.observer);
    const text = firstXmlText(t.vn.doc, 'urbanisation', 'vi');
    text.insert(0, 'XYZ');
    await t.relayed(t.vn.doc, t.fr.doc, 'urbanisation');
    text.delete(0, 3);
    await t.relayed(t.vn.doc, t.fr.doc, 'urbanisation');

    const { entries, approvals } = await t.history('urbanisation');
    // The text is the agreed one again, and the history says it was changed after both agreed.
    expect(approvals.map((a) => [a.partyId, a.status, a.current, a.editedSince]).sort()).toEqual([
      ['fr', 'agreed', true, true],
      ['vn', 'agreed', true, true],
    ]);
    expect(entries.at(-1)).toMatchObject({ what: 'edit', lang: 'vi', name: 'Lê Thị Lan' });
    expect(entries.at(-1)!.afterApprovalOf.sort()).toEqual(['fr', 'vn']);
  });
});

describe('recently deleted', () => {
  it('keeps a deleted pair with its text and place, and restoring it under its id through sync takes it off the list', async () => {
    const t = (current = await setup());
    const before = readPairText(t.vn.doc, 'digital');
    deletePair(t.vn.doc, 'digital');
    await waitFor(() => readPairText(t.fr.doc, 'digital') === undefined, 'the deletion to reach the other client');

    const list = await t.deleted();
    expect(list).toHaveLength(1);
    const [gone] = list;
    expect(gone).toMatchObject({ pairId: 'digital', kind: 'operative', afterId: 'environment', number: 5, name: 'Lê Thị Lan', partyId: 'vn' });
    expect(gone!.vi.flat().map((r) => r.text).join('')).toBe(before!.vi);
    expect(gone!.fr.flat().map((r) => r.text).join('')).toBe(before!.fr);

    // The French drafter restores it from the list: an ordinary Yjs edit, which the structure gate accepts.
    expect(restorePair(t.fr.doc, { id: gone!.pairId, kind: gone!.kind, vi: gone!.vi, fr: gone!.fr, afterId: gone!.afterId, index: gone!.number - 1 })).toBe(true);
    await waitFor(() => JSON.stringify(readPairText(t.vn.doc, 'digital')) === JSON.stringify(before), 'the restored pair to reach the other client');
    expect(t.fr.provider.wsconnected).toBe(true);
    expect(capturePair(t.vn.doc, 'digital')).toMatchObject({ afterId: 'environment', index: 4 });
    expect(await t.deleted()).toEqual([]);
    const { entries } = await t.history('digital');
    expect(entries.map((e) => [e.what, e.name])).toEqual([
      ['deleted', 'Lê Thị Lan'],
      ['restored', 'Julien Martin'],
    ]);
  });

  it('does not list an empty pair deleted', async () => {
    const t = (current = await setup());
    const id = (await import('../../shared/model/index.ts')).insertPair(t.vn.doc, {}, 'closing');
    await waitFor(() => readPairText(t.fr.doc, id) !== undefined, 'the new pair to reach the other client');
    deletePair(t.vn.doc, id);
    await waitFor(() => readPairText(t.fr.doc, id) === undefined, 'the deletion to reach the other client');
    expect(await t.deleted()).toEqual([]);
  });

  it('is for those who may edit the text: observers are refused', async () => {
    const t = (current = await setup());
    const res = await t.as('observer')(`/api/documents/${DOC}/deleted-pairs`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBeTruthy();
    expect((await api(t.server.url, undefined)(`/api/documents/${DOC}/deleted-pairs`)).status).toBe(401);
  });
});
