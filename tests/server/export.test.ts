import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorOfRange } from '../../shared/anchors.ts';
import { insertPair, readAllPairs } from '../../shared/model/index.ts';
import { inviteMember, OPERATOR, signInUrl } from '../../server/commands/members.ts';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';
import { DEMO, api, settleSockets, followSignInLink, signInAll } from '../helpers/auth.ts';
import { agreeStructure } from '../helpers/agreement.ts';
import { connectProvider, synced } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const SPECIAL = { vi: 'Các ký tự: ư ơ ấ ẫ ỹ ặ Đ.', fr: 'Caractères\u00A0: œ «\u00A0ç\u00A0» et fin\u202F!' };
const SECRET = 'NỘI-BỘ-KHÔNG-ĐƯỢC-XUẤT';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-export-'));

function save(name: string, bytes: ArrayBuffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, Buffer.from(bytes));
  return file;
}

/** Text of a PDF (or of a region of every page, in points), lines joined as the text flows. */
function pdfText(file: string, crop?: { x: number; y: number; w: number; h: number }): string {
  // -layout keeps end-of-line hyphens (the default mode removes them as if they were hyphenation).
  const args = ['-enc', 'UTF-8', '-nopgbrk', '-layout'];
  if (crop) args.push('-r', '72', '-x', String(crop.x), '-y', String(crop.y), '-W', String(crop.w), '-H', String(crop.h));
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
}

/**
 * Collapses the line breaks the layout introduced (and only those): a line
 * that ends in a hyphen attached to a word ("franco-") was broken after it,
 * any other line break was a space.
 */
const flow = (text: string) =>
  text
    .replace(/(\S-)[ \t]*\n\s*/g, '$1')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

/**
 * What pdftotext can report of a text: poppler turns every Unicode space
 * (U+00A0, U+202F included) into U+0020. That the PDF itself carries them is
 * checked separately, in its ToUnicode maps.
 */
const asExtracted = (text: string) => flow(text.replace(/[\u00A0\u202F]/g, ' '));

/** The Unicode code points a PDF's fonts map their glyphs to (ToUnicode CMaps). */
function mappedCodePoints(file: string): Set<number> {
  const raw = fs.readFileSync(file).toString('latin1');
  const points = new Set<number>();
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    let text: string;
    try {
      text = zlib.inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('begincmap')) continue;
    for (const hex of text.matchAll(/<([0-9a-fA-F]{4})>/g)) points.add(parseInt(hex[1]!, 16));
  }
  return points;
}

/** The body of every page, without the footer band (page numbers), in points. */
const BODY = { x: 0, y: 0, w: 596, h: 785 };

