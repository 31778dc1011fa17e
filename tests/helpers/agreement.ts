import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import type { PairApprovals, Progress, StructureApprovals } from '../../shared/approvals.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { api } from './auth.ts';
import { REPO_ROOT } from './server.ts';

/**
 * The agreement steps of a declaration, through the real REST API: heads
 * agree every pair and the structure (which pairs, in which order, of which
 * kind), the secretariat cuts versions, heads sign. And the two ways an
 * operator or an attacker reaches the record without the API: the command
 * line, and the SQLite file itself.
 */

type Call = ReturnType<typeof api>;

/** GET …/approvals as the API answers it. */
export interface Matrix {
  pairs: PairApprovals[];
  structure: StructureApprovals;
  progress: Progress;
}

export async function readMatrix(baseUrl: string, cookie: string, documentId: string): Promise<Matrix> {
  const res = await api(baseUrl, cookie)(`/api/documents/${documentId}/approvals`);
  if (res.status !== 200) throw new Error(`GET approvals: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Matrix;
}

/** A head agrees the structure as the server has it now (the hash in the matrix); resolves with the answer. */
export async function agreeStructure(baseUrl: string, cookie: string, documentId: string, hash?: string) {
  const seen = hash ?? (await readMatrix(baseUrl, cookie, documentId)).structure.hash;
  return api(baseUrl, cookie)(`/api/documents/${documentId}/structure/approval`, { method: 'PUT', json: { status: 'agreed', hash: seen } });
}

/**
 * Every listed head agrees every pair of the live text and its structure (the
 * hashes `reader` is shown), as a version's sign-off needs; throws unless each
 * is taken. Resolves with the matrix after.
 */
export async function agreeEverything(baseUrl: string, documentId: string, heads: string[], reader: string): Promise<Matrix> {
  const matrix = await readMatrix(baseUrl, reader, documentId);
  for (const head of heads) {
    for (const pair of matrix.pairs) {
      const res = await api(baseUrl, head)(`/api/documents/${documentId}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
      if (res.status !== 200) throw new Error(`approval of ${pair.pairId} refused: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const res = await agreeStructure(baseUrl, head, documentId, matrix.structure.hash);
    if (res.status !== 200) throw new Error(`approval of the structure refused: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return readMatrix(baseUrl, reader, documentId);
}

export async function cutVersion(call: Call, documentId: string): Promise<VersionSummary> {
  // A copy when nothing changed since the last one: these tests cut versions of the same text on purpose.
  const res = await call(`/api/documents/${documentId}/versions`, { method: 'POST', json: { allowDuplicate: true } });
  if (res.status !== 201) throw new Error(`cut refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.version as VersionSummary;
}

export async function signVersion(call: Call, documentId: string, number: number): Promise<VersionSummary> {
  const res = await call(`/api/documents/${documentId}/versions/${number}/signatures`, { method: 'POST', json: {} });
  if (res.status !== 201) throw new Error(`signature refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.version as VersionSummary;
}

/** Runs `npm run accord -- …` as the secretariat does (node + tsx), with `input` on its stdin. */
export function accord(env: Record<string, string>, args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/**
 * Edits the SQLite file the way someone with write access to it would: a
 * connection of their own, foreign keys off (the sqlite3 shell's default).
 */
export function tamper(dataDir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    db.pragma('foreign_keys = OFF');
    edit(db);
  } finally {
    db.close();
  }
}
