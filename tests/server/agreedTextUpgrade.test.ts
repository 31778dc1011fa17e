import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_WITH_APPROVED_RUNS, SCHEMA_WITH_VERSION_LABELS, UNDO_VERSION_LABELS } from '../../server/store/migrations.ts';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { statusOf, type PairApprovals } from '../../shared/approvals.ts';
import { cellText } from '../../shared/canonicalText.ts';
import { createDocument } from '../../server/commands/documents.ts';
import { inviteMember, OPERATOR, signInUrl } from '../../server/commands/members.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { DEFAULT_KEY_FILE_NAME } from '../../server/config.ts';
import { ChainHeadFile } from '../../server/versions/chainHeadFile.ts';
import { loadServerKey } from '../../server/versions/serverKey.ts';
import { VersionService, verifyChain } from '../../server/versions/service.ts';
import { api, followSignInLink, signInAll } from '../helpers/auth.ts';
import { agreeStructure } from '../helpers/agreement.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { startTestServer, tempDataDir } from '../helpers/server.ts';

/**
 * Formatting became part of the agreed text after approvals and versions were
 * already stored. What was stored before keeps its meaning: an approval of a
 * pair without formatting stays agreed (its hash is the plain one, which the
 * pair still has), a version cut before keeps verifying and can be signed.
 */

const DOC = 'vn-fr-2023';

/** A version cut, and pair hashes computed, by the code before formatting counted. */
const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/version-v1.json'), 'utf8')) as {
  content: string;
  hash: string;
  pairHashes: Record<string, string>;
};

