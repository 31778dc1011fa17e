import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO } from '../helpers/auth.ts';
import { artifactPath, eventually, forgetHttpErrors, keyboardSelect, openDeclaration, sessionCookie, browserSuite } from './helpers.ts';

/**
 * What people see of each other and of their comments: one entry per person
 * under "Also here" however many tabs they have open; a comment too long is
 * counted and refused, not cut; a thread keeps its words when they are
 * retyped in place; a member whose membership is withdrawn is told so in
 * words, not with a close code.
 */

const DOC = 'vn-fr-2023';
const suite = browserSuite();

async function member(email: string) {
  const person = await suite.member(email);
  await openDeclaration(person.page, suite.server.url, DOC);
  return person;
}

async function openComposer(page: Page, pairId: string, words: string): Promise<void> {
  await keyboardSelect(page, pairId, 'vi', words);
  await page.keyboard.press('Control+Alt+m');
  await page.locator('[data-testid="comment-composer"]').waitFor();
}

describe('people and comments', () => {
  it('lists a person with two tabs open once under "Also here"', async () => {
    const lan = await member(DEMO.vnDrafter);
    const secondTab = await lan.context.newPage();
    await openDeclaration(secondTab, suite.server.url, DOC);
    const julien = await member(DEMO.frDrafter);
    const lanThere = julien.page.locator('[data-testid="present-user"]', { hasText: 'Lê Thị Lan' });
    // Both of her pages have arrived (the entry counts them), and she is listed once.
    await julien.page.locator('[data-testid="present-user"][data-pages="2"]', { hasText: 'Lê Thị Lan' }).waitFor();
    expect(await lanThere.count()).toBe(1);
    // Her second tab lists Julien once too, and closing a tab keeps her listed.
    await secondTab.close();
    await julien.page.locator('[data-testid="present-user"][data-pages="1"]', { hasText: 'Lê Thị Lan' }).waitFor();
    expect(await lanThere.count()).toBe(1);
  });

  it('counts a comment over 5,000 characters and refuses to send it, without cutting it', async () => {
    const lan = await member(DEMO.vnDrafter);
    const page = lan.page;
    await openComposer(page, 'heritage', 'bảo tồn di sản');
    const body = page.locator('[data-testid="comment-body-input"]');
    const length = page.locator('[data-testid="comment-length"]');
    const submit = page.locator('[data-testid="comment-submit"]');
    // Pasted at once: nothing is cut.
    await body.fill('ý'.repeat(5001));
    expect((await body.inputValue()).length).toBe(5001);
    expect(await length.getAttribute('data-over')).toBe('true');
    expect(await length.textContent()).toBe('5,001 / 5,000 characters — This comment is too long by 1 (at most 5,000 characters). Shorten it to send it.');
    expect(await submit.isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('comment-too-long.png') });
    // Ctrl+Enter does not send it either.
    await body.press('Control+Enter');
    expect(await page.locator('[data-testid="comment-composer"]').isVisible()).toBe(true);
    // One character fewer: it fits, and is sent whole.
    await body.press('Backspace');
    expect(await length.getAttribute('data-over')).toBe('false');
    expect(await length.textContent()).toBe('5,000 / 5,000 characters');
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();
    await page.locator('[data-testid="comment-composer"]').waitFor({ state: 'detached' });
    await eventually(
      () => page.locator('[data-testid="comment-body"]').evaluateAll((els) => els.map((e) => e.textContent?.length ?? 0)),
      (lengths) => lengths.includes(5000),
      'the whole comment shown',
    );
  });

  it('keeps a thread on its words when the same words are typed over them', async () => {
    const lan = await member(DEMO.vnDrafter);
    const page = lan.page;
    const words = 'phát triển du lịch';
    await openComposer(page, 'heritage', words);
    await page.locator('[data-testid="comment-body-input"]').fill('Giữ nguyên cụm từ này');
    await page.locator('[data-testid="comment-submit"]').click();
    await page.locator('[data-testid="comment-composer"]').waitFor({ state: 'detached' });
    const thread = page.locator('[data-testid="thread"]', { hasText: 'Giữ nguyên cụm từ này' });
    const id = (await thread.getAttribute('data-thread-id'))!;
    const highlighted = () => page.locator(`.comment-anchor[data-thread-id="${id}"]`).evaluateAll((els) => els.map((e) => e.textContent).join(''));
    await eventually(highlighted, (text) => text === words, 'the words highlighted');

    // Select the words and type them again, key by key.
    await keyboardSelect(page, 'heritage', 'vi', words);
    await page.keyboard.type(words, { delay: 15 });
    await eventually(highlighted, (text) => text === words, 'the retyped words still highlighted');
    expect(await thread.locator('[data-testid="thread-detached"]').isHidden()).toBe(true);
    // The server agrees: the thread is attached, on the same words.
    const cookie = await sessionCookie(suite.server, DEMO.vnDrafter);
    const listed = await eventually(
      async () => ((await (await fetch(`${suite.server.url}/api/documents/${DOC}/threads`, { headers: { cookie } })).json()) as { threads: Array<{ id: string; detached: boolean }> }).threads,
      (threads) => threads.some((t) => t.id === id && !t.detached),
      'the server to list the thread attached',
    );
    expect(listed.find((t) => t.id === id)!.detached).toBe(false);
  });

  it('tells a member whose membership is withdrawn what happened, in words', async () => {
    const julien = await member(DEMO.frDrafter);
    const secretariat = await sessionCookie(suite.server, DEMO.secretariat);
    const members = (await (await fetch(`${suite.server.url}/api/documents/${DOC}/members`, { headers: { cookie: secretariat } })).json()) as {
      members: Array<{ accountId: string; email?: string }>;
    };
    const accountId = members.members.find((m) => m.email === DEMO.frDrafter)!.accountId;
    const revoked = await fetch(`${suite.server.url}/api/documents/${DOC}/members/${accountId}`, {
      method: 'DELETE',
      headers: { cookie: secretariat, origin: suite.server.url },
    });
    expect(revoked.status).toBe(200);
    const panel = julien.page.locator('[data-testid="fatal-error"]');
    await panel.waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('Your membership of this declaration was withdrawn');
    expect(text).not.toContain('4403');
    await julien.page.screenshot({ path: artifactPath('membership-withdrawn.png') });
    forgetHttpErrors(julien, 403);
  });
});
