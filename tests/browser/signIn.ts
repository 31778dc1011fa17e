import type { Page } from 'playwright-core';
import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import type { RunningServer } from './helpers.ts';

/**
 * Signing a browser in as a demo member, the way the secretariat's CLI does:
 * issue a single-use link on the running server's store (its DATA_DIR), then
 * follow it in the page, which sets the session cookie for that context.
 */

/** A fresh single-use sign-in link for the account with this email. */
export async function signInLink(server: RunningServer, email: string): Promise<string> {
  const store = new SqliteStore(server.dataDir);
  try {
    const account = await store.findAccountByEmail(email);
    if (!account) throw new Error(`No account ${email} in ${server.dataDir}`);
    return signInUrl(server.url, await issueSignInToken(store, account.id));
  } finally {
    await store.close();
  }
}

/** Follows a fresh sign-in link in `page` (its browser context keeps the session cookie). */
export async function signIn(page: Page, server: RunningServer, email: string): Promise<void> {
  const link = await signInLink(server, email);
  const response = await page.goto(link);
  const url = new URL(page.url());
  if (url.searchParams.has('signin')) throw new Error(`Sign-in as ${email} refused: ${url.searchParams.get('signin')}`);
  if (!response || response.status() >= 400) throw new Error(`Sign-in as ${email} failed: HTTP ${response?.status()}`);
  const cookies = await page.context().cookies(server.url);
  if (cookies.length === 0) throw new Error(`Sign-in as ${email} set no cookie`);
}
