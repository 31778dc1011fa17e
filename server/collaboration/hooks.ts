import type { IncomingMessage } from 'node:http';
import type { CloseCode, PresenceUser } from '../../shared/protocol.ts';

/** Who is on a sync connection and what they may do there. */
export interface ConnectionContext {
  user: { id: string; name: string };
  /** What others see in the awareness `user` field of this connection's states (stamped by the server). */
  presence: PresenceUser;
  /** Read-only connections receive the document but their updates are dropped. */
  readOnly: boolean;
  /** The sign-in session the connection was opened with: signing out closes it. */
  sessionId?: string;
  /** The remote address the connection came from, for the security log (set by the sync server). */
  address?: string;
}

/**
 * The seams of the sync server, run in order for every connection. Only
 * authentication is pluggable so far: it runs on the HTTP upgrade request,
 * before the WebSocket exists, so a refusal is an HTTP status (see
 * SyncRejection) rather than an open-then-close a client would retry.
 */
export interface SyncHooks {
  authenticate(request: IncomingMessage, documentId: string): Promise<ConnectionContext>;
}

/**
 * The HTTP status a refused upgrade is answered with, per close code: y-websocket
 * (1.x and 3.x) retries a failed upgrade with its backoff, where an accepted
 * connection closed at once is retried every ~100 ms.
 */
const UPGRADE_STATUS: Partial<Record<number, number>> = {
  4401: 401, // Unauthorized
  4403: 403, // Forbidden
  4404: 404, // DocumentNotFound
  4408: 408, // AuthenticationTimeout
  4429: 429, // TooManyMessages
  1012: 503, // ServiceRestart
  1013: 503, // TryAgainLater
};

/**
 * Thrown by a hook to refuse a connection with a close code and a reason.
 * Before the upgrade it is answered with `status` (by default the one of its
 * code); once the WebSocket is open, with the close code.
 */
export class SyncRejection extends Error {
  readonly status: number;
  constructor(
    readonly code: CloseCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'SyncRejection';
    this.status = status ?? UPGRADE_STATUS[code] ?? 400;
  }
}
