import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Whether a request's forwarded headers may be believed: the proxies the
 * operator named in TRUST_PROXY (Express's own `trust proxy fn`, so REST,
 * the sync endpoint and socket.io trust the same hops). Off by default: with
 * no proxy in front, anyone can send `X-Forwarded-Host` (issue 20).
 */
export type TrustProxy = (address: string, hop: number) => boolean;

/** No proxy is trusted: forwarded headers are ignored (the default). */
export const TRUST_NO_PROXY: TrustProxy = () => false;

type RequestLike = Pick<IncomingMessage, 'headers'> & { socket?: { remoteAddress?: string | undefined } };

/**
 * The address a request comes from, as Express's `req.ip` reads it: the
 * socket's, or behind proxies TRUST_PROXY names the X-Forwarded-For hop past
 * the last trusted one (one address per person, not the proxy's for everyone).
 * A forged X-Forwarded-For from an untrusted peer is ignored.
 */
export function requestAddress(request: RequestLike, trust: TrustProxy = TRUST_NO_PROXY): string {
  const socketAddress = request.socket?.remoteAddress;
  if (socketAddress === undefined) return 'unknown'; // a socket already closed
  return proxyaddr({ headers: request.headers, socket: { remoteAddress: socketAddress } }, trust);
}

/** The host the browser asked for: `X-Forwarded-Host` from a trusted proxy, else `Host`. */
export function requestHost(request: RequestLike, trust: TrustProxy = TRUST_NO_PROXY): string | undefined {
  const forwarded = request.headers['x-forwarded-host'];
  if (typeof forwarded === 'string' && trust(request.socket?.remoteAddress ?? '', 0)) return forwarded.split(',')[0]!.trim();
  return request.headers.host;
}

/**
 * Cross-site request protection, besides SameSite cookies: a browser request
 * that changes state (or opens a WebSocket) must come from a page of this
 * server. Browsers always send Origin on such requests; a request without one
 * (curl, the CLI) carries no ambient browser cookie risk.
 */
export function isCrossSite(request: RequestLike, trust: TrustProxy = TRUST_NO_PROXY): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== requestHost(request, trust);
  } catch {
    return true; // "null" or garbage
  }
}
