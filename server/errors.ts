import { ErrorCode, type ErrorBody, type ErrorParams } from '../shared/protocol.ts';
import type { InviteRefusal } from './store/identityTypes.ts';

/**
 * HTTP errors with a status and a stable code, thrown by routes and turned into
 * JSON by one error handler.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** What the page needs to word it in its language (shared/protocol.ts ErrorParams). */
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.params ? { params: this.params } : {}) } };
  }
}

export const documentNotFound = (id: string) =>
  new HttpError(404, ErrorCode.DocumentNotFound, `No declaration with id "${id}".`, { id });

export const pairNotFound = (documentId: string, pairId: string) =>
  new HttpError(404, ErrorCode.PairNotFound, `Declaration "${documentId}" has no paragraph pair with id "${pairId}".`);

export const partyNotFound = (documentId: string, partyId: string) =>
  new HttpError(404, ErrorCode.PartyNotFound, `Declaration "${documentId}" has no party "${partyId}".`, { party: partyId });

export const invalidInput = (message: string, params?: ErrorParams) => new HttpError(400, ErrorCode.InvalidInput, message, params);

export const routeNotFound = (method: string, path: string) =>
  new HttpError(404, ErrorCode.NotFound, `No API route for ${method} ${path}.`);

export const unauthorized = () =>
  new HttpError(401, ErrorCode.Unauthorized, 'Sign in first: open the sign-in link you were sent.');

/** `reason` picks the page's sentence: 'role' (the role does not allow it), 'member' (not a member), 'crossSite'. */
export const forbidden = (what: string, reason: 'role' | 'member' | 'crossSite' = 'role') =>
  new HttpError(403, ErrorCode.Forbidden, `Your role does not allow you to ${what}.`, { reason });

export const notAMember = (documentId: string) =>
  new HttpError(403, ErrorCode.Forbidden, `You are not a member of declaration "${documentId}".`, { reason: 'member' });

export const crossSiteRequest = () =>
  new HttpError(403, ErrorCode.Forbidden, 'Cross-site request refused: state changes must come from Accord’s own pages.', { reason: 'crossSite' });

/** A sign-in link that cannot be used, by why (the page words each in the person's language). */
export const signInLinkRefused = (reason: InviteRefusal) =>
  reason === 'unknown'
    ? new HttpError(404, ErrorCode.InvalidToken, 'This sign-in link is not valid: ask the secretariat for a new one.')
    : reason === 'used'
      ? new HttpError(410, ErrorCode.SignInLinkUsed, 'This sign-in link has already been used: each link works once.')
      : new HttpError(410, ErrorCode.SignInLinkExpired, 'This sign-in link has expired: ask the secretariat for a new one.');

export const conflict = (message: string, code: ErrorCode = ErrorCode.Conflict, params?: ErrorParams) => new HttpError(409, code, message, params);