function pageCount(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

describe('export: PDF and DOCX', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let pairs: ReturnType<typeof readAllPairs>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies.vnDrafter });
    await synced(client.provider);
    insertPair(client.doc, { kind: 'operative', ...SPECIAL }, 'heritage');
    // A pair longer than a page, to be split across pages side by side.
    const words = (seed: string) => Array.from({ length: 700 }, (_, i) => `${seed}${i}`).join(' ');
    insertPair(client.doc, { id: 'long', kind: 'operative', vi: words('từ'), fr: words('mot') }, 'closing');
    const expected = readAllPairs(client.doc);
    const call = api(server.url, cookies.vnDrafter);
    for (let i = 0; i < 100; i++) {
      if (JSON.stringify((await call(`/api/documents/${DOC}/pairs`)).body.pairs) === JSON.stringify(expected)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    pairs = expected;
    // An internal comment that must never reach an export.
    const text = firstXmlText(client.doc, 'digital', 'vi');
    const at = text.toString().indexOf('chuyển đổi số');
    const made = await call(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: 'digital', lang: 'vi', anchor: anchorOfRange(text, at, at + 13), quote: 'chuyển đổi số', visibility: 'internal', body: SECRET },
    });
    expect(made.status).toBe(201);
    client.provider.destroy();

    // Agree everything, cut version 1, both heads sign: signed off.
    const matrix = (await api(server.url, cookies.observer)(`/api/documents/${DOC}/approvals`)).body.pairs;
    for (const pair of matrix) {
      for (const head of ['vnHead', 'frHead'] as const) {
        await api(server.url, cookies[head])(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
      }
    }
    for (const head of ['vnHead', 'frHead'] as const) expect((await agreeStructure(server.url, cookies[head], DOC)).status).toBe(200);
    await api(server.url, cookies.secretariat)(`/api/documents/${DOC}/versions`, { method: 'POST', json: {} });
    for (const head of ['vnHead', 'frHead'] as const) {
      expect((await api(server.url, cookies[head])(`/api/documents/${DOC}/versions/1/signatures`, { method: 'POST', json: {} })).status).toBe(201);
    }
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  const download = async (who: keyof typeof DEMO, query: string) => {
    await settleSockets(); // after long pdftotext runs
    const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies[who] } });
    return { res, bytes: await res.arrayBuffer() };
  };

  it('writes each paragraph’s exact NFC text, Vietnamese and French, into single-language PDFs with embedded fonts', async () => {
    for (const lang of ['vi', 'fr'] as const) {
      const { res, bytes } = await download('observer', `format=pdf&layout=${lang}&version=1`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${DOC}-v1-${lang}.pdf"`);
      const file = save(`v1-${lang}.pdf`, bytes);
      const text = flow(pdfText(file, BODY));
      for (const pair of pairs) expect(text, `${pair.id}/${lang}`).toContain(asExtracted(pair[lang]));
      expect(text).toContain(asExtracted(lang === 'vi' ? SPECIAL.vi : SPECIAL.fr));
      // The characters themselves are in the PDF: ư ơ ấ ẫ ỹ ặ Đ, œ « » ç, and the two French spaces.
      const wanted = lang === 'vi' ? 'ươấẫỹặĐ' : 'œ«»ç\u00A0\u202F';
      for (const ch of wanted) expect(mappedCodePoints(file).has(ch.codePointAt(0)!), `U+${ch.codePointAt(0)!.toString(16)}`).toBe(true);
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
      expect(fonts).toMatch(/DejaVuSerif\s.*yes/);
      expect(fonts.split('\n').slice(2).every((line) => !line.trim() || /\byes\s+yes\b/.test(line))).toBe(true);
    }
  });

  it('keeps both languages side by side in the parallel layout, rows aligned across page breaks, pages numbered n / N', async () => {
    const { bytes } = await download('observer', 'format=pdf&layout=parallel&version=1');
    const file = save('v1-parallel.pdf', bytes);
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(2);
    // Each column read on its own, page after page, is the exact text of that language
    // (below the column heads: on page 1 they follow the title block).
    const headY = Number(/yMin="([\d.]+)"[^>]*>TIẾNG</.exec(execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }))![1]);
    const column = (x: number) =>
      flow(
        Array.from({ length: pages }, (_, i) => {
          const y = i === 0 ? Math.ceil(headY + 12) : 72;
          return execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-f', String(i + 1), '-l', String(i + 1), '-r', '72', '-x', String(x), '-y', String(y), '-W', '242', '-H', String(780 - y), file, '-'], { encoding: 'utf8' });
        }).join('\n'),
      );
    // Columns: Vietnamese x 76–307.6, French x 331.6–563.2 (points); crop at the middle of the gutter.
    const vi = column(72);
    const fr = column(320);
    for (const pair of pairs) {
      expect(vi, pair.id).toContain(asExtracted(pair.vi));
      expect(fr, pair.id).toContain(asExtracted(pair.fr));
    }
    // The long pair runs over several pages: on each page it continues, its
    // Vietnamese and French parts start at the same height.
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    let continued = 0;
    for (const block of bbox.split('<page ').slice(2)) {
      const words = [...block.matchAll(/yMin="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ y: Number(m[1]), w: m[2]! }));
      const vi = words.filter((w) => /^từ\d+$/.test(w.w)).map((w) => w.y);
      const fr = words.filter((w) => /^mot\d+$/.test(w.w)).map((w) => w.y);
      if (vi.length === 0 || fr.length === 0) continue;
      expect(Math.abs(Math.min(...vi) - Math.min(...fr))).toBeLessThan(1);
      continued++;
    }
    expect(continued).toBeGreaterThan(1);
    for (let n = 1; n <= pages; n++) {
      const footer = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-r', '72', '-x', '0', '-y', '790', '-W', '596', '-H', '52', file, '-'], { encoding: 'utf8' });
      expect(footer.trim()).toMatch(new RegExp(`^${n} ?/ ?${pages}$`));
    }
    // Look at it: every page as a PNG.
    fs.mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    const pngDir = fs.mkdtempSync(path.join(REPO_ROOT, 'test-artifacts', 'export-'));
    execFileSync('pdftoppm', ['-r', '50', '-png', file, path.join(pngDir, 'page')]);
    expect(fs.readdirSync(pngDir).filter((f) => f.endsWith('.png'))).toHaveLength(pages);
  });

  it('carries title, parties, version number, date and hash, and a sign-off block for a signed-off version', async () => {
    const versions = (await api(server.url, cookies.observer)(`/api/documents/${DOC}/versions`)).body.versions;
    const v1 = versions[0];
    expect(v1.signedOff).toBe(true);
    const text = flow(pdfText(save('v1-vi-meta.pdf', (await download('observer', 'format=pdf&layout=parallel&version=1')).bytes)));
    expect(text).toContain('Tuyên bố chung Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12');
    expect(text).toContain('Déclaration commune des 12es Assises');
    expect(text).toContain('Phía Việt Nam / Partie vietnamienne');
    expect(text).toContain(`Version 1 — ${v1.createdAt.slice(0, 10)}`);
    expect(text.replace(/ /g, '')).toContain(v1.hash);
    expect(text).toContain('Đã ký / Signé par toutes les parties');
    expect(text).toMatch(/Phía Việt Nam \/ Partie vietnamienne — Trần Minh Đức — \d{4}-\d\d-\d\d \d\d:\d\d UTC — Ed25519 [0-9a-f]{16}/);
    expect(text).toContain('Claire Dubois');
    expect(text).not.toContain('DRAFT');
  });

  it('watermarks the draft DRAFT / DỰ THẢO / PROJET on every page', async () => {
    const file = save('draft.pdf', (await download('vnDrafter', 'format=pdf&layout=parallel')).bytes);
    const pages = pageCount(file);
    for (let n = 1; n <= pages; n++) {
      const page = execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-raw', file, '-'], { encoding: 'utf8' });
      expect(page.replace(/\s+/g, ' '), `page ${n}`).toContain('DRAFT / DỰ THẢO / PROJET');
    }
  });

  it('exports a DOCX with the same text, the parallel layout as a table', async () => {
    const { res, bytes } = await download('frDrafter', 'format=docx&layout=parallel&version=1');
    expect(res.headers.get('content-type')).toContain('wordprocessingml');
    const file = save('v1.docx', bytes);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
    // The first table (the signature blocks are another, after the text).
    const table = xml.slice(xml.indexOf('<w:tbl>'), xml.indexOf('</w:tbl>'));
    const rows = [...table.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((row) =>
      [...row[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) =>
        [...cell[1]!.matchAll(/<w:p>([\s\S]*?)<\/w:p>|<w:p [\s\S]*?<\/w:p>/g)]
          .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''))
          .join('\n')
          .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'"),
      ),
    );
    expect(rows[0]!.slice(1)).toEqual(['Tiếng Việt', 'Français']);
    // Only operative paragraphs are numbered, 1, 2, 3…: the title, preamble and closing have no number.
    let operative = 0;
    expect(rows.slice(1).map((r) => ({ n: r[0], vi: r[1], fr: r[2] }))).toEqual(pairs.map((p) => ({ n: p.kind === 'operative' ? String(++operative) : '', vi: p.vi, fr: p.fr })));
  });

  it('lets only members export, never includes comments, and refuses bad options', async () => {
    expect((await fetch(`${server.url}/api/documents/${DOC}/export`)).status).toBe(401);
    const { token } = await inviteMember(server.store, { documentId: HANOI_TOULOUSE_ID, name: 'Ngoài', email: 'out@example.org', role: 'drafter', partyId: 'hanoi' }, OPERATOR);
    const outsider = await followSignInLink(signInUrl(server.url, token!));
    expect((await fetch(`${server.url}/api/documents/${DOC}/export`, { headers: { cookie: outsider } })).status).toBe(403);
    for (const query of ['format=pdf&layout=parallel', 'format=docx&layout=sequential', 'format=pdf&layout=vi&version=1']) {
      const { bytes } = await download('vnHead', query);
      const file = save(`c-${query.replace(/\W/g, '')}`, bytes);
      const text = query.includes('docx') ? execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' }) : pdfText(file);
      expect(text).not.toContain(SECRET);
    }
    const bad = await api(server.url, cookies.vnHead)(`/api/documents/${DOC}/export?format=odt`);
    expect(bad.status).toBe(400);
    expect((await api(server.url, cookies.vnHead)(`/api/documents/${DOC}/export?version=9`)).status).toBe(404);
  });

  it('exports from the command line', async () => {
    const out = path.join(tmp, 'cli.pdf');
    execFileSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'export', '--document', DOC, '--version', '1', '--layout', 'fr', '--out', out], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: server.dataDir },
    });
    expect(flow(pdfText(out, BODY))).toContain(asExtracted(pairs.find((p) => p.id === 'closing')!.fr));
  });
});
