import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { limits } from '../../shared/limits.ts';
import { ErrorCode, type ErrorBody } from '../../shared/protocol.ts';
import type { SyncRejection } from './hooks.ts';

/** What the body of a refused upgrade says, per HTTP status (the codes REST answers with). */
const ERROR_CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.DocumentNotFound,
  408: ErrorCode.RateLimited,
  429: ErrorCode.RateLimited,
  503: ErrorCode.RateLimited,
};

/** A refused upgrade's body: the REST error, and the close code an open connection would have got. */
export type UpgradeRefusalBody = ErrorBody & { closeCode: number };

/**
 * Answers a WebSocket upgrade request with an HTTP error instead of accepting
 * it. A WebSocket accepted and then closed counts for y-websocket as a
 * connection that worked, so it reconnects after ~100 ms, forever; a failed
 * upgrade makes it back off (up to its maximum delay), and the status tells
 * raw clients what REST would say.
 */
export function refuseUpgrade(socket: Duplex, rejection: SyncRejection, retryAfterSeconds = limits.syncRetryAfterSeconds): void {
  if (socket.destroyed) return;
  const status = rejection.status;
  const body: UpgradeRefusalBody = {
    error: { code: ERROR_CODE_OF_STATUS[status] ?? ErrorCode.InvalidInput, message: rejection.message },
    closeCode: rejection.code,
  };
  const json = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}`,
    'Connection: close',
    'Cache-Control: no-store',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
  ];
  if (status === 429 || status === 503) lines.push(`Retry-After: ${retryAfterSeconds}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${json}`);
  // A client that never reads would otherwise hold the socket half-closed.
  setTimeout(() => socket.destroy(), 1000).unref();
}
