/**
 * The minimal interface a room needs from a transport (a `ws` WebSocket in
 * production; anything with send/close in tests), so room logic never touches
 * the network library.
 */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}
