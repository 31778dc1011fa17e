import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, browserSuite, cellText, eventually, keyboardSelect, openDeclaration, placeCaret, row, shownOrder } from './helpers.ts';

/**
 * Who changed what, and bringing deleted pairs back (issue 21, points 2, 8
 * and 15), in real Chromium on the real server: a drafter undoes a delete
 * (button and Ctrl+Z); another brings a deleted pair back from "Recently
 * deleted" with its comments; anyone reads who typed in a pair.
 */

const DOC = 'vn-fr-2023';
const DEMO = {
  frHead: 'fr-head@demo.accord',
  vnDrafter: 'vn-drafter@demo.accord',
  frDrafter: 'fr-drafter@demo.accord',
  observer: 'observer@demo.accord',
};

const suite = browserSuite();

async function waitForStatus(page: Page, pairId: string, partyId: string, status: string): Promise<void> {
  await page.waitForSelector(`[data-testid="pair-row"][data-pair-id="${pairId}"] [data-testid="approval-chip"][data-party="${partyId}"][data-status="${status}"]`);
}

async function open(email: string): Promise<Page> {
  const person = await suite.member(email);
  await openDeclaration(person.page, suite.server.url, DOC);
  return person.page;
}

/** Deletes a pair with text, accepting the confirmation. */
async function deleteRow(page: Page, pairId: string): Promise<void> {
  page.once('dialog', (dialog) => void dialog.accept());
  await row(page, pairId).locator('[data-testid="delete-pair"]').click();
  await row(page, pairId).waitFor({ state: 'detached' });
}

describe('bringing a deleted paragraph back', () => {
  it('Undo right after a delete, and Ctrl+Z, restore the pair with its text and place', async () => {
    const lan = await open(DEMO.vnDrafter);
    const julien = await open(DEMO.frDrafter);
    const order = await shownOrder(lan);
    const text = { vi: await cellText(lan, 'digital', 'vi'), fr: await cellText(lan, 'digital', 'fr') };

    await deleteRow(lan, 'digital');
    await eventually(() => shownOrder(julien), (ids) => !ids.includes('digital'), 'the row gone from Julien\'s page');
    const toast = lan.locator('[data-testid="undo-toast"]');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('5');
    await lan.screenshot({ path: artifactPath('undo-delete.png') });
    await lan.locator('[data-testid="undo-delete"]').click();

    await eventually(() => shownOrder(lan), (ids) => ids.join() === order.join(), 'the pair back in its place');
    expect(await cellText(lan, 'digital', 'vi')).toBe(text.vi);
    expect(await cellText(lan, 'digital', 'fr')).toBe(text.fr);
    await eventually(() => shownOrder(julien), (ids) => ids.join() === order.join(), 'the pair back on Julien\'s page');
    expect(await cellText(julien, 'digital', 'fr')).toBe(text.fr);

    // Again, with the keyboard: the focus is on the next row's button, not in a cell.
    await deleteRow(lan, 'digital');
    await toast.waitFor();
    await lan.keyboard.press('Control+z');
    await eventually(() => shownOrder(julien), (ids) => ids.join() === order.join(), 'the pair back after Ctrl+Z');
    expect(await cellText(julien, 'digital', 'vi')).toBe(text.vi);
  });

  it('"Recently deleted" restores a pair with its text, place and comments', async () => {
    const lan = await open(DEMO.vnDrafter);
    const julien = await open(DEMO.frDrafter);
    const order = await shownOrder(lan);
    const textFr = await cellText(lan, 'heritage', 'fr');
    // Lan comments on words of the pair.
    await keyboardSelect(lan, 'heritage', 'vi', 'di sản');
    await lan.locator('[data-testid="comment-add"]').click();
    const composer = lan.locator('[data-testid="comment-composer"]');
    await composer.locator('[data-testid="visibility-shared"]').check();
    await composer.locator('[data-testid="comment-body-input"]').fill('Giữ nguyên đoạn này.');
    await composer.locator('[data-testid="comment-submit"]').click();
    await composer.waitFor({ state: 'detached' });
    const badge = (page: Page) => row(page, 'heritage').locator('[data-testid="comment-badge"]');
    await badge(julien).waitFor();

    await deleteRow(lan, 'heritage');
    await eventually(() => shownOrder(julien), (ids) => !ids.includes('heritage'), 'the row gone from Julien\'s page');

    await julien.locator('[data-testid="recently-deleted"]').click();
    const item = julien.locator('[data-testid="deleted-pair"]').filter({ hasText: textFr.split(' ').slice(0, 6).join(' ') });
    await item.waitFor();
    expect(await item.textContent()).toContain('¶ 7');
    expect(await item.textContent()).toContain('Lê Thị Lan');
    await julien.screenshot({ path: artifactPath('recently-deleted.png') });
    await item.locator('[data-testid="restore-pair"]').click();

    await eventually(() => shownOrder(lan), (ids) => ids.join() === order.join(), 'the pair back in its place on Lan\'s page');
    expect(await cellText(lan, 'heritage', 'fr')).toBe(textFr);
    await badge(lan).waitFor();
    await badge(julien).waitFor();
    expect(await badge(lan).getAttribute('data-count')).toBe('1');
  });
});

describe('the history of a pair', () => {
  it('shows who typed in it, in which language, to an observer', async () => {
    const lan = await open(DEMO.vnDrafter);
    await placeCaret(lan, 'environment', 'vi', 'end');
    await lan.keyboard.type(' Bổ sung.');
    const sophie = await open(DEMO.observer);
    await eventually(() => cellText(sophie, 'environment', 'vi'), (text) => text.endsWith('Bổ sung.'), 'the edit on Sophie\'s page');

    await row(sophie, 'environment').locator('[data-testid="pair-history-open"]').click();
    const entry = row(sophie, 'environment').locator('[data-testid="history-entry"]').first();
    await entry.waitFor();
    const shown = await entry.textContent();
    expect(shown).toContain('Lê Thị Lan');
    expect(shown).not.toContain('environment');
    await sophie.screenshot({ path: artifactPath('pair-history.png') });
  });

  it('"What changed" names the editor, and the history keeps a change made after an agreement and then undone', async () => {
    const PAIR = 'urbanisation';
    const claire = await open(DEMO.frHead);
    const lan = await open(DEMO.vnDrafter);
    await row(claire, PAIR).locator('[data-testid="approve-agree"]').click();
    await waitForStatus(lan, PAIR, 'fr', 'agreed');

    await placeCaret(lan, PAIR, 'vi', 'end');
    await lan.keyboard.type(' X');
    await waitForStatus(claire, PAIR, 'fr', 'stale');
    await row(claire, PAIR).locator('[data-testid="what-changed"]').click();
    const editors = row(claire, PAIR).locator('[data-testid="changes-editors"]');
    await editors.waitFor();
    expect(await editors.textContent()).toContain('Lê Thị Lan');

    // Lan takes the words back out: agreed again, with the trace kept in the history.
    await lan.keyboard.press('Backspace');
    await lan.keyboard.press('Backspace');
    await waitForStatus(claire, PAIR, 'fr', 'agreed');
    await row(claire, PAIR).locator('[data-testid="pair-history-open"]').click();
    const note = row(claire, PAIR).locator('[data-testid="history-approval"][data-party="fr"] [data-testid="history-edited-since"]');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/brought back|ramené/);
    await row(claire, PAIR).screenshot({ path: artifactPath('pair-history-edited-back.png') });
  });
});
