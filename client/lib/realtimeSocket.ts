import { io, type Socket } from 'socket.io-client';
import { SOCKET_IO_PATH, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/protocol.ts';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket.io connection per page, shared by everything live on it
 * (approvals, comments): socket.io-client opens a new connection for each
 * `io()` on the same namespace, and a declaration page used to hold two.
 * Each user takes a lease and registers its own listeners; the connection
 * closes when the last lease is released.
 */
// Listeners of several event types go through one list; socket.io's own typings are per event.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (...args: any[]) => void;
type LooseSocket = { on(event: string, listener: Listener): void; off(event: string, listener: Listener): void };

let shared: RealtimeSocket | undefined;
let leases = 0;

export interface SocketLease {
  socket: RealtimeSocket;
  /** Removes this user's listeners (given to `on`) and closes the connection if it was the last user. */
  release(): void;
  /** Registers a listener that `release` removes (other users' listeners stay). */
  on(event: keyof ServerToClientEvents | 'connect' | 'disconnect' | 'connect_error', listener: Listener): void;
}

export function acquireSocket(): SocketLease {
  shared ??= io({ path: SOCKET_IO_PATH, transports: ['websocket'], withCredentials: true, autoConnect: false });
  const socket = shared;
  leases++;
  const mine: Array<[string, Listener]> = [];
  let released = false;
  return {
    socket,
    on(event, listener) {
      mine.push([event, listener]);
      (socket as unknown as LooseSocket).on(event, listener);
    },
    release() {
      if (released) return;
      released = true;
      for (const [event, listener] of mine) (socket as unknown as LooseSocket).off(event, listener);
      if (--leases === 0) {
        socket.disconnect();
        shared = undefined;
      }
    },
  };
}

/** Connects the shared socket if it is not yet (a no-op when it is); when already connected, runs `onConnected` at once. */
export function connectShared(lease: SocketLease, onConnected: () => void): void {
  lease.on('connect', onConnected);
  if (lease.socket.connected) onConnected();
  else if (!lease.socket.active) lease.socket.connect();
}
