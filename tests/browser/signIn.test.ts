import { describe, expect, it } from 'vitest';
import { DEMO } from '../helpers/auth.ts';
import {
  artifactPath,
  browserSuite,
  forgetHttpErrors,
  openBrowserContext,
  openDeclaration,
  signInLink,
} from './helpers.ts';

/**
 * A sign-in link asks before it signs in: it says who you will be, warns when
 * this browser is someone else's session, and only "Continue" uses it. "Sign
 * out everywhere" ends the person's other browsers at once.
 */

const DOC = 'vn-fr-2023';
const suite = browserSuite();
const { people } = suite;

const member = suite.member;

describe('the sign-in page', () => {
  it('says who the link signs in as, signs in only when asked, and lands on the home page', async () => {
    const visitor = await openBrowserContext(suite.browser);
    people.push(visitor);
    const { page, context } = visitor;
    const link = await signInLink(suite.server, DEMO.vnDrafter);
    await page.goto(link);
    const card = page.locator('[data-testid="signin"]');
    await card.waitFor();
    expect(await card.locator('[data-testid="signin-name"]').textContent()).toBe('Lê Thị Lan');
    expect(await card.locator('[data-testid="signin-email"]').textContent()).toBe('v•••@demo.accord');
    expect(await card.locator('[data-testid="signin-roles"]').innerText()).toContain('Drafter · Partie vietnamienne');
    expect(await page.locator('[data-testid="signin-warning"]').count()).toBe(0);
    // Nothing is used up by looking: no session yet.
    expect((await context.cookies(suite.server.url)).map((c) => c.name)).not.toContain('accord_session');
    await page.screenshot({ path: artifactPath('signin-confirm.png') });

    await card.locator('[data-testid="signin-continue"]').click();
    await page.locator('[data-testid="home"]').waitFor();
    expect(await page.locator('[data-testid="account-name"]').textContent()).toBe('Lê Thị Lan');
    // The token left the address bar and the history.
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('reads in the browser’s language when the person chose none', async () => {
    const visitor = await openBrowserContext(suite.browser, { locale: 'vi-VN' });
    people.push(visitor);
    await visitor.page.goto(await signInLink(suite.server, DEMO.frHead));
    await visitor.page.locator('[data-testid="signin"]').waitFor();
    expect(await visitor.page.locator('h1').textContent()).toBe('Đăng nhập vào Accord');
    expect(await visitor.page.locator('[data-testid="signin-continue"]').textContent()).toBe('Tiếp tục với tư cách Claire Dubois');
  });

  it('warns a head who opens another member’s link, and keeps her signed in unless she continues (attack)', async () => {
    const duc = await member(DEMO.vnHead);
    const link = await signInLink(suite.server, DEMO.frDrafter);
    await duc.page.goto(link);
    const warning = duc.page.locator('[data-testid="signin-warning"]');
    await warning.waitFor();
    expect(await warning.innerText()).toContain(
      'You are signed in as Trần Minh Đức on this browser. Continuing signs Trần Minh Đức out on this browser and signs you in as Julien Martin',
    );
    await duc.page.screenshot({ path: artifactPath('signin-warning.png') });
    // She leaves: still herself.
    await duc.page.locator('[data-testid="signin-cancel"]').click();
    await duc.page.locator('[data-testid="home"]').waitFor();
    expect(await duc.page.locator('[data-testid="account-name"]').textContent()).toBe('Trần Minh Đức');
    // Had she continued, she would be Julien from then on: the page said so.
    await duc.page.goto(link);
    await duc.page.locator('[data-testid="signin-continue"]').click();
    await duc.page.locator('[data-testid="home"]').waitFor();
    expect(await duc.page.locator('[data-testid="account-name"]').textContent()).toBe('Julien Martin');
  });

  it('tells a person already signed in as the link’s account that there is nothing to do', async () => {
    const lan = await member(DEMO.vnDrafter);
    await lan.page.goto(await signInLink(suite.server, DEMO.vnDrafter));
    await lan.page.locator('[data-testid="signin-same"]').waitFor();
    expect(await lan.page.locator('[data-testid="signin-continue"]').count()).toBe(0);
    await lan.page.locator('[data-testid="signin-home"]').click();
    await lan.page.locator('[data-testid="home"]').waitFor();
  });
});

describe('sign out everywhere', () => {
  it('from the account bar signs this browser out and turns the person’s page open in another browser into the signed-out message', async () => {
    const laptop = await member(DEMO.observer);
    const desktop = await member(DEMO.observer);
    await openDeclaration(desktop.page, suite.server.url, DOC);
    laptop.page.once('dialog', (dialog) => void dialog.accept());
    await laptop.page.locator('[data-testid="sign-out-everywhere"]').click();
    await laptop.page.locator('[data-testid="signed-out"][data-reason="signedOut"]').waitFor();
    const ended = desktop.page.locator('[data-testid="signed-out"]');
    await ended.waitFor({ timeout: 15_000 });
    expect(await ended.getAttribute('data-reason')).toBe('ended');
    expect(await desktop.page.locator('.ProseMirror').count()).toBe(0);
    // The refused reconnections and /api/me calls that follow are expected.
    forgetHttpErrors(desktop, 401);
    desktop.errors.splice(0, desktop.errors.length, ...desktop.errors.filter((e) => !/WebSocket/.test(e)));
  });
});
