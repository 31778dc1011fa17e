import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { structureStatusOf } from '../../shared/approvals.ts';
import { MIGRATIONS, SCHEMA_WITH_MEMBERSHIP_AUDIT, SCHEMA_WITH_PAIR_HISTORY, SCHEMA_WITH_STRUCTURE_APPROVALS, SCHEMA_WITH_VERSION_LABELS, UNDO_VERSION_LABELS } from '../../server/store/migrations.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { api, signInAll } from '../helpers/auth.ts';
import { agreeStructure, readMatrix } from '../helpers/agreement.ts';
import { startTestServer, tempDataDir } from '../helpers/server.ts';

/**
 * Structure approvals came after approvals of pairs were already stored
 * (tests/server/structureAgreed.test.ts for the approvals themselves). A
 * document agreed before has none: its structure reads as not yet agreed —
 * no agreement is inferred — and its heads agree it once.
 */

const DOC = 'vn-fr-2023';

describe('data stored before structure approvals', () => {
  it('a document agreed pair by pair before shows its structure not yet agreed, refuses the next signature, and is signed once both heads agree it', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir });
    const firstCookies = await signInAll(first);
    for (const head of [firstCookies.vnHead, firstCookies.frHead]) {
      for (const pair of (await readMatrix(first.url, head, DOC)).pairs) {
        const res = await api(first.url, head)(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
        expect(res.status).toBe(200);
      }
    }
    await first.close();
    // The database as the code before left it: the schema just before migration 9 (the structure approvals table).
    // Every later migration is undone too: 10, the membership audit log, 11, the pair histories, and 12, the
    // versions' names and notes (migrated again, empty); a later one must be added here.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_WITH_VERSION_LABELS);
    expect(MIGRATIONS).toHaveLength(SCHEMA_WITH_VERSION_LABELS);
    expect(SCHEMA_WITH_MEMBERSHIP_AUDIT).toBe(SCHEMA_WITH_STRUCTURE_APPROVALS + 1);
    expect(SCHEMA_WITH_PAIR_HISTORY).toBe(SCHEMA_WITH_MEMBERSHIP_AUDIT + 1);
    expect(SCHEMA_WITH_VERSION_LABELS).toBe(SCHEMA_WITH_PAIR_HISTORY + 1);
    db.exec(`DROP TABLE structure_approvals; DROP TABLE membership_audit; DROP TABLE pair_edits; DROP TABLE deleted_pairs; ${UNDO_VERSION_LABELS}`);
    db.pragma(`user_version = ${SCHEMA_WITH_STRUCTURE_APPROVALS - 1}`);
    db.close();

    const server = await startTestServer({ dataDir });
    try {
      const cookies = await signInAll(server);
      const m = await readMatrix(server.url, cookies.observer, DOC);
      expect(m.structure.approvals).toEqual([]);
      expect(structureStatusOf(m.structure, 'vn')).toBe('pending');
      expect(m.progress).toEqual({ agreedByAll: 8, total: 8, structureAgreed: false, complete: false });
      const number = (await api(server.url, cookies.secretariat)(`/api/documents/${DOC}/versions`, { method: 'POST', json: {} })).body.version.number;
      const refused = await api(server.url, cookies.vnHead)(`/api/documents/${DOC}/versions/${number}/signatures`, { method: 'POST', json: {} });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('structure_not_agreed');
      for (const head of [cookies.vnHead, cookies.frHead]) expect((await agreeStructure(server.url, head, DOC)).status).toBe(200);
      expect((await readMatrix(server.url, cookies.observer, DOC)).progress.complete).toBe(true);
      for (const head of [cookies.vnHead, cookies.frHead]) {
        expect((await api(server.url, head)(`/api/documents/${DOC}/versions/${number}/signatures`, { method: 'POST', json: {} })).status).toBe(201);
      }
    } finally {
      await server.close();
    }
  });
});
