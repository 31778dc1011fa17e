import type { IncomingMessage } from 'node:http';

/**
 * Cross-site request protection, besides SameSite cookies: a browser request
 * that changes state (or opens a WebSocket) must come from a page of this
 * server. Browsers always send Origin on such requests; a request without one
 * (curl, the CLI) carries no ambient browser cookie risk.
 */
export function isCrossSite(request: Pick<IncomingMessage, 'headers'>): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  const host = request.headers['x-forwarded-host'] ?? request.headers.host;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true; // "null" or garbage
  }
}
