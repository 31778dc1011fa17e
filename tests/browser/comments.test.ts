import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, cell, keyboardSelect, openDeclaration, row, signIn, wordRects, type Member, browserSuite } from './helpers.ts';

/**
 * Comments per delegation, in real Chromium on the real server: a Vietnamese
 * drafter comments on words she selects (one internal note, one shared with
 * the French side); the French drafter sees only the shared thread, answers
 * it, and the Vietnamese drafter sees the answer arrive.
 */

const DOC = 'vn-fr-2023';
const INTERNAL_WORDS = 'chuyển đổi số'; // pair "digital", Vietnamese
const INTERNAL_BODY = 'Nội bộ: cần thống nhất cách dịch “chuyển đổi số” trước khi trao đổi với phía Pháp.';
const SHARED_WORDS = 'gestion efficace de l’eau'; // pair "environment", French
const SHARED_BODY = 'Đề nghị bổ sung: « gestion efficace et durable de l’eau », cho khớp với bản tiếng Việt.';
const REPLY_BODY = 'D’accord sur le principe\u202F; nous proposons « gestion efficace et durable des ressources en eau ».';
const REPLY_EDITED = 'D’accord sur le principe\u202F; nous proposons « gestion efficace et durable des ressources en eau », comme au point 5.';

const suite = browserSuite({ keepPeople: true });
const { people } = suite;

/** A member at their own computer: own browser context, signed in, on the declaration. */
async function member(email: string): Promise<Member> {
  const person = await signIn(suite.browser, suite.server, email);
  people.push(person);
  await openDeclaration(person.page, suite.server.url, DOC);
  return person;
}

/** Selects words by dragging the mouse over them. */
async function dragSelect(page: Page, pairId: string, lang: 'vi' | 'fr', words: string): Promise<void> {
  const { first, last } = await wordRects(page, pairId, lang, words);
  await page.mouse.move(first.x + 1, first.y + first.height / 2);
  await page.mouse.down();
  await page.mouse.move(last.x + last.width - 1, last.y + last.height / 2, { steps: 12 });
  await page.mouse.up();
}

const selectedText = (page: Page) => page.evaluate(() => window.getSelection()?.toString() ?? '');

/** Writes and posts the composer that is open. */
async function post(page: Page, visibility: 'shared' | 'internal', body: string): Promise<string> {
  const composer = page.locator('[data-testid="comment-composer"]');
  await composer.waitFor();
  await composer.locator(`[data-testid="visibility-${visibility}"]`).check();
  await composer.locator('[data-testid="comment-body-input"]').fill(body);
  const before = await page.locator('[data-testid="thread"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-thread-id')));
  await composer.locator('[data-testid="comment-submit"]').click();
  await composer.waitFor({ state: 'detached' });
  const handle = await page.waitForFunction(
    (known) => [...document.querySelectorAll('[data-testid="thread"]')].map((e) => e.getAttribute('data-thread-id')).find((id) => id && !known.includes(id)),
    before,
  );
  return (await handle.jsonValue()) as string;
}

const thread = (page: Page, id: string) => page.locator(`[data-testid="thread"][data-thread-id="${id}"]`);
const highlight = (page: Page, id: string) => page.locator(`.comment-anchor[data-thread-id="${id}"]`);
const highlightText = (page: Page, id: string) => highlight(page, id).evaluateAll((els) => els.map((e) => e.textContent).join(''));

async function openPanel(page: Page): Promise<void> {
  if (await page.locator('[data-testid="comments-panel"]').isHidden()) await page.locator('[data-testid="comments-toggle"]').click();
  await page.locator('[data-testid="comments-panel"]').waitFor();
}

