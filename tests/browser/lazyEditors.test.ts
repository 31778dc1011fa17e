import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { DEMO } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { deletePair, getPair, insertPair, movePair, paragraphXmlText, readOrder, readPairText } from '../../shared/model/index.ts';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';
import { cell, cellText, eventually, row, sessionCookie, signIn, type Member, browserSuite } from './helpers.ts';

/**
 * A long declaration (the demo scaled to 200 pairs, as in the browser bench):
 * only the rows near the viewport have editors, the others show their text
 * statically (lazyRows.ts, staticCell.ts). What a person sees and can do must
 * not change: every text is there, far rows take clicks and typing, others'
 * edits show everywhere, undo survives the editor going and coming back.
 */

const DOC = jointDeclaration.id;
const PAIRS = 200;
/** Three screens of rows at most have editors: far fewer than the 2 × 200 cells. */
const MAX_EDITORS = 80;

const suite = browserSuite();
const { people } = suite;
let secretariat: string;
let wsUrl: string;

beforeAll(async () => {
  secretariat = await sessionCookie(suite.server, DEMO.secretariat);
  wsUrl = suite.server.url.replace(/^http/, 'ws');
  const { doc, provider } = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie: secretariat });
  await synced(provider);
  const source = jointDeclaration.pairs.slice(1);
  doc.transact(() => {
    for (let i = readOrder(doc).length; i < PAIRS; i++) {
      const p = source[i % source.length]!;
      insertPair(doc, { id: `long-${i + 1}`, kind: p.kind === 'closing' ? 'operative' : p.kind, vi: `(${i + 1}) ${p.vi}`, fr: `(${i + 1}) ${p.fr}` });
    }
  });
  const check = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie: secretariat });
  await synced(check.provider);
  await waitFor(() => readOrder(check.doc).length === PAIRS, `${PAIRS} pairs on the server`, 30_000);
  provider.destroy();
  check.provider.destroy();
});

async function drafterOnLongDeclaration(): Promise<Member> {
  const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
  people.push(lan);
  await lan.page.goto(`${suite.server.url}/d/${DOC}`);
  await lan.page.waitForSelector('[data-testid="pair-list"][data-ready="true"]');
  return lan;
}

/** A y-websocket client on the declaration, as another member's page is. */
async function otherClient(email: string): Promise<{ doc: Y.Doc; destroy(): void }> {
  const { doc, provider } = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie: await sessionCookie(suite.server, email) });
  await synced(provider);
  return { doc, destroy: () => provider.destroy() };
}

const editorCount = (page: Page): Promise<number> => page.locator('.ProseMirror').count();
const isStatic = (page: Page, pairId: string, lang: 'vi' | 'fr'): Promise<boolean> =>
  cell(page, pairId, lang).evaluate((el) => el.getAttribute('data-static') === 'true' && !el.classList.contains('ProseMirror'));

async function scrollToRow(page: Page, pairId: string): Promise<void> {
  await row(page, pairId).evaluate((el) => el.scrollIntoView({ block: 'center' }));
}

