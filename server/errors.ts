import { ErrorCode, type ErrorBody } from '../shared/protocol.ts';

/**
 * HTTP errors with a status and a stable code, thrown by routes and turned into
 * JSON by one error handler.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export const documentNotFound = (id: string) =>
  new HttpError(404, ErrorCode.DocumentNotFound, `No declaration with id "${id}".`);

export const pairNotFound = (documentId: string, pairId: string) =>
  new HttpError(404, ErrorCode.PairNotFound, `Declaration "${documentId}" has no paragraph pair with id "${pairId}".`);

export const invalidInput = (message: string) => new HttpError(400, ErrorCode.InvalidInput, message);

export const routeNotFound = (method: string, path: string) =>
  new HttpError(404, ErrorCode.NotFound, `No API route for ${method} ${path}.`);
