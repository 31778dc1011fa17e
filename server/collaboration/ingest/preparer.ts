import { Worker } from 'node:worker_threads';
import { ContentNotAllowedError } from '../contentPolicy.ts';
import { MalformedMessageError } from '../messages.ts';
import type { PrepareReply } from './worker.ts';

/**
 * The main thread's side of the ingest worker: one worker thread, started on
 * the first large update and kept (unreferenced, so it never holds the process
 * open). Requests are answered in order.
 */
export class UpdatePreparer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (pieces: Uint8Array[]) => void; reject: (error: Error) => void }>();

  /** Decodes, checks and cuts `update` off the event loop; throws ContentNotAllowedError or MalformedMessageError. */
  prepare(update: Uint8Array, pieceStructs: number): Promise<Uint8Array[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A copy: the frame's bytes may share a buffer with other frames.
      worker.postMessage({ id, update: update.slice(), pieceStructs });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // From the sources (tsx, tests) the worker body is TypeScript and needs the loader (boot.mjs);
    // compiled (dist/node, as `npm start` runs) it is plain JavaScript.
    const fromSources = import.meta.url.endsWith('.ts');
    const worker = fromSources
      ? new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { entry: new URL('./worker.ts', import.meta.url).href } })
      : new Worker(new URL('./worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: PrepareReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!waiter) return;
      if (reply.ok) waiter.resolve(reply.pieces);
      else waiter.reject(reply.kind === 'content' ? new ContentNotAllowedError(reply.message) : new MalformedMessageError(`undecodable update (${reply.message})`));
    });
    const fail = (error: Error) => {
      this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`update worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
