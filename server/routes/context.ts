import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { accountOfRequest } from '../auth/sessions.ts';
import { isCrossSite, type TrustProxy } from '../auth/origin.ts';
import type { Logger } from '../logger.ts';
import { crossSiteRequest, invalidInput } from '../errors.ts';
import type { Account } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in account, set by sessionMiddleware. */
      account?: Account;
    }
  }
}

/** Resolves the session cookie into `req.account` for every request. */
export function sessionMiddleware(store: Store) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.account = await accountOfRequest(store, req);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Refuses state-changing requests sent by another site's page (CSRF), and logs the refusal. */
export function sameOriginForStateChanges(trust: TrustProxy, logger: Logger) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!SAFE_METHODS.has(req.method) && isCrossSite(req, trust)) {
      logger.warn({ account: req.account?.id, address: req.ip, method: req.method, path: req.path, origin: req.headers.origin }, 'cross-site request refused');
      throw crossSiteRequest();
    }
    next();
  };
}

/** Parses input with a schema; a failure is a 400 naming the field. */
export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'input';
    throw invalidInput(`${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return result.data;
}

/**
 * The origin links should point to, as the person reached this server:
 * Express's req.protocol and req.host, which read X-Forwarded-Proto and
 * X-Forwarded-Host only from a proxy TRUST_PROXY names (else the Host header).
 */
export function baseUrlOf(req: Request): string {
  return `${req.protocol}://${req.host}`;
}