async function badges(page: Page, pairId: string): Promise<string[]> {
  return row(page, pairId)
    .locator('[data-testid="comment-badge"]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-delegation')} ${e.getAttribute('data-count')}`));
}

describe('comments per delegation', () => {
  it('keeps internal notes inside the delegation and carries shared threads and answers live', async () => {
    const lan = await member('vn-drafter@demo.accord');
    const julien = await member('fr-drafter@demo.accord');
    await openPanel(julien.page);
    const vn = lan.page;
    const fr = julien.page;

    // ------------------------------------------------ the Vietnamese drafter: an internal note (mouse)
    await dragSelect(vn, 'digital', 'vi', INTERNAL_WORDS);
    expect(await selectedText(vn)).toBe(INTERNAL_WORDS);
    await vn.locator('[data-testid="comment-bubble"]').click();
    // The words being commented on stay marked while the composer has the focus.
    await expect.poll(() => cell(vn, 'digital', 'vi').locator('[data-testid="comment-pending"]').textContent()).toBe(INTERNAL_WORDS);
    expect(await vn.locator('[data-testid="visibility-internal"]').count()).toBe(1);
    await vn.screenshot({ path: artifactPath('comments-composer.png') });
    const internalId = await post(vn, 'internal', INTERNAL_BODY);
    await expect.poll(() => highlightText(vn, internalId)).toBe(INTERNAL_WORDS);
    expect(await highlight(vn, internalId).first().getAttribute('class')).toContain('comment-anchor--internal');
    expect(await thread(vn, internalId).getAttribute('data-visibility')).toBe('internal');

    // ------------------------------------------------ … and a shared one (keyboard, Ctrl+Alt+M)
    await keyboardSelect(vn, 'environment', 'fr', SHARED_WORDS);
    expect(await selectedText(vn)).toBe(SHARED_WORDS);
    await vn.keyboard.press('Control+Alt+m');
    const sharedId = await post(vn, 'shared', SHARED_BODY);
    await expect.poll(() => highlightText(vn, sharedId)).toBe(SHARED_WORDS);
    expect(await highlight(vn, sharedId).first().getAttribute('class')).toContain('comment-anchor--shared');
    expect(await badges(vn, 'digital')).toEqual(['vn 1']);
    expect(await badges(vn, 'environment')).toEqual(['vn 1']);
    expect(await thread(vn, sharedId).locator('[data-testid="comment-body"]').allTextContents()).toEqual([SHARED_BODY]);

    // ------------------------------------------------ the French drafter sees the shared thread only
    await thread(fr, sharedId).waitFor();
    await expect.poll(() => highlightText(fr, sharedId)).toBe(SHARED_WORDS);
    expect(await fr.locator('[data-testid="thread"]').count()).toBe(1);
    expect(await thread(fr, internalId).count()).toBe(0);
    expect(await highlight(fr, internalId).count()).toBe(0);
    expect(await fr.locator('.comment-anchor--internal').count()).toBe(0);
    expect(await fr.content()).not.toContain('cần thống nhất cách dịch');
    expect(await badges(fr, 'digital')).toEqual([]);
    expect(await badges(fr, 'environment')).toEqual(['vn 1']);
    // Not the author nor a head of the Vietnamese delegation: no resolve button.
    expect(await thread(fr, sharedId).locator('[data-testid="thread-resolve"]').isVisible()).toBe(false);

    // A click on the highlighted words opens the thread; he answers it.
    await fr.locator('[data-testid="comments-close"]').click();
    await highlight(fr, sharedId).first().click();
    await thread(fr, sharedId).waitFor();
    await expect.poll(() => thread(fr, sharedId).getAttribute('class')).toContain('is-active');
    await thread(fr, sharedId).locator('[data-testid="reply-body"]').fill(REPLY_BODY);
    await thread(fr, sharedId).locator('[data-testid="reply-submit"]').click();
    await expect.poll(() => thread(fr, sharedId).locator('[data-testid="comment"]').count()).toBe(2);

    // ------------------------------------------------ the Vietnamese side sees the answer arrive
    await expect.poll(() => thread(vn, sharedId).locator('[data-testid="comment-body"]').allTextContents(), { timeout: 5_000 }).toEqual([SHARED_BODY, REPLY_BODY]);
    expect(await thread(vn, sharedId).locator('.comment__author').allTextContents()).toEqual(['Lê Thị Lan', 'Julien Martin']);

    // He corrects his answer (only his own comment offers it); the correction arrives too.
    expect(await thread(fr, sharedId).locator('[data-testid="comment-edit"]').count()).toBe(1);
    await thread(fr, sharedId).locator('[data-testid="comment"]').nth(1).hover();
    await thread(fr, sharedId).locator('[data-testid="comment-edit"]').click();
    await thread(fr, sharedId).locator('[data-testid="comment-edit-body"]').fill(REPLY_EDITED);
    await thread(fr, sharedId).locator('[data-testid="comment-save"]').click();
    await expect.poll(() => thread(vn, sharedId).locator('[data-testid="comment-body"]').allTextContents(), { timeout: 5_000 }).toEqual([SHARED_BODY, REPLY_EDITED]);
    expect(await thread(vn, sharedId).locator('.comment__edited').nth(1).isVisible()).toBe(true);

    // ------------------------------------------------ the highlight follows the French drafter's edits
    await fr.locator('[data-testid="comments-close"]').click();
    const { first } = await wordRects(fr, 'environment', 'fr', 'efficace de l’eau');
    await fr.mouse.click(first.x + 1, first.y + first.height / 2);
    await fr.keyboard.type('très ');
    await cell(fr, 'environment', 'fr').click();
    await fr.keyboard.press('Control+Home');
    await fr.keyboard.type('Ainsi, ');
    await expect.poll(() => highlightText(vn, sharedId)).toBe('gestion très efficace de l’eau');
    await expect.poll(() => highlightText(fr, sharedId)).toBe('gestion très efficace de l’eau');

    // ------------------------------------------------ a thread leads to its words
    await thread(vn, sharedId).locator('[data-testid="thread-quote"]').click();
    await expect.poll(() => selectedText(vn)).toBe('gestion très efficace de l’eau');
    expect(await highlight(vn, sharedId).first().getAttribute('class')).toContain('is-flash');

    // ------------------------------------------------ screenshot: the Vietnamese drafter's page
    await vn.locator('.comments-panel__title').click(); // leave the text, keep the panel
    await vn.evaluate(() => window.getSelection()?.removeAllRanges());
    await row(vn, 'environment').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await vn.waitForTimeout(2_000); // the flash has faded
    await vn.screenshot({ path: artifactPath('comments.png') });
    await openPanel(fr);
    await fr.screenshot({ path: artifactPath('comments-fr.png') });

    // ------------------------------------------------ resolving: the highlight and the count go
    await thread(vn, internalId).locator('[data-testid="thread-resolve"]').click();
    await expect.poll(() => highlight(vn, internalId).count()).toBe(0);
    await expect.poll(() => badges(vn, 'digital')).toEqual([]);

    expect(people.flatMap((p) => p.errors.map((e) => `${p.name}: ${e}`))).toEqual([]);
  });

  it('shows an observer the shared threads without any comment-writing control', async () => {
    const sophie = await member('observer@demo.accord');
    const page = sophie.page;
    await openPanel(page);
    await page.locator('[data-testid="filter-status"]').selectOption('all');
    await expect.poll(() => page.locator('[data-testid="thread"]').count()).toBe(1);
    expect(await page.locator('[data-testid="thread"][data-visibility="internal"]').count()).toBe(0);
    expect(await page.locator('[data-testid="comments-read-only"]').isVisible()).toBe(true);
    for (const control of ['comment-add', 'comment-bubble', 'comment-composer', 'reply-body', 'reply-submit', 'thread-resolve', 'comment-edit', 'comment-delete']) {
      expect(await page.locator(`[data-testid="${control}"]`).count(), control).toBe(0);
    }
    // The shortcut does nothing for her either.
    await dragSelect(page, 'environment', 'fr', 'protection de l’environnement');
    await page.keyboard.press('Control+Alt+m');
    expect(await page.locator('[data-testid="comment-composer"]').count()).toBe(0);
    expect(sophie.errors).toEqual([]);
  });

  it('keeps the header bar still and its buttons whole when a comment is posted with the panel open', async () => {
    // Alone on the page (the earlier tests' people leave), so the bar says "No one else here".
    await Promise.all(people.splice(0).map((p) => p.context.close()));
    const lan = await member('vn-drafter@demo.accord');
    const page = lan.page;
    await openPanel(page);
    const bar = page.locator('.page-header__bar');
    const alone = page.locator('.people__alone');
    await alone.waitFor();
    const before = (await bar.boundingBox())!.height;
    const count = page.locator('[data-testid="comments-toggle-count"]');
    const threadsBefore = Number((await count.textContent()) || 0);
    await dragSelect(page, 'digital', 'vi', 'chuyển đổi số');
    await page.locator('[data-testid="comment-add"]').click();
    await post(page, 'internal', 'Một dòng.');
    await expect.poll(async () => count.textContent()).toBe(String(threadsBefore + 1));
    // The bar, and the text under it where someone may be typing, does not move when the count changes.
    expect((await bar.boundingBox())!.height).toBe(before);
    // Each button shows its whole label on one line, and "No one else here" stays one line (cut short if need be):
    // with the panel open they were squeezed, a label wrapped, and the bar grew by a line.
    for (const id of ['comment-add', 'comments-toggle']) {
      const fit = await page.locator(`[data-testid="${id}"]`).evaluate((el) => {
        // The line boxes of its words: one top for one line.
        const tops: number[] = [];
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(walker.currentNode);
          for (const r of range.getClientRects()) if (r.width > 0 && !tops.some((top) => Math.abs(top - r.top) < 4)) tops.push(r.top);
        }
        return { clipped: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight, lines: tops.length };
      });
      expect(fit, id).toEqual({ clipped: false, lines: 1 });
    }
    const lineHeight = await alone.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect((await alone.boundingBox())!.height).toBeLessThan(lineHeight * 1.5);
    expect(lan.errors).toEqual([]);
  });
});
