import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { artifactPath, eventually, openDeclaration, placeCaret, row, signIn as signInMember, type Member as SignedInPerson, browserSuite } from './helpers.ts';
import { DEMO as DEMO_PEOPLE } from '../helpers/auth.ts';
import { SOCKET_IO_PATH, SYNC_PATH } from '../../shared/protocol.ts';

/**
 * Approvals bound to the text, seen in real browsers: the French head agrees
 * to a pair, a Vietnamese drafter edits it in another browser, and the head's
 * page — without a reload — shows the approval stale and, on demand, exactly
 * the words that changed; a reservation needs a reason. Then the status
 * matrix (live) and the versions page: the secretariat cuts a version, the
 * list shows it, a head reads why it cannot be signed yet (¶ numbers, parties), and
 * the version compares with the draft word by word.
 *
 * Screenshots: test-artifacts/approval-stale.png, test-artifacts/versions.png.
 */

const DOC = 'vn-fr-2023';
const PAIR = 'environment';
const ADDED = ' và bền vững';

const chip = (page: Page, pairId: string, partyId: string): Locator =>
  row(page, pairId).locator(`[data-testid="approval-chip"][data-party="${partyId}"]`);

async function waitForStatus(page: Page, pairId: string, partyId: string, status: string, timeout = 10_000): Promise<void> {
  await page.waitForSelector(`[data-testid="pair-row"][data-pair-id="${pairId}"] [data-testid="approval-chip"][data-party="${partyId}"][data-status="${status}"]`, { timeout });
}

