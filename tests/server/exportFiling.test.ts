import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { agreeEverything, cutVersion, signVersion } from '../helpers/agreement.ts';
import { DEMO, api, settleSockets, signInAll } from '../helpers/auth.ts';
import { REPO_ROOT, startTestServer } from '../helpers/server.ts';

/**
 * Exports a protocol office would file: only operative paragraphs numbered;
 * a signed version's PDF with a block per party for handwritten signatures;
 * DOCX in every layout the PDF has; a sequential layout with a heading per
 * language; a draft watermark that is seen but stays out of the text (PDF)
 * and is Word's own kind of watermark (DOCX).
 */

const DOC = 'vn-fr-2023';
const PAIRS = jointDeclaration.pairs;
const OPERATIVE = PAIRS.filter((p) => p.kind === 'operative');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-export-filing-'));

interface Word {
  page: number;
  x: number;
  y: number;
  text: string;
}

/** Every word of a PDF with its page and position (points), as `pdftotext -bbox` reads it. */
function words(file: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return xml
    .split('<page ')
    .slice(1)
    .flatMap((page, i) => [...page.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</g)].map((m) => ({ page: i + 1, x: Number(m[1]), y: Number(m[2]), text: m[3]! })));
}

const text = (file: string, args: string[] = []) => execFileSync('pdftotext', ['-enc', 'UTF-8', ...args, file, '-'], { encoding: 'utf8' });
const flat = (s: string) => s.replace(/\s+/g, ' ');
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

