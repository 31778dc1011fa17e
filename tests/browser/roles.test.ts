import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/auth.ts';
import {
  artifactPath,
  cell,
  cellText,
  eventually,
  forgetHttpErrors,
  openBrowserContext,
  openDeclaration,
  placeCaret,
  sessionCookie,
  signIn,
  signInLink,
  startServer,
  storedPairs,
  type Member,
  type RunningServer,
  browserSuite,
} from './helpers.ts';

/**
 * Who the page says you are, and what it lets you do: signed-out visitors see
 * how to sign in and no text; an observer reads live but cannot change a
 * character, for themselves or anyone else; each person reads the interface
 * in the language they chose.
 */

const DOC = 'vn-fr-2023';
const NEUTRAL = 'rgb(107, 115, 128)'; // #6b7380, people who speak for no party

const suite = browserSuite();
const { people } = suite;

const member = suite.member;

/** How many elements match, page-wide. */
const count = (page: Member['page'], selector: string): Promise<number> => page.locator(selector).count();

describe('signed out', () => {
  it('every page without a session explains how to sign in, and shows no text of any declaration', async () => {
    const visitor = await openBrowserContext(suite.browser);
    people.push(visitor);
    const { page } = visitor;

    for (const path of ['/', `/d/${DOC}`, '/admin']) {
      await page.goto(`${suite.server.url}${path}`);
      const card = page.locator('[data-testid="signed-out"]');
      await card.waitFor();
      expect(await card.getAttribute('data-reason')).toBe('none');
      expect(await card.textContent()).toContain('Sign in with the link you were sent');
      expect(await count(page, '.ProseMirror'), `no editor on ${path}`).toBe(0);
      expect(await count(page, '[data-testid="pair-row"]')).toBe(0);
      expect(await page.locator('body').textContent()).not.toContain('Tuyên bố chung');
    }
    await page.screenshot({ path: artifactPath('signed-out.png') });

    // A link works once: followed in one browser it signs in; the same link in another says so.
    const link = await signInLink(suite.server, DEMO.vnHead);
    const first = await member(DEMO.vnHead, { link });
    expect(first.name).toBe('Trần Minh Đức');
    await page.goto(link);
    await page.waitForURL(/\?signin=used$/);
    const used = page.locator('[data-testid="signed-out"]');
    await used.waitFor();
    expect(await used.getAttribute('data-reason')).toBe('used');
    expect(await used.textContent()).toContain('This sign-in link has already been used');
    await page.screenshot({ path: artifactPath('signed-out-used.png') });
    // Followed again where the person is signed in, the same link says so calmly, once.
    await first.page.goto(link);
    const notice = first.page.locator('[data-testid="signin-notice"]');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('That sign-in link had already been used, but you are still signed in as Trần Minh Đức.');
    expect(new URL(first.page.url()).search).toBe('');

    for (const [reason, words] of [
      ['expired', 'This sign-in link has expired'],
      ['unknown', 'This sign-in link is not valid'],
    ] as const) {
      await page.goto(`${suite.server.url}/?signin=${reason}`);
      await page.locator(`[data-testid="signed-out"][data-reason="${reason}"]`).waitFor();
      expect(await page.locator('[data-testid="signed-out"]').textContent()).toContain(words);
    }
    // The server refuses /api/me without a session, and the used link (410): Chromium logs each; expected here.
    forgetHttpErrors(visitor, 401, 410);
    forgetHttpErrors(first, 410);
  });

  it('signing out ends the session: the page shows the signed-out message, and so does a reload', async () => {
    const julien = await member(DEMO.frDrafter);
    await julien.page.locator('[data-testid="sign-out"]').click();
    await julien.page.locator('[data-testid="signed-out"][data-reason="signedOut"]').waitFor();
    await julien.page.reload();
    await julien.page.locator('[data-testid="signed-out"][data-reason="none"]').waitFor();
    forgetHttpErrors(julien, 401); // /api/me after the reload
  });

  /**
   * Lan has the declaration open on a server of her own; `meanwhile` changes
   * something (with the server up, then with it down), the server restarts on
   * the same port, and `check` reads what her page shows once it reconnects.
   */
  async function acrossRestart(
    meanwhile: { up?: (lan: Member, own: RunningServer) => Promise<void>; down?: (dataDir: string) => void },
    check: (lan: Member) => Promise<void>,
  ): Promise<void> {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'accord-restart-'));
    let own = await startServer({ dataDir });
    try {
      const port = new URL(own.url).port;
      const lan = await signIn(suite.browser, own, DEMO.vnDrafter);
      people.push(lan);
      await openDeclaration(lan.page, own.url, DOC);
      await meanwhile.up?.(lan, own);
      await own.stop();
      meanwhile.down?.(dataDir);
      own = await startServer({ dataDir, env: { PORT: port } });
      await check(lan);
      expect(await lan.page.locator('.ProseMirror').count()).toBe(0);
      await lan.page.goto('about:blank'); // its socket.io connection must not outlive the server it talks to
      // The connection errors logged while the server was down, and the refusals, are expected.
      lan.errors.length = 0;
    } finally {
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('a session that ends while a declaration is open turns the page into the signed-out message', async () => {
    await acrossRestart(
      {
        // Her session ends (signed out elsewhere)…
        up: async (lan, own) => {
          const session = (await lan.context.cookies(own.url)).find((c) => c.name === 'accord_session');
          const logout = await fetch(`${own.url}/api/session/logout`, { method: 'POST', headers: { cookie: `accord_session=${session?.value}` } });
          expect(logout.status).toBe(200);
        },
      },
      // …and the open connection, authenticated when it opened, is cut by a restart: the next one is refused (401).
      async (lan) => {
        const card = lan.page.locator('[data-testid="signed-out"]');
        await card.waitFor({ timeout: 20_000 });
        expect(await card.getAttribute('data-reason')).toBe('ended');
        expect(await card.textContent()).toContain('Your session has ended');
      },
    );
  });

  it('a member removed while the page was away is told she is not a member: the refused sync upgrade is explained over REST', async () => {
    await acrossRestart(
      {
        // Removed while the server is down (no live connection to close with 4403): the next sync
        // upgrade is refused with HTTP 403, which the browser shows the page only as a failed socket.
        down: (dataDir) => {
          const db = new Database(path.join(dataDir, 'accord.sqlite'));
          db.prepare('DELETE FROM memberships WHERE document_id = ? AND account_id = (SELECT id FROM accounts WHERE email = ?)').run(DOC, DEMO.vnDrafter);
          db.close();
        },
      },
      async (lan) => {
        const panel = lan.page.locator('[data-testid="fatal-error"]');
        await panel.waitFor({ timeout: 20_000 });
        expect(await panel.textContent()).toContain('You are not (or no longer) a member of this declaration');
        expect(await panel.textContent()).not.toContain('4403');
      },
    );
  });
});

