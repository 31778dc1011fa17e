import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomPersistence } from '../../server/collaboration/persistence.ts';
import { seedDemo } from '../../server/demo/seedDemo.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { limits } from '../../shared/limits.ts';
import { getPair, readAllPairs } from '../../shared/model/index.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { REPO_ROOT, startTestServer, tempDataDir } from '../helpers/server.ts';

const run = promisify(execFile);
const DOC = 'vn-fr-2023';
const OTHER = 'hanoi-toulouse-2023';

async function accord(dataDir: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: dataDir } });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout + e.stderr };
  }
}

/**
 * A document stored before every update was checked for where it lands may
 * hold content no page shows. Written here straight into the update log, as
 * an older server would have stored it: the server reports it when it loads
 * the document (log at error) and `accord doctor` lists it, instead of
 * serving it silently.
 */
describe('a stored document holding structure outside the declaration', () => {
  const dataDir = tempDataDir('foreign-structure');

  beforeAll(async () => {
    const store = new SqliteStore(dataDir);
    await seedDemo(store);
    const { doc } = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    const before = Y.encodeStateVector(doc);
    getPair(doc, 'digital')!.cell('fr').insert(1, [new Y.XmlText('Clause cachée.')]);
    await store.appendUpdate(DOC, Y.encodeStateAsUpdate(doc, before));
    doc.destroy();
    await store.close();
  });

  it('is listed by accord doctor, which exits with 1; a document without any says so', async () => {
    const all = await accord(dataDir, 'doctor');
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(`${DOC}: CONTENT OUTSIDE THE DECLARATION`);
    expect(all.stdout).toMatch(/paragraphs\.digital\.fr\[1\]: a cell holds paragraphs only, not a text node/);
    expect(all.stdout).toContain(`${OTHER}: the text holds only the declaration's own structure.`);
    const other = await accord(dataDir, 'doctor', '--document', OTHER);
    expect(other).toEqual({ code: 0, stdout: `${OTHER}: the text holds only the declaration's own structure.\n` });
    expect((await accord(dataDir, 'doctor', '--document', 'nope')).code).toBe(2);
  });
});

describe('a stored document holding structure outside the declaration, opened by the server', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  const dataDir = tempDataDir('foreign-structure-open');
  const logged: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const store = new SqliteStore(dataDir);
    await seedDemo(store);
    const { doc } = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    const before = Y.encodeStateVector(doc);
    (getPair(doc, 'digital')!.cell('vi').get(0) as Y.XmlElement).setAttribute('data-x', 'ẩn');
    await store.appendUpdate(DOC, Y.encodeStateAsUpdate(doc, before));
    doc.destroy();
    await store.close();
    server = await startTestServer({ dataDir, logger: pino({ level: 'warn', base: undefined }, { write: (line: string) => logged.push(JSON.parse(line)) }) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('reports it at error with the document and where it is, and still serves the text every page shows', async () => {
    const cookie = await signInAs(server, DEMO.vnDrafter);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(client.provider);
    await waitFor(() => logged.some((entry) => entry.level === 50), 'the report');
    const report = logged.find((entry) => entry.level === 50)!;
    expect(report).toMatchObject({ documentId: DOC, foreign: [{ path: 'paragraphs.digital.vi[0].data-x', reason: 'a paragraph has no keys ("data-x")' }] });
    expect(readAllPairs(client.doc)).toEqual((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs);
    client.provider.destroy();
  });
});
