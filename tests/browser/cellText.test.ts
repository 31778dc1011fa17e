import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';
import { getPair, insertPair, readOrder, type Lang } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { DEMO } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { seeded, type Random } from '../helpers/random.ts';
import { browserSuite, cell, row, sessionCookie, signIn } from './helpers.ts';

/**
 * What is hashed is what is shown (issue 19, point 3): on random documents
 * the server accepts, the text a Chromium page shows for every cell — static
 * cells far from the view and editors near it — is `cellPlainText` of that
 * cell, the text identity every hash, diff and check works on. Both are read
 * by one walk (shared/model/cellWalk.ts); the editors are y-prosemirror's own.
 *
 * The cells are built as pages write them, but with what a page rarely
 * makes at once: several paragraphs, several text nodes in one paragraph
 * (two pages typing into one empty paragraph), bold and italic switched on
 * and off, deletions, Vietnamese in NFD, empty paragraphs, empty cells.
 */

const DOC = jointDeclaration.id;
const PAIRS = 200;
const SEED = Number(process.env.CELL_TEXT_SEED ?? 20261207);
const LANGS: Lang[] = ['vi', 'fr'];

const WORDS = {
  vi: ['Hai bên', 'nhất trí', 'tăng cường', 'hợp tác', 'phát triển', 'đô thị', 'bền vững', 'Hà Nội', 'văn hoá', 'thành phố'],
  fr: ['Les deux parties', 'conviennent', 'de renforcer', 'la coopération', 'décentralisée', 'durable', 'Hanoï', 'patrimoine', '« ville »', 'à'],
};

const suite = browserSuite();
const { people } = suite;
let doc: Y.Doc;

/** Fills a cell with random content, in the shape y-prosemirror writes (paragraph elements of text nodes). */
function fillCell(random: Random, fragment: Y.XmlFragment, lang: Lang): void {
  fragment.delete(0, fragment.length);
  if (random.chance(0.05)) return; // an empty cell: no paragraph at all
  const paragraphs = 1 + random.int(3);
  for (let p = 0; p < paragraphs; p++) {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const texts = random.chance(0.15) ? 0 : 1 + (random.chance(0.2) ? 1 + random.int(2) : 0);
    for (let t = 0; t < texts; t++) {
      const words = Array.from({ length: 1 + random.int(5) }, () => random.pick(WORDS[lang])).join(' ');
      const text = new Y.XmlText();
      paragraph.insert(paragraph.length, [text]);
      text.insert(0, random.chance(0.3) ? words.normalize('NFD') : words);
      for (let f = random.int(4); f > 0; f--) {
        const at = random.int(text.length);
        text.format(at, 1 + random.int(text.length - at), { [random.pick(['strong', 'em'])]: random.chance(0.7) ? {} : null });
      }
      for (let d = random.int(3); d > 0 && text.length > 2; d--) text.delete(random.int(text.length - 1), 1 + random.int(2));
    }
  }
}

/** The text a page shows in a cell: its paragraphs' text joined as cellPlainText joins them, without remote cursors. */
function shownText(page: Page, pairId: string, lang: Lang): Promise<string> {
  return cell(page, pairId, lang).evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.ProseMirror-yjs-cursor').forEach((c) => c.remove());
    return [...clone.querySelectorAll('p')].map((p) => (p.textContent ?? '').replace(/\u2060/g, '')).join('\n');
  });
}

/** Every cell whose shown text differs from its text identity, as "id/lang: shown ≠ identity". */
async function mismatches(page: Page, ids: string[], editorsOnly: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    for (const lang of LANGS) {
      const target = cell(page, id, lang);
      if (editorsOnly && !(await target.evaluate((el) => el.classList.contains('ProseMirror')))) continue;
      const shown = (await shownText(page, id, lang)).normalize('NFC');
      const identity = cellPlainText(getPair(doc, id)!.cell(lang));
      if (shown !== identity) out.push(`${id}/${lang}: ${JSON.stringify(shown)} ≠ ${JSON.stringify(identity)}`);
    }
  }
  return out;
}

