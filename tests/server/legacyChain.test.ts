import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { initialUpdate } from '../../server/commands/documents.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { serializeVersion, versionHash, type VersionContentV1, type VersionContentV2 } from '../../server/versions/canonical.ts';
import { legacySignaturePayload } from '../../server/versions/chain.ts';
import { loadServerKey } from '../../server/versions/serverKey.ts';
import { plainCell } from '../../shared/canonicalText.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { accord, agreeStructure, tamper } from '../helpers/agreement.ts';
import { api, signInAs } from '../helpers/auth.ts';
import { startTestServer, tempDataDir } from '../helpers/server.ts';

/**
 * A data directory from before versions recorded their parties and before
 * chain heads (schema 5, the key in DATA_DIR) opens, migrates and verifies.
 * So does one of the release between (main with formatting but no chain:
 * schema 6 was `approvals.content`, versions were cut as accord-version-v2).
 * Both are before structure approvals (migration 9): they get none.
 * The records are written as those releases wrote them.
 */

const PAIRS = [
  { id: 'title', kind: 'title' as const, vi: 'Thỏa thuận', fr: 'Accord' },
  { id: 'art-1', kind: 'operative' as const, vi: 'Hai bên hợp tác.', fr: 'Les deux parties coopèrent.' },
];
/** The pairs as a version holds them (canonical cells: a v1 version writes them back as the plain strings above). */
const VERSION_PAIRS = PAIRS.map((p) => ({ ...p, vi: plainCell(p.vi), fr: plainCell(p.fr) }));
const at = (minute: number) => new Date(Date.UTC(2025, 3, 1, 9, minute)).toISOString();

interface LegacyDocument {
  id: string;
  /** Parties in the order they were added: [id, minute its head joined]. */
  parties: Array<[string, number]>;
  versions: Array<{ minute: number; signedBy: Array<[string, number]>; tamperedText?: boolean; bold?: string }>;
}

/** schema-5: versions in accord-version-v1; formatting: schema 6 was approvals.content, versions in accord-version-v2 (runs; `bold` a word of art-1 in Vietnamese). */
type Release = 'schema-5' | 'formatting';

function versionPairs(release: Release, bold: string | undefined) {
  if (!bold) return VERSION_PAIRS;
  if (release !== 'formatting') throw new Error('a v1 version holds no bold');
  return VERSION_PAIRS.map((p) => {
    if (p.id !== 'art-1') return p;
    const [before, after] = PAIRS[1]!.vi.split(bold) as [string, string];
    return { ...p, vi: [[{ text: before }, { text: bold, marks: ['strong' as const] }, { text: after }]] };
  });
}

/** Writes a data directory of that release holding these documents, signed with a key in DATA_DIR as that release kept it. */
function legacyDataDir(documents: LegacyDocument[], release: Release = 'schema-5'): string {
  const dataDir = tempDataDir('accord-legacy');
  const key = loadServerKey(path.join(dataDir, 'server-ed25519.pem'));
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration as string);
  })();
  if (release === 'formatting') db.exec('ALTER TABLE approvals ADD COLUMN content TEXT;');
  db.pragma(`user_version = ${release === 'formatting' ? 6 : 5}`);
  db.prepare("INSERT INTO accounts (id, name, email, is_secretariat, created_at) VALUES ('sec', 'Thư ký', 'sec@example.org', 1, ?)").run(at(0));
  for (const doc of documents) {
    db.prepare('INSERT INTO documents (id, title_vi, title_fr, observers_may_comment, created_at) VALUES (?, ?, ?, 0, ?)').run(doc.id, 'Thỏa thuận', 'Accord', at(0));
    db.prepare('INSERT INTO doc_updates (document_id, data) VALUES (?, ?)').run(doc.id, Buffer.from(initialUpdate(PAIRS)));
    doc.parties.forEach(([party, joined], position) => {
      db.prepare('INSERT INTO parties (document_id, id, position, name_vi, name_fr) VALUES (?, ?, ?, ?, ?)').run(doc.id, party, position, `Đoàn ${party}`, `Délégation ${party}`);
      db.prepare('INSERT OR IGNORE INTO accounts (id, name, email, is_secretariat, created_at) VALUES (?, ?, ?, 0, ?)').run(`head-${party}`, `Trưởng đoàn ${party}`, `${party}@example.org`, at(joined));
      db.prepare("INSERT INTO memberships (document_id, account_id, party_id, role, created_at) VALUES (?, ?, ?, 'head', ?)").run(doc.id, `head-${party}`, party, at(joined));
    });
    let prevHash: string | null = null;
    doc.versions.forEach((v, i) => {
      const content: VersionContentV1 | VersionContentV2 = {
        format: release === 'formatting' ? 'accord-version-v2' : 'accord-version-v1',
        documentId: doc.id,
        number: i + 1,
        createdAt: at(v.minute),
        title: { vi: 'Thỏa thuận', fr: 'Accord' },
        pairs: versionPairs(release, v.bold),
        prevHash,
      };
      const serialized = serializeVersion(content);
      const hash = versionHash(serialized);
      const stored = v.tamperedText ? serialized.replace('Hai bên', 'Ba bên') : serialized;
      db.prepare("INSERT INTO versions (document_id, number, created_at, created_by, content, hash, prev_hash) VALUES (?, ?, ?, 'sec', ?, ?, ?)").run(doc.id, i + 1, at(v.minute), stored, hash, prevHash);
      for (const [party, minute] of v.signedBy) {
        const fields = { documentId: doc.id, version: i + 1, hash, partyId: party, accountId: `head-${party}`, signedAt: at(minute) };
        db.prepare('INSERT INTO signatures (document_id, version, party_id, account_id, signed_at, signature) VALUES (?, ?, ?, ?, ?, ?)').run(doc.id, i + 1, party, `head-${party}`, fields.signedAt, key.sign(legacySignaturePayload(fields)));
      }
      prevHash = hash;
    });
  }
  db.close();
  return dataDir;
}

