import type { IncomingMessage } from 'node:http';
import type { Account } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';
import { SESSION_COOKIE, SESSION_TTL_MS, readCookie } from './cookies.ts';
import { TOKEN_PATTERN, hashToken, newToken } from './tokens.ts';

/** The signed-in account of a request (HTTP, socket.io handshake or WebSocket upgrade), if any. */
export async function accountOfRequest(store: Store, request: Pick<IncomingMessage, 'headers'>): Promise<Account | undefined> {
  const token = readCookie(request.headers, SESSION_COOKIE);
  if (!token || !TOKEN_PATTERN.test(token)) return undefined;
  return store.getSessionAccount(hashToken(token), new Date());
}

/** Opens a session for an account and returns its token (for the cookie). */
export async function openSession(store: Store, accountId: string): Promise<string> {
  const token = newToken();
  await store.createSession(hashToken(token), accountId, new Date(Date.now() + SESSION_TTL_MS));
  return token;
}

/** Ends the session of a request, if it has one. */
export async function closeSession(store: Store, request: Pick<IncomingMessage, 'headers'>): Promise<void> {
  const token = readCookie(request.headers, SESSION_COOKIE);
  if (token && TOKEN_PATTERN.test(token)) await store.deleteSession(hashToken(token));
}
