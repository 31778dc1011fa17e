import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { SYNC_STEP1, SYNC_STEP2, Wire } from '../sync/wire.ts';
import type { BigDocConfig } from './client.ts';

/** One raw connection to one document. */
export class Conn {
  readonly ws: WebSocket;
  readonly wire: Wire;
  readonly opened: Promise<void>;
  private step2Waiters: Array<(update: Uint8Array) => void> = [];
  private updateWaiters: Array<(update: Uint8Array) => void> = [];
  private updateWatchers: Array<(update: Uint8Array) => boolean> = [];

  constructor(config: Pick<BigDocConfig, 'dialect' | 'base'>, document: string, cookie: string | undefined) {
    this.wire = new Wire(config.dialect, document);
    const url = config.dialect === 'hocuspocus' ? config.base : `${config.base}/${document}`;
    this.ws = new WebSocket(url, { headers: cookie ? { cookie } : {}, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        for (const frame of this.wire.hello()) this.ws.send(frame);
        resolve();
      });
      this.ws.once('error', reject);
      this.ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
    });
    this.ws.on('message', (data: Buffer) => {
      const message = this.wire.parse(data);
      if (message.kind === 'step1') {
        // Answer the server's step 1 with "nothing new" (an empty update).
        this.ws.send(this.wire.sync(SYNC_STEP2, Y.encodeStateAsUpdate(new Y.Doc(), message.stateVector)));
      } else if (message.kind === 'step2') {
        this.step2Waiters.shift()?.(message.update);
      } else if (message.kind === 'update') {
        for (const waiter of this.updateWaiters.splice(0)) waiter(message.update);
        this.updateWatchers = this.updateWatchers.filter((watch) => !watch(message.update));
      } else if (message.kind === 'auth' && message.denied) {
        this.ws.close();
      }
    });
  }

  /** Sends sync step 1 with this state vector; resolves with the server's step 2. */
  requestSync(stateVector: Uint8Array = Y.encodeStateVector(new Y.Doc())): Promise<Uint8Array> {
    const reply = new Promise<Uint8Array>((resolve) => this.step2Waiters.push(resolve));
    this.ws.send(this.wire.sync(SYNC_STEP1, stateVector));
    return reply;
  }

  nextUpdate(): Promise<Uint8Array> {
    return new Promise((resolve) => this.updateWaiters.push(resolve));
  }

  /** Resolves with the first update received (as an update, not a step 2) that `match` accepts. */
  updateMatching(match: (update: Uint8Array) => boolean): Promise<void> {
    return new Promise((resolve) =>
      this.updateWatchers.push((update) => {
        if (!match(update)) return false;
        resolve();
        return true;
      }),
    );
  }

  close(): void {
    this.ws.removeAllListeners('close');
    this.ws.terminate();
  }
}
