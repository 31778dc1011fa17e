import { Worker } from 'node:worker_threads';
import { batchTrace } from '../collaboration/batchTrace.ts';

type Request =
  | { op: 'ready' }
  | { op: 'append'; documentId: string; data: Uint8Array }
  | { op: 'compact'; documentId: string; data: Uint8Array; uptoSeq: number; afterSeq: number }
  | { op: 'mergeRows'; documentId: string; uptoSeq: number; afterSeq: number }
  | { op: 'close' };

interface Reply {
  /** 0: not a reply but the news that the WAL was flushed to the disk up to `onDisk` (or could not be: `error`). */
  id: number;
  onDisk?: number;
  result?: number;
  /** mergeRows: the merged row's size. */
  bytes?: number;
  /** The worker's own time for the write (insert and commit). */
  workMs?: number;
  error?: { message: string; code?: string };
}

/** A write the database refused (read-only file, disk full, …): `code` is SQLite's (e.g. SQLITE_FULL). */
export class StorageWriteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'StorageWriteError';
  }
}

/**
 * Appends to and compacts the Yjs update log on a worker thread with its own
 * SQLite connection (WAL lets it write beside the main connection). Each
 * promise resolves once the write is in the WAL file (it survives a kill -9),
 * in posting order, so callers keep "stored before relayed" while the event
 * loop goes on serving other sockets; the worker then flushes the WAL to the
 * disk in the background (`onDisk`; updateLogWorker.mjs says why). Started on
 * the first write: read-only users of the store (CLI, verifier) never start it.
 */
export class UpdateLogWriter {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private broken: Error | undefined;
  /** The highest seq written, and the highest known to be on the disk. */
  private writtenSeq = 0;
  private onDiskSeq = 0;
  private readonly onDiskWaiters: Array<{ seq: number; resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(private readonly file: string) {}

  /** Resolves once everything written so far has been flushed to the disk (fdatasync), not only to the OS. */
  onDisk(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = this.writtenSeq;
    if (this.onDiskSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.onDiskWaiters.push({ seq, resolve, reject }));
  }

  /**
   * Appends an update. Appends posted while a write is on its way to disk are
   * written together right after it (one transaction, one fsync).
   */
  async append(documentId: string, data: Uint8Array): Promise<number> {
    return (await this.post({ op: 'append', documentId, data })).result!;
  }

  /** Replaces the rows in (afterSeq, uptoSeq] by `data`; resolves with the new row's seq. */
  async compact(documentId: string, data: Uint8Array, uptoSeq: number, afterSeq: number): Promise<number> {
    return (await this.post({ op: 'compact', documentId, data, uptoSeq, afterSeq })).result!;
  }

  /**
   * Replaces the rows in (afterSeq, uptoSeq] by their merge, computed on the
   * writer thread; resolves with the merged row's seq and size (fewer than two
   * rows: left as they are, with `uptoSeq`).
   */
  async mergeRows(documentId: string, afterSeq: number, uptoSeq: number): Promise<{ seq: number; bytes: number }> {
    const reply = await this.post({ op: 'mergeRows', documentId, afterSeq, uptoSeq });
    return { seq: reply.result!, bytes: reply.bytes! };
  }

  /** Starts the writer thread now (its connection takes ~100 ms to open); resolves once it is ready. */
  async start(): Promise<void> {
    await this.post({ op: 'ready' });
  }

  /** Waits for the writes posted so far, then closes the worker's connection. */
  async close(): Promise<void> {
    if (!this.worker) return;
    await this.post({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
    this.worker = undefined;
  }

  /** The worker flushed the WAL up to a seq; a flush that failed is a broken writer (the disk may not hold what was written). */
  private flushed(news: Reply): void {
    if (news.error) {
      this.fail(new Error(news.error.message));
      return;
    }
    this.onDiskSeq = Math.max(this.onDiskSeq, news.onDisk ?? 0);
    for (let i = this.onDiskWaiters.length - 1; i >= 0; i--) {
      const waiter = this.onDiskWaiters[i]!;
      if (waiter.seq > this.onDiskSeq) continue;
      this.onDiskWaiters.splice(i, 1);
      waiter.resolve();
    }
  }

  /** A writer that died takes no more writes: whatever it had not replied to was never acknowledged. */
  private fail(error: Error): void {
    this.broken = new StorageWriteError(`the update-log writer stopped: ${error.message}`, undefined);
    for (const waiter of this.waiting.values()) waiter.reject(this.broken);
    this.waiting.clear();
    for (const waiter of this.onDiskWaiters.splice(0)) waiter.reject(this.broken);
  }

  private post(request: Request): Promise<Reply> {
    if (this.broken) return Promise.reject(this.broken);
    const worker = (this.worker ??= this.startWorker());
    const id = this.nextId++;
    // Referenced while a write is outstanding, so that the process waits for it (e.g. a flush at SIGTERM).
    if (this.waiting.size === 0) worker.ref();
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./updateLogWorker.mjs', import.meta.url), { workerData: { file: this.file } });
    worker.on('message', (reply: Reply) => {
      if (reply.id === 0) return this.flushed(reply);
      if (reply.result !== undefined && reply.result > this.writtenSeq) this.writtenSeq = reply.result;
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      // An idle writer must not keep the process alive.
      if (this.waiting.size === 0) worker.unref();
      if (!waiter) return;
      if (batchTrace && reply.workMs !== undefined) batchTrace.sample('workerWrite', reply.workMs);
      if (reply.error) waiter.reject(new StorageWriteError(`could not store the update: ${reply.error.message}`, reply.error.code));
      else waiter.resolve(reply);
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) this.fail(new Error(`exited with code ${code}`));
    });
    return worker;
  }
}
