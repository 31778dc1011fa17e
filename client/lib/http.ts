import type { ErrorBody, ErrorParams } from '../../shared/protocol.ts';
import { t } from '../i18n/index.ts';
import { errorText } from './errorText.ts';

/**
 * JSON over HTTP to the Accord API. Every failure becomes an ApiError whose
 * message is worded by the page in its language from the server's code and
 * params (errorText.ts); the server's English message only for a code this
 * page does not know, and a sentence from the catalogue when the server said
 * nothing readable.
 */

/** A failed API call: the HTTP status (0: no answer), the server's error code, its params and the message to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly params: ErrorParams = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Sends one request and returns the parsed JSON answer. Same-origin fetch
 * sends the Origin header by itself, which the server requires for writes.
 */
export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', t('error.network'));
  }
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below.
  }
  if (!response.ok) {
    if (isErrorBody(body)) {
      const params = typeof body.error.params === 'object' && body.error.params !== null ? body.error.params : {};
      throw new ApiError(response.status, body.error.code, errorText(body.error.code, params) ?? body.error.message, params);
    }
    throw new ApiError(response.status, 'http_error', t('error.http', { status: String(response.status) }));
  }
  if (body === undefined) throw new ApiError(response.status, 'bad_response', t('error.badResponse'));
  return body as T;
}

/** True for "no valid session": the person must sign in again. */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
