import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, browserSuite, cell, eventually, followLink, openDeclaration, signInLink } from './helpers.ts';

/**
 * A phone (390×844) and a laptop's short screen (1280×720), in each interface
 * language: the declaration's header folds while someone types (at most a
 * quarter of a phone's height), the languages keep 400 px each beside the
 * comments panel, and the status matrix shows every party on a phone's screen.
 */

const DOC = 'vn-fr-2023';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 720 };
const WIDE_LAPTOP = { width: 1440, height: 900 };
const LOCALES = [
  { browser: 'en-GB', lang: 'en' },
  { browser: 'fr-FR', lang: 'fr' },
  { browser: 'vi-VN', lang: 'vi' },
] as const;

const suite = browserSuite();

const headerHeight = (page: Page): Promise<number> => page.locator('header.page-header').evaluate((el) => el.getBoundingClientRect().height);

/** Where the caret is on the screen, and the header's bottom edge. */
const caretAndHeader = (page: Page) =>
  page.evaluate(() => {
    const range = window.getSelection()!.getRangeAt(0);
    const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
    return { caretTop: rect.top, caretBottom: rect.bottom, headerBottom: document.querySelector('header.page-header')!.getBoundingClientRect().bottom };
  });

/** Opens the declaration as the Vietnamese drafter, in this browser language and window. */
async function drafter(locale: string, viewport: { width: number; height: number }, lang: string): Promise<Page> {
  const { page } = await suite.member('vn-drafter@demo.accord', { viewport, locale });
  await openDeclaration(page, suite.server.url, DOC);
  await page.locator('[data-testid="pair-list"][data-ready="true"]').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
  return page;
}

/** The first pair's two languages: each at least 400 px wide, side by side, both clear of the comments panel. */
async function expectLanguagesSideBySide(page: Page): Promise<void> {
  const columns = await page.locator('[data-testid="pair-row"][data-pair-id="preamble-1"] .cell').evaluateAll((cells) =>
    cells.map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, width: r.width };
    }),
  );
  expect(columns).toHaveLength(2);
  const [vi, fr] = columns as [(typeof columns)[0], (typeof columns)[0]];
  expect(vi.width).toBeGreaterThanOrEqual(400);
  expect(fr.width).toBeGreaterThanOrEqual(400);
  // Side by side, both clear of the panel.
  expect(vi.top).toBe(fr.top);
  expect(vi.right).toBeLessThanOrEqual(fr.left);
  const panelLeft = await page.locator('[data-testid="comments-panel"]').evaluate((el) => el.getBoundingClientRect().left);
  expect(fr.right).toBeLessThanOrEqual(panelLeft);
}

