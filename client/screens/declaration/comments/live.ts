import type { ThreadView } from '../../../../shared/comments.ts';
import type { ServerToClientEvents } from '../../../../shared/protocol.ts';
import { acquireSocket, connectShared } from '../../../lib/realtimeSocket.ts';
import { errorText } from '../../../lib/errorText.ts';

/**
 * Live comment threads: joins the declaration's socket.io room on the page's
 * shared connection (the session cookie goes along) and hands over every `thread:changed` the server pushes
 * (it pushes only threads this member may see). After each (re)join the
 * caller reloads the threads, so nothing missed while away stays missing.
 */
export interface LiveThreads {
  destroy(): void;
}

export interface LiveOptions {
  documentId: string;
  onThread(thread: ThreadView): void;
  /** Joined (again): reload to catch up. */
  onJoined(): void;
  /** The server refused the room (e.g. membership revoked). */
  onRefused(message: string): void;
}

export function followThreads(options: LiveOptions): LiveThreads {
  const lease = acquireSocket();
  const join = (): void => {
    lease.socket.emit('document:join', { documentId: options.documentId }, (reply) => {
      if (reply.ok) options.onJoined();
      else options.onRefused(errorText(reply.error.code, reply.error.params) ?? reply.error.message);
    });
  };
  lease.on('thread:changed', ({ documentId, thread }: Parameters<ServerToClientEvents['thread:changed']>[0]) => {
    if (documentId === options.documentId) options.onThread(thread);
  });
  connectShared(lease, join);
  return { destroy: () => lease.release() };
}
