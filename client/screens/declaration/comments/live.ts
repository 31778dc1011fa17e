import { io, type Socket } from 'socket.io-client';
import type { ThreadView } from '../../../../shared/comments.ts';
import { SOCKET_IO_PATH, type ClientToServerEvents, type ServerToClientEvents } from '../../../../shared/protocol.ts';

/**
 * Live comment threads: joins the declaration's socket.io room (the session
 * cookie goes along) and hands over every `thread:changed` the server pushes
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
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: SOCKET_IO_PATH,
    withCredentials: true,
  });
  const join = (): void => {
    socket.emit('document:join', { documentId: options.documentId }, (reply) => {
      if (reply.ok) options.onJoined();
      else options.onRefused(reply.error.message);
    });
  };
  socket.on('connect', join);
  socket.on('thread:changed', ({ documentId, thread }) => {
    if (documentId === options.documentId) options.onThread(thread);
  });
  return {
    destroy() {
      socket.off('connect', join);
      socket.removeAllListeners('thread:changed');
      socket.disconnect();
    },
  };
}
