import { io as ioClient, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readStructure, structureHash, type StructureChanges } from '../../shared/agreedStructure.ts';
import { statusOf, structureStatusOf, type ApprovalView } from '../../shared/approvals.ts';
import { deletePair, insertPair, mergeWithNext, movePair, setPairKind, splitPair } from '../../shared/model/index.ts';
import { DEMO, api, followSignInLink, signInAll } from '../helpers/auth.ts';
import { agreeEverything, agreeStructure, readMatrix } from '../helpers/agreement.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * The structure is agreed too (issue 19, point 4). After both heads agreed
 * every pair and the structure, a drafter — a legitimate member, through a
 * standard Yjs client — deletes an agreed clause, turns an operative pair
 * into preamble, moves one: each pair's words are still the agreed ones, but
 * the document is not fully agreed any more, the structure reads stale over
 * REST and in socket.io pushes, "What changed" says what changed in ¶
 * numbers and kinds, and a version cut after it cannot be signed until both
 * heads agree the new structure. The attacks: an id twice in `order` after
 * concurrent moves, an empty pair inserted, a pair hidden outside the order,
 * a split, a merge, a kind removed.
 *
 * The demo declaration: ¶1 title, ¶2 preamble-1, ¶3 preamble-2 (preamble),
 * ¶4 environment, ¶5 digital, ¶6 urbanisation, ¶7 heritage (operative),
 * ¶8 closing.
 */

const DOC = 'vn-fr-2023';
type Who = keyof typeof DEMO;

interface Follower {
  socket: Socket;
  /** The structure hashes pushed with `pairs:hashes`, in order. */
  structures: string[];
  /** The pair hashes pushed, merged in order (null: deleted). */
  hashes: Record<string, string | null>;
  /** Every `structureApproval:changed` push. */
  structureApprovals: ApprovalView[][];
}

async function follow(url: string, cookie: string): Promise<Follower> {
  const socket = ioClient(url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  const follower: Follower = { socket, structures: [], hashes: {}, structureApprovals: [] };
  socket.on('pairs:hashes', (payload: { hashes: Record<string, string | null>; structure?: string }) => {
    Object.assign(follower.hashes, payload.hashes);
    if (payload.structure !== undefined) follower.structures.push(payload.structure);
  });
  socket.on('structureApproval:changed', (payload: { approvals: ApprovalView[] }) => follower.structureApprovals.push(payload.approvals));
  const joined = await new Promise<{ ok: boolean }>((resolve) => socket.emit('document:join', { documentId: DOC }, resolve));
  expect(joined.ok).toBe(true);
  return follower;
}

/** A fresh server with the demo declaration, a drafter's and a head's Yjs client, and the French head following over socket.io. */
async function setup() {
  const server = await startTestServer();
  const cookies = await signInAll(server);
  const drafter = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
  // The French head's own client: what the head's page shows, and so the hash it agrees to.
  const headView = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.frHead });
  await Promise.all([synced(drafter.provider), synced(headView.provider)]);
  const follower = await follow(server.url, cookies.frHead);
  const as = (who: Who) => api(server.url, cookies[who]);
  const matrix = () => readMatrix(server.url, cookies.observer, DOC);
  const heads = [cookies.vnHead, cookies.frHead];
  const close = async () => {
    follower.socket.disconnect();
    drafter.provider.destroy();
    headView.provider.destroy();
    await server.close();
  };
  /** Until the server's structure is the one the drafter's doc holds now (its update stored and tracked). */
  const serverHas = async (doc: Y.Doc) => {
    const expected = structureHash(readStructure(doc));
    await waitFor(async () => (await matrix()).structure.hash === expected, 'the server to hold the new structure');
    return expected;
  };
  const changesFor = async (partyId: string) => {
    const res = await as('frHead')(`/api/documents/${DOC}/structure/approval/${partyId}/changes`);
    expect(res.status).toBe(200);
    return res.body as StructureChanges;
  };
  const cut = async (): Promise<number> => {
    const res = await as('secretariat')(`/api/documents/${DOC}/versions`, { method: 'POST', json: {} });
    expect(res.status).toBe(201);
    return res.body.version.number;
  };
  const sign = (who: Who, number: number) => as(who)(`/api/documents/${DOC}/versions/${number}/signatures`, { method: 'POST', json: {} });
  /** Both heads agree the structure their own client shows (the head's page computes the same hash). */
  const headsAgreeStructure = async () => {
    await waitFor(() => structureHash(readStructure(headView.doc)) === structureHash(readStructure(drafter.doc)), 'the head to see the change');
    const seen = structureHash(readStructure(headView.doc));
    for (const cookie of heads) expect((await agreeStructure(server.url, cookie, DOC, seen)).status).toBe(200);
    return seen;
  };
  return { server, cookies, drafter, headView, follower, as, matrix, heads, close, serverHas, changesFor, cut, sign, headsAgreeStructure };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** After full agreement; returns the structure hash agreed. */
