import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/auth.ts';
import { artifactPath, keyboardSelect, openDeclaration, placeCaret, row, signIn, type Member, browserSuite } from './helpers.ts';

/**
 * Bold and italic are part of the agreed text, seen in real browsers: the
 * French head agrees to a pair; a Vietnamese drafter only bolds a few words
 * (Ctrl+B), changing no character; the head's page and the status matrix show
 * the approval stale, "What changed" shows those words with their formatting
 * changed (in bold now); the head agrees to the bold text; and the versions
 * page's comparison of the version cut before with the draft shows the same
 * change, side by side and inline.
 *
 * Screenshots: test-artifacts/formatting-changed.png, test-artifacts/formatting-compare.png.
 */

const DOC = 'vn-fr-2023';
const PAIR = 'heritage';
const WORDS = 'bảo tồn di sản';
/** The words diffed: the last one with the comma after it (a word is everything up to a space; only its letters are bold). */
const DIFFED = `${WORDS},`;

const suite = browserSuite({ keepPeople: true });
const { people } = suite;

async function person(email: string): Promise<Member> {
  const member = await signIn(suite.browser, suite.server, email);
  people.push(member);
  return member;
}

const statusSelector = (pairId: string, partyId: string, status: string) =>
  `[data-testid="pair-row"][data-pair-id="${pairId}"] [data-testid="approval-chip"][data-party="${partyId}"][data-status="${status}"]`;

/** What a formatting-changed mark holds: its text, and whether that text is in bold there. */
const marks = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.map((el) => ({ text: el.textContent, bold: el.querySelector('strong')?.textContent ?? null, label: el.getAttribute('aria-label') })));

describe('formatting is part of the agreed text, in the browser', () => {
  it('a drafter bolds words of an agreed pair: the approval turns stale on every screen and "What changed" names those words, formatting changed', async () => {
    const frHead = await person(DEMO.frHead);
    const vnDrafter = await person(DEMO.vnDrafter);
    const secretariat = await person(DEMO.secretariat);

    // A version of the text as it stands, to compare with later.
    await secretariat.page.goto(`${suite.server.url}/d/${DOC}/versions`);
    await secretariat.page.locator('[data-testid="cut-version"]').click();
    await secretariat.page.locator('[data-testid="version-name-input"]').fill('Bản thảo 1');
    await secretariat.page.locator('[data-testid="cut-submit"]').click();
    await secretariat.page.locator('[data-testid="version-item"][data-number="1"]').waitFor();

    await openDeclaration(frHead.page, suite.server.url, DOC);
    await openDeclaration(vnDrafter.page, suite.server.url, DOC);
    await row(frHead.page, PAIR).scrollIntoViewIfNeeded();
    await row(frHead.page, PAIR).locator('[data-testid="approve-agree"]').click();
    await frHead.page.waitForSelector(statusSelector(PAIR, 'fr', 'agreed'));
    await vnDrafter.page.waitForSelector(statusSelector(PAIR, 'fr', 'agreed'));
    await secretariat.page.goto(`${suite.server.url}/d/${DOC}/status`);
    const matrixCell = `[data-testid="matrix-row"][data-pair-id="${PAIR}"] td[data-party="fr"]`;
    await secretariat.page.waitForSelector(`${matrixCell}[data-status="agreed"]`);

    // The drafter selects the words and makes them bold: not one character changes.
    await placeCaret(vnDrafter.page, PAIR, 'vi', 'start');
    await keyboardSelect(vnDrafter.page, PAIR, 'vi', WORDS);
    expect(await vnDrafter.page.evaluate(() => window.getSelection()?.toString())).toBe(WORDS);
    // The editor has the selection when it offers to comment on it.
    await vnDrafter.page.locator('[data-testid="comment-bubble"]').waitFor();
    await vnDrafter.page.keyboard.press('Control+b');
    await row(vnDrafter.page, PAIR).locator('[data-testid="cell-vi"] strong', { hasText: WORDS }).waitFor();

    // Stale on the drafter's page, the head's and the status matrix, none reloaded.
    await vnDrafter.page.waitForSelector(statusSelector(PAIR, 'fr', 'stale'));
    await frHead.page.waitForSelector(statusSelector(PAIR, 'fr', 'stale'));
    await secretariat.page.waitForSelector(`${matrixCell}[data-status="stale"]`);
    // The head's page shows the words in bold too.
    await row(frHead.page, PAIR).locator('[data-testid="cell-vi"] strong', { hasText: WORDS }).waitFor();

    // What changed: those words, their formatting changed (now bold), nothing added or removed.
    const headRow = row(frHead.page, PAIR);
    await headRow.locator('[data-testid="what-changed"]').click();
    const panel = headRow.locator('[data-testid="changes-panel"]');
    await panel.locator('[data-testid="changes-vi"] mark.diff-formatted').first().waitFor();
    expect(await marks(frHead.page, `[data-testid="pair-row"][data-pair-id="${PAIR}"] [data-testid="changes-vi"] mark.diff-formatted`)).toEqual([
      { text: DIFFED, bold: WORDS, label: `formatting changed: ${DIFFED}` },
    ]);
    expect(await panel.locator('.changes__grid').locator('ins, del').count()).toBe(0);
    expect(await panel.locator('[data-testid="changes-vi"] .changes__count').textContent()).toBe('+0 / −0 words, formatting changed');
    expect(await panel.locator('[data-testid="changes-fr"] .changes__count').textContent()).toBe('No change');
    expect(await panel.locator('.changes__legend mark.diff-formatted').textContent()).toBe('formatting changed');
    await panel.scrollIntoViewIfNeeded();
    await frHead.page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await frHead.page.screenshot({ path: artifactPath('formatting-changed.png') });

    // The head agrees to the bold text: the page's hash of it is the server's, so the approval is taken.
    await panel.locator('[data-testid="agree-new-text"]').click();
    await frHead.page.waitForSelector(statusSelector(PAIR, 'fr', 'agreed'));
    await vnDrafter.page.waitForSelector(statusSelector(PAIR, 'fr', 'agreed'));

    // The versions page: version 1 against the draft shows the same change, side by side and inline.
    const page = secretariat.page;
    await page.goto(`${suite.server.url}/d/${DOC}/versions`);
    await page.locator('[data-testid="version-item"][data-number="1"] [data-testid="compare-draft"]').click();
    const change = page.locator(`[data-testid="pair-change"][data-pair-id="${PAIR}"]`);
    await change.waitFor();
    expect(await change.getAttribute('data-change')).toBe('changed');
    expect(await page.locator('[data-testid="pair-change"]').count()).toBe(1);
    const inChange = (testid: string) => `[data-testid="pair-change"][data-pair-id="${PAIR}"] [data-testid="${testid}"] mark.diff-formatted`;
    expect(await marks(page, inChange('before-vi'))).toEqual([{ text: DIFFED, bold: null, label: `formatting changed: ${DIFFED}` }]);
    expect(await marks(page, inChange('after-vi'))).toEqual([{ text: DIFFED, bold: WORDS, label: `formatting changed: ${DIFFED}` }]);
    expect(await change.locator('ins, del').count()).toBe(0);
    await change.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('formatting-compare.png') });
    await page.locator('[data-testid="layout-inline"]').click();
    await page.locator('[data-testid="diff-result"][data-layout="inline"]').waitFor();
    expect(await marks(page, inChange('inline-vi'))).toEqual([{ text: DIFFED, bold: WORDS, label: `formatting changed: ${DIFFED}` }]);

    for (const member of people) expect(member.errors, member.name).toEqual([]);
  });
});
