import type { ConnectionContext } from './hooks.ts';

/**
 * The account behind each sync connection, for those who watch a room's doc
 * (server/history/): the transactions a connection's updates make have the
 * connection as their origin. Set by the sync server when it lets the
 * connection in (and again when it re-authenticates it).
 */
const contexts = new WeakMap<object, ConnectionContext>();

export function rememberConnection(socket: object, context: ConnectionContext): void {
  contexts.set(socket, context);
}

/** The account whose connection made a transaction (undefined: the server's own, e.g. loading). */
export function connectionOfOrigin(origin: unknown): ConnectionContext | undefined {
  return typeof origin === 'object' && origin !== null ? contexts.get(origin) : undefined;
}
