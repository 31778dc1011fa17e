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

/** The id of a request's session (the stored hash of its token), if it carries one. */
export function sessionIdOf(request: Pick<IncomingMessage, 'headers'>): string | undefined {
  const token = readCookie(request.headers, SESSION_COOKIE);
  return token && TOKEN_PATTERN.test(token) ? hashToken(token) : undefined;
}

/** Ends the session of a request, if it has one, and returns its id. */
export async function closeSession(store: Store, request: Pick<IncomingMessage, 'headers'>): Promise<string | undefined> {
  const sessionId = sessionIdOf(request);
  if (sessionId) await store.deleteSession(sessionId);
  return sessionId;
}
