import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getPair, readAllPairs, readPairText } from '../../shared/model/index.ts';
import { DEMO, api, followSignInLink, printedSignInLinks } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { COMPILED_ENTRY, REPO_ROOT, startServerProcess, tempDataDir, type ServerProcess } from '../helpers/server.ts';

/**
 * `npm start` runs the server compiled to JavaScript (dist/node), not through
 * tsx: the compiled output must start, print its links and serve the declaration.
 */
describe('the compiled server that npm start runs', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.child.kill('SIGKILL'));

  it('builds with tsconfig.server.json, starts from dist/node, serves the demo declaration and stores an edit that survives kill -9', async () => {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.server.json'], { cwd: REPO_ROOT });
    const dataDir = tempDataDir('accord-compiled');
    server = await startServerProcess(dataDir, 0, {}, COMPILED_ENTRY);

    const link = printedSignInLinks(server.output()).get(DEMO.frDrafter);
    expect(link).toBeDefined();
    const cookie = await followSignInLink(link!);
    const res = await api(server.url, cookie)('/api/documents/vn-fr-2023/pairs');
    expect(res.status).toBe(200);
    const titles = res.body.pairs as Array<{ id: string; vi: string; fr: string }>;
    expect(titles.find((p) => p.id === 'title')?.vi).toMatch(/TUYÊN BỐ CHUNG/i);

    const client = connectProvider(server.wsUrl, 'vn-fr-2023', new Y.Doc(), { cookie });
    await synced(client.provider);
    expect(readAllPairs(client.doc).map((p) => p.id)).toEqual(titles.map((p) => p.id));

    // An edit goes through the compiled update-log writer thread: once relayed to
    // another client it is stored, and survives a kill -9.
    const witness = connectProvider(server.wsUrl, 'vn-fr-2023', new Y.Doc(), { cookie });
    await synced(witness.provider);
    const cell = (getPair(client.doc, 'closing')!.cell('fr').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    cell.insert(0, 'Compilé : ');
    await waitFor(() => readPairText(witness.doc, 'closing')!.fr.startsWith('Compilé : '), 'the edit to be relayed');
    // A paste over limits.largeUpdateBytes goes through the compiled ingest worker.
    const pasted = ' Đoạn dán dài.'.repeat(6000);
    const viCell = (getPair(client.doc, 'heritage')!.cell('vi').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    viCell.insert(viCell.length, pasted);
    await waitFor(() => readPairText(witness.doc, 'heritage')!.vi.endsWith(pasted), 'the large paste to be relayed', 20_000);
    witness.provider.destroy();
    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServerProcess(dataDir, 0, {}, COMPILED_ENTRY);
    const after = await api(server.url, cookie)('/api/documents/vn-fr-2023/pairs/closing');
    expect(after.body.pair.fr).toMatch(/^Compilé : /);
    const heritage = await api(server.url, cookie)('/api/documents/vn-fr-2023/pairs/heritage');
    expect(heritage.body.pair.vi.endsWith(pasted)).toBe(true);
    client.provider.destroy();
  });
});
