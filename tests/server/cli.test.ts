import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { followSignInLink, api } from '../helpers/auth.ts';
import { REPO_ROOT, startTestServer, tempDataDir } from '../helpers/server.ts';

const run = promisify(execFile);

/** Runs `npm run accord -- …` the way the secretariat does (node + tsx directly, same thing). */
async function accord(dataDir: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the secretariat’s command line', () => {
  it('creates a declaration, adds a party, invites members whose links work, lists and revokes', async () => {
    const dataDir = tempDataDir('accord-cli');
    const created = await accord(dataDir, 'create-document', '--id', 'yenbai-valdemarne', '--title-vi', 'Thỏa thuận Yên Bái - Val-de-Marne', '--title-fr', 'Accord Yên Bái - Val-de-Marne', '--party', 'yenbai:Tỉnh Yên Bái:Province de Yên Bái');
    expect(created).toMatchObject({ code: 0, stdout: 'Created yenbai-valdemarne with 1 parties.\n' });
    expect((await accord(dataDir, 'add-party', '--document', 'yenbai-valdemarne', '--id', 'vdm', '--name-vi', 'Tỉnh Val-de-Marne', '--name-fr', 'Département du Val-de-Marne')).code).toBe(0);

    const invited = await accord(dataDir, 'invite', '--document', 'yenbai-valdemarne', '--name', 'Marie Curie', '--email', 'marie@vdm.example', '--role', 'head', '--party', 'vdm', '--base-url', 'http://accord.test');
    expect(invited.code).toBe(0);
    const link = /Sign-in link \(single use, 7 days\): (http:\/\/accord\.test\/signin\/\S+)/.exec(invited.stdout)![1]!;

    const listed = await accord(dataDir, 'list');
    expect(listed.stdout).toContain('party vdm: Tỉnh Val-de-Marne / Département du Val-de-Marne');
    expect(listed.stdout).toMatch(/Marie Curie <marie@vdm\.example>\s+head \(vdm\)/);

    // The link signs Marie in on the real server using that data directory.
    const server = await startTestServer({ dataDir });
    try {
      const cookie = await followSignInLink(link.replace('http://accord.test', server.url));
      const me = await api(server.url, cookie)('/api/documents/yenbai-valdemarne');
      expect(me.body.me).toMatchObject({ name: 'Marie Curie', role: 'head', partyId: 'vdm' });
    } finally {
      await server.close();
    }

    const store = new SqliteStore(dataDir);
    const marie = (await store.findAccountByEmail('marie@vdm.example'))!;
    await store.close();
    expect((await accord(dataDir, 'revoke', '--document', 'yenbai-valdemarne', '--account', marie.id)).stdout).toBe('Revoked.\n');
    expect((await accord(dataDir, 'list')).stdout).not.toContain('Marie Curie');
  });

  it('explains bad input, exits with 2 and changes nothing', async () => {
    const dataDir = tempDataDir('accord-cli-bad');
    await accord(dataDir, 'create-document', '--id', 'doc', '--title-vi', 'A', '--title-fr', 'B', '--party', 'vn:Việt Nam:Viêt Nam');
    const before = (await accord(dataDir, 'list')).stdout;
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['invite', '--document', 'doc', '--name', 'X', '--role', 'emperor'], /--role "emperor"/],
      [['invite', '--document', 'doc', '--name', 'X', '--role', 'head'], /A head belongs to a party/],
      [['invite', '--document', 'doc', '--name', 'X', '--email', 'nope', '--role', 'drafter', '--party', 'vn'], /email/],
      [['invite', '--document', 'nope', '--name', 'X', '--role', 'observer'], /No declaration with id "nope"/],
      [['create-document', '--id', 'doc', '--title-vi', 'A', '--title-fr', 'B'], /already exists/],
      [['create-document', '--id', 'bad id', '--title-vi', 'A', '--title-fr', 'B'], /Document id "bad id"/],
      [['revoke', '--document', 'doc', '--account', 'nobody'], /not a member/],
      [['audit', '--document', 'nope'], /No declaration with id "nope"/],
      [['audit'], /Missing --document/],
    ];
    for (const [args, message] of cases) {
      const result = await accord(dataDir, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect((await accord(dataDir, 'list')).stdout).toBe(before);
  });

  it('prints the membership log with audit --document: each change, whom, by whom, when, newest first', async () => {
    const dataDir = tempDataDir('accord-cli-audit');
    await accord(dataDir, 'create-document', '--id', 'doc', '--title-vi', 'A', '--title-fr', 'B', '--party', 'vn:Việt Nam:Viêt Nam');
    expect((await accord(dataDir, 'audit', '--document', 'doc')).stdout).toBe('No membership changes recorded.\n');
    await accord(dataDir, 'invite', '--document', 'doc', '--name', 'Lan', '--email', 'lan@vn.example', '--role', 'drafter', '--party', 'vn');
    await accord(dataDir, 'add-party', '--document', 'doc', '--id', 'fr', '--name-vi', 'Pháp', '--name-fr', 'France');
    await accord(dataDir, 'link', '--email', 'lan@vn.example');
    const printed = await accord(dataDir, 'audit', '--document', 'doc');
    expect(printed.code).toBe(0);
    const lines = printed.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}issued a sign-in link for Lan \(a_?\S+\), drafter \(vn\) {2}by operator \(command line\)$/);
    expect(lines[1]).toMatch(/ {2}added party fr {2}by operator \(command line\)$/);
    expect(lines[2]).toMatch(/ {2}issued a sign-in link for Lan /);
    expect(lines[3]).toMatch(/ {2}invited Lan \(\S+\) as drafter \(vn\) {2}by operator \(command line\)$/);
  });
});