describe('data stored before formatting was part of the agreed text', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('keeps an approval stored before agreed while its pair has no formatting; bolding a word turns it stale, the changes naming that word', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    let cookies = await signInAll(first);
    const matrix = async (cookie: string) => (await api(first.url, cookie)(`/api/documents/${DOC}/approvals`)).body as { pairs: PairApprovals[] };
    const hash = (await matrix(cookies.frHead)).pairs.find((p) => p.pairId === 'environment')!.hash;
    expect((await api(first.url, cookies.frHead)(`/api/documents/${DOC}/pairs/environment/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash } })).status).toBe(200);
    await first.close();

    // The database as it was before: no runs recorded with the approval, the schema one step back.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    const row = db.prepare("SELECT * FROM approvals WHERE pair_id = 'environment'").get() as { hash: string; text_vi: string; text_fr: string };
    // Its hash is the one the code before wrote for this text.
    expect(row.hash).toBe(createHash('sha256').update(JSON.stringify(['accord-pair-v1', row.text_vi, row.text_fr])).digest('hex'));
    // Schema 6 exactly (just before migration 7, approvals.content): undo 7 and every migration after it — 8, the
    // client-id claims, 9, the structure approvals, 10, the membership audit log, 11, the pair histories, and 12, the
    // versions' names and notes (migrated again, empty). A later one must be undone here too.
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_WITH_VERSION_LABELS);
    expect(MIGRATIONS).toHaveLength(SCHEMA_WITH_VERSION_LABELS);
    db.exec(
      `ALTER TABLE approvals DROP COLUMN content; DROP TABLE client_claims; DROP TABLE structure_approvals; DROP TABLE membership_audit; DROP TABLE pair_edits; DROP TABLE deleted_pairs; ${UNDO_VERSION_LABELS}`,
    );
    db.pragma(`user_version = ${SCHEMA_WITH_APPROVED_RUNS - 1}`);
    db.close();

    const server = await startTestServer({ dataDir });
    servers.push(server);
    cookies = await signInAll(server);
    const as = (cookie: string) => api(server.url, cookie);
    const environment = async () => ((await as(cookies.frHead)(`/api/documents/${DOC}/approvals`)).body as { pairs: PairApprovals[] }).pairs.find((p) => p.pairId === 'environment')!;
    const status = async () => {
      const pair = await environment();
      return statusOf(pair.approvals.find((a) => a.partyId === 'fr'), pair.hash);
    };
    expect(await status()).toBe('agreed');
    const unchanged = (await as(cookies.frHead)(`/api/documents/${DOC}/pairs/environment/approval/fr/changes`)).body;
    expect(unchanged.stale).toBe(false);
    expect([...unchanged.vi, ...unchanged.fr].every((p: { kind: string }) => p.kind === 'same')).toBe(true);

    const drafter = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    try {
      await synced(drafter.provider);
      const text = firstXmlText(drafter.doc, 'environment', 'vi');
      const at = text.toString().indexOf('môi trường');
      text.format(at, 'môi trường'.length, { em: {} });
      await waitFor(async () => (await status()) === 'stale', 'the approval to read stale', 3000);
      const changes = (await as(cookies.frHead)(`/api/documents/${DOC}/pairs/environment/approval/fr/changes`)).body;
      expect(changes.approved.vi).toBe(row.text_vi);
      expect(changes.vi.filter((p: { kind: string }) => p.kind !== 'same')).toEqual([
        { kind: 'formatted', text: 'môi trường', runs: [{ text: 'môi trường', marks: ['em'] }], before: [{ text: 'môi trường' }] },
      ]);
    } finally {
      drafter.provider.destroy();
    }
  });

  it('verifies a version cut before (accord-version-v1), lets every head sign it, and still names it altered', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const stored = JSON.parse(fixture.content) as { documentId: string; title: { vi: string; fr: string }; pairs: Array<{ id: string; kind: 'title' | 'operative'; vi: string; fr: string }> };
    const parties = [
      { id: 'vn', name: { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' } },
      { id: 'fr', name: { vi: 'Phía Pháp', fr: 'Partie française' } },
    ];
    await createDocument(first.store, { id: stored.documentId, title: stored.title, parties, pairs: stored.pairs });
    await first.close();
    // The version's row as the chain's migration (the sixth) left it: first in the chain, no seal of its own, both parties needed.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.prepare(
      `INSERT INTO versions (document_id, number, created_at, created_by, content, hash, prev_hash, seq, prev_link, seal, required_parties)
       VALUES (?, 1, '2026-11-23T10:05:00.000Z', 'secretariat', ?, ?, NULL, 1, NULL, NULL, ?)`,
    ).run(stored.documentId, fixture.content, fixture.hash, JSON.stringify(parties));
    db.close();
    // Its chain head is attested at this start, once the chain verifies.
    const server = await startTestServer({ dataDir });
    servers.push(server);
    const keyFile = path.join(dataDir, DEFAULT_KEY_FILE_NAME);
    const key = loadServerKey(keyFile, { create: false });
    const headFile = ChainHeadFile.beside(keyFile);
    expect(await verifyChain(server.store, key, stored.documentId, headFile)).toMatchObject({ ok: true, chain: { ok: true, entries: 1 }, versions: [{ number: 1, ok: true, problems: [] }] });

    // Read in canonical form: the same text, and the same pair hashes as the code before gave it.
    const version = VersionService.parse((await server.store.getVersion(stored.documentId, 1))!);
    expect(version.pairs.map((p) => ({ id: p.id, vi: cellText(p.vi), fr: cellText(p.fr) }))).toEqual(stored.pairs.map(({ id, vi, fr }) => ({ id, vi, fr })));

    // The heads agree to the live text (the same, without formatting) and sign the old version.
    const heads: Record<string, string> = {};
    for (const partyId of ['vn', 'fr']) {
      const { token } = await inviteMember(server.store, { documentId: stored.documentId, name: `Head ${partyId}`, email: `head-${partyId}@old.example`, role: 'head', partyId }, OPERATOR);
      heads[partyId] = await followSignInLink(signInUrl(server.url, token!));
    }
    const pairs = ((await api(server.url, heads.vn!)(`/api/documents/${stored.documentId}/approvals`)).body as { pairs: PairApprovals[] }).pairs;
    expect(Object.fromEntries(pairs.map((p) => [p.pairId, p.hash]))).toEqual(fixture.pairHashes);
    for (const pair of pairs) {
      for (const cookie of Object.values(heads)) {
        const res = await api(server.url, cookie)(`/api/documents/${stored.documentId}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
        expect(res.status).toBe(200);
      }
    }
    // And the structure the old version holds (its pairs, their order and kinds: the live document's).
    for (const cookie of Object.values(heads)) expect((await agreeStructure(server.url, cookie, stored.documentId)).status).toBe(200);
    for (const cookie of Object.values(heads)) {
      expect((await api(server.url, cookie)(`/api/documents/${stored.documentId}/versions/1/signatures`, { method: 'POST', json: {} })).status).toBe(201);
    }
    expect(await verifyChain(server.store, key, stored.documentId, headFile)).toMatchObject({ ok: true, chain: { ok: true, entries: 3 } });

    const edit = new Database(path.join(dataDir, DATABASE_FILE));
    edit.prepare("UPDATE versions SET content = replace(content, 'Hai bên', 'Ba bên') WHERE document_id = ?").run(stored.documentId);
    edit.close();
    expect((await verifyChain(server.store, key, stored.documentId, headFile)).versions[0]).toEqual({ number: 1, ok: false, problems: ['its text does not match its hash (tampered)'] });
  });
});
