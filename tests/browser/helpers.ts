import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { followSignInLink, printedSignInLinks } from '../helpers/auth.ts';

/**
 * Helpers for the browser tests: start the real server as a child process on
 * a random port with a fresh data directory, launch Chromium, sign a person in
 * (each in their own browser context) by following a single-use sign-in link,
 * and find rows and cells by their stable test ids.
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts');

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** The demo sign-in links the server printed at start, by email (each works once). */
  printedLinks(): Map<string, string>;
  /** SIGTERM (SIGKILL after a grace period); removes the data dir unless it was given. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra environment variables (they override the defaults below). */
  env?: Record<string, string>;
  /** Use this data directory (kept on stop) instead of a fresh temporary one. */
  dataDir?: string;
  /** How long to wait for the "listening" line. */
  timeoutMs?: number;
}

/** Starts `node --import tsx server/main.ts` with PORT=0 and waits for "Accord listening on <url>". */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'accord-browser-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (output += chunk));
  child.stderr?.on('data', (chunk: string) => (output += chunk));

  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`The server did not print its URL within ${options.timeoutMs ?? 30_000} ms. Output:\n${output}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (): void => {
      const match = /Accord listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`The server exited (code ${code}, signal ${signal}) before listening. Output:\n${output}`));
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    url,
    dataDir,
    process: child,
    output: () => output,
    printedLinks: () => printedSignInLinks(output),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium as installed by Debian's `chromium` package. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/**
 * A fresh single-use sign-in link for the account with this email, issued the
 * way the CLI does (`npm run accord -- link`): on the server's own SQLite file,
 * which the running server shares (WAL; SQLite serialises the writes).
 */
export async function signInLink(server: Pick<RunningServer, 'url' | 'dataDir'>, email: string): Promise<string> {
  const store = new SqliteStore(server.dataDir);
  try {
    const account = await store.findAccountByEmail(email);
    if (!account) throw new Error(`No account with email ${email} in ${server.dataDir}`);
    return signInUrl(server.url, await issueSignInToken(store, account.id));
  } finally {
    await store.close();
  }
}

/** A session cookie ("name=value") for calling the API from the test as this person. */
export async function sessionCookie(server: Pick<RunningServer, 'url' | 'dataDir'>, email: string): Promise<string> {
  return followSignInLink(await signInLink(server, email));
}

/** The server's stored text of every pair (GET /api/documents/:id/pairs), as seen by the holder of `cookie`. */
export async function storedPairs(baseUrl: string, cookie: string, documentId: string): Promise<Array<{ id: string; vi: string; fr: string }>> {
  const response = await fetch(`${baseUrl}/api/documents/${encodeURIComponent(documentId)}/pairs`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET pairs: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { pairs: Array<{ id: string; vi: string; fr: string }> }).pairs;
}

export interface Member {
  /** The account's name, as the page shows it. */
  name: string;
  email: string;
  context: BrowserContext;
  page: Page;
  /** Browser console errors and uncaught exceptions seen on the page. */
  errors: string[];
}

export interface PersonOptions {
  viewport?: { width: number; height: number };
  /** The browser's language (navigator.languages), e.g. "fr-FR". */
  locale?: string;
}

/**
 * A person at their own computer: a fresh browser context (own cookies and
 * storage), not signed in yet.
 */
export async function openBrowserContext(browser: Browser, options: PersonOptions = {}): Promise<Omit<Member, 'name' | 'email'>> {
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
  return { context, page, errors };
}

/**
 * Follows a sign-in link in the page as a person does — its page asks, she
 * presses "Continue" — and waits for the home page that greets her.
 */
export async function followLink(page: Page, link: string, timeout = 30_000): Promise<string> {
  await page.goto(link);
  const home = page.locator('[data-testid="home"]');
  const refused = page.locator('[data-testid="signed-out"]');
  try {
    const asked = page.locator('[data-testid="signin-continue"]');
    await asked.or(refused).or(home).first().waitFor({ timeout });
    if (await asked.isVisible()) await asked.click();
    await home.or(refused).first().waitFor({ timeout });
  } catch (error) {
    const shown = (await page.locator('body').innerText().catch(() => '')).slice(0, 300);
    throw new Error(`No home page ${timeout} ms after following the sign-in link; at ${page.url()} the page shows: ${JSON.stringify(shown)}`, { cause: error });
  }
  if (await refused.isVisible()) throw new Error(`The sign-in link was refused (${await refused.getAttribute('data-reason')}); at ${page.url()}`);
  return (await page.locator('[data-testid="account-name"]').textContent()) ?? '';
}

/**
 * A demo member signed in in their own browser context, by following a fresh
 * sign-in link (or `link`, e.g. one the server printed).
 */
export async function signIn(browser: Browser, server: RunningServer, email: string, options: PersonOptions & { link?: string } = {}): Promise<Member> {
  const person = await openBrowserContext(browser, options);
  // No retry: the sign-ins that failed now and then were a 500 from the store (SQLITE_BUSY, tests/store/busySnapshot.test.ts).
  const name = await followLink(person.page, options.link ?? (await signInLink(server, email)));
  return { ...person, name, email };
}

/** Opens a declaration page and waits until it is synced with the server. */
export async function openDeclaration(page: Page, baseUrl: string, documentId: string): Promise<void> {
  await page.goto(`${baseUrl}/d/${encodeURIComponent(documentId)}`);
  await waitForConnectionState(page, 'connected');
  await page.locator('[data-testid="pair-row"]').first().waitFor();
}

export async function waitForConnectionState(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page.waitForSelector(`[data-testid="connection-state"][data-state="${state}"]`, { timeout });
}

export function row(page: Page, pairId: string): Locator {
  return page.locator(`[data-testid="pair-row"][data-pair-id="${pairId}"]`);
}

export function cell(page: Page, pairId: string, lang: 'vi' | 'fr'): Locator {
  return row(page, pairId).locator(`[data-testid="cell-${lang}"]`);
}

/** The pair ids in the order the page shows them. */
export function shownOrder(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="pair-row"]', (rows) => rows.map((r) => r.getAttribute('data-pair-id') ?? ''));
}

/** The text of a cell without remote-cursor labels. */
export function cellText(page: Page, pairId: string, lang: 'vi' | 'fr'): Promise<string> {
  return cell(page, pairId, lang).evaluate((el) => {
    const clone = el.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.ProseMirror-yjs-cursor').forEach((c) => c.remove());
    return (clone.textContent ?? '').replace(/\u2060/g, '');
  });
}

/** Puts the caret at the start or the end of a cell. */
export async function placeCaret(page: Page, pairId: string, lang: 'vi' | 'fr', where: 'start' | 'end'): Promise<void> {
  await cell(page, pairId, lang).click();
  await page.keyboard.press(where === 'start' ? 'Control+Home' : 'Control+End');
}

/** Viewport rectangles of the first and last characters of `words` in a cell (scrolled into view). */
export async function wordRects(page: Page, pairId: string, lang: 'vi' | 'fr', words: string) {
  return cell(page, pairId, lang).evaluate((el, target) => {
    const nodes: Array<{ node: Text; start: number }> = [];
    let text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      if (node.parentElement?.closest('.ProseMirror-yjs-cursor')) continue;
      nodes.push({ node, start: text.length });
      text += node.data;
    }
    const at = text.indexOf(target);
    if (at < 0) throw new Error(`"${target}" is not in the cell: ${text}`);
    const locate = (offset: number): [Text, number] => {
      const hit = nodes.find(({ node, start }) => offset >= start && offset < start + node.data.length)!;
      return [hit.node, offset - hit.start];
    };
    const [firstNode] = locate(at);
    firstNode.parentElement!.scrollIntoView({ block: 'center' });
    const rect = (offset: number) => {
      const [node, o] = locate(offset);
      const range = document.createRange();
      range.setStart(node, o);
      range.setEnd(node, o + 1);
      const r = range.getClientRects()[0] ?? range.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    };
    return { first: rect(at), last: rect(at + target.length - 1) };
  }, words);
}

/** Clicks just before the first character of `words`, then extends the selection with Shift+→. */
export async function keyboardSelect(page: Page, pairId: string, lang: 'vi' | 'fr', words: string): Promise<void> {
  const { first } = await wordRects(page, pairId, lang, words);
  await page.mouse.click(first.x + 1, first.y + first.height / 2);
  for (let i = 0; i < [...words].length; i++) await page.keyboard.press('Shift+ArrowRight');
}

/** Path of a file under test-artifacts/ (created if needed). */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}

/** Waits until `read()` returns a value that passes `check`, or fails with the last value. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

/**
 * Forgets the console lines Chromium prints for HTTP errors a test provoked
 * on purpose ("Failed to load resource: … status of 409"), keeping any other.
 */
export function forgetHttpErrors(person: { errors: string[] }, ...statuses: number[]): void {
  const expected = new RegExp(`Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
  const kept = person.errors.filter((e) => !expected.test(e));
  person.errors.splice(0, person.errors.length, ...kept);
}

