import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import { limits } from '../../shared/limits.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { sessionIdOf } from '../auth/sessions.ts';
import type { Logger } from '../logger.ts';

/** The REST rate limits (shared/limits.ts); tests lower or raise them through ServerOptions. */
export interface RateLimits {
  signInFailuresPerAddress: number;
  signInWindowMs: number;
  restWritesPerSession: number;
  restWritesWindowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInFailuresPerAddress: limits.signInFailuresPerAddress,
  signInWindowMs: limits.signInWindowMs,
  restWritesPerSession: limits.restWritesPerSession,
  restWritesWindowMs: limits.restWritesWindowMs,
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A 429 in the API's error shape, with Retry-After, logged at warn with who and from where. */
function refusal(logger: Logger, what: string): Options['handler'] {
  return (req: Request, res: Response) => {
    const reset = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime() ?? Date.now() + 1000;
    const seconds = Math.max(1, Math.ceil((reset - Date.now()) / 1000));
    // A sign-in link's token is a bearer secret: never in the log (a limited request may carry a valid one).
    const path = req.originalUrl.split('?')[0]!.replace(/(\/sign-?in\/)[^/]+/, '$1…');
    logger.warn({ account: req.account?.id, address: req.ip, method: req.method, path, limit: what }, 'request rate limited');
    res
      .status(429)
      .set('Retry-After', String(seconds))
      .json({ error: { code: ErrorCode.RateLimited, message: `Too many ${what}; try again in ${seconds} s.`, params: { seconds } } });
  };
}

/**
 * Failed sign-in attempts (an unknown, used or expired link, to the page or
 * the API) per address: a link is a 256-bit secret, so the limit is not what
 * keeps it safe; it bounds guessing and the work it causes. Only failures
 * count: a conference hall behind one NAT signs in by the hundred.
 */
export function signInLimit(logger: Logger, config: RateLimits): RequestHandler {
  return rateLimit({
    windowMs: config.signInWindowMs,
    limit: config.signInFailuresPerAddress,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Forwarded headers are read or not as TRUST_PROXY says (req.ip): one sent to a server with no proxy is no misconfiguration.
    validate: { xForwardedForHeader: false },
    handler: refusal(logger, 'sign-in attempts from this address'),
  });
}

/** REST writes per session (per address without one): a person's pace is far below it; a script's is not. */
export function restWriteLimit(logger: Logger, config: RateLimits): RequestHandler {
  return rateLimit({
    windowMs: config.restWritesWindowMs,
    limit: config.restWritesPerSession,
    // Sign-ins have their own limit (a hall behind one address signs in by the hundred).
    skip: (req) => !WRITES.has(req.method) || req.path.startsWith('/sign-in/'),
    keyGenerator: (req) => {
      const session = sessionIdOf(req);
      return session ? `session:${session}` : `address:${ipKeyGenerator(req.ip ?? '')}`;
    },
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Forwarded headers are read or not as TRUST_PROXY says (req.ip): one sent to a server with no proxy is no misconfiguration.
    validate: { xForwardedForHeader: false },
    handler: refusal(logger, 'changes in a short time'),
  });
}
