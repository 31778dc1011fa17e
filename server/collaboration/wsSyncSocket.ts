/*
 * The one file that reaches into `ws`'s private fields (`_sender`, `_socket`):
 * the frame-once fast path below. tests/server/wsInternals.test.ts is its
 * canary: it fails if an upgrade of `ws` renames or reshapes them, which would
 * otherwise only make every broadcast quietly slower.
 */
import { WebSocket } from 'ws';
import type { SyncSocket } from './socket.ts';

/** The parts of a `ws` WebSocket its `send` goes through (not in its typings): the frame sender and the TCP socket. */
interface WsInternals {
  _sender?: { _state?: number; _queue?: unknown[] };
  _socket?: { destroyed: boolean; write(chunk: Buffer): boolean };
}

/**
 * The TCP socket to write a whole frame to, when `ws` has nothing of its own
 * queued or half-written on this connection (its sender idle, the socket
 * open); otherwise undefined, and the message goes through `ws.send`.
 */
export function directWriter(ws: WebSocket): { write(chunk: Buffer): boolean } | undefined {
  const { _sender: sender, _socket: tcp } = ws as unknown as WsInternals;
  return sender?._state === 0 && sender._queue?.length === 0 && tcp && !tcp.destroyed ? tcp : undefined;
}

/**
 * Frames already built, by message: a room sends the same bytes to every
 * connection (one broadcast, one awareness change), and a server's frames
 * are not masked, so the frame is the same for all of them.
 */
const framed = new WeakMap<Uint8Array, Buffer>();
/** Larger messages (a whole document for a joiner) are framed by `ws` as they are, not copied into a frame kept while they live. */
const SHARED_FRAME_MAX_BYTES = 64 * 1024;

/** One unfragmented, uncompressed binary WebSocket frame (RFC 6455 §5.2) carrying `data`. */
function binaryFrame(data: Uint8Array): Buffer {
  const header = data.length < 126 ? 2 : data.length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + data.length);
  frame[0] = 0x82; // FIN, opcode 2 (binary)
  if (header === 2) frame[1] = data.length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(data.length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUIntBE(data.length, 4, 6);
  }
  frame.set(data, header);
  return frame;
}

/**
 * Adapts a `ws` WebSocket to the room's minimal socket interface.
 *
 * A message goes out as one frame built once per message and written as one
 * buffer straight to the TCP socket, when `ws` itself has nothing queued
 * (no compression is negotiated, so it never has): what `ws.send` would
 * write, without framing the same bytes again for each of hundreds of
 * connections, and one write of one buffer instead of a corked header and
 * payload. Anything else (and any message of 64 KiB or more) goes through `ws.send`.
 */
export class WsSyncSocket implements SyncSocket {
  constructor(private readonly ws: WebSocket) {}
  send(data: Uint8Array): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const tcp = data.length < SHARED_FRAME_MAX_BYTES ? directWriter(this.ws) : undefined;
    if (tcp) {
      let frame = framed.get(data);
      if (!frame) {
        frame = binaryFrame(data);
        framed.set(data, frame);
      }
      tcp.write(frame);
      return;
    }
    this.ws.send(data, { binary: true });
  }
  sendParts(parts: Uint8Array[]): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // One fragment per part (RFC 6455 §5.4): `ws` writes each after its header, as it is.
    parts.forEach((part, i) => this.ws.send(part, { binary: true, fin: i === parts.length - 1 }));
  }
  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }
}
