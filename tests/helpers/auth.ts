import { issueSignInToken, signInUrl } from '../../server/commands/members.ts';
import type { Store } from '../../server/store/types.ts';

/** Demo accounts by their role in the joint declaration. */
export const DEMO = {
  secretariat: 'secretariat@demo.accord',
  vnHead: 'vn-head@demo.accord',
  vnDrafter: 'vn-drafter@demo.accord',
  frHead: 'fr-head@demo.accord',
  frDrafter: 'fr-drafter@demo.accord',
  observer: 'observer@demo.accord',
} as const;

/** Where the sign-in page POSTs to use a link (`/signin/<token>` → `/api/sign-in/<token>`). */
export function signInApiUrl(link: string): string {
  const url = new URL(link);
  const token = /^\/signin\/([^/]+)$/.exec(url.pathname)?.[1];
  if (!token) throw new Error(`not a sign-in link: ${link}`);
  return `${url.origin}/api/sign-in/${token}`;
}

/**
 * Follows a sign-in link like a person in a browser: its page asks first, and
 * confirming POSTs from that page (same origin). Returns the session cookie ("name=value").
 */
export async function followSignInLink(url: string): Promise<string> {
  const res = await fetch(signInApiUrl(url), { method: 'POST', headers: { origin: new URL(url).origin } });
  const setCookie = res.headers.get('set-cookie');
  if (res.status !== 200 || !setCookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return setCookie.split(';')[0]!;
}

/** Signs in as the account with this email (issuing a link through the store, as the CLI does). */
export async function signInAs(server: { url: string; store: Store }, email: string): Promise<string> {
  const account = await server.store.findAccountByEmail(email);
  if (!account) throw new Error(`no account ${email}`);
  return followSignInLink(signInUrl(server.url, await issueSignInToken(server.store, account.id)));
}

/** The demo sign-in links a server process printed, by email. */
export function printedSignInLinks(output: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const match of output.matchAll(/(\S+@demo\.accord)\s+(http:\/\/\S+\/signin\/\S+)/g)) links.set(match[1]!, match[2]!);
  return links;
}

/**
 * Lets the event loop read what sockets received while the test was busy
 * (a long `execFileSync`): a kept-alive connection the server closed in the
 * meantime is then known closed, and fetch does not send on it (ECONNRESET).
 */
export async function settleSockets(): Promise<void> {
  // Two turns of the loop: the second one's poll phase reads what arrived during the first.
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** fetch with a session cookie and, for writes, our own Origin. */
export function api(baseUrl: string, cookie: string | undefined) {
  return async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    await settleSockets();
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (cookie) headers.cookie = cookie;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      headers.origin ??= baseUrl;
    }
    const res = await fetch(`${baseUrl}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    const text = await res.text();
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, body };
  };
}

/** A session cookie for every demo member, by role key. */
export async function signInAll(server: { url: string; store: Store }): Promise<Record<keyof typeof DEMO, string>> {
  const cookies = {} as Record<keyof typeof DEMO, string>;
  for (const [key, email] of Object.entries(DEMO)) cookies[key as keyof typeof DEMO] = await signInAs(server, email);
  return cookies;
}