describe('an observer', () => {
  it('sees who they are, has no editing control, and cannot change the text for anyone; a drafter can', async () => {
    // The observer signs in with the link the server printed at start (the README's way).
    const printed = suite.server.printedLinks().get(DEMO.observer);
    expect(printed, 'the server printed a sign-in link for the observer').toMatch(/\/signin\//);
    const sophie = await member(DEMO.observer, { link: printed! });
    const lan = await member(DEMO.vnDrafter);
    await Promise.all([openDeclaration(sophie.page, suite.server.url, DOC), openDeclaration(lan.page, suite.server.url, DOC)]);
    const page = sophie.page;

    // Name, delegation and role, and the read-only badge.
    expect(await page.locator('[data-testid="me-name"]').textContent()).toBe('Sophie Bernard');
    expect(await page.locator('[data-testid="me-party"]').textContent()).toBe('No delegation');
    expect(await page.locator('[data-testid="me-role"]').textContent()).toBe('Observer');
    expect(await page.locator('[data-testid="read-only-badge"]').textContent()).toBe('Read-only');
    // The drafter's page says who she is too.
    expect(await lan.page.locator('[data-testid="me-name"]').textContent()).toBe('Lê Thị Lan');
    expect(await lan.page.locator('[data-testid="me-party"]').textContent()).toBe('Partie vietnamienne');
    expect(await lan.page.locator('[data-testid="me-role"]').textContent()).toBe('Drafter');
    expect(await count(lan.page, '[data-testid="read-only-badge"]')).toBe(0);

    // Controls the role may not use are absent from the DOM, not disabled.
    for (const testid of ['toolbar', 'bold', 'italic', 'undo', 'redo', 'add-after', 'delete-pair', 'move-up', 'move-down', 'pair-kind', 'add-first', 'recently-deleted']) {
      expect(await count(page, `[data-testid="${testid}"]`), `no ${testid} for the observer`).toBe(0);
      if (testid !== 'add-first') expect(await count(lan.page, `[data-testid="${testid}"]`), `${testid} for the drafter`).toBeGreaterThan(0);
    }
    const rows = await count(page, '[data-testid="pair-row"]');
    expect(await count(page, '[data-testid="pair-kind-label"]')).toBe(rows);
    expect(await page.locator('[data-testid="cell-fr"]').evaluateAll((cells) => cells.map((c) => c.getAttribute('contenteditable')))).toEqual(
      Array(rows).fill('false'),
    );

    // In the drafter's list of people present, the observer wears the neutral colour.
    const sophieThere = lan.page.locator('[data-testid="present-user"]', { hasText: 'Sophie Bernard' });
    await sophieThere.waitFor();
    expect(await sophieThere.locator('.person__dot').evaluate((dot) => getComputedStyle(dot).backgroundColor)).toBe(NEUTRAL);

    // The observer types into a paragraph (and tries the shortcuts): nothing changes, anywhere.
    const cookie = await sessionCookie(suite.server, DEMO.frHead);
    const before = await storedPairs(suite.server.url, cookie, DOC);
    const shownBefore = { observer: await cellText(page, 'digital', 'fr'), drafter: await cellText(lan.page, 'digital', 'fr') };
    await placeCaret(page, 'digital', 'fr', 'end');
    await page.keyboard.type(' OBSERVER WAS HERE', { delay: 10 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+b');
    await page.keyboard.press('Control+z');
    await placeCaret(page, 'digital', 'vi', 'start');
    await page.keyboard.type('Quan sát viên ', { delay: 10 });
    await page.waitForTimeout(1000);
    expect(await cellText(page, 'digital', 'fr')).toBe(shownBefore.observer);
    expect(await cellText(lan.page, 'digital', 'fr')).toBe(shownBefore.drafter);
    expect(await cellText(page, 'digital', 'vi')).not.toContain('Quan sát viên');
    expect(await storedPairs(suite.server.url, cookie, DOC)).toEqual(before);
    expect(await page.locator('[data-testid="notice"]').isHidden()).toBe(true);

    // The drafter's edit goes through: to the observer's page and to the server.
    const addition = ' Hai bên cam kết thực hiện.';
    await placeCaret(lan.page, 'digital', 'vi', 'end');
    await lan.page.keyboard.type(addition, { delay: 10 });
    await eventually(() => cellText(page, 'digital', 'vi'), (text) => text.endsWith(addition), 'the drafter’s edit on the observer’s page');
    await eventually(
      async () => (await storedPairs(suite.server.url, cookie, DOC)).find((p) => p.id === 'digital')?.vi ?? '',
      (vi) => vi.endsWith(addition),
      'the server to store the drafter’s edit',
    );
    // The observer follows the drafter's cursor, in her delegation's colour.
    await eventually(
      () => cell(page, 'digital', 'vi').locator('.ProseMirror-yjs-cursor').allTextContents(),
      (labels) => labels.some((l) => l.includes('Lê Thị Lan')),
      'Lan’s cursor on the observer’s page',
    );

    // Connecting sent no write: the server has had no reason to refuse anything
    // (that it refuses an observer's writes is tested against the server directly).
    expect(await page.locator('[data-testid="read-only-badge"]').getAttribute('data-server-reason')).toBeNull();
    await page.locator('[data-testid="pair-row"][data-pair-id="digital"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: artifactPath('observer.png') });
  });
});

describe('the interface language', () => {
  it('follows the browser by default, and each person’s choice, saved to their account', async () => {
    // Browser in Vietnamese, nothing chosen: Vietnamese.
    const sophie = await member(DEMO.observer, { locale: 'vi-VN' });
    expect(await sophie.page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await sophie.page.locator('h1').textContent()).toBe('Các bản tuyên bố của bạn');
    await sophie.page.screenshot({ path: artifactPath('home-vi.png') });

    // Browser in English; Claire chooses Vietnamese, then French.
    const claire = await member(DEMO.frHead);
    const page = claire.page;
    expect(await page.locator('h1').textContent()).toBe('Your declarations');
    const card = page.locator(`[data-testid="document-item"][data-document-id="${DOC}"]`);
    expect(await card.locator('[data-testid="document-role"]').textContent()).toBe('Head of delegation');
    expect(await card.locator('[data-testid="document-party"]').textContent()).toBe('Partie française');
    await page.screenshot({ path: artifactPath('home.png') });

    await page.locator('[data-testid="language-select"]').selectOption('vi');
    await page.locator('h1', { hasText: 'Các bản tuyên bố của bạn' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await card.locator('[data-testid="document-role"]').textContent()).toBe('Trưởng đoàn');
    // In Vietnamese, delegations go by their Vietnamese names.
    expect(await card.locator('[data-testid="document-party"]').textContent()).toBe('Phía Pháp');
    expect(await page.locator('[data-testid="sign-out"]').textContent()).toBe('Đăng xuất');

    await openDeclaration(page, suite.server.url, DOC);
    expect(await page.locator('[data-testid="me-role"]').textContent()).toBe('Trưởng đoàn');
    expect(await page.locator('[data-testid="me-party"]').textContent()).toBe('Phía Pháp');
    expect(await page.locator('[data-testid="connection-state"]').textContent()).toBe('Đã kết nối');
    expect(await page.locator('[data-testid="bold"]').getAttribute('aria-label')).toBe('In đậm');
    await page.screenshot({ path: artifactPath('declaration-vi.png') });

    await page.goto(suite.server.url);
    await page.locator('[data-testid="language-select"]').selectOption('fr');
    await page.locator('h1', { hasText: 'Vos déclarations' }).waitFor();
    expect(await card.locator('[data-testid="document-role"]').textContent()).toBe('Chef de délégation');
    expect(await card.locator('[data-testid="document-party"]').textContent()).toBe('Partie française');
    // French typography: a no-break space before the colon.
    expect(await card.locator('.doc-card__you').textContent()).toBe('Vous\u00A0:');
    await openDeclaration(page, suite.server.url, DOC);
    expect(await page.locator('[data-testid="connection-state"]').textContent()).toBe('Connecté');
    // French word processors mark bold with G (« gras »).
    expect(await page.locator('[data-testid="bold"]').textContent()).toBe('G');
    await page.screenshot({ path: artifactPath('declaration-fr.png') });

    // The choice is the account's: a fresh browser (no saved choice, English) signs in in French.
    const elsewhere = await member(DEMO.frHead);
    expect(await elsewhere.page.locator('h1').textContent()).toBe('Vos déclarations');
    expect(await elsewhere.page.locator('html').getAttribute('lang')).toBe('fr');
  });
});
