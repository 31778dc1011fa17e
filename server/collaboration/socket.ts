/**
 * The minimal interface a room needs from a transport (a `ws` WebSocket in
 * production; anything with send/close in tests), so room logic never touches
 * the network library.
 */
export interface SyncSocket {
  send(data: Uint8Array): void;
  /**
   * Sends one message made of `parts`, in order, without copying them into
   * one buffer first: a whole stored document for a joiner is megabytes,
   * and on some machines a fresh buffer that size costs more (~6 ms) than
   * sending it.
   */
  sendParts(parts: Uint8Array[]): void;
  close(code: number, reason: string): void;
}