describe.each(LOCALES)('small screens ($lang)', ({ browser: locale, lang }) => {
  it('on a phone the header folds to a quarter of the screen while typing, and unfolds on scroll up or when the text is left', async () => {
    const page = await drafter(locale, PHONE, lang);
    await page.screenshot({ path: artifactPath(`small-screens-phone-${lang}.png`) });
    expect(await headerHeight(page)).toBeGreaterThan(PHONE.height / 4);

    await cell(page, 'preamble-1', 'vi').click();
    await page.keyboard.type(' abc');
    await eventually(() => headerHeight(page), (h) => h <= PHONE.height / 4, 'the folded header, at most a quarter of the height');
    await page.screenshot({ path: artifactPath(`small-screens-phone-typing-${lang}.png`) });
    // What typing needs stays: the formatting tools and the connection, on the screen; the caret under the header.
    for (const tool of ['bold', 'connection-state']) {
      const box = (await page.locator(`header [data-testid="${tool}"]`).boundingBox())!;
      expect(box, tool).not.toBeNull();
      expect(box.x + box.width, tool).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await page.locator('header .view-tabs').isVisible()).toBe(false);
    const caret = await caretAndHeader(page);
    expect(caret.caretTop).toBeGreaterThanOrEqual(caret.headerBottom);
    expect(caret.caretBottom).toBeLessThanOrEqual(PHONE.height);

    // Scrolling up: the whole header is back; the next keystroke folds it again.
    await page.mouse.wheel(0, -200);
    await eventually(() => headerHeight(page), (h) => h > PHONE.height / 4, 'the whole header after scrolling up');
    expect(await page.locator('header .view-tabs').isVisible()).toBe(true);
    await page.keyboard.type('d');
    await eventually(() => headerHeight(page), (h) => h <= PHONE.height / 4, 'the folded header at the next keystroke');

    // Leaving the text: the whole header.
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await eventually(() => headerHeight(page), (h) => h > PHONE.height / 4, 'the whole header once the text is left');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  });

  it('on a 1280×720 laptop with the comments panel open, each language keeps 400 px side by side and the header folds while typing', async () => {
    const page = await drafter(locale, LAPTOP, lang);
    await page.locator('[data-testid="comments-toggle"]').click();
    await page.locator('[data-testid="comments-panel"]').waitFor();
    await cell(page, 'preamble-1', 'fr').click();
    await page.keyboard.type(' abc');
    await eventually(() => headerHeight(page), (h) => h <= LAPTOP.height / 4, 'the folded header, at most a quarter of the height');
    await page.screenshot({ path: artifactPath(`small-screens-laptop-comments-${lang}.png`) });
    await expectLanguagesSideBySide(page);
    const caret = await caretAndHeader(page);
    expect(caret.caretTop).toBeGreaterThanOrEqual(caret.headerBottom);
  });

  it('on a 1440×900 laptop with the comments panel open, each language keeps 400 px side by side, and up to 1530 px wide', async () => {
    const page = await drafter(locale, WIDE_LAPTOP, lang);
    await page.locator('[data-testid="comments-toggle"]').click();
    await page.locator('[data-testid="comments-panel"]').waitFor();
    await page.screenshot({ path: artifactPath(`small-screens-wide-laptop-comments-${lang}.png`) });
    await expectLanguagesSideBySide(page);
    // In four columns beside the panel each language has 400 px only from about 1530 px.
    await page.setViewportSize({ width: 1530, height: WIDE_LAPTOP.height });
    await expectLanguagesSideBySide(page);
  });

  it('on a phone a reader\'s header fits the width and folds while they scroll down the text, all of it back when they scroll up', async () => {
    const { page } = await suite.member('observer@demo.accord', { viewport: PHONE, locale });
    await openDeclaration(page, suite.server.url, DOC);
    await page.locator('[data-testid="pair-list"][data-ready="true"]').waitFor();
    // The read-only badge ran past the screen's edge in Vietnamese.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    const badge = (await page.locator('[data-testid="read-only-badge"]').boundingBox())!;
    expect(badge.x + badge.width).toBeLessThanOrEqual(PHONE.width);

    await page.mouse.move(PHONE.width / 2, PHONE.height * 0.75);
    await page.mouse.wheel(0, 400);
    await eventually(() => headerHeight(page), (h) => h <= PHONE.height / 4, 'the folded header while scrolling down');
    expect(await page.locator('[data-testid="read-only-badge"]').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath(`small-screens-phone-reading-${lang}.png`) });
    await page.mouse.wheel(0, -100);
    await eventually(() => headerHeight(page), (h) => h > PHONE.height / 4, 'the whole header after scrolling up');
  });

  it('on a phone a short scroll down from the top folds a reader\'s header, and it stays folded as the text moves up under it', async () => {
    const { page } = await suite.member('observer@demo.accord', { viewport: PHONE, locale });
    await openDeclaration(page, suite.server.url, DOC);
    await page.locator('[data-testid="pair-list"][data-ready="true"]').waitFor();
    // Every change of the header's fold, in order.
    await page.evaluate(() => {
      const header = document.querySelector('header.page-header') as HTMLElement;
      const folds: string[] = [];
      (window as unknown as { folds: string[] }).folds = folds;
      new MutationObserver(() => folds.push(header.dataset.compact ?? 'open')).observe(header, { attributes: true, attributeFilter: ['data-compact'] });
    });
    await page.mouse.move(PHONE.width / 2, PHONE.height * 0.75);
    // Less than the header gives up: scroll anchoring takes the page back to its top.
    await page.mouse.wheel(0, 100);
    await eventually(() => headerHeight(page), (h) => h <= PHONE.height / 4, 'the folded header after a short scroll down');
    // A few frames: the layout, the browser's scroll anchoring, its scroll event.
    const folds = await page.evaluate(async () => {
      for (let i = 0; i < 4; i++) await new Promise(requestAnimationFrame);
      return (window as unknown as { folds: string[] }).folds;
    });
    expect(folds).toEqual(['true']);
    expect(await headerHeight(page)).toBeLessThanOrEqual(PHONE.height / 4);
  });

  it('on a phone the status matrix shows every party of every pair on the screen', async () => {
    const page = await drafter(locale, PHONE, lang);
    await page.goto(`${suite.server.url}/d/${DOC}/status`);
    await page.locator('[data-testid="matrix-row"]').first().waitFor();
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    await page.screenshot({ path: artifactPath(`small-screens-status-phone-${lang}.png`), fullPage: true });

    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const cells = await page.locator('[data-testid="status-matrix"] td.matrix__cell').evaluateAll((tds) =>
      tds.map((td) => ({ party: td.getAttribute('data-party'), right: td.getBoundingClientRect().right, shown: td.querySelector('.matrix__cell-party')?.checkVisibility() ?? false })),
    );
    // The structure and 8 pairs, each with both parties.
    expect(cells.filter((c) => c.party === 'fr')).toHaveLength(9);
    for (const c of cells) {
      expect(c.right, `the ${c.party} cell's right edge`).toBeLessThanOrEqual(PHONE.width);
      expect(c.shown, `the ${c.party} party named in its cell`).toBe(true);
    }
  });
});

describe('small screens, by touch', () => {
  it('on a touch phone a swipe up the text folds the header and a swipe down brings all of it back', async () => {
    const context = await suite.browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 1, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(`console: ${message.text()}`)));
    suite.people.push({ context, errors });
    await followLink(page, await signInLink(suite.server, 'observer@demo.accord'));
    await openDeclaration(page, suite.server.url, DOC);
    await page.locator('[data-testid="pair-list"][data-ready="true"]').waitFor();
    expect(await headerHeight(page)).toBeGreaterThan(PHONE.height / 4);

    // A finger on the screen, moved up then down: touch events as the phone sends them.
    const cdp = await context.newCDPSession(page);
    const swipe = async (fromY: number, toY: number): Promise<void> => {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: PHONE.width / 2, y: fromY }] });
      for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: PHONE.width / 2, y: fromY + ((toY - fromY) * i) / 10 }] });
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    };
    await swipe(700, 300);
    await eventually(() => headerHeight(page), (h) => h <= PHONE.height / 4, 'the folded header after a swipe up');
    await swipe(300, 420);
    await eventually(() => headerHeight(page), (h) => h > PHONE.height / 4, 'the whole header after a swipe down');
  });
});
