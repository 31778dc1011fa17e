import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseVersionContent } from '../../server/versions/canonical.ts';
import { insertPair } from '../../shared/model/index.ts';
import { accord, agreeEverything, cutVersion, signVersion } from '../helpers/agreement.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { textByFace } from '../helpers/pdf.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

/**
 * Both halves of issue 19 on one record: a version with bold and italic words
 * is cut in the current format (its runs and the parties it needs, in what its
 * hash covers), signed by every head, and exported. The PDF sets the words in
 * their faces with the whole sign-off block and the chain head under it; the
 * JSON export carries the runs and checks against the store, and an edit of
 * its formatting alone is named.
 */

const DOC = 'vn-fr-2023';
const BOLD = 'cùng có lợi';
const ITALIC = 'développement durable';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-formatted-record-'));

describe('a signed version with bold and italic words', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const env = () => ({ DATA_DIR: server.dataDir });
  const exported = async (query: string, name: string): Promise<string> => {
    const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies.observer } });
    expect(res.status, query).toBe(200);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    await synced(client.provider);
    insertPair(
      client.doc,
      {
        id: 'styled',
        kind: 'operative',
        vi: [[{ text: 'Hai bên hợp tác ' }, { text: BOLD, marks: { strong: true } }, { text: '.' }]],
        fr: [[{ text: 'Les parties coopèrent pour le ' }, { text: ITALIC, marks: { em: true } }, { text: '.' }]],
      },
      'environment',
    );
    await waitFor(async () => ((await as('vnDrafter')(`/api/documents/${DOC}/pairs`)).body.pairs as Array<{ id: string }>).some((p) => p.id === 'styled'), 'the styled pair on the server');
    client.provider.destroy();
    await agreeEverything(server.url, DOC, [cookies.vnHead, cookies.frHead], cookies.observer);
    await cutVersion(as('secretariat'), DOC);
    await signVersion(as('vnHead'), DOC, 1);
    expect((await signVersion(as('frHead'), DOC, 1)).signedOff).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  it('records the runs and the parties it needs in one canonical text (accord-version-v3), which the verifier accepts', async () => {
    const { body } = await as('observer')(`/api/documents/${DOC}/export?format=json&version=1`);
    const content = parseVersionContent(body.version.content);
    expect(content.format).toBe('accord-version-v3');
    expect(content.format === 'accord-version-v3' && content.parties.map((p) => p.id)).toEqual(['vn', 'fr']);
    const styled = content.pairs.find((p) => p.id === 'styled')!;
    expect(styled.vi).toEqual([[{ text: 'Hai bên hợp tác ' }, { text: BOLD, marks: ['strong'] }, { text: '.' }]]);
    expect(styled.fr).toEqual([[{ text: 'Les parties coopèrent pour le ' }, { text: ITALIC, marks: ['em'] }, { text: '.' }]]);
    // The stored string itself, as its hash covers it: parties between the title and the pairs, runs with their marks.
    expect(body.version.content).toMatch(/"title":\{[^}]*\},"parties":\[\{"id":"vn","name":\{"vi":"[^"]+","fr":"[^"]+"\}\},\{"id":"fr",/);
    expect(body.version.content).toContain(`{"text":"${BOLD}","marks":["strong"]}`);
    const report = (await as('observer')(`/api/documents/${DOC}/verify`)).body;
    expect(report.ok, JSON.stringify(report)).toBe(true);
  });

  it('exports a PDF with the bold and italic words in their faces, the whole sign-off block, the chain head under it, and the same bytes again', async () => {
    const file = await exported('format=pdf&layout=parallel&version=1', 'signed.pdf');
    const faces = textByFace(file);
    expect(faces.get('DejaVuSerif-Bold')).toContain(BOLD);
    expect(faces.get('DejaVuSerif-Italic')).toContain(ITALIC);
    // Lines as pdftotext reads them, joined: a long sign-off line wraps.
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-raw', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Đã ký / Signé par toutes les parties');
    expect(text).toMatch(/Phía Việt Nam \/ Partie vietnamienne — Trần Minh Đức — \S+ \S+ UTC — Ed25519 [0-9a-f]{16}/);
    expect(text).toMatch(/Phía Pháp \/ Partie française — Claire Dubois — \S+ \S+ UTC — Ed25519 [0-9a-f]{16}/);
    expect(text).toMatch(/Accord — chuỗi \/ chaîne 3 · [0-9a-f]{64}/);
    expect(text).not.toContain('DỰ THẢO');
    expect(fs.readFileSync(await exported('format=pdf&layout=parallel&version=1', 'again.pdf')).equals(fs.readFileSync(file))).toBe(true);
    const dir = path.join(REPO_ROOT, 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(dir, 'formatted-record')]);
  });

  it('checks its PDF, DOCX and JSON exports against the store with accord verify --against', async () => {
    for (const [query, name] of [['format=pdf&version=1', 'v1.pdf'], ['format=docx&version=1', 'v1.docx'], ['format=json&version=1', 'v1.json']] as const) {
      const cli = await accord(env(), ['verify', '--against', await exported(query, name)]);
      expect(cli.stdout, name).toContain('The file matches the store.');
      expect(cli.code, name).toBe(0);
    }
  });

  it('names a JSON export whose bold was taken off a word, its text unchanged (attack)', async () => {
    const file = await exported('format=json&version=1', 'unbolded.json');
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    const before = record.version.content as string;
    record.version.content = before.replace(`{"text":"${BOLD}","marks":["strong"]}`, `{"text":"${BOLD}"}`);
    expect(record.version.content).not.toBe(before);
    fs.writeFileSync(file, JSON.stringify(record));
    const cli = await accord(env(), ['verify', '--against', file]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('MISMATCH: the file: its version text does not match the hash it carries (the file was edited)');
  });
});