describe('a declaration of 200 pairs', () => {
  it('has editors only for the rows near the view, and every text shown', async () => {
    const { page } = await drafterOnLongDeclaration();
    const ids = await page.$$eval('[data-testid="pair-row"]', (rows) => rows.map((r) => r.getAttribute('data-pair-id')!));
    expect(ids).toHaveLength(PAIRS);

    const atTop = await editorCount(page);
    expect(atTop).toBeGreaterThan(0);
    expect(atTop).toBeLessThanOrEqual(MAX_EDITORS);
    expect(await cell(page, ids[0]!, 'vi').getAttribute('contenteditable')).toBe('true');
    expect(await isStatic(page, ids[PAIRS - 1]!, 'vi')).toBe(true);

    // Every cell, editor or static, shows the stored text.
    const { doc, destroy } = await otherClient(DEMO.secretariat);
    for (const id of [ids[0]!, ids[100]!, ids[PAIRS - 1]!]) {
      const stored = readPairText(doc, id)!;
      expect(await cellText(page, id, 'vi')).toBe(stored.vi);
      expect(await cellText(page, id, 'fr')).toBe(stored.fr);
    }
    destroy();

    // At the end of the declaration: the last rows have editors, the first do not, and the count stays bounded.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await eventually(() => cell(page, ids[PAIRS - 1]!, 'vi').getAttribute('contenteditable'), (v) => v === 'true', 'editors on the last row');
    await eventually(() => isStatic(page, ids[0]!, 'vi'), (v) => v, 'the first row static again');
    expect(await editorCount(page)).toBeLessThanOrEqual(MAX_EDITORS);
  });

  it('lets a person click into a far pair and type, and the others get the text', async () => {
    const { page } = await drafterOnLongDeclaration();
    const julien = await otherClient(DEMO.frDrafter);
    const far = 'long-170';
    expect(await isStatic(page, far, 'fr')).toBe(true);

    // Playwright scrolls the cell into view and clicks it, as a person would.
    await cell(page, far, 'fr').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' (texte ajouté loin)');
    expect(await isStatic(page, far, 'fr')).toBe(false);
    await waitFor(() => readPairText(julien.doc, far)?.fr.endsWith(' (texte ajouté loin)') === true, 'the text typed far down at the other client');

    // Scrolled far away, the row keeps its editors while the person's caret is in it; once the focus leaves, they go.
    await scrollToRow(page, 'long-10');
    await eventually(() => isStatic(page, 'long-10', 'vi'), (v) => !v, 'editors where the page is now');
    expect(await isStatic(page, far, 'fr')).toBe(false);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await eventually(() => isStatic(page, far, 'vi'), (v) => v, 'the far row static again once the focus left');

    // A focused static cell (e.g. reached with Tab) hands the focus to its editor.
    await cell(page, far, 'vi').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('Đầu: ');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('ProseMirror'))).toBe(true);
    await waitFor(() => readPairText(julien.doc, far)?.vi.startsWith('Đầu: ') === true, 'the text typed after a focus at the other client');
    julien.destroy();
  });

  it('shows an edit made elsewhere in a far pair that has no editor', async () => {
    const { page } = await drafterOnLongDeclaration();
    const far = 'long-150';
    expect(await isStatic(page, far, 'vi')).toBe(true);
    const minh = await otherClient(DEMO.vnHead);
    const text = paragraphXmlText(getPair(minh.doc, far)!.cell('vi').get(0) as Y.XmlElement)!;
    text.insert(0, 'Sửa từ xa. ');
    await eventually(() => cellText(page, far, 'vi'), (v) => v.startsWith('Sửa từ xa. (150)'), 'the remote edit in the static text');
    // Bold arrives as bold.
    text.format(0, 4, { strong: {} });
    await eventually(() => cell(page, far, 'vi').locator('strong').allTextContents(), (v) => v.join() === 'Sửa ', 'the remote bold in the static text');
    expect(await isStatic(page, far, 'vi')).toBe(true);
    minh.destroy();
  });

  it('gives its editors to a far pair that someone moves into view', async () => {
    const { page } = await drafterOnLongDeclaration();
    const far = 'long-160';
    expect(await isStatic(page, far, 'vi')).toBe(true);
    const julien = await otherClient(DEMO.frDrafter);
    // Third in the list: where the page is.
    movePair(julien.doc, far, 2);
    await eventually(() => page.$$eval('[data-testid="pair-row"]', (rows) => rows[2]?.getAttribute('data-pair-id')), (v) => v === far, 'the moved row third');
    await eventually(() => isStatic(page, far, 'vi'), (v) => !v, 'the moved row live');
    expect(await cell(page, far, 'fr').getAttribute('contenteditable')).toBe('true');
    julien.destroy();
  });

  it('keeps a row the same height with and without its editors', async () => {
    const { page } = await drafterOnLongDeclaration();
    const far = 'long-120';
    expect(await isStatic(page, far, 'vi')).toBe(true);
    // Off screen the row is not laid out (content-visibility: auto): lay it out to measure it as static text.
    const staticHeight = await row(page, far).evaluate((el) => {
      (el as HTMLElement).style.contentVisibility = 'visible';
      const height = el.getBoundingClientRect().height;
      (el as HTMLElement).style.contentVisibility = '';
      return height;
    });
    await scrollToRow(page, far);
    await eventually(() => isStatic(page, far, 'vi'), (v) => !v, 'the row live once in view');
    expect(await row(page, far).evaluate((el) => el.getBoundingClientRect().height)).toBe(staticHeight);
  });

  it('undoes what the person typed in a pair after its editor went away and came back', async () => {
    const { page } = await drafterOnLongDeclaration();
    const pair = 'long-20';
    const julien = await otherClient(DEMO.frDrafter);
    const before = readPairText(julien.doc, pair)!.vi;

    await cell(page, pair, 'vi').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' thêm');
    await waitFor(() => readPairText(julien.doc, pair)?.vi === `${before} thêm`, 'the typed words at the other client');

    // Far away and back: the row loses its editors, then gets new ones.
    await cell(page, 'long-190', 'vi').click();
    await eventually(() => isStatic(page, pair, 'vi'), (v) => v, 'the row static while far');
    await cell(page, pair, 'vi').click();
    expect(await isStatic(page, pair, 'vi')).toBe(false);

    await page.keyboard.press('Control+z');
    await waitFor(() => readPairText(julien.doc, pair)?.vi === before, 'the undone words gone at the other client');
    expect(await cellText(page, pair, 'vi')).toBe(before);
    await page.keyboard.press('Control+y');
    await waitFor(() => readPairText(julien.doc, pair)?.vi === `${before} thêm`, 'the redone words back at the other client');
    julien.destroy();
  });
  it('keeps the caret on screen and clear of the sticky header as the person types, and leaves the page still when it already is', async () => {
    const lan = await drafterOnLongDeclaration();
    const ids = await lan.page.$$eval('[data-testid="pair-row"]', (rows) => rows.map((r) => r.getAttribute('data-pair-id')!));
    const pair = ids[20]!;
    await cell(lan.page, pair, 'vi').click();
    await lan.page.keyboard.press('Control+End');
    /** The caret's top and bottom in the window, the header's bottom, the window's height and scroll. */
    const where = () =>
      lan.page.evaluate(() => {
        const range = document.getSelection()!.getRangeAt(0);
        const caret = range.getClientRects()[0] ?? range.getBoundingClientRect();
        return {
          top: caret.top,
          bottom: caret.bottom,
          header: document.querySelector('.page-header')!.getBoundingClientRect().bottom,
          height: document.documentElement.clientHeight,
          scrollY: window.scrollY,
        };
      });
    const visible = (w: Awaited<ReturnType<typeof where>>) => w.top >= w.header && w.bottom <= w.height;

    // Well in view (the row in the middle of the window): typing does not move the page.
    await row(lan.page, pair).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const before = await where();
    expect(visible(before)).toBe(true);
    await lan.page.keyboard.type('ab');
    const still = await where();
    expect(still.scrollY).toBe(before.scrollY);
    expect(visible(still)).toBe(true);

    // Scrolled so that the caret hides under the sticky header: the next key brings it out.
    await lan.page.evaluate((dy) => window.scrollBy(0, dy), still.top - 10);
    expect(visible(await where())).toBe(false);
    await lan.page.keyboard.type('c');
    expect(visible(await where())).toBe(true);

    // Scrolled so that the caret is below the window: the next key brings it up.
    const now = await where();
    await lan.page.evaluate((dy) => window.scrollBy(0, dy), now.bottom - now.height - 200);
    expect(visible(await where())).toBe(false);
    await lan.page.keyboard.type('d');
    expect(visible(await where())).toBe(true);
    expect(await cellText(lan.page, pair, 'vi')).toMatch(/abcd$/);
  });
  it("shows a far pair's kind as text, and lets a drafter change it once the pair is in view", async () => {
    const { page } = await drafterOnLongDeclaration();
    const far = 'long-150';
    const kindText = row(page, far).locator('.row__kind');
    expect(await isStatic(page, far, 'vi')).toBe(true);
    // No form field in a row far away (see row.ts: Chromium's autofill inspects every one after a load).
    expect(await row(page, far).locator('select, input, textarea').count()).toBe(0);
    expect(await kindText.textContent()).toBe('Operative');

    await scrollToRow(page, far);
    const select = row(page, far).locator('[data-testid="pair-kind"]');
    await select.waitFor();
    expect(await select.inputValue()).toBe('operative');
    await select.selectOption('preamble');
    const other = await otherClient(DEMO.frDrafter);
    try {
      await waitFor(() => getPair(other.doc, far)?.map.get('kind') === 'preamble', 'the new kind on the server');
    } finally {
      other.destroy();
    }
    expect(await row(page, far).getAttribute('data-kind')).toBe('preamble');
  });

  it("names a far pair's cells by its number, as an editor would be, and renumbers them when a pair is added above", async () => {
    const { page } = await drafterOnLongDeclaration();
    const ids = await page.$$eval('[data-testid="pair-row"]', (rows) => rows.map((r) => r.getAttribute('data-pair-id')!));
    const far = ids[150]!;
    expect(await isStatic(page, far, 'vi')).toBe(true);
    expect(await cell(page, ids[0]!, 'vi').getAttribute('aria-label')).toBe('Paragraph 1, Vietnamese');
    expect(await cell(page, far, 'vi').getAttribute('aria-label')).toBe('Paragraph 151, Vietnamese');
    expect(await cell(page, far, 'fr').getAttribute('aria-label')).toBe('Paragraph 151, French');

    const other = await otherClient(DEMO.secretariat);
    const added = insertPair(other.doc, { kind: 'preamble', vi: 'Đoạn mới ở đầu.', fr: 'Nouveau paragraphe en tête.' }, null);
    try {
      await eventually(() => cell(page, far, 'vi').getAttribute('aria-label'), (v) => v === 'Paragraph 152, Vietnamese', 'the far static cell renumbered');
      expect(await cell(page, far, 'fr').getAttribute('aria-label')).toBe('Paragraph 152, French');
      expect(await isStatic(page, far, 'vi')).toBe(true);
    } finally {
      // The declaration as the other tests of this file expect it.
      deletePair(other.doc, added);
      await eventually(() => page.locator('[data-testid="pair-row"]').count(), (n) => n === PAIRS, 'the added pair gone again');
      other.destroy();
    }
  });
});
