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
}

/**
 * The seams of the sync server, run in order for every connection. Only
 * authentication is pluggable so far: it runs before any sync message from the
 * connection is handled (messages that arrive meanwhile are queued).
 */
export interface SyncHooks {
  authenticate(request: IncomingMessage, documentId: string): Promise<ConnectionContext>;
}

/** Thrown by a hook to refuse a connection with a close code and a reason. */
export class SyncRejection extends Error {
  constructor(
    readonly code: CloseCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncRejection';
  }
}
