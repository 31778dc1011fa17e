import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { statusOf, type PairApprovals, type Progress } from '../../shared/approvals.ts';
import { cellText, plainCell, readPairContent } from '../../shared/canonicalText.ts';
import { pairHash } from '../../shared/hash.ts';
import { readPairText } from '../../shared/model/index.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { agreeStructure } from '../helpers/agreement.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';


describe('approvals bound to the text, versions, signatures', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let drafter: ReturnType<typeof connectProvider>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    drafter = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    await synced(drafter.provider);
  });
  afterAll(async () => {
    drafter.provider.destroy();
    await server.close();
  });

  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const matrix = async () => (await as('observer')(`/api/documents/${DOC}/approvals`)).body as { pairs: PairApprovals[]; progress: Progress };
  const hashOf = async (pairId: string) => (await matrix()).pairs.find((p) => p.pairId === pairId)!.hash;
  const approve = async (who: keyof typeof DEMO, pairId: string, status = 'agreed', reason: string | null = null, hash?: string) =>
    as(who)(`/api/documents/${DOC}/pairs/${pairId}/approval`, { method: 'PUT', json: { status, reason, hash: hash ?? (await hashOf(pairId)) } });

  it('binds an approval to the hash of both languages; any edit by any client makes it stale live, NFD re-typing does not', async () => {
    const text = readPairContent(drafter.doc, 'environment')!;
    expect(await hashOf('environment')).toBe(pairHash(text));
    const res = await approve('frHead', 'environment');
    expect(res.status).toBe(200);
    expect(res.body.approvals).toEqual([expect.objectContaining({ partyId: 'fr', status: 'agreed', byName: 'Claire Dubois', hash: pairHash(text) })]);

    const head = ioClient(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies.frHead } });
    const pushed: Array<Record<string, string | null>> = [];
    head.on('pairs:hashes', ({ hashes }) => pushed.push(hashes));
    await new Promise((resolve) => head.emit('document:join', { documentId: DOC }, resolve));

    // Re-typing a word in NFD (same text identity), as one edit: not a change.
    const t = firstXmlText(drafter.doc, 'environment', 'vi');
    const at = t.toString().indexOf('môi trường');
    drafter.doc.transact(() => {
      t.delete(at, 'môi trường'.length);
      t.insert(at, 'môi trường'.normalize('NFD'));
    });
    // Relayed once the server has applied and stored it (the REST text is NFC, so it cannot tell).
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.observer });
    await synced(witness.provider);
    await waitFor(() => firstXmlText(witness.doc, 'environment', 'vi').toString().includes('môi trường'.normalize('NFD')), 'the NFD text relayed');
    witness.provider.destroy();
    expect(await hashOf('environment')).toBe(pairHash(text));

    // A real edit in Vietnamese through a standard y-websocket client: stale, pushed.
    // It comes after the NFD edit on the same connection, so its push is the
    // first only if the NFD edit pushed nothing, however late.
    t.insert(t.toString().indexOf('hiệu quả') + 'hiệu quả'.length, ' và bền vững');
    await waitFor(() => pushed.length > 0, 'a pairs:hashes push', 2000);
    const current = await hashOf('environment');
    expect(pushed).toEqual([{ environment: current }]);
    expect(current).not.toBe(pairHash(text));
    const approval = (await matrix()).pairs.find((p) => p.pairId === 'environment')!.approvals[0]!;
    expect(approval.hash).not.toBe(current); // stale

    // What changed since the French head approved: exactly the added words.
    const changes = (await as('frHead')(`/api/documents/${DOC}/pairs/environment/approval/fr/changes`)).body;
    expect(changes.stale).toBe(true);
    const changed = changes.vi.filter((p: { kind: string }) => p.kind !== 'same');
    expect(changed.map((p: { kind: string }) => p.kind)).toEqual(['added']);
    expect(changed[0].text.trim().split(/\s+/).sort()).toEqual(['bền', 'và', 'vững']);
    expect(changes.fr.every((p: { kind: string }) => p.kind === 'same')).toBe(true);

    // An edit in French too.
    firstXmlText(drafter.doc, 'environment', 'fr').insert(0, 'Ainsi, ');
    await waitFor(() => pushed.length > 1, 'a second push', 2000);
    head.disconnect();
  });

  it('bolding a word is a change of the agreed text: an agreed pair turns stale on every screen, the changes name that word, un-bolding it agrees it again', async () => {
    const pairId = 'urbanisation';
    const plainHash = pairHash(readPairContent(drafter.doc, pairId)!);
    expect(await hashOf(pairId)).toBe(plainHash);
    expect((await approve('vnHead', pairId)).status).toBe(200);

    const head = ioClient(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies.vnHead } });
    const pushed: Array<string | null> = [];
    head.on('pairs:hashes', ({ hashes }: { hashes: Record<string, string | null> }) => {
      if (pairId in hashes) pushed.push(hashes[pairId]!);
    });
    await new Promise((resolve) => head.emit('document:join', { documentId: DOC }, resolve));
    try {
      // The drafter bolds one word, as the editor does (a mark on the text, the characters unchanged).
      const text = firstXmlText(drafter.doc, pairId, 'fr');
      const word = 'durable';
      const at = text.toString().indexOf(word);
      expect(at).toBeGreaterThan(0);
      const before = text.toString();
      text.format(at, word.length, { strong: {} });
      expect(readPairText(drafter.doc, pairId)!.fr).toBe(before); // the plain text identity is the same
      const bolded = pairHash(readPairContent(drafter.doc, pairId)!);
      expect(bolded).not.toBe(plainHash);

      // Pushed over socket.io, and the REST matrix reads it stale.
      await waitFor(() => pushed.at(-1) === bolded, 'a pairs:hashes push with the bold text’s hash', 3000);
      const row = (await matrix()).pairs.find((p) => p.pairId === pairId)!;
      expect(row.hash).toBe(bolded);
      expect(statusOf(row.approvals.find((a) => a.partyId === 'vn'), row.hash)).toBe('stale');

      // What changed: that word, its formatting, nothing added or removed.
      const changes = (await as('vnHead')(`/api/documents/${DOC}/pairs/${pairId}/approval/vn/changes`)).body;
      expect(changes.stale).toBe(true);
      expect(changes.vi.every((p: { kind: string }) => p.kind === 'same')).toBe(true);
      expect(changes.fr.filter((p: { kind: string }) => p.kind !== 'same')).toEqual([
        { kind: 'formatted', text: word, runs: [{ text: word, marks: ['strong'] }], before: [{ text: word }] },
      ]);

      // Taking the bold off gives back the text that was agreed: agreed again, everywhere.
      text.format(at, word.length, { strong: null });
      await waitFor(() => pushed.at(-1) === plainHash, 'a push with the plain hash again', 3000);
      const again = (await matrix()).pairs.find((p) => p.pairId === pairId)!;
      expect(statusOf(again.approvals.find((a) => a.partyId === 'vn'), again.hash)).toBe('agreed');
    } finally {
      head.disconnect();
    }
  });

  it('a burst of typing reaches followers as a few pushes with the latest hashes, and an approval after the hashes it was given against', async () => {
    const follower = ioClient(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie: cookies.vnHead } });
    const seen: Array<{ event: 'hashes' | 'approval'; hash: string | null | undefined }> = [];
    follower.on('pairs:hashes', ({ hashes }: { hashes: Record<string, string | null> }) => {
      if ('heritage' in hashes) seen.push({ event: 'hashes', hash: hashes.heritage });
    });
    follower.on('approval:changed', ({ pairId, approvals }: { pairId: string; approvals: Array<{ partyId: string; hash: string }> }) => {
      if (pairId === 'heritage') seen.push({ event: 'approval', hash: approvals.find((a) => a.partyId === 'fr')?.hash });
    });
    await new Promise((resolve) => follower.emit('document:join', { documentId: DOC }, resolve));
    try {
      // 30 characters in ~0.6 s, each its own update: one push per 200 ms at most, not one per character.
      const t = firstXmlText(drafter.doc, 'heritage', 'fr');
      for (let i = 0; i < 30; i++) {
        t.insert(t.length, 'x');
        await new Promise((r) => setTimeout(r, 20));
      }
      const typed = pairHash(readPairContent(drafter.doc, 'heritage')!);
      await waitFor(() => seen.at(-1)?.hash === typed, 'a push with the hash of all 30 characters', 3000);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen.length).toBeLessThanOrEqual(6);

      // One more character, approved at once: the follower gets its hash before the approval that quotes it.
      t.insert(t.length, '.');
      const last = pairHash(readPairContent(drafter.doc, 'heritage')!);
      await waitFor(async () => (await hashOf('heritage')) === last, 'the server to have the last character', 3000);
      expect((await approve('frHead', 'heritage')).status).toBe(200);
      await waitFor(() => seen.some((s) => s.event === 'approval'), 'the approval push', 3000);
      const approvalAt = seen.findIndex((s) => s.event === 'approval');
      expect(seen[approvalAt]!.hash).toBe(last);
      expect(seen.slice(0, approvalAt).filter((s) => s.event === 'hashes').at(-1)?.hash).toBe(last);
    } finally {
      follower.disconnect();
    }
  });

  it('lets only a party’s head approve, needs a reason to reserve, and refuses an approval of text that changed meanwhile', async () => {
    expect((await approve('frDrafter', 'digital')).status).toBe(403);
    expect((await approve('secretariat', 'digital')).status).toBe(403);
    const noReason = await approve('vnHead', 'digital', 'reserved', null);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/reason/);
    const old = await approve('vnHead', 'digital', 'agreed', null, pairHash({ vi: plainCell('x'), fr: plainCell('y') }));
    expect(old.status).toBe(409);
    expect(old.body.error.message).toMatch(/changed while you were reading/);
    const reserved = await approve('vnHead', 'digital', 'reserved', 'Chờ ý kiến Bộ Ngoại giao');
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
    expect(reserved.body.approvals[0]).toMatchObject({ partyId: 'vn', status: 'reserved', reason: 'Chờ ý kiến Bộ Ngoại giao' });
    expect((await approve('vnHead', 'nope', 'agreed', null, pairHash({ vi: plainCell(''), fr: plainCell('') }))).status).toBe(404);
  });

  it('cuts chained versions, lets heads sign only when every pair is agreed by every party, and freezes the signed-off version', async () => {
    const cut = async () => as('secretariat')(`/api/documents/${DOC}/versions`, { method: 'POST', json: { allowDuplicate: true } });
    expect((await as('vnHead')(`/api/documents/${DOC}/versions`, { method: 'POST', json: {} })).status).toBe(403);
    const v1 = await cut();
    expect(v1.status).toBe(201);
    expect(v1.body.version).toMatchObject({ number: 1, prevHash: null, pairCount: 8, signedOff: false });

    const early = await as('vnHead')(`/api/documents/${DOC}/versions/1/signatures`, { method: 'POST', json: {} });
    expect(early.status).toBe(409);
    // Pairs named by ¶ number and first words, never by their ids.
    expect(early.body.error.message).toMatch(/not yet agreed: ¶ 1 “[^”]+” \(Partie vietnamienne, Partie française\)/u);
    expect(early.body.error.message).not.toMatch(/\b(title|preamble-1|environment|heritage)\b/u);

    for (const pair of (await matrix()).pairs) {
      for (const head of ['vnHead', 'frHead'] as const) expect((await approve(head, pair.pairId)).status).toBe(200);
    }
    // Every pair agreed, the structure not yet: not fully agreed, and no signature.
    expect((await matrix()).progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: false, complete: false });
    const v1Refused = await as('vnHead')(`/api/documents/${DOC}/versions/1/signatures`, { method: 'POST', json: {} });
    expect(v1Refused.status).toBe(409);
    expect(v1Refused.body.error.code).toBe('structure_not_agreed');
    for (const head of ['vnHead', 'frHead'] as const) expect((await agreeStructure(server.url, cookies[head], DOC)).status).toBe(200);
    expect((await matrix()).progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: true, complete: true });

    // Version 1 was cut before the edits of the first test were agreed? It holds the same text: cut v2 now.
    const v2 = await cut();
    expect(v2.body.version).toMatchObject({ number: 2, prevHash: v1.body.version.hash });
    expect((await as('vnDrafter')(`/api/documents/${DOC}/versions/2/signatures`, { method: 'POST', json: {} })).status).toBe(403);
    const vnSig = await as('vnHead')(`/api/documents/${DOC}/versions/2/signatures`, { method: 'POST', json: {} });
    expect(vnSig.status).toBe(201);
    expect(vnSig.body.version.signedOff).toBe(false);
    const frSig = await as('frHead')(`/api/documents/${DOC}/versions/2/signatures`, { method: 'POST', json: {} });
    expect(frSig.body.version).toMatchObject({ signedOff: true, signatures: [{ partyId: 'vn', byName: 'Trần Minh Đức' }, { partyId: 'fr', byName: 'Claire Dubois' }] });

    // Immutable: no second signature, and the version's text is what it was.
    expect((await as('frHead')(`/api/documents/${DOC}/versions/2/signatures`, { method: 'POST', json: {} })).status).toBe(409);
    const frozen = (await as('observer')(`/api/documents/${DOC}/versions/2`)).body.version;
    firstXmlText(drafter.doc, 'closing', 'vi').insert(0, 'SAU KHI KÝ ');
    // Waited for in the server's stored draft, not the editing client's own copy: the edit is in, so a version it would change shows it.
    await waitFor(async () => (await as('observer')(`/api/documents/${DOC}/pairs/closing`)).body.pair.vi.startsWith('SAU'), 'the edit in the stored draft');
    expect((await as('observer')(`/api/documents/${DOC}/versions/2`)).body.version).toEqual(frozen);
    expect(cellText(frozen.pairs.find((p: { id: string }) => p.id === 'closing').vi)).not.toMatch(/^SAU/);

    // The diff between the signed version and the draft shows that edit, word by word.
    const diff = (await as('observer')(`/api/documents/${DOC}/diff?from=2&to=draft`)).body;
    const closing = diff.changes.find((c: { id: string }) => c.id === 'closing');
    expect(closing.status).toBe('changed');
    expect(closing.vi.filter((p: { kind: string }) => p.kind === 'added')).toEqual([{ kind: 'added', text: 'SAU KHI KÝ ' }]);
    expect(diff.changes.filter((c: { status: string }) => c.status === 'changed')).toHaveLength(1);

    const report = (await as('observer')(`/api/documents/${DOC}/verify`)).body;
    expect(report.ok).toBe(true);
    expect(report.versions.map((v: { ok: boolean }) => v.ok)).toEqual([true, true]);
  });

  it('names a version whose stored text was altered in the database, through the API and the command line', async () => {
    const db = new Database(path.join(server.dataDir, DATABASE_FILE));
    db.prepare("UPDATE versions SET content = replace(content, 'hai bên', 'ba bên') WHERE document_id = ? AND number = 1").run(DOC);
    db.close();
    const report = (await as('observer')(`/api/documents/${DOC}/verify`)).body;
    expect(report.ok).toBe(false);
    expect(report.versions[0]).toEqual({ number: 1, ok: false, problems: ['its text does not match its hash (tampered)'] });
    expect(report.versions[1].ok).toBe(true);

    const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'verify', '--document', DOC], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir },
    }).catch((e: { code: number; stdout: string }) => e);
    expect((cli as { code?: number }).code).toBe(1);
    expect(cli.stdout).toContain('version 1: TAMPERED — its text does not match its hash (tampered)');
    expect(cli.stdout).toContain('version 2: OK');
  });
});