describe('approvals, live stale status and versions in the browser', () => {
  const suite = browserSuite({ keepPeople: true });
  const { people } = suite;
  let frHead: SignedInPerson;
  let vnDrafter: SignedInPerson;

  const signIn = async (email: string): Promise<SignedInPerson> => {
    const person = await signInMember(suite.browser, suite.server, email);
    people.push(person);
    return person;
  };

  /** No page error, except the refusals the test provokes (the browser logs a failed request). */
  const noPageErrors = (expected: RegExp[] = []): void => {
    for (const person of people) {
      const errors = person.errors.filter((e) => !expected.some((re) => re.test(e)));
      expect(errors, `${person.name}\n${suite.server.output()}`).toEqual([]);
    }
  };

  it('the French head agrees to a pair; a Vietnamese drafter edits it; the head sees the approval stale with the diff, without reloading', async () => {
    frHead = await signIn(DEMO_PEOPLE.frHead);
    vnDrafter = await signIn(DEMO_PEOPLE.vnDrafter);
    const sockets: string[] = [];
    frHead.page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
    // The new hashes the server pushes to the head's page (socket.io frames), by pair.
    const hashPushes = new Map<string, number>();
    frHead.page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const match = typeof payload === 'string' ? /^\d+\["pairs:hashes",(.*)\]$/.exec(payload) : null;
        const hashes = match ? (JSON.parse(match[1]!) as { hashes?: Record<string, unknown> }).hashes : undefined;
        for (const pairId of Object.keys(hashes ?? {})) hashPushes.set(pairId, (hashPushes.get(pairId) ?? 0) + 1);
      }),
    );
    await openDeclaration(frHead.page, suite.server.url, DOC);
    await openDeclaration(vnDrafter.page, suite.server.url, DOC);

    // Nothing approved yet; only the head has the buttons.
    await waitForStatus(frHead.page, PAIR, 'fr', 'pending');
    await waitForStatus(frHead.page, PAIR, 'vn', 'pending');
    await waitForStatus(vnDrafter.page, PAIR, 'fr', 'pending');
    expect(await row(frHead.page, PAIR).locator('[data-testid="approve-agree"]').count()).toBe(1);
    expect(await row(frHead.page, PAIR).locator('[data-testid="approve-reserve"]').count()).toBe(1);
    expect(await vnDrafter.page.locator('[data-testid="approve-agree"], [data-testid="approve-reserve"]').count()).toBe(0);

    // The French head agrees: both screens show it, with who in the tooltip.
    await row(frHead.page, PAIR).locator('[data-testid="approve-agree"]').click();
    await waitForStatus(frHead.page, PAIR, 'fr', 'agreed');
    await waitForStatus(vnDrafter.page, PAIR, 'fr', 'agreed');
    expect(await chip(vnDrafter.page, PAIR, 'fr').getAttribute('title')).toContain('Claire Dubois');
    // The page holds two connections: the text over sync, comments and approvals over one socket.io connection.
    expect(sockets.filter((p) => p.startsWith(`${SOCKET_IO_PATH}/`)).length).toBe(1);
    expect(sockets.filter((p) => p.startsWith(`${SYNC_PATH}/`)).length).toBe(1);
    expect(await frHead.page.locator('[data-testid="agreement-progress"]').textContent()).toBe('0 of 8 pairs agreed by all parties');

    // The Vietnamese drafter adds words in Vietnamese, in their own browser.
    await placeCaret(vnDrafter.page, PAIR, 'vi', 'end');
    await vnDrafter.page.keyboard.type(ADDED);

    // The head's page turns the approval stale by itself (no reload), and says what changed.
    await waitForStatus(frHead.page, PAIR, 'fr', 'stale');
    await waitForStatus(vnDrafter.page, PAIR, 'fr', 'stale');
    const headRow = row(frHead.page, PAIR);
    await headRow.locator('[data-testid="what-changed"]').click();
    const panel = headRow.locator('[data-testid="changes-panel"]');
    await panel.locator('[data-testid="changes-vi"] ins').first().waitFor();
    const added = (await panel.locator('[data-testid="changes-vi"] ins').allTextContents()).join('');
    expect(added.trim().split(/\s+/)).toEqual(['và', 'bền', 'vững']);
    expect(await panel.locator('[data-testid="changes-vi"] del').count()).toBe(0);
    expect(await panel.locator('[data-testid="changes-fr"] ins, [data-testid="changes-fr"] del').count()).toBe(0);
    expect(await panel.getAttribute('data-state')).toBe('stale');
    expect(await panel.locator('[data-testid="agree-new-text"]').count()).toBe(1);

    await headRow.scrollIntoViewIfNeeded();
    await frHead.page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await frHead.page.screenshot({ path: artifactPath('approval-stale.png') });

    // The head agrees to the new text: agreed again everywhere, the panel closes.
    await panel.locator('[data-testid="agree-new-text"]').click();
    await waitForStatus(frHead.page, PAIR, 'fr', 'agreed');
    await waitForStatus(vnDrafter.page, PAIR, 'fr', 'agreed');
    expect(await headRow.locator('[data-testid="changes-panel"]').count()).toBe(0);

    // A reservation needs a reason; with one, every screen shows it.
    const digital = row(frHead.page, 'digital');
    await digital.locator('[data-testid="approve-reserve"]').click();
    await digital.locator('[data-testid="reserve-submit"]').click();
    expect(await digital.locator('[data-testid="approval-error"]').textContent()).toBe('Give a reason for the reservation.');
    await digital.locator('[data-testid="reserve-reason"]').fill('Awaiting the opinion of the Ministry');
    await digital.locator('[data-testid="reserve-submit"]').click();
    await waitForStatus(frHead.page, 'digital', 'fr', 'reserved');
    await waitForStatus(vnDrafter.page, 'digital', 'fr', 'reserved');
    expect(await chip(vnDrafter.page, 'digital', 'fr').textContent()).toContain('Reserved: Awaiting the opinion of the Ministry');

    // Each edit of a pair pushes its new hash to every page (a page sends the keystrokes of one
    // frame as one edit: typed at a person's pace, each is its own). Where the statuses stay
    // the same (pending stays pending) the strip is left alone: the head's keyboard focus on its
    // "Agree" button stays there while the drafter types.
    const agree = row(frHead.page, 'urbanisation').locator('[data-testid="approve-agree"]');
    await agree.focus();
    const pushedBefore = hashPushes.get('urbanisation') ?? 0;
    await placeCaret(vnDrafter.page, 'urbanisation', 'vi', 'end');
    await vnDrafter.page.keyboard.type(' nhé', { delay: 80 });
    await eventually(async () => hashPushes.get('urbanisation') ?? 0, (n) => n >= pushedBefore + 2, 'hash pushes for the pair being typed in');
    await waitForStatus(frHead.page, 'urbanisation', 'fr', 'pending');
    expect(await agree.evaluate((button) => button === document.activeElement)).toBe(true);
    noPageErrors();
  });

  it('the status matrix follows approvals live; the secretariat cuts a version and the list shows it; a head cannot sign yet; the version compares with the draft', async () => {
    const secretariat = await signIn(DEMO_PEOPLE.secretariat);
    const page = secretariat.page;

    // The status matrix first: pairs × parties and the progress figure, live.
    await page.goto(`${suite.server.url}/d/${DOC}/status`);
    const cellOf = (pairId: string, partyId: string) => `[data-testid="matrix-row"][data-pair-id="${pairId}"] td[data-party="${partyId}"]`;
    await page.waitForSelector(`${cellOf('environment', 'fr')}[data-status="agreed"]`);
    expect(await page.locator('[data-testid="matrix-row"]').count()).toBe(8);
    expect(await page.locator(cellOf('digital', 'fr')).getAttribute('data-status')).toBe('reserved');
    expect(await page.locator(cellOf('environment', 'vn')).getAttribute('data-status')).toBe('pending');
    expect(await page.locator('[data-testid="status-progress"]').textContent()).toBe('0 of 8 pairs agreed by all parties');
    await row(frHead.page, 'digital').locator('[data-testid="approve-withdraw"]').click();
    await page.waitForSelector(`${cellOf('digital', 'fr')}[data-status="pending"]`);

    await page.goto(`${suite.server.url}/d/${DOC}/versions`);
    await page.locator('[data-testid="cut-version"]').waitFor();
    expect(await page.locator('[data-testid="version-item"]').count()).toBe(0);

    await page.locator('[data-testid="cut-version"]').click();
    await page.locator('[data-testid="version-name-input"]').fill('Bản thảo 1');
    await page.locator('[data-testid="cut-submit"]').click();
    const v1 = page.locator('[data-testid="version-item"][data-number="1"]');
    await v1.waitFor();
    expect(await v1.locator('[data-testid="version-hash"]').textContent()).toMatch(/^[0-9a-f]{12}$/);
    expect(await v1.locator('[data-testid="version-prev"]').textContent()).toBe('First version');
    expect(await v1.locator('[data-testid="signed-off"]').count()).toBe(0);
    expect(await v1.locator('[data-testid="signature"]').allTextContents()).toEqual([
      expect.stringContaining('not signed yet'),
      expect.stringContaining('not signed yet'),
    ]);
    expect(await page.locator('[data-testid="sign-version"]').count()).toBe(0); // the secretariat does not sign

    // A head is not offered to sign yet: the page says why where the button is, before anyone confirms.
    await frHead.page.goto(`${suite.server.url}/d/${DOC}/versions`);
    await frHead.page.locator('[data-testid="version-item"][data-number="1"]').waitFor();
    expect(await frHead.page.locator('[data-testid="cut-version"]').count()).toBe(0);
    const blockers = frHead.page.locator('[data-testid="version-item"][data-number="1"] [data-testid="sign-blockers"]');
    await blockers.waitFor();
    expect(await frHead.page.locator('[data-testid="sign-version"]').isDisabled()).toBe(true);
    expect(await blockers.textContent()).toMatch(/^This version cannot be signed yet\..*¶ \d+: not yet agreed by Partie (vietnamienne|française)/);
    expect(await blockers.textContent()).not.toMatch(/digital|environment|\((vn|fr)\)/);

    // The drafter edits the draft; version 1 against the draft shows that change, word by word.
    await placeCaret(vnDrafter.page, 'digital', 'vi', 'start');
    await vnDrafter.page.keyboard.type('Trước hết, ');
    await expect.poll(async () => {
      const res = await page.request.get(`${suite.server.url}/api/documents/${DOC}/diff?from=1&to=draft`);
      return ((await res.json()) as { changes: Array<{ status: string }> }).changes.filter((c) => c.status === 'changed').length;
    }).toBe(1);
    await v1.locator('[data-testid="compare-draft"]').click();
    const digital = page.locator('[data-testid="pair-change"][data-pair-id="digital"]');
    await digital.waitFor();
    expect(await digital.getAttribute('data-change')).toBe('changed');
    expect((await digital.locator('[data-testid="after-vi"] ins').allTextContents()).join('').trim()).toBe('Trước hết,');
    expect(await page.locator('[data-testid="pair-change"]').count()).toBe(1); // unchanged pairs hidden

    // The inline layout shows the same change in place.
    await page.locator('[data-testid="layout-inline"]').click();
    await page.locator('[data-testid="diff-result"][data-layout="inline"]').waitFor();
    expect((await page.locator('[data-testid="pair-change"][data-pair-id="digital"] [data-testid="inline-vi"] ins').allTextContents()).join('').trim()).toBe('Trước hết,');
    await page.locator('[data-testid="layout-side"]').click();
    await page.locator('[data-testid="diff-result"][data-layout="side"]').waitFor();

    await page.screenshot({ path: artifactPath('versions.png'), fullPage: true });
    noPageErrors([/status of 409 \(Conflict\)/]);
  });
});
