import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { insertPair, type CellContent } from '../../shared/model/index.ts';
import { LAYOUTS } from '../../server/export/model.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { textByFace } from '../helpers/pdf.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

/**
 * Bold and italic are part of the agreed text, so the exports carry them: the
 * PDF sets each word in DejaVu Serif's own bold, italic and bold italic faces
 * (in every layout), the DOCX writes Word's bold and italic runs, and the
 * text under the formatting is the exact NFC text (Vietnamese typed in NFD).
 */

const DOC = 'vn-fr-2023';

/** Runs of one paragraph: strings plain, [text, marks] formatted. */
const runs = (...parts: Array<string | [string, { strong?: boolean; em?: boolean }]>): CellContent => [
  parts.map((p) => (typeof p === 'string' ? { text: p } : { text: p[0], marks: p[1] })),
];

// The Vietnamese is typed in NFD (as some keyboards send it): the exports hold it in NFC.
const VI = {
  bold: 'Đặc biệt lưu ý',
  italic: 'ưu tiên hàng đầu',
  boldItalic: 'những điều khoản đã ký kết',
  plain: 'trước tiên',
};
const FR = { bold: 'Soulignent expressément', italic: 'à titre prioritaire', boldItalic: 'les engagements déjà signés', plain: 'avant tout' };
const viText = `${VI.bold}, ${VI.plain} là ${VI.italic} và ${VI.boldItalic}.`;
const frText = `${FR.bold}, ${FR.plain}, ${FR.italic} et ${FR.boldItalic}\u00A0!`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-export-formatting-'));

const words = (text: string) => text.replace(/\s+/g, ' ');

describe('export: bold and italic', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    await synced(client.provider);
    const nfd = (text: string) => text.normalize('NFD');
    insertPair(
      client.doc,
      {
        id: 'styled',
        kind: 'operative',
        vi: runs([nfd(VI.bold), { strong: true }], nfd(`, ${VI.plain} là `), [nfd(VI.italic), { em: true }], nfd(' và '), [nfd(VI.boldItalic), { strong: true, em: true }], '.'),
        fr: runs([FR.bold, { strong: true }], `, ${FR.plain}, `, [FR.italic, { em: true }], ' et ', [FR.boldItalic, { strong: true, em: true }], '\u00A0!'),
      },
      'environment',
    );
    await waitFor(async () => {
      const pairs = (await api(server.url, cookies.vnDrafter)(`/api/documents/${DOC}/pairs`)).body.pairs as Array<{ id: string }>;
      return pairs.some((p) => p.id === 'styled');
    }, 'the styled pair on the server');
    client.provider.destroy();
    expect((await api(server.url, cookies.secretariat)(`/api/documents/${DOC}/versions`, { method: 'POST', json: {} })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  const download = async (query: string, name: string): Promise<string> => {
    const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies.observer } });
    expect(res.status).toBe(200);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };

  it('sets bold, italic and bold italic words in DejaVu Serif Bold, Italic and Bold Italic, in every layout, from the version and the draft', async () => {
    for (const version of ['1', 'draft']) {
      for (const layout of LAYOUTS) {
        const file = await download(`format=pdf&layout=${layout}${version === 'draft' ? '' : `&version=${version}`}`, `styled-${version}-${layout}.pdf`);
        const faces = textByFace(file);
        const where = `${layout}, version ${version}`;
        const inFace = (face: string) => words(faces.get(face) ?? '');
        const langs = layout === 'vi' ? [VI] : layout === 'fr' ? [FR] : [VI, FR];
        for (const lang of langs) {
          for (const word of lang.bold.split(' ')) expect(inFace('DejaVuSerif-Bold'), `${where}: ${word}`).toContain(word);
          for (const word of lang.italic.split(' ')) expect(inFace('DejaVuSerif-Italic'), `${where}: ${word}`).toContain(word);
          for (const word of lang.boldItalic.split(' ')) expect(inFace('DejaVuSerif-BoldItalic'), `${where}: ${word}`).toContain(word);
          // The words between them stay in the regular face.
          expect(inFace('DejaVuSerif'), where).toContain(lang.plain);
          for (const face of ['DejaVuSerif-Bold', 'DejaVuSerif-Italic', 'DejaVuSerif-BoldItalic']) expect(inFace(face), `${where}: ${face}`).not.toContain(lang.plain);
          expect(inFace('DejaVuSerif'), where).not.toContain(lang.boldItalic);
        }
        const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
        for (const face of ['DejaVuSerif-Bold', 'DejaVuSerif-Italic', 'DejaVuSerif-BoldItalic']) expect(fonts, where).toMatch(new RegExp(`\\+${face}\\s.*yes\\s+yes\\s+yes`));
      }
    }
    // Look at it: the page with the styled pair, side by side.
    const dir = path.join(REPO_ROOT, 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', path.join(tmp, 'styled-1-parallel.pdf'), path.join(dir, 'export-formatting')]);
  });

  it('keeps the exact NFC text under the formatting: Vietnamese tone marks in bold and italic come back from pdftotext as typed, in NFC', async () => {
    for (const layout of ['vi', 'fr', 'sequential'] as const) {
      const file = await download(`format=pdf&layout=${layout}&version=1`, `text-${layout}.pdf`);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-nopgbrk', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text.normalize('NFC')).toBe(text);
      if (layout !== 'fr') expect(text, layout).toContain(viText);
      // poppler reports U+00A0 as a space.
      if (layout !== 'vi') expect(text, layout).toContain(frText.replace('\u00A0', ' '));
    }
  });

  it('writes bold and italic as Word runs (<w:b/>, <w:i/>) in the DOCX, the text unchanged', async () => {
    for (const layout of ['parallel', 'vi', 'fr'] as const) {
      const file = await download(`format=docx&layout=${layout}&version=1`, `styled-${layout}.docx`);
      const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
      const runsOf = [...xml.matchAll(/<w:r>(?:<w:rPr>([\s\S]*?)<\/w:rPr>)?<w:t(?: [^>]*)?>([^<]*)<\/w:t><\/w:r>/g)].map((m) => ({
        bold: /<w:b\/>/.test(m[1] ?? ''),
        italic: /<w:i\/>/.test(m[1] ?? ''),
        text: m[2]!,
      }));
      const run = (text: string) => runsOf.find((r) => r.text === text);
      for (const lang of layout === 'vi' ? [VI] : layout === 'fr' ? [FR] : [VI, FR]) {
        expect(run(lang.bold), `${layout}: ${lang.bold}`).toEqual({ bold: true, italic: false, text: lang.bold });
        expect(run(lang.italic), `${layout}: ${lang.italic}`).toEqual({ bold: false, italic: true, text: lang.italic });
        expect(run(lang.boldItalic), `${layout}: ${lang.boldItalic}`).toEqual({ bold: true, italic: true, text: lang.boldItalic });
        const plain = runsOf.find((r) => r.text.includes(lang.plain));
        expect(plain && { bold: plain.bold, italic: plain.italic }, layout).toEqual({ bold: false, italic: false });
      }
    }
  });
});