/** Someone a test opened a browser context for. */
export type Person = Pick<Member, 'context' | 'errors'> & { name?: string };

/** The server and browser a test file shares, and the people its tests open. */
export interface BrowserSuite {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** Push everyone a test opens: they are closed for you (see browserSuite). */
  readonly people: Person[];
  /** A demo member signed in in their own browser context (signIn), pushed on `people`. */
  member(email: string, options?: PersonOptions & { link?: string }): Promise<Member>;
}

/**
 * The setup of a browser test file: one real server (child process, own data
 * directory) and one Chromium for the whole file. The people a test pushes on
 * `people` are closed after that test, which then fails if any of them saw an
 * error in the browser console; with `keepPeople`, they stay open until the
 * end of the file (for files whose tests build on each other) and the file
 * checks errors itself.
 */
export function browserSuite(options: { server?: StartServerOptions; keepPeople?: boolean } = {}): BrowserSuite {
  const suite = {
    people: [] as Person[],
    async member(email: string, personOptions: PersonOptions & { link?: string } = {}) {
      const person = await signIn(suite.browser, suite.server, email, personOptions);
      suite.people.push(person);
      return person;
    },
  } as BrowserSuite & { server: RunningServer; browser: Browser; people: Person[] };
  const closeEveryone = async () => {
    const people = suite.people.splice(0);
    await Promise.all(people.map((p) => p.context.close().catch(() => undefined)));
    return people;
  };
  beforeAll(async () => {
    suite.server = await startServer(options.server);
    suite.browser = await launchBrowser();
  });
  if (!options.keepPeople) {
    // Where the server's log stood when the test began: a console error (a 500, say) is shown with what the server logged meanwhile.
    let logMark = 0;
    beforeEach(() => {
      logMark = suite.server.output().length;
    });
    afterEach(async () => {
      const people = await closeEveryone();
      const errors = people.flatMap((p) => p.errors.map((e) => `${p.name ?? 'visitor'}: ${e}`));
      const serverLog = errors.length > 0 ? suite.server.output().slice(logMark).slice(-4000) : '';
      expect(errors, `no errors in the browser console; the server logged meanwhile:\n${serverLog || '(nothing)'}`).toEqual([]);
    });
  }
  afterAll(async () => {
    await closeEveryone();
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}