async function fullyAgreed(s: Setup): Promise<string> {
  const agreed = await agreeEverything(s.server.url, DOC, s.heads, s.cookies.observer);
  expect(agreed.progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: true, complete: true });
  return agreed.structure.hash;
}

/** The document is not fully agreed: the structure stale for both parties, over REST and in the head's pushes. */
async function structureStale(s: Setup, newHash: string) {
  await waitFor(() => s.follower.structures.at(-1) === newHash, 'a pairs:hashes push with the new structure hash');
  const m = await s.matrix();
  expect(m.structure.hash).toBe(newHash);
  expect(structureStatusOf(m.structure, 'vn')).toBe('stale');
  expect(structureStatusOf(m.structure, 'fr')).toBe('stale');
  expect(m.progress.structureAgreed).toBe(false);
  expect(m.progress.complete).toBe(false);
  return m;
}

/** Both heads agree every pair's words as they are now, not the structure. */
async function agreePairs(s: Setup) {
  for (const cookie of s.heads) {
    for (const pair of (await s.matrix()).pairs) {
      const res = await api(s.server.url, cookie)(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
      expect(res.status).toBe(200);
    }
  }
}

/** A version cut now is refused to both heads, with the structure's own error code naming both parties. */
async function signRefused(s: Setup, number: number) {
  for (const head of ['vnHead', 'frHead'] as const) {
    const res = await s.sign(head, number);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('structure_not_agreed');
    expect(res.body.error.message).toMatch(/not yet agreed by: Partie vietnamienne \(vn\), Partie française \(fr\)/);
  }
}

/** Both heads agree the new structure: fully agreed again, the version signed off by both. */
async function agreeAgainAndSign(s: Setup, number: number) {
  const pushesBefore = s.follower.structureApprovals.length;
  const seen = await s.headsAgreeStructure();
  const m = await s.matrix();
  expect(structureStatusOf(m.structure, 'vn')).toBe('agreed');
  expect(structureStatusOf(m.structure, 'fr')).toBe('agreed');
  expect(m.structure.approvals.map((a) => a.hash)).toEqual([seen, seen]);
  await waitFor(() => s.follower.structureApprovals.length >= pushesBefore + 2, 'the structure approvals pushed');
  expect(s.follower.structureApprovals.at(-1)!.map((a) => [a.partyId, a.status, a.hash])).toEqual([
    ['fr', 'agreed', seen],
    ['vn', 'agreed', seen],
  ]);
  expect((await s.sign('vnHead', number)).status).toBe(201);
  const last = await s.sign('frHead', number);
  expect(last.status).toBe(201);
  expect(last.body.version.signedOff).toBe(true);
}

describe('the structure is agreed too: which pairs, in which order, of which kind', () => {
  let current: Setup | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const start = async () => (current = await setup());

  it('deleting an agreed clause after full agreement: not fully agreed, stale over REST and socket.io, "¶ 4 (operative) deleted", the next version refused until both heads agree again', async () => {
    const s = await start();
    await fullyAgreed(s);
    deletePair(s.drafter.doc, 'environment');
    const hash = await s.serverHas(s.drafter.doc);
    const m = await structureStale(s, hash);
    expect(s.follower.hashes).toMatchObject({ environment: null });
    // Every pair left is still agreed: only the structure is not.
    expect(m.progress).toEqual({ agreedByAll: 7, total: 7, structureAgreed: false, complete: false });

    const changes = await s.changesFor('fr');
    expect(changes.stale).toBe(true);
    expect(changes.approved.pairs).toBe(8);
    expect(changes.current).toEqual({ hash, pairs: 7 });
    expect(changes.changes).toEqual([
      { type: 'removed', id: 'environment', kind: 'operative', from: 4, text: { vi: expect.stringMatching(/^Ý thức rõ về những thay đổi môi trường/), fr: expect.stringMatching(/^Pleinement conscientes des changements/) } },
    ]);

    const number = await s.cut();
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
    expect((await s.changesFor('vn')).stale).toBe(false);

    // Signed stays signed: a later move leaves the version signed off and verified.
    movePair(s.drafter.doc, 'closing', 0);
    await structureStale(s, await s.serverHas(s.drafter.doc));
    const versions = (await s.as('observer')(`/api/documents/${DOC}/versions`)).body.versions;
    expect(versions.find((v: { number: number }) => v.number === number).signedOff).toBe(true);
    expect((await s.as('observer')(`/api/documents/${DOC}/verify`)).body.ok).toBe(true);
  });

  it('turning an operative pair into preamble after full agreement: the words stay agreed, the structure does not, "¶ 4 operative → preamble"', async () => {
    const s = await start();
    await fullyAgreed(s);
    setPairKind(s.drafter.doc, 'environment', 'preamble');
    const m = await structureStale(s, await s.serverHas(s.drafter.doc));
    const environment = m.pairs.find((p) => p.pairId === 'environment')!;
    expect(statusOf(environment.approvals.find((a) => a.partyId === 'fr'), environment.hash)).toBe('agreed');
    expect(m.progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: false, complete: false });
    expect((await s.changesFor('vn')).changes).toEqual([
      { type: 'kind', id: 'environment', before: 'operative', after: 'preamble', to: 4, text: { vi: expect.stringMatching(/^Ý thức rõ về những thay đổi môi trường/), fr: expect.stringMatching(/^Pleinement conscientes des changements/) } },
    ]);
    const number = await s.cut();
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('moving an agreed pair after full agreement: "¶ 2 moved to ¶ 5", and the pairs it passed are renumbered, not moved', async () => {
    const s = await start();
    await fullyAgreed(s);
    movePair(s.drafter.doc, 'preamble-1', 4);
    const m = await structureStale(s, await s.serverHas(s.drafter.doc));
    expect(m.pairs.map((p) => p.pairId)).toEqual(['title', 'preamble-2', 'environment', 'digital', 'preamble-1', 'urbanisation', 'heritage', 'closing']);
    expect(m.progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: false, complete: false });
    expect((await s.changesFor('fr')).changes).toEqual([
      { type: 'moved', id: 'preamble-1', kind: 'preamble', from: 2, to: 5, text: { vi: expect.any(String), fr: expect.any(String) } },
    ]);
    const number = await s.cut();
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('delete, relabel and move together, as seen in issue 19: every change named, the next version refused, then agreed and signed', async () => {
    const s = await start();
    await fullyAgreed(s);
    s.drafter.doc.transact(() => {
      deletePair(s.drafter.doc, 'digital');
      setPairKind(s.drafter.doc, 'environment', 'preamble');
      movePair(s.drafter.doc, 'heritage', 1);
    });
    await structureStale(s, await s.serverHas(s.drafter.doc));
    expect((await s.matrix()).progress).toEqual({ agreedByAll: 7, total: 7, structureAgreed: false, complete: false });
    const changes = (await s.changesFor('fr')).changes.map(({ text, ...change }) => change);
    expect(changes).toEqual([
      { type: 'removed', id: 'digital', kind: 'operative', from: 5 },
      { type: 'moved', id: 'heritage', kind: 'operative', from: 7, to: 2 },
      { type: 'kind', id: 'environment', before: 'operative', after: 'preamble', to: 5 },
    ]);
    const number = await s.cut();
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('concurrent moves leave an id twice in the order: the first occurrence is the structure agreed, and dropping it so the other shows is a move (attack)', async () => {
    const s = await start();
    await fullyAgreed(s);
    // A second drafter, offline while both move the same pair to different places.
    const other = connectProvider(s.server.wsUrl, DOC, new Y.Doc(), { cookie: s.cookies.frDrafter });
    try {
      await synced(other.provider);
      other.provider.disconnect();
      movePair(s.drafter.doc, 'closing', 0);
      movePair(other.doc, 'closing', 3);
      other.provider.connect();
      await waitFor(() => other.doc.getArray<string>('order').toArray().filter((id) => id === 'closing').length === 2, 'the two moves to merge');
      await waitFor(() => s.drafter.doc.getArray<string>('order').toArray().filter((id) => id === 'closing').length === 2, 'the drafter to see both moves');
      // Both clients, the head's and the server read one structure: the first occurrence wins.
      expect(readStructure(other.doc)).toEqual(readStructure(s.drafter.doc));
      const hash = await s.serverHas(s.drafter.doc);
      await waitFor(() => structureHash(readStructure(s.headView.doc)) === hash, 'the head to see the same structure');
      await structureStale(s, hash);
      expect(readStructure(s.drafter.doc).map((e) => e.id)).toEqual(['closing', 'title', 'preamble-1', 'preamble-2', 'environment', 'digital', 'urbanisation', 'heritage']);
      expect((await s.changesFor('fr')).changes.map(({ text, ...c }) => c)).toEqual([{ type: 'moved', id: 'closing', kind: 'closing', from: 8, to: 1 }]);
      const agreedHash = await s.headsAgreeStructure();
      expect((await s.matrix()).progress.complete).toBe(true);

      // A hostile client deletes only the first occurrence: the pair now stands where the second one is.
      const order = s.drafter.doc.getArray<string>('order');
      order.delete(order.toArray().indexOf('closing'), 1);
      const after = await s.serverHas(s.drafter.doc);
      expect(after).not.toBe(agreedHash);
      await structureStale(s, after);
      expect((await s.changesFor('vn')).changes.map(({ text, ...c }) => c)).toEqual([{ type: 'moved', id: 'closing', kind: 'closing', from: 1, to: 4 }]);
      const number = await s.cut();
      await signRefused(s, number);
    } finally {
      other.provider.destroy();
    }
  });

  it('inserting an empty pair after full agreement leaves it not fully agreed even once its (empty) text is agreed: "new ¶ 9 (operative)" (attack)', async () => {
    const s = await start();
    await fullyAgreed(s);
    const id = insertPair(s.drafter.doc, {}, 'closing');
    await structureStale(s, await s.serverHas(s.drafter.doc));
    let m = await s.matrix();
    expect(m.progress).toEqual({ agreedByAll: 8, total: 9, structureAgreed: false, complete: false });
    // The heads agree the empty pair's text: still not fully agreed, the structure is not.
    const empty = m.pairs.find((p) => p.pairId === id)!;
    for (const head of ['vnHead', 'frHead'] as const) {
      expect((await s.as(head)(`/api/documents/${DOC}/pairs/${id}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: empty.hash } })).status).toBe(200);
    }
    m = await s.matrix();
    expect(m.progress).toEqual({ agreedByAll: 9, total: 9, structureAgreed: false, complete: false });
    expect((await s.changesFor('fr')).changes).toEqual([{ type: 'added', id, kind: 'operative', to: 9, text: { vi: '', fr: '' } }]);
    const number = await s.cut();
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('a pair hidden outside the order is not part of the text; putting its id in the order is an insertion (attack)', async () => {
    const s = await start();
    const agreedHash = await fullyAgreed(s);
    const doc = s.drafter.doc;
    // The pair's content without its id in the order: no page shows it, no version holds it.
    const id = insertPair(doc, { vi: 'Điều khoản ẩn', fr: 'Clause cachée' }, 'closing');
    const order = doc.getArray<string>('order');
    order.delete(order.toArray().indexOf(id), 1);
    await waitFor(async () => (await s.matrix()).pairs.length === 8 && structureHash(readStructure(doc)) === agreedHash, 'the hidden pair to reach the server');
    expect((await s.matrix()).progress.complete).toBe(true);
    const hidden = await s.cut();
    expect((await s.as('observer')(`/api/documents/${DOC}/versions/${hidden}`)).body.version.pairs.map((p: { id: string }) => p.id)).not.toContain(id);

    order.insert(3, [id]);
    await structureStale(s, await s.serverHas(doc));
    expect((await s.changesFor('fr')).changes).toEqual([{ type: 'added', id, kind: 'operative', to: 4, text: { vi: 'Điều khoản ẩn', fr: 'Clause cachée' } }]);
    // Even with its words agreed by both, the version holding it waits for the structure.
    const shown = (await s.matrix()).pairs.find((p) => p.pairId === id)!;
    for (const cookie of s.heads) {
      expect((await api(s.server.url, cookie)(`/api/documents/${DOC}/pairs/${id}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: shown.hash } })).status).toBe(200);
    }
    await signRefused(s, await s.cut());
  });

  it('splitting an agreed pair: its words stale, the new pair pending, "new ¶ 5 (operative)" (attack)', async () => {
    const s = await start();
    await fullyAgreed(s);
    const id = splitPair(s.drafter.doc, 'environment', { vi: 20, fr: 20 });
    await structureStale(s, await s.serverHas(s.drafter.doc));
    const m = await s.matrix();
    const environment = m.pairs.find((p) => p.pairId === 'environment')!;
    expect(statusOf(environment.approvals.find((a) => a.partyId === 'vn'), environment.hash)).toBe('stale');
    expect(m.progress).toEqual({ agreedByAll: 7, total: 9, structureAgreed: false, complete: false });
    expect((await s.changesFor('fr')).changes.map(({ text, ...c }) => c)).toEqual([{ type: 'added', id, kind: 'operative', to: 5 }]);
    const number = await s.cut();
    // The words are not agreed either: the signature is refused for them first.
    expect((await s.sign('frHead', number)).body.error.code).toBe('pairs_not_agreed');
    // Once both halves' words are agreed, the structure still holds it back.
    await agreePairs(s);
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('merging two agreed pairs: the first one’s words stale, "¶ 6 (operative) deleted" (attack)', async () => {
    const s = await start();
    await fullyAgreed(s);
    mergeWithNext(s.drafter.doc, 'digital');
    await structureStale(s, await s.serverHas(s.drafter.doc));
    const m = await s.matrix();
    expect(m.progress).toEqual({ agreedByAll: 6, total: 7, structureAgreed: false, complete: false });
    expect((await s.changesFor('vn')).changes).toEqual([
      { type: 'removed', id: 'urbanisation', kind: 'operative', from: 6, text: { vi: expect.any(String), fr: expect.any(String) } },
    ]);
    // Once the merged words are agreed, only the structure holds the signature back.
    const number = await s.cut();
    await agreePairs(s);
    await signRefused(s, number);
    await agreeAgainAndSign(s, number);
  });

  it('removing a pair’s kind makes it read as operative everywhere: "¶ 2 preamble → operative" (attack)', async () => {
    const s = await start();
    await fullyAgreed(s);
    (s.drafter.doc.getMap('paragraphs').get('preamble-1') as Y.Map<unknown>).delete('kind');
    await structureStale(s, await s.serverHas(s.drafter.doc));
    expect((await s.changesFor('fr')).changes.map(({ text, ...c }) => c)).toEqual([{ type: 'kind', id: 'preamble-1', before: 'preamble', after: 'operative', to: 2 }]);
    const number = await s.cut();
    const version = (await s.as('observer')(`/api/documents/${DOC}/versions/${number}`)).body.version;
    expect(version.pairs.find((p: { id: string }) => p.id === 'preamble-1').kind).toBe('operative');
    await signRefused(s, number);
  });

  it('asks the structure of the parties a version was cut for, not of today’s: a party added since is not waited for; one it was cut for is, by name', async () => {
    const s = await start();
    await fullyAgreed(s);
    const first = await s.cut();
    const eu = { id: 'eu', name: { vi: 'Liên minh châu Âu', fr: 'Union européenne' } };
    expect((await s.as('secretariat')(`/api/documents/${DOC}/parties`, { method: 'POST', json: eu })).status).toBe(201);
    // The live document now waits for the new party's agreement to its structure…
    const m = await s.matrix();
    expect(structureStatusOf(m.structure, 'eu')).toBe('pending');
    expect(m.progress.structureAgreed).toBe(false);
    // …but the version cut before it joined needs only the structure approvals of vn and fr: it is signed off.
    expect((await s.sign('vnHead', first)).status).toBe(201);
    const last = await s.sign('frHead', first);
    expect(last.status).toBe(201);
    expect(last.body.version.signedOff).toBe(true);

    // A version cut now is cut for eu too: its head agrees every pair, not the structure, and the signature waits for it alone.
    const invited = await s.as('secretariat')(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Ursula Weber', email: 'eu-head@example.org', role: 'head', partyId: 'eu' } });
    expect(invited.status).toBe(201);
    const euHead = await followSignInLink(invited.body.signInUrl);
    for (const pair of (await s.matrix()).pairs) {
      expect((await api(s.server.url, euHead)(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } })).status).toBe(200);
    }
    const second = await s.cut();
    const refused = await s.sign('vnHead', second);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('structure_not_agreed');
    expect(refused.body.error.message).toMatch(/not yet agreed by: Union européenne \(eu\)\.$/);
    expect((await agreeStructure(s.server.url, euHead, DOC)).status).toBe(200);
    expect((await s.sign('vnHead', second)).status).toBe(201);
  });

  it('agrees only the structure the head saw, only for a head, and says why otherwise, changing nothing', async () => {
    const s = await start();
    const before = await s.matrix();
    expect(before.structure.approvals).toEqual([]);
    expect(structureStatusOf(before.structure, 'vn')).toBe('pending');
    const seen = structureHash(readStructure(s.headView.doc));
    expect(before.structure.hash).toBe(seen);
    const put = (who: Who, json: unknown) => s.as(who)(`/api/documents/${DOC}/structure/approval`, { method: 'PUT', json });

    for (const who of ['vnDrafter', 'frDrafter', 'secretariat', 'observer'] as const) expect((await put(who, { status: 'agreed', hash: seen })).status).toBe(403);
    expect((await put('frHead', { status: 'reserved', hash: seen })).status).toBe(400);
    expect((await put('frHead', { status: 'agreed', hash: seen, partyId: 'vn' })).status).toBe(400);
    expect((await put('frHead', { status: 'agreed', hash: 'x' })).status).toBe(400);

    // The structure changed while the head read it: refused, nothing stored.
    movePair(s.drafter.doc, 'closing', 0);
    await s.serverHas(s.drafter.doc);
    const stale = await put('frHead', { status: 'agreed', hash: seen });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/order or the kinds of the pairs changed/);
    expect((await s.matrix()).structure.approvals).toEqual([]);
    expect((await s.as('frHead')(`/api/documents/${DOC}/structure/approval/fr/changes`)).status).toBe(404);
    expect((await s.as('frHead')(`/api/documents/${DOC}/structure/approval`, { method: 'DELETE', headers: { origin: s.server.url } })).status).toBe(404);

    // Agreed, then withdrawn: pending again, pushed.
    expect((await agreeStructure(s.server.url, s.cookies.frHead, DOC)).status).toBe(200);
    expect(structureStatusOf((await s.matrix()).structure, 'fr')).toBe('agreed');
    const withdrawn = await s.as('frHead')(`/api/documents/${DOC}/structure/approval`, { method: 'DELETE', headers: { origin: s.server.url } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.approvals).toEqual([]);
    expect(structureStatusOf((await s.matrix()).structure, 'fr')).toBe('pending');
    await waitFor(() => s.follower.structureApprovals.at(-1)?.length === 0, 'the withdrawal pushed');
  });
});
