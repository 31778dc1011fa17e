import type { Browser, BrowserContext, Page } from 'playwright-core';
import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';

/**
 * Signing in for the approvals browser test: issues a single-use sign-in link
 * through the store of the running server (as the CLI's `link` command does),
 * opens it in a fresh browser context (own cookies, so one person per
 * context), and keeps the page's errors for the failure messages.
 */

export const DEMO_PEOPLE = {
  secretariat: 'secretariat@demo.accord',
  vnHead: 'vn-head@demo.accord',
  vnDrafter: 'vn-drafter@demo.accord',
  frHead: 'fr-head@demo.accord',
  frDrafter: 'fr-drafter@demo.accord',
  observer: 'observer@demo.accord',
} as const;

export interface SignedInPerson {
  email: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen on the page. */
  errors: string[];
}

/** Issues a fresh sign-in link for the account with this email, on the server's data directory. */
export async function signInLink(dataDir: string, baseUrl: string, email: string): Promise<string> {
  const store = new SqliteStore(dataDir);
  try {
    const account = await store.findAccountByEmail(email);
    if (!account) throw new Error(`No account with email ${email} in ${dataDir}`);
    return signInUrl(baseUrl, await issueSignInToken(store, account.id));
  } finally {
    await store.close();
  }
}

/** A person at their own computer, signed in: the link is followed like a click in an email. */
export async function signInAs(
  browser: Browser,
  server: { url: string; dataDir: string },
  email: string,
  options: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<SignedInPerson> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: options.locale ?? 'en-GB',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  const response = await page.goto(await signInLink(server.dataDir, server.url, email));
  const cookies = await context.cookies(server.url);
  if (cookies.length === 0) {
    throw new Error(`Signing in as ${email} set no cookie (landed on ${page.url()}, status ${response?.status()})`);
  }
  return { email, context, page, errors };
}
