import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { statusOf, type PairApprovals } from '../../shared/approvals.ts';
import { readAllPairContents } from '../../shared/canonicalText.ts';
import { limits } from '../../shared/limits.ts';
import { deletePair, insertPair, movePair, readOrder } from '../../shared/model/index.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { inviteMember, OPERATOR, signInUrl } from '../../server/commands/members.ts';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { DEMO, api, followSignInLink, signInAll } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Versions with a name, a note and who cut them (metadata: the hash, seal and
 * signatures are unchanged); a cut with nothing new refused unless confirmed;
 * and the secretariat's restore of a version's text into the live draft,
 * as a new edit through the room.
 */

const DOC = 'vn-fr-2023';

describe('version names and notes, duplicates, and restoring a version', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let outsider: string;
  let drafter: ReturnType<typeof connectProvider>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    const { token } = await inviteMember(
      server.store,
      { documentId: HANOI_TOULOUSE_ID, name: 'Pierre Toulousain', email: 'pierre@toulouse.example', role: 'drafter', partyId: 'toulouse' },
      OPERATOR,
    );
    outsider = await followSignInLink(signInUrl(server.url, token!));
    drafter = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    await synced(drafter.provider);
  });
  afterAll(async () => {
    drafter.provider.destroy();
    await server.close();
  });

  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const cut = (json: unknown) => as('secretariat')(`/api/documents/${DOC}/versions`, { method: 'POST', json });
  const list = async (): Promise<VersionSummary[]> => (await as('observer')(`/api/documents/${DOC}/versions`)).body.versions;
  const updateRows = (): number => {
    const db = new Database(path.join(server.dataDir, DATABASE_FILE), { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE document_id = ?').get(DOC) as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('refuses a bad name or note with invalid_input and cuts nothing', async () => {
    const bad = [
      { name: '   ' },
      { name: 'x'.repeat(limits.maxVersionNameLength + 1) },
      { name: 'Bản\u0007 thảo' },
      { name: 'ok', note: 'n'.repeat(limits.maxVersionNoteLength + 1) },
      { name: 42 },
      { name: 'ok', color: 'red' },
    ];
    for (const body of bad) {
      const res = await cut(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(ErrorCode.InvalidInput);
    }
    expect(await list()).toEqual([]);
  });

  it('keeps a version\'s name and note and who cut it, outside what is hashed and signed', async () => {
    const res = await cut({ name: '  Bản thảo vòng 1 — Version de travail  ', note: 'Sau phiên họp sáng.\nAprès la séance du matin.' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.version).toMatchObject({
      number: 1,
      name: 'Bản thảo vòng 1 — Version de travail',
      note: 'Sau phiên họp sáng.\nAprès la séance du matin.',
      cutBy: { name: expect.any(String), party: null },
    });
    const [v1] = await list();
    expect(v1!.cutBy!.name.length).toBeGreaterThan(0);
    // The version's content (what its hash covers) holds neither.
    const content = (await as('observer')(`/api/documents/${DOC}/versions/1`)).body.version;
    expect(JSON.stringify(content)).not.toContain('Bản thảo vòng 1');
    expect(JSON.stringify(content)).not.toContain('Après la séance');
    const report = (await as('observer')(`/api/documents/${DOC}/verify`)).body;
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it('refuses a cut with no change since the last version unless the request confirms it', async () => {
    const again = await cut({ name: 'Lại' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe(ErrorCode.VersionUnchanged);
    expect(await list()).toHaveLength(1);
    const copy = await cut({ name: 'Copie voulue', allowDuplicate: true });
    expect(copy.status).toBe(201);
    expect(copy.body.version).toMatchObject({ number: 2, name: 'Copie voulue', note: null });
    expect(copy.body.version.hash).not.toBe((await list())[0]!.hash);
  });

  it('lets only the secretariat restore a version\'s text', async () => {
    const restore = (cookie: string) => api(server.url, cookie)(`/api/documents/${DOC}/versions/1/restore`, { method: 'POST', json: {} });
    const rows = updateRows();
    for (const who of ['vnDrafter', 'vnHead', 'frHead', 'observer'] as const) {
      const res = await restore(cookies[who]);
      expect(res.status, who).toBe(403);
      expect(res.body.error.code).toBe(ErrorCode.Forbidden);
    }
    const foreign = await restore(outsider);
    expect(foreign.status).toBe(403);
    expect((await api(server.url, undefined)(`/api/documents/${DOC}/versions/1/restore`, { method: 'POST', json: {} })).status).toBe(401);
    expect((await as('secretariat')(`/api/documents/${DOC}/versions/99/restore`, { method: 'POST', json: {} })).status).toBe(404);
    expect((await as('secretariat')(`/api/documents/${DOC}/versions/1/restore`, { method: 'POST', json: { pairs: [] } })).status).toBe(400);
    expect(updateRows()).toBe(rows);
  });

  it('restores a version\'s text into the live draft as a new edit: stored, sent to every page, approvals stale', async () => {
    const v1 = (await as('observer')(`/api/documents/${DOC}/versions/1`)).body.version;
    const matrix = async () => (await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs as PairApprovals[];
    const pairOf = async (id: string) => (await matrix()).find((p) => p.pairId === id)!;
    const frStatus = async (id: string) => {
      const pair = await pairOf(id);
      return statusOf(pair.approvals.find((a) => a.partyId === 'fr'), pair.hash);
    };
    // The draft moves on from version 1: an edit, a pair added, one deleted, one moved.
    const doc = drafter.doc;
    const order = readOrder(doc);
    const v1Hash = (await pairOf('environment')).hash;
    doc.transact(() => {
      firstXmlText(doc, 'environment', 'vi').insert(0, 'Thêm. ');
      insertPair(doc, { vi: 'Đoạn mới', fr: 'Nouveau paragraphe' }, order[0]);
      deletePair(doc, order[2]!);
      movePair(doc, order.at(-1)!, 1);
    });
    await waitFor(async () => (await pairOf('environment')).hash !== v1Hash, 'the edit reaches the server');
    // The French head agrees the edited text.
    const agreed = await as('frHead')(`/api/documents/${DOC}/pairs/environment/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: (await pairOf('environment')).hash } });
    expect(agreed.status).toBe(200);
    expect(await frStatus('environment')).toBe('agreed');

    const rows = updateRows();
    const res = await as('secretariat')(`/api/documents/${DOC}/versions/1/restore`, { method: 'POST', json: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.restored).toEqual({ changed: 1, added: 1, removed: 1, reordered: true });
    // Recorded in the update log like any edit.
    expect(updateRows()).toBeGreaterThan(rows);
    // The draft is version 1's text again, as the server and the drafter's page hold it.
    const diff = (await as('observer')(`/api/documents/${DOC}/diff?from=1&to=draft`)).body.changes as Array<{ status: string; moved?: boolean }>;
    expect(diff.filter((c) => c.status !== 'unchanged' || c.moved)).toEqual([]);
    await waitFor(() => JSON.stringify(readAllPairContents(doc)) === JSON.stringify(v1.pairs), 'the restore reaches a connected page');
    // The approval of the edited text went stale, as after any edit.
    expect((await pairOf('environment')).hash).toBe(v1Hash);
    expect(await frStatus('environment')).toBe('stale');
    // The versions themselves are untouched.
    expect((await list()).map((v) => v.number)).toEqual([1, 2]);
    expect((await as('observer')(`/api/documents/${DOC}/verify`)).body.ok).toBe(true);
  });
});
