import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  artifactPath,
  cell,
  cellText,
  launchBrowser,
  openDeclaration,
  openDrafter,
  placeCaret,
  row,
  shownOrder,
  startServer,
  waitForConnectionState,
  type Drafter,
  type RunningServer,
} from './helpers.ts';

/**
 * Two delegations at their own computers, on the real server and in real
 * Chromium: what one drafter does in the declaration, the other sees live.
 */

const DOC = 'vn-fr-2023';
const DEMO_ORDER = ['title', 'preamble-1', 'preamble-2', 'environment', 'digital', 'urbanisation', 'heritage', 'closing'];

let server: RunningServer;
let browser: Browser;
let drafters: Drafter[] = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterEach(async () => {
  const errors = drafters.flatMap((d) => d.errors.map((e) => `${d.name}: ${e}`));
  await Promise.all(drafters.map((d) => d.context.close()));
  drafters = [];
  expect(errors, 'no errors in the browser console').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function twoDrafters(): Promise<[Drafter, Drafter]> {
  const hoa = await openDrafter(browser, { name: 'Nguyễn Thu Hoa', color: '#b0413e' });
  const claire = await openDrafter(browser, { name: 'Claire Martin', color: '#1f6feb' });
  drafters.push(hoa, claire);
  await Promise.all([openDeclaration(hoa.page, server.url, DOC), openDeclaration(claire.page, server.url, DOC)]);
  return [hoa, claire];
}

/** Waits until `read()` returns a value that passes `check`, or fails with the last value. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/** The text of the remote cursor labels shown in one cell of one pair. */
function remoteCursorNames(drafter: Drafter, pairId: string, lang: 'vi' | 'fr'): Promise<string[]> {
  return cell(drafter.page, pairId, lang)
    .locator('.ProseMirror-yjs-cursor')
    .evaluateAll((cursors) => cursors.map((c) => (c.textContent ?? '').replace(/\u2060/g, '').trim()));
}

describe('collaborative editing of a declaration', () => {
  it('shows the declaration as aligned Vietnamese / French rows, connected', async () => {
    const [hoa] = await twoDrafters();
    const page = hoa.page;
    expect(await shownOrder(page)).toEqual(DEMO_ORDER);
    expect(await page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('connected');
    expect(await page.locator('[data-testid="connection-state"]').textContent()).toContain('Connected');
    expect(await page.locator('[data-testid="title-vi"]').textContent()).toContain('Tuyên bố chung');
    expect(await page.locator('[data-testid="title-fr"]').textContent()).toContain('Déclaration commune');
    // Each row: number, Vietnamese editor on the left, French on the right, with lang set.
    const environment = row(page, 'environment');
    expect(await environment.locator('[data-testid="pair-number"]').textContent()).toBe('4');
    expect(await cell(page, 'environment', 'vi').getAttribute('lang')).toBe('vi');
    expect(await cell(page, 'environment', 'fr').getAttribute('lang')).toBe('fr');
    const vi = await cell(page, 'environment', 'vi').boundingBox();
    const fr = await cell(page, 'environment', 'fr').boundingBox();
    expect(vi && fr && vi.x < fr.x && Math.abs(vi.y - fr.y) < 2).toBe(true);
    expect(await cellText(page, 'environment', 'vi')).toContain('Ý thức rõ về những thay đổi môi trường');
    // Rows stay aligned: each row starts where the previous one ends, whatever the text lengths.
    const boxes = await page.locator('[data-testid="pair-row"]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 1; i < boxes.length; i++) expect(Math.abs(boxes[i]!.top - boxes[i - 1]!.bottom)).toBeLessThan(1.5);
  });

  it("two drafters see each other's edits and cursors in the same pair", async () => {
    const [hoa, claire] = await twoDrafters();
    const pair = 'environment';
    const viAddition = ' Hai bên nhất trí hành động ngay.';
    const frAddition = ' Les deux parties conviennent d’agir sans tarder.';

    // At the same time: Hoa types at the end of the Vietnamese cell, Claire at the end of the French one.
    await Promise.all([placeCaret(hoa.page, pair, 'vi', 'end'), placeCaret(claire.page, pair, 'fr', 'end')]);
    await Promise.all([hoa.page.keyboard.type(viAddition, { delay: 15 }), claire.page.keyboard.type(frAddition, { delay: 15 })]);

    for (const drafter of [hoa, claire]) {
      await eventually(() => cellText(drafter.page, pair, 'vi'), (t) => t.endsWith(viAddition), `${drafter.name} to see the Vietnamese addition`);
      await eventually(() => cellText(drafter.page, pair, 'fr'), (t) => t.endsWith(frAddition), `${drafter.name} to see the French addition`);
    }
    // Each sees the other's cursor, with their name, in the cell they are typing in.
    await eventually(() => remoteCursorNames(claire, pair, 'vi'), (names) => names.includes(hoa.name), "Hoa's cursor on Claire's page");
    await eventually(() => remoteCursorNames(hoa, pair, 'fr'), (names) => names.includes(claire.name), "Claire's cursor on Hoa's page");
    expect(await remoteCursorNames(hoa, pair, 'vi'), 'no cursor of its own').toEqual([]);
    // …and each is listed among the people present, with where they are.
    await eventually(() => hoa.page.locator('[data-testid="presence-list"]').textContent(), (t) => !!t?.includes(claire.name), 'Claire in the presence list');
    await eventually(() => claire.page.locator('[data-testid="presence-list"]').textContent(), (t) => !!t?.includes(`${hoa.name}¶4 VI`), 'Hoa in the presence list, in ¶4 VI');

    // Now both in the same cell at the same time: Hoa at the start of the French text, Claire at its end.
    await placeCaret(hoa.page, pair, 'fr', 'start');
    await placeCaret(claire.page, pair, 'fr', 'end');
    const hoaPrefix = 'Texte révisé. ';
    const claireSuffix = ' (Accord du 16 avril.)';
    await Promise.all([hoa.page.keyboard.type(hoaPrefix, { delay: 15 }), claire.page.keyboard.type(claireSuffix, { delay: 15 })]);

    const expectedFr = await eventually(
      () => cellText(hoa.page, pair, 'fr'),
      (t) => t.startsWith(hoaPrefix) && t.endsWith(frAddition + claireSuffix),
      "both drafters' French edits on Hoa's page",
    );
    await eventually(() => cellText(claire.page, pair, 'fr'), (t) => t === expectedFr, "Claire's page to converge on the same French text");
    await eventually(() => remoteCursorNames(claire, pair, 'fr'), (names) => names.includes(hoa.name), "Hoa's cursor in the French cell on Claire's page");
    await eventually(() => remoteCursorNames(hoa, pair, 'fr'), (names) => names.includes(claire.name), "Claire's cursor in the French cell on Hoa's page");

    // Bold via the toolbar reaches the other page as bold.
    await claire.page.keyboard.press('Shift+Home');
    await claire.page.locator('[data-testid="bold"]').click();
    await eventually(
      () => cell(hoa.page, pair, 'fr').locator('strong').allTextContents(),
      (texts) => texts.some((t) => t.includes('Accord du 16 avril')),
      'the bold text on Hoa\'s page',
    );

    for (const drafter of [hoa, claire]) {
      expect(await drafter.page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('connected');
    }
    // The server has stored what both typed.
    const stored = await eventually(
      async () => {
        const response = await fetch(`${server.url}/api/documents/${DOC}/pairs`);
        const body = (await response.json()) as { pairs: Array<{ id: string; vi: string; fr: string }> };
        return body.pairs.find((p) => p.id === pair);
      },
      (p) => !!p && p.vi.endsWith(viAddition) && p.fr === expectedFr,
      'the server to store both edits',
    );
    expect(stored?.fr).toBe(expectedFr);

    for (const drafter of [hoa, claire]) await row(drafter.page, pair).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await hoa.page.screenshot({ path: artifactPath('collaborative-editing.png') });
    await claire.page.screenshot({ path: artifactPath('collaborative-editing-second-drafter.png') });
  });

  it('a pair added, moved and deleted on one page shows on the other, without recreating other editors', async () => {
    const [hoa, claire] = await twoDrafters();
    // Tag Claire's editor of an untouched pair: it must survive every change below.
    await cell(claire.page, 'digital', 'vi').evaluate((el) => el.setAttribute('data-survivor', 'yes'));
    const before = await shownOrder(hoa.page);

    // Hoa adds a pair after "environment" and writes in it.
    await row(hoa.page, 'environment').locator('[data-testid="add-after"]').click();
    const withNew = await eventually(() => shownOrder(claire.page), (ids) => ids.length === before.length + 1, 'the new row on Claire\'s page');
    const at = before.indexOf('environment') + 1;
    const newId = withNew[at]!;
    expect(withNew.filter((id) => id !== newId)).toEqual(before);
    expect(await shownOrder(hoa.page)).toEqual(withNew);
    await hoa.page.keyboard.type('Hai bên thúc đẩy hợp tác văn hóa.');
    await eventually(() => cellText(claire.page, newId, 'vi'), (t) => t === 'Hai bên thúc đẩy hợp tác văn hóa.', 'the new text on Claire\'s page');
    expect(await row(claire.page, newId).locator('[data-testid="pair-number"]').textContent()).toBe(String(at + 1));

    // Hoa moves it up: Claire sees it one place earlier, renumbered.
    await row(hoa.page, newId).locator('[data-testid="move-up"]').click();
    await eventually(() => shownOrder(claire.page), (ids) => ids.indexOf(newId) === at - 1, 'the moved row on Claire\'s page');
    expect(await row(claire.page, newId).locator('[data-testid="pair-number"]').textContent()).toBe(String(at));
    expect(await row(claire.page, 'environment').locator('[data-testid="pair-number"]').textContent()).toBe(String(at + 1));

    // Claire moves "environment" down: Hoa sees it.
    await row(claire.page, 'environment').locator('[data-testid="move-down"]').click();
    const moved = await eventually(() => shownOrder(hoa.page), (ids) => ids.indexOf('environment') === at + 1, 'the row Claire moved, on Hoa\'s page');
    expect(await shownOrder(claire.page)).toEqual(moved);

    // Hoa deletes the new pair; it has text, so she is asked to confirm.
    let asked = '';
    hoa.page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await row(hoa.page, newId).locator('[data-testid="delete-pair"]').click();
    expect(asked).toContain('Delete paragraph');
    const after = await eventually(() => shownOrder(claire.page), (ids) => !ids.includes(newId), 'the deleted row gone from Claire\'s page');
    expect(after.length).toBe(before.length);
    expect(await shownOrder(hoa.page)).toEqual(after);
    const numbers = await claire.page.locator('[data-testid="pair-number"]').allTextContents();
    expect(numbers).toEqual(after.map((_, i) => String(i + 1)));

    // Claire's editor of the untouched pair is the very same element: never recreated.
    expect(await cell(claire.page, 'digital', 'vi').getAttribute('data-survivor')).toBe('yes');
    // An empty pair is deleted without asking.
    await row(claire.page, 'closing').locator('[data-testid="add-after"]').click();
    const withEmpty = await eventually(() => shownOrder(hoa.page), (ids) => ids.length === after.length + 1, 'the empty row on Hoa\'s page');
    let askedAgain = false;
    claire.page.once('dialog', (dialog) => {
      askedAgain = true;
      void dialog.dismiss();
    });
    await row(claire.page, withEmpty.at(-1)!).locator('[data-testid="delete-pair"]').click();
    await eventually(() => shownOrder(hoa.page), (ids) => ids.length === after.length, 'the empty row gone from Hoa\'s page');
    expect(askedAgain).toBe(false);
  });

  it('a drafter who loses the connection keeps editing, and the edits reach the server on reconnect', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'accord-offline-'));
    let own = await startServer({ dataDir });
    try {
      const port = new URL(own.url).port;
      const hoa = await openDrafter(browser, { name: 'Nguyễn Thu Hoa', color: '#b0413e' });
      drafters.push(hoa);
      await openDeclaration(hoa.page, own.url, DOC);

      await own.stop();
      await waitForConnectionState(hoa.page, 'offline');
      expect(await hoa.page.locator('[data-testid="connection-state"]').textContent()).toContain(
        'Offline — your edits are kept and will be sent on reconnect',
      );
      const addition = ' Bản nháp soạn khi mất kết nối.';
      await placeCaret(hoa.page, 'closing', 'vi', 'end');
      await hoa.page.keyboard.type(addition);
      expect(await cellText(hoa.page, 'closing', 'vi')).toMatch(/Bản nháp soạn khi mất kết nối\.$/);
      await hoa.page.screenshot({ path: artifactPath('offline.png') });

      own = await startServer({ dataDir, env: { PORT: port } });
      await waitForConnectionState(hoa.page, 'connected', 20_000);
      await eventually(
        async () => {
          const response = await fetch(`${own.url}/api/documents/${DOC}/pairs`);
          const body = (await response.json()) as { pairs: Array<{ id: string; vi: string }> };
          return body.pairs.find((p) => p.id === 'closing')?.vi ?? '';
        },
        (vi) => vi.endsWith(addition),
        'the server to receive the offline edit',
      );
      // The connection errors logged while the server was down are expected.
      hoa.errors.length = 0;
    } finally {
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('an unknown declaration shows a clear message and no editors', async () => {
    const guest = await openDrafter(browser, { name: 'Guest 404', color: '#2f7d4f' });
    drafters.push(guest);
    // The page asks the server for a missing document: the 404 in the console is expected.
    await guest.page.goto(`${server.url}/d/no-such-declaration`);
    const message = guest.page.locator('[data-testid="fatal-error"]');
    await message.waitFor();
    expect(await message.textContent()).toContain('This declaration does not exist (4404)');
    await waitForConnectionState(guest.page, 'failed');
    expect(await guest.page.locator('[data-testid="pair-row"]').count()).toBe(0);
    expect(await guest.page.locator('.ProseMirror').count()).toBe(0);
    guest.errors.length = 0;
  });
});
