import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { DEMO } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { insertPair, readOrder } from '../../shared/model/index.ts';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';
import { artifactPath, cellText, eventually, row, sessionCookie, signIn, storedPairs, type Member, browserSuite } from './helpers.ts';

/**
 * Find and replace over the declaration's text: both languages, NFC or NFD,
 * optionally without Vietnamese tone marks; next / previous bring a match
 * far below the window into view (rows there have no editor yet) and
 * highlight it; editors replace one match or all of them, through the Y.Doc
 * (the server stores it); observers find only.
 */

const DOC = jointDeclaration.id;
const PAIRS = 80;

const suite = browserSuite();
const { people } = suite;
let secretariat: string;

beforeAll(async () => {
  secretariat = await sessionCookie(suite.server, DEMO.secretariat);
  const wsUrl = suite.server.url.replace(/^http/, 'ws');
  const { doc, provider } = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie: secretariat });
  await synced(provider);
  doc.transact(() => {
    for (let i = readOrder(doc).length; i < PAIRS; i++) insertPair(doc, { id: `filler-${i + 1}`, vi: `(${i + 1}) Nội dung ${i + 1}.`, fr: `(${i + 1}) Contenu ${i + 1}.` });
    // Far below: the old placement of the tone mark, typed in NFD, and a French sentence.
    insertPair(doc, { id: 'far-peace', vi: `Vì ${'hoà bình'.normalize('NFD')} và hữu nghị lâu dài`, fr: 'Pour une paix durable\u00a0: la paix et l’amitié' });
  });
  await waitFor(() => readOrder(doc).includes('far-peace'), 'the far pair');
  const check = connectProvider(wsUrl, DOC, new Y.Doc(), { cookie: secretariat });
  await synced(check.provider);
  await waitFor(() => readOrder(check.doc).includes('far-peace'), 'the far pair on the server', 30_000);
  provider.destroy();
  check.provider.destroy();
});

async function open(email: string): Promise<Member> {
  const person = await signIn(suite.browser, suite.server, email);
  people.push(person);
  await person.page.goto(`${suite.server.url}/d/${DOC}`);
  await person.page.waitForSelector('[data-testid="pair-list"][data-ready="true"]');
  return person;
}

const bar = (page: Page) => page.locator('[data-testid="find-bar"]');

/** What the current highlight covers, and the pair of the row it is in. */
function currentHighlight(page: Page) {
  return page.evaluate(() => {
    const highlight = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('accord-find-current');
    const range = highlight ? [...highlight][0] : undefined;
    if (!range) return null;
    const rowEl = (range.startContainer.parentElement as HTMLElement | null)?.closest('[data-pair-id]');
    const rect = range.getBoundingClientRect();
    return {
      text: range.toString().normalize('NFC'),
      pairId: rowEl?.getAttribute('data-pair-id') ?? null,
      inView: rect.top >= 0 && rect.bottom <= window.innerHeight && rect.height > 0,
    };
  });
}