beforeAll(async () => {
  const cookie = await sessionCookie(suite.server, DEMO.secretariat);
  const wsUrl = suite.server.url.replace(/^http/, 'ws');
  const editor = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie });
  await synced(editor.provider);
  doc = editor.doc;
  const random = seeded(SEED);
  // Two updates, the second replacing the paragraphs the first wrote (and the demo's): see
  // tests/server/twoLargeUpdates.test.ts for the deletions this once lost.
  doc.transact(() => {
    for (let i = readOrder(doc).length; i < PAIRS; i++) insertPair(doc, { id: `random-${i}`, kind: 'operative', vi: '', fr: '' });
  });
  doc.transact(() => {
    for (const id of readOrder(doc)) for (const lang of LANGS) fillCell(random, getPair(doc, id)!.cell(lang), lang);
  });
  // The server accepted it all: a client that joins now holds the same text.
  const check = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie });
  await synced(check.provider);
  const same = () => readOrder(check.doc).length === PAIRS && readOrder(doc).every((id) => LANGS.every((lang) => cellPlainText(getPair(check.doc, id)!.cell(lang)) === cellPlainText(getPair(doc, id)!.cell(lang))));
  try {
    await waitFor(same, `the ${PAIRS} random pairs on the server (seed ${SEED})`, 60_000);
  } catch (error) {
    const late = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(late.provider);
    const lateDiffer = readOrder(doc).filter((id) => LANGS.some((lang) => getPair(late.doc, id) && cellPlainText(getPair(late.doc, id)!.cell(lang)) !== cellPlainText(getPair(doc, id)!.cell(lang)))).length;
    late.provider.destroy();
    const got = readOrder(check.doc).length;
    const differ = readOrder(doc).filter((id) => LANGS.some((lang) => getPair(check.doc, id) && cellPlainText(getPair(check.doc, id)!.cell(lang)) !== cellPlainText(getPair(doc, id)!.cell(lang))));
    const sample = differ.slice(0, 2).map((id) => `${id}: server ${JSON.stringify(LANGS.map((l) => cellPlainText(getPair(check.doc, id)!.cell(l))))} page ${JSON.stringify(LANGS.map((l) => cellPlainText(getPair(doc, id)!.cell(l))))}`);
    throw new Error(`${(error as Error).message}: a joining client holds ${got} pairs, ${differ.length} of them differ (${differ.slice(0, 3).join(', ')}; ${sample.join('; ')}); a client joining now differs in ${lateDiffer}; the editor is ${editor.provider.wsconnected ? 'connected' : 'not connected'}; the server logged:\n${suite.server.output().slice(-3000)}`);
  }
  check.provider.destroy();
}, 120_000);

describe('what a page shows of every cell (seeded random documents)', () => {
  it(`shows, for each of the ${PAIRS * 2} cells, static or editor, exactly its text identity cellPlainText (seed ${SEED})`, async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    people.push(lan);
    const { page } = lan;
    await page.goto(`${suite.server.url}/d/${DOC}`);
    await page.waitForSelector('[data-testid="pair-list"][data-ready="true"]');
    const ids = readOrder(doc);
    await waitFor(async () => (await page.locator('[data-testid="pair-row"]').count()) === PAIRS, 'every row on the page', 30_000);
    expect(await mismatches(page, ids, false), `seed ${SEED}`).toEqual([]);

    // Editors near the view in three places: y-prosemirror builds them from the same cells.
    let editorsSeen = 0;
    for (const at of [Math.floor(PAIRS / 2), PAIRS - 1, 0]) {
      await row(page, ids[at]!).evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await waitFor(() => cell(page, ids[at]!, 'vi').evaluate((el) => el.classList.contains('ProseMirror')), `an editor at row ${at}`);
      const near = ids.slice(Math.max(0, at - 3), at + 4);
      editorsSeen += await page.locator('.ProseMirror').count();
      expect(await mismatches(page, near, true), `seed ${SEED}, editors near row ${at}`).toEqual([]);
    }
    expect(editorsSeen).toBeGreaterThan(0);
  }, 180_000);
});