describe('a data directory from before chain heads', () => {
  it('migrates: versions get the parties that existed when they were signed, the chain is attested at the first start, and deletions are named from then on', async () => {
    const dataDir = legacyDataDir([
      // The bug of before: version 1 signed by both heads, then a party added (its head joins at minute 30).
      { id: 'added-after', parties: [['vn', 0], ['fr', 0], ['eu', 30]], versions: [{ minute: 5, signedBy: [['vn', 10], ['fr', 11]] }, { minute: 20, signedBy: [] }] },
      // A party that existed when the others signed (its head joined before them) but did not sign: still needed.
      { id: 'did-not-sign', parties: [['vn', 0], ['fr', 0], ['eu', 1]], versions: [{ minute: 5, signedBy: [['vn', 10], ['fr', 11]] }] },
    ]);
    const server = await startTestServer({ dataDir });
    try {
      const observer = api(server.url, await signInAs(server, 'sec@example.org'));
      const list = async (id: string): Promise<VersionSummary[]> => (await observer(`/api/documents/${id}/versions`)).body.versions;
      const [v1, v2] = await list('added-after');
      expect(v1!.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr']);
      expect(v1!.signedOff).toBe(true);
      expect(v1!.signatures.map((s) => s.byName)).toEqual(['Trưởng đoàn vn', 'Trưởng đoàn fr']);
      expect(v2!.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr', 'eu']);
      const [other] = await list('did-not-sign');
      expect(other!.requiredParties.map((p) => p.id)).toEqual(['vn', 'fr', 'eu']);
      expect(other!.signedOff).toBe(false);

      for (const id of ['added-after', 'did-not-sign']) {
        const report = (await observer(`/api/documents/${id}/verify`)).body;
        expect(report.ok, JSON.stringify(report)).toBe(true);
      }
      expect((await observer('/api/documents/added-after/verify')).body.chain).toMatchObject({ entries: 4, head: { seq: 4 } });
    } finally {
      await server.close();
    }
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT document_id, seq FROM chain_heads ORDER BY document_id').all()).toEqual([
      { document_id: 'added-after', seq: 4 },
      { document_id: 'did-not-sign', seq: 3 },
    ]);
    db.close();
    // The key stays where it was; the heads are kept beside it.
    expect(fs.readdirSync(dataDir)).toContain('server-ed25519.chain-heads.json');

    // From now on, deleting the last legacy signature is named.
    tamper(dataDir, (d) => d.prepare("DELETE FROM signatures WHERE document_id = 'did-not-sign' AND party_id = 'fr'").run());
    const cli = await accord({ DATA_DIR: dataDir }, ['verify', '--document', 'did-not-sign']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('the chain was cut: its signed head says 3 entries, the store holds 2');
  });

  it('does not attest a chain tampered with before the first start: its problems stay named', async () => {
    const dataDir = legacyDataDir([{ id: 'tampered', parties: [['vn', 0], ['fr', 0]], versions: [{ minute: 5, signedBy: [['vn', 10]], tamperedText: true }] }]);
    const server = await startTestServer({ dataDir });
    try {
      const report = (await api(server.url, await signInAs(server, 'sec@example.org'))('/api/documents/tampered/verify')).body;
      expect(report.ok).toBe(false);
      expect(report.versions[0].problems).toContain('its text does not match its hash (tampered)');
      expect(report.chain.problems).toContain('it has no signed chain head (the head was deleted, or the server has not started since the upgrade that brought chain heads)');
    } finally {
      await server.close();
    }
  });

  it('keeps its key: moved to ACCORD_KEY_FILE with its heads it verifies; half-moved or lost, the server refuses to start rather than make a new key', async () => {
    const dataDir = legacyDataDir([{ id: 'moved', parties: [['vn', 0]], versions: [{ minute: 5, signedBy: [['vn', 10]] }] }]);
    await (await startTestServer({ dataDir })).close();
    const keyDir = tempDataDir('accord-keys');
    const keyFile = path.join(keyDir, 'accord.pem');

    // ACCORD_KEY_FILE set, the key still in DATA_DIR: refused, with the command that moves it.
    await expect(startTestServer({ dataDir, env: { ACCORD_KEY_FILE: keyFile } })).rejects.toThrow(`Move it there (mv ${path.join(dataDir, 'server-ed25519.pem')} ${keyFile}`);
    expect(fs.existsSync(keyFile)).toBe(false);

    fs.renameSync(path.join(dataDir, 'server-ed25519.pem'), keyFile);
    fs.renameSync(path.join(dataDir, 'server-ed25519.chain-heads.json'), path.join(keyDir, 'accord.chain-heads.json'));
    const server = await startTestServer({ dataDir, env: { ACCORD_KEY_FILE: keyFile } });
    try {
      const report = (await api(server.url, await signInAs(server, 'sec@example.org'))('/api/documents/moved/verify')).body;
      expect(report).toMatchObject({ ok: true, chain: { notes: [] } });
    } finally {
      await server.close();
    }
    expect((await accord({ DATA_DIR: dataDir, ACCORD_KEY_FILE: keyFile }, ['verify', '--document', 'moved'])).code).toBe(0);

    // The key lost: no new one is made while versions exist.
    fs.rmSync(keyFile);
    await expect(startTestServer({ dataDir, env: { ACCORD_KEY_FILE: keyFile } })).rejects.toThrow(`The server key ${keyFile} is missing, but the store holds versions`);
    expect(fs.existsSync(keyFile)).toBe(false);
    const cli = await accord({ DATA_DIR: dataDir, ACCORD_KEY_FILE: keyFile }, ['verify', '--document', 'moved']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`There is no server key at ${keyFile}`);
  });

  it('migrates a data directory of the formatting release (schema 6 was approvals.content): its accord-version-v2 versions, bold included, get their parties and chain, verify, and can still be signed', async () => {
    const dataDir = legacyDataDir([{ id: 'formatted', parties: [['vn', 0], ['fr', 0]], versions: [{ minute: 5, signedBy: [['vn', 10], ['fr', 11]], bold: 'hợp tác' }, { minute: 20, signedBy: [] }] }], 'formatting');
    const server = await startTestServer({ dataDir });
    try {
      const observer = api(server.url, await signInAs(server, 'sec@example.org'));
      const [v1, v2] = (await observer('/api/documents/formatted/versions')).body.versions as VersionSummary[];
      expect(v1).toMatchObject({ signedOff: true, requiredParties: [{ id: 'vn' }, { id: 'fr' }] });
      expect(v2).toMatchObject({ signedOff: false, requiredParties: [{ id: 'vn' }, { id: 'fr' }] });
      expect((await observer('/api/documents/formatted/versions/1')).body.version.pairs[1].vi).toEqual([[{ text: 'Hai bên ' }, { text: 'hợp tác', marks: ['strong'] }, { text: '.' }]]);
      let report = (await observer('/api/documents/formatted/verify')).body;
      expect(report.ok, JSON.stringify(report)).toBe(true);
      expect(report.chain).toMatchObject({ entries: 4, head: { seq: 4 } });

      // Version 2 (plain, as the live text) is signed by both heads now: approvals hold runs from here on.
      const heads = { vn: await signInAs(server, 'vn@example.org'), fr: await signInAs(server, 'fr@example.org') };
      const { pairs } = (await observer('/api/documents/formatted/approvals')).body as { pairs: Array<{ pairId: string; hash: string }> };
      for (const pair of pairs) {
        for (const head of Object.values(heads)) {
          expect((await api(server.url, head)(`/api/documents/formatted/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } })).status).toBe(200);
        }
      }
      // The structure too (migration 9 came after this release: none is stored, none inferred): refused until the heads agree it.
      const refused = await api(server.url, heads.vn)('/api/documents/formatted/versions/2/signatures', { method: 'POST', json: {} });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe(ErrorCode.StructureNotAgreed);
      for (const head of Object.values(heads)) expect((await agreeStructure(server.url, head, 'formatted')).status).toBe(200);
      for (const head of Object.values(heads)) expect((await api(server.url, head)('/api/documents/formatted/versions/2/signatures', { method: 'POST', json: {} })).status).toBe(201);
      report = (await observer('/api/documents/formatted/verify')).body;
      expect(report.ok, JSON.stringify(report)).toBe(true);
      expect(report.chain).toMatchObject({ entries: 6 });
      expect(((await observer('/api/documents/formatted/versions')).body.versions as VersionSummary[])[1]!.signedOff).toBe(true);
    } finally {
      await server.close();
    }
    const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT COUNT(*) AS n FROM approvals WHERE document_id = 'formatted' AND content IS NOT NULL").get()).toEqual({ n: 4 });
    db.close();
  });
});