describe('find and replace in the declaration', () => {
  it('finds in both languages, tone marks ignored when asked, and brings a far match into view, highlighted', async () => {
    const lan = await open(DEMO.vnDrafter);
    const page = lan.page;
    expect(await bar(page).isHidden()).toBe(true);
    await page.locator('[data-testid="cell-vi"]').first().click();
    await page.keyboard.press('Control+f');
    await bar(page).waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('find-query');

    // NFC query, NFD text, other placement of the mark: found only without tone marks.
    await page.keyboard.type('hòa bình');
    await eventually(() => bar(page).getAttribute('data-count'), (n) => n === '0', 'no match with tone marks');
    expect(await page.locator('[data-testid="find-count"]').textContent()).toBe('No match');
    await page.locator('[data-testid="find-tones"]').check();
    await eventually(() => bar(page).getAttribute('data-current-pair'), (id) => id === 'far-peace', 'the far match is current');
    const far = await eventually(() => currentHighlight(page), (h) => h?.pairId === 'far-peace' && h.inView, 'the far match highlighted in view');
    expect(far!.text).toBe('hoà bình');
    expect(await page.locator('[data-testid="find-count"]').textContent()).toBe(`1 of 1 · ¶${PAIRS + 1} VI`);

    // French, through a no-break space, next and previous wrapping around.
    await page.locator('[data-testid="find-query"]').fill('paix');
    await eventually(() => bar(page).getAttribute('data-count'), (n) => Number(n) >= 2, 'French matches');
    const total = Number(await bar(page).getAttribute('data-count'));
    await page.locator('[data-testid="find-query"]').fill('durable : la paix');
    await eventually(() => bar(page).getAttribute('data-count'), (n) => n === '1', 'a typed space finds the no-break space');
    await eventually(() => currentHighlight(page), (h) => h?.text === 'durable\u00a0: la paix' && h.inView, 'highlighted across the no-break space');
    await page.locator('[data-testid="find-query"]').fill('paix');
    await eventually(() => bar(page).getAttribute('data-count'), (n) => Number(n) === total, 'French matches again');
    await page.locator('[data-testid="find-previous"]').click();
    expect(await bar(page).getAttribute('data-current')).toBe(String(total));
    await eventually(() => currentHighlight(page), (h) => h?.pairId === 'far-peace' && h.text === 'paix' && h.inView, 'the last match, far below');
    await page.locator('[data-testid="find-next"]').click();
    expect(await bar(page).getAttribute('data-current')).toBe('1');
    await page.screenshot({ path: artifactPath('find-bar.png') });

    await page.keyboard.press('Escape');
    await bar(page).waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('accord-find-current'))).toBe(false);
  });

  it('lets an editor replace one match and then all of them, stored by the server like typing', async () => {
    const lan = await open(DEMO.vnDrafter);
    const page = lan.page;
    await page.keyboard.press('Control+h');
    await bar(page).waitFor();
    await page.locator('[data-testid="find-query"]').fill('paix');
    await eventually(() => bar(page).getAttribute('data-count'), (n) => Number(n) >= 2, 'matches');
    // Go to the far pair's first "paix" and replace it.
    while ((await bar(page).getAttribute('data-current-pair')) !== 'far-peace') await page.locator('[data-testid="find-next"]').click();
    const before = Number(await bar(page).getAttribute('data-count'));
    await page.locator('[data-testid="find-replacement"]').fill('concorde');
    await page.locator('[data-testid="find-replace"]').click();
    await eventually(() => cellText(page, 'far-peace', 'fr'), (text) => text === 'Pour une concorde durable\u00a0: la paix et l’amitié', 'one replaced');
    expect(Number(await bar(page).getAttribute('data-count'))).toBe(before - 1);
    // The next match is current: the second "paix" of the same pair.
    expect(await bar(page).getAttribute('data-current-pair')).toBe('far-peace');

    await page.locator('[data-testid="find-replace-all"]').click();
    await eventually(() => bar(page).getAttribute('data-count'), (n) => n === '0', 'all replaced');
    expect(await page.locator('[data-testid="notice"]').textContent()).toBe(`${before - 1} replaced`);
    expect(await cellText(page, 'far-peace', 'fr')).toBe('Pour une concorde durable\u00a0: la concorde et l’amitié');
    const stored = await eventually(
      () => storedPairs(suite.server.url, secretariat, DOC),
      (pairs) => pairs.find((p) => p.id === 'far-peace')?.fr === 'Pour une concorde durable\u00a0: la concorde et l’amitié',
      'the server stores the replacements',
    );
    expect(stored.some((p) => /paix/i.test(p.fr))).toBe(false);
    expect(await row(page, 'far-peace').count()).toBe(1);
  });

  it('lets an observer find but not replace', async () => {
    const sophie = await open(DEMO.observer);
    const page = sophie.page;
    await page.keyboard.press('Control+h');
    await bar(page).waitFor();
    expect(await page.locator('[data-testid="find-replacement"], [data-testid="find-replace"], [data-testid="find-replace-all"]').count()).toBe(0);
    expect(await page.locator('[data-testid="find-read-only"]').isVisible()).toBe(true);
    await page.locator('[data-testid="find-query"]').fill('hữu nghị');
    await eventually(() => currentHighlight(page), (h) => h?.pairId === 'far-peace' && h.text === 'hữu nghị' && h.inView, 'found far below');
  });
});