/** A DOCX part, as `unzip` reads it. */
const part = (file: string, name: string) => execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
const entries = (file: string) => execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
/** The text of each Word paragraph of a part, in order (entities decoded). */
const paragraphs = (xml: string) =>
  [...xml.matchAll(/<w:p>[\s\S]*?<\/w:p>|<w:p [\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
      .map((t) => t[1])
      .join('')
      .replace(/&amp;/g, '&'),
  );

describe('exports a protocol office would file', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;
  let v1: VersionSummary;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
    const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
    await agreeEverything(server.url, DOC, [cookies.vnHead, cookies.frHead], cookies.observer);
    await cutVersion(as('secretariat'), DOC);
    await signVersion(as('vnHead'), DOC, 1);
    v1 = await signVersion(as('frHead'), DOC, 1);
    expect(v1.signedOff).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await server.close();
  });

  const download = async (query: string): Promise<string> => {
    await settleSockets(); // after long pdftotext runs
    const res = await fetch(`${server.url}/api/documents/${DOC}/export?${query}`, { headers: { cookie: cookies.observer } });
    expect(res.status, query).toBe(200);
    const file = path.join(tmp, `${query.replace(/\W+/g, '-')}.${query.includes('docx') ? 'docx' : 'pdf'}`);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    return file;
  };

  it('numbers only the operative paragraphs, 1 to n, in the PDF and the DOCX: the title, preamble and closing have no number', async () => {
    const wanted = OPERATIVE.map((_, i) => String(i + 1));
    for (const layout of ['parallel', 'vi', 'fr']) {
      const file = await download(`format=pdf&layout=${layout}&version=1`);
      // The number column: left of the text (x 54–76), within the body (not the footer's "n / N").
      const numbers = words(file).filter((w) => w.x < 70 && w.y > 50 && w.y < 780 && /^\d+$/.test(w.text));
      expect(numbers.map((w) => w.text), layout).toEqual(wanted);
      // The first number sits beside the first operative paragraph.
      const first = words(file).find((w) => w.text === OPERATIVE[0]!.vi.split(' ')[0] || w.text === OPERATIVE[0]!.fr.split(' ')[0]);
      expect(Math.abs(first!.y - numbers[0]!.y) < 3 && first!.page === numbers[0]!.page, layout).toBe(true);
    }
    const table = part(await download('format=docx&layout=parallel&version=1'), 'word/document.xml');
    const text = table.slice(table.indexOf('<w:tbl>'), table.indexOf('</w:tbl>'));
    const rows = [...text.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) => paragraphs(r[1]!)[0]);
    expect(rows.slice(1)).toEqual(PAIRS.map((p) => (p.kind === 'operative' ? String(OPERATIVE.indexOf(p) + 1) : '')));
    const french = paragraphs(part(await download('format=docx&layout=fr&version=1'), 'word/document.xml'));
    expect(french.filter((p) => /^\d+\. /.test(p))).toEqual(OPERATIVE.map((p, i) => `${i + 1}. ${p.fr}`));
    expect(french).toContain(PAIRS[0]!.fr);
  });

  it('gives a signed version’s PDF and DOCX a block per party for handwritten signatures: party, place and date to write, a line, the head’s name', async () => {
    const signedAt = (party: string) => new Date(v1.signatures.find((s) => s.partyId === party)!.signedAt);
    const vn = signedAt('vn');
    const fr = signedAt('fr');
    const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
    const viDate = (d: Date) => `ngày ${d.getUTCDate()} tháng ${d.getUTCMonth() + 1} năm ${d.getUTCFullYear()}`;
    const frDate = (d: Date) => `le ${d.getUTCDate() === 1 ? '1er' : d.getUTCDate()} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

    const file = await download('format=pdf&layout=parallel&version=1');
    const raw = flat(text(file, ['-raw']));
    const blocks = raw.slice(raw.indexOf('Đã ký / Signé par toutes les parties'));
    expect(blocks).toContain(`Phía Việt Nam Partie vietnamienne Làm tại ………………, ${viDate(vn)} Fait à ………………, ${frDate(vn)}`);
    expect(blocks).toContain(`Phía Pháp Partie française Làm tại ………………, ${viDate(fr)} Fait à ………………, ${frDate(fr)}`);
    expect(blocks.match(/Chữ ký \/ Signature/g)).toHaveLength(2);
    // Side by side: both heads' names on one line, under their parties' blocks.
    const all = words(file);
    const name = (first: string) => all.filter((w) => w.text === first).at(-1)!;
    expect(Math.abs(name('Trần').y - name('Claire').y)).toBeLessThan(1);
    expect(name('Claire').x).toBeGreaterThan(name('Trần').x + 150);
    // The block comes before the attestation line, which stays last.
    expect(blocks.indexOf('Chữ ký / Signature')).toBeLessThan(blocks.indexOf('Accord — chuỗi'));

    // One language: the block in that language only.
    const onlyFrench = flat(text(await download('format=pdf&layout=fr&version=1'), ['-raw']));
    expect(onlyFrench).toContain(`Partie française Fait à ………………, ${frDate(fr)}`);
    expect(onlyFrench).toContain('Claire Dubois Signature');
    expect(onlyFrench).not.toContain('Làm tại');
    // The draft has no one to sign yet: no block.
    const draft = flat(text(await download('format=pdf&layout=parallel&version=draft'), ['-raw']));
    expect(draft).not.toContain('Fait à');

    // The DOCX has the same blocks, two parties to a row of a table after the electronic sign-off.
    const xml = part(await download('format=docx&layout=parallel&version=1'), 'word/document.xml');
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((t) => t[0]);
    const signing = tables.at(-1)!;
    expect(xml.indexOf(signing)).toBeGreaterThan(xml.indexOf('Đã ký / Signé par toutes les parties'));
    const cells = [...signing.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => paragraphs(c[1]!).filter(Boolean));
    expect(cells).toEqual([
      ['Phía Việt Nam', 'Partie vietnamienne', `Làm tại ………………, ${viDate(vn)}`, `Fait à ………………, ${frDate(vn)}`, 'Trần Minh Đức', 'Chữ ký / Signature'],
      ['Phía Pháp', 'Partie française', `Làm tại ………………, ${viDate(fr)}`, `Fait à ………………, ${frDate(fr)}`, 'Claire Dubois', 'Chữ ký / Signature'],
    ]);

    const dir = path.join(REPO_ROOT, 'test-artifacts');
    fs.mkdirSync(dir, { recursive: true });
    const pages = pageCount(file);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(pages), '-l', String(pages), file, path.join(dir, 'export-signature-blocks')]);
  });

  it('heads each language of the sequential PDF ("Tiếng Việt", "Français") and starts the French on the page where the Vietnamese ends', async () => {
    const file = await download('format=pdf&layout=sequential&version=1');
    const all = words(file);
    const headingVi = all.findIndex((w, i) => w.text === 'Tiếng' && all[i + 1]?.text === 'Việt');
    const headingFr = all.findIndex((w) => w.text === 'Français');
    expect(headingVi, 'the Vietnamese heading').toBeGreaterThanOrEqual(0);
    expect(headingFr, 'the French heading').toBeGreaterThan(headingVi);
    // The Vietnamese title comes under its heading, the French title under its own.
    const firstVi = all.findIndex((w, i) => i > headingVi + 1 && w.text === PAIRS[0]!.vi.split(' ')[0]);
    expect(firstVi).toBeGreaterThan(headingVi);
    expect(all.findIndex((w, i) => i > headingFr && w.text === PAIRS[0]!.fr.split(' ')[0])).toBe(headingFr + 1);
    // No forced page break: the last Vietnamese word and the French heading share a page (there is room on it).
    const lastVi = all.slice(0, headingFr).filter((w) => w.text === PAIRS.at(-1)!.vi.split(' ').at(-1)).at(-1)!;
    expect(all[headingFr]!.page).toBe(lastVi.page);
    expect(all[headingFr]!.y).toBeGreaterThan(lastVi.y);
  });

  it('draws the draft watermark on every page, outside the text layer: no letter of it in the French column’s text', async () => {
    const file = await download('format=pdf&layout=parallel&version=draft');
    const pages = pageCount(file);
    const columns: string[] = [];
    for (let n = 1; n <= pages; n++) {
      // The body of the page, under the header band (which names the draft in words, above the columns).
      const body = text(file, ['-layout', '-f', String(n), '-l', String(n), '-r', '72', '-x', '0', '-y', '45', '-W', '596', '-H', '740']);
      // The French column (x 331.6–563.2), as `pdftotext -layout` reads it.
      const french = text(file, ['-layout', '-f', String(n), '-l', String(n), '-r', '72', '-x', '320', '-y', '45', '-W', '276', '-H', '740']);
      columns.push(french.replace(/^\s*FRANÇAIS\s*$/mu, '')); // the column's head, on every page
      for (const piece of ['DRAFT', 'DỰ', 'THẢO', 'PROJET']) expect(body, `page ${n}: ${piece}`).not.toContain(piece);
      // No stray letters of it either ("T", "J E", "RO", "Ả O" on lines of their own, as they were).
      const stray = french.split('\n').filter((line) => /^[\s/A-ZĐỰẢ]+$/u.test(line) && line.trim() !== '' && line.trim() !== 'FRANÇAIS');
      expect(stray, `page ${n}`).toEqual([]);
      // Yet it is there to see: the middle of the page is tinted with the watermark's red.
      const ppm = execFileSync('pdftoppm', ['-f', String(n), '-l', String(n), '-r', '24', '-x', '40', '-y', '100', '-W', '120', '-H', '80', file]);
      expect(reddish(ppm), `page ${n}`).toBeGreaterThan(50);
    }
    // Read on its own, the column is the French text, paragraph after paragraph.
    const column = flat(columns.join('\n'));
    for (const p of PAIRS) expect(column, p.id).toContain(flat(p.fr.replace(/[\u00A0\u202F]/g, ' ')));
    // A signed-off version has none.
    const signed = await download('format=pdf&layout=parallel&version=1');
    expect(reddish(execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', '24', '-x', '40', '-y', '100', '-W', '120', '-H', '80', signed]))).toBe(0);
  });

  it('gives the draft DOCX a real watermark: a WordArt shape behind the text in the header, not a line of text', async () => {
    const file = await download('format=docx&layout=parallel&version=draft');
    const headers = entries(file).filter((e) => /^word\/header\d*\.xml$/.test(e));
    expect(headers.length).toBeGreaterThan(0);
    const xml = headers.map((h) => part(file, h)).join('');
    const shape = /<v:shape [^>]*type="#_x0000_t136"[^>]*>[\s\S]*?<\/v:shape>/.exec(xml)?.[0];
    expect(shape, 'a WordArt shape').toBeDefined();
    const style = /style="([^"]*)"/.exec(shape!)![1]!;
    expect(style).toContain('position:absolute');
    expect(style).toContain('rotation:315');
    expect(style).toContain('mso-position-horizontal:center');
    expect(Number(/z-index:(-?\d+)/.exec(style)![1]), 'behind the text').toBeLessThan(0);
    expect(shape).toContain('string="DRAFT / DỰ THẢO / PROJET"');
    // Nothing of it is text in the header (as the old header line was).
    expect(paragraphs(xml).join('')).toBe('');
    const signed = await download('format=docx&layout=parallel&version=1');
    expect(entries(signed).filter((e) => /^word\/header\d*\.xml$/.test(e)).map((h) => part(signed, h)).join('')).not.toContain('v:shape');
  });

  it('exports the DOCX in one language and one language after the other, each language under its heading, as the PDF', async () => {
    for (const lang of ['vi', 'fr'] as const) {
      const body = paragraphs(part(await download(`format=docx&layout=${lang}&version=1`), 'word/document.xml')).join('\n');
      for (const p of PAIRS) {
        expect(body, `${p.id}/${lang}`).toContain(p[lang]);
        expect(body, `${p.id}: not the other language`).not.toContain(p[lang === 'vi' ? 'fr' : 'vi']);
      }
    }
    const xml = part(await download('format=docx&layout=sequential&version=1'), 'word/document.xml');
    const all = paragraphs(xml);
    const vi = all.indexOf('Tiếng Việt');
    const fr = all.indexOf('Français');
    expect(vi).toBeGreaterThanOrEqual(0);
    expect(fr).toBeGreaterThan(vi);
    expect(all.slice(vi + 1, fr)).toEqual(expect.arrayContaining(PAIRS.map((p) => expect.stringContaining(p.vi))));
    expect(all.slice(fr + 1)).toEqual(expect.arrayContaining(PAIRS.map((p) => expect.stringContaining(p.fr))));
    // Word headings (the navigation pane lists them).
    expect(xml.match(/<w:pStyle w:val="Heading2"\/>/g)).toHaveLength(2);
  });
});

/** How many pixels of a binary PPM (P6) are tinted red (the watermark's #b4233c, faint). */
function reddish(ppm: Buffer): number {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const data = ppm.subarray(header[0].length);
  let count = 0;
  for (let i = 0; i + 2 < data.length; i += 3) if (data[i]! - data[i + 1]! > 6 && data[i]! > 180) count++;
  return count;
}
