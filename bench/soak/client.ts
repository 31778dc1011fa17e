/**
 * One soak client: a raw y-protocols client over `ws` (the framing of
 * bench/sync/wire.ts), holding a live Y.Doc, that reconnects by itself when
 * its connection drops and resyncs (sync step 1/2 both ways) each time, so
 * edits made while it was offline reach the server.
 */
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { SYNC_STEP2, SYNC_UPDATE, Wire } from '../sync/wire.ts';

const REMOTE = 'remote';

export class SoakClient {
  readonly doc = new Y.Doc();
  private readonly wire: Wire;
  private ws: WebSocket | undefined;
  /** Whether the client wants to be connected (false while deliberately offline). */
  private wanted = true;
  private retry: NodeJS.Timeout | undefined;
  synced = false;
  connects = 0;
  /** Closes that the client did not ask for, by code (e.g. 1006: the socket died). */
  readonly unexpectedCloses = new Map<number, number>();
  private firstSync: { resolve: () => void; reject: (error: Error) => void } | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly cookie: string,
    documentName: string,
    private readonly onError: (message: string) => void,
  ) {
    this.wire = new Wire('y-websocket', documentName);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.send(this.wire.sync(SYNC_UPDATE, update));
    });
    this.ready = new Promise((resolve, reject) => (this.firstSync = { resolve, reject }));
    this.open();
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.synced;
  }

  private open(): void {
    this.retry = undefined;
    this.synced = false;
    const ws = new WebSocket(this.url, { headers: { cookie: this.cookie }, perMessageDeflate: false });
    this.ws = ws;
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => {
      this.connects++;
      this.send(this.wire.sync(0, Y.encodeStateVector(this.doc)));
    });
    ws.on('message', (data: Buffer) => {
      let message;
      try {
        message = this.wire.parse(data);
      } catch (error) {
        this.onError(`undecodable frame from the server: ${(error as Error).message}`);
        return;
      }
      switch (message.kind) {
        case 'step1':
          // Whatever was typed offline goes to the server here.
          this.send(this.wire.sync(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        case 'step2':
          Y.applyUpdate(this.doc, message.update, REMOTE);
          this.synced = true;
          this.firstSync?.resolve();
          this.firstSync = undefined;
          return;
        case 'update':
          Y.applyUpdate(this.doc, message.update, REMOTE);
          return;
        case 'auth':
          if (message.denied) this.onError(`permission denied: ${message.reason}`);
          return;
        default:
          return;
      }
    });
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.synced = false;
      if (this.wanted) {
        this.unexpectedCloses.set(code, (this.unexpectedCloses.get(code) ?? 0) + 1);
        this.firstSync?.reject(new Error(`closed before the first sync: ${code}`));
        this.firstSync = undefined;
        this.retry = setTimeout(() => this.open(), 500);
      }
    });
    ws.on('error', () => {}); // a 'close' follows
  }

  send(frame: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  /** Goes offline: abruptly (the network is lost) or with a clean close (the laptop lid). */
  disconnect(abrupt: boolean): void {
    this.wanted = false;
    if (this.retry) clearTimeout(this.retry);
    if (abrupt) this.ws?.terminate();
    else this.ws?.close(1000);
  }

  /** Comes back: opens a new connection and resyncs. */
  reconnect(): void {
    this.wanted = true;
    if (!this.retry && this.ws?.readyState !== WebSocket.OPEN && this.ws?.readyState !== WebSocket.CONNECTING) this.open();
  }

  close(): void {
    this.disconnect(true);
    this.doc.destroy();
  }
}
