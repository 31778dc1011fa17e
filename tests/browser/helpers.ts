import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Helpers for the browser tests: start the real server as a child process on
 * a random port with a fresh data directory, launch Chromium, open a page as a
 * named drafter, and find rows and cells by their stable test ids.
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
export function launchBrowser(): Promise<Browser> {
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
    ],
  });
}

export interface Drafter {
  name: string;
  color: string;
  context: BrowserContext;
  page: Page;
  /** Browser console errors and uncaught exceptions seen on the page. */
  errors: string[];
}

export interface DrafterOptions {
  name: string;
  /** #rrggbb */
  color: string;
  viewport?: { width: number; height: number };
}

/**
 * A person at their own computer: a fresh browser context (own storage, so
 * its own identity) with the given display name and colour already chosen.
 */
export async function openDrafter(browser: Browser, options: DrafterOptions): Promise<Drafter> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-GB',
  });
  await context.addInitScript(
    ({ name, color }) => {
      localStorage.setItem('accord.user', JSON.stringify({ name, color }));
    },
    { name: options.name, color: options.color },
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { name: options.name, color: options.color, context, page, errors };
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

/** Path of a file under test-artifacts/ (created if needed). */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
