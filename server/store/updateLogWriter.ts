import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { batchTrace } from '../diagnostics/batchTrace.ts';

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

type WorkerRequest =
  | { op: 'ready' }
  | { op: 'mergeRows'; documentId: string; afterSeq: number; uptoSeq: number }
  | { op: 'loadUpdates'; documentId: string; shareFromBytes: number }
  | { op: 'close' };

interface WorkerReply {
  id: number;
  /** mergeRows: the merge of the rows (absent: fewer than two rows, nothing to merge), and the size of what is there. */
  merged?: Uint8Array;
  bytes?: number;
  /** loadUpdates: the document's rows, in order. */
  updates?: Uint8Array[];
  seqs?: number[];
  scans?: Array<Uint8Array | undefined>;
  error?: { message: string; code?: string };
}

/** What a request to the helper thread was for, in the error a failure gives. */
const DOING: Record<WorkerRequest['op'], string> = {
  ready: 'start the update-log helper thread',
  mergeRows: 'merge the update log',
  loadUpdates: 'read the update log',
  close: 'close the update-log helper thread',
};

/** How often the helper thread moves the WAL into the database file (a checkpoint, with its fsyncs, off the event loop). */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * The Yjs update log: appends and compactions, written on the event loop by
 * a connection of its own, and a helper thread for the slow parts.
 *
 * An append is one small commit, `synchronous=NORMAL`: the row is in the WAL
 * file when `append` resolves — it survives a kill -9 of the server
 * (docs/DESIGN.md, decision 5) — and no `fsync` is waited for (~0.05 ms). Right
 * after, the WAL is flushed to the disk in the background (`fdatasync` on
 * libuv's thread pool, one at a time: the commits made during one go in the
 * next), so a power loss can take only the last milliseconds of edits, which
 * every open client still holds and sends again when it reconnects. The main
 * connection's commits (versions, approvals: `synchronous=FULL`) flush the
 * WAL too, and with it every edit a record quotes. Writing here rather than
 * on a thread saves two thread hops per write (p50 0.25, p99 2.7 ms under
 * the fan-out bench, docs/benchmarks.md) and the copies of every update.
 *
 * The helper thread (updateLogWorker.mjs, its own read-only use of the file)
 * merges a document's recent rows (`Y.mergeUpdates` of 500 rows: 15–35 ms)
 * and checkpoints the WAL every second, whose fsyncs must not stall the event
 * loop (autocheckpoint is off on this connection). Only this connection
 * writes the log, so a merge computed there replaces exactly the rows it read.
 */
export class UpdateLogWriter {
  private db: Database.Database | undefined;
  private statements: ReturnType<UpdateLogWriter['prepare']> | undefined;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; doing: string }>();
  /** Set when a flush to the disk failed: nothing more is written (what was written may not be on the disk). */
  private broken: StorageWriteError | undefined;
  private walFd: number | undefined;
  private writtenSeq = 0;
  private onDiskSeq = 0;
  private flushing: Promise<void> | undefined;
  private readonly onDiskWaiters: Array<{ seq: number; resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(private readonly file: string) {}

  async append(documentId: string, data: Uint8Array): Promise<number> {
    return this.write(() => Number(this.open().insert.run(documentId, bytes(data)).lastInsertRowid));
  }

  /** Replaces the rows in (afterSeq, uptoSeq] by `data` (one transaction); resolves with the new row's seq. */
  async compact(documentId: string, data: Uint8Array, uptoSeq: number, afterSeq: number): Promise<number> {
    return this.write(() => this.open().replace(documentId, bytes(data), afterSeq, uptoSeq));
  }

  /**
   * Replaces the rows in (afterSeq, uptoSeq] by their merge, computed on the
   * helper thread; resolves with the merged row's seq and size (fewer than two
   * rows: left as they are, with `uptoSeq`).
   */
  async mergeRows(documentId: string, afterSeq: number, uptoSeq: number): Promise<{ seq: number; bytes: number; merged?: Uint8Array }> {
    this.open();
    const reply = await this.post({ op: 'mergeRows', documentId, afterSeq, uptoSeq });
    const merged = reply.merged;
    if (!merged) return { seq: uptoSeq, bytes: reply.bytes ?? 0 };
    const seq = await this.write(() => this.open().replace(documentId, bytes(merged), afterSeq, uptoSeq));
    return { seq, bytes: merged.length, merged };
  }

  /**
   * A document's rows, read on the helper thread (the event loop only
   * receives them); each row of `shareFromBytes` or more in shared memory
   * (a SharedArrayBuffer of its own, never written again), so that handing it
   * to a worker thread copies nothing.
   */
  async loadUpdates(documentId: string, shareFromBytes: number): Promise<{ updates: Uint8Array[]; seqs: number[]; scans: Array<Uint8Array | undefined> }> {
    const reply = await this.post({ op: 'loadUpdates', documentId, shareFromBytes });
    return { updates: reply.updates!, seqs: reply.seqs!, scans: reply.scans! };
  }

  /**
   * Keeps a scan with each row (see Store.keepRowScans): one transaction, on
   * this connection (the only one that writes the log, so never waiting for
   * another's lock on the event loop). Not flushed by itself: the next row's flush carries it.
   */
  async keepScans(documentId: string, scans: Array<{ seq: number; scan: Uint8Array }>): Promise<void> {
    if (this.broken) throw this.broken;
    try {
      this.open().keepScans(documentId, scans.map(({ seq, scan }) => ({ seq, scan: bytes(scan) })));
    } catch (error) {
      throw refused("keep the rows' scans", error);
    }
  }

  /** Opens the log's connection and starts the helper thread now (~100 ms); resolves once it is ready. */
  async start(): Promise<void> {
    this.open();
    await this.post({ op: 'ready' });
  }

  /** Resolves once everything written so far has been flushed to the disk (fdatasync), not only to the OS. */
  onDisk(): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = this.writtenSeq;
    if (this.onDiskSeq >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.onDiskWaiters.push({ seq, resolve, reject }));
  }

  /** Waits for the merges under way and the flush, then closes the helper thread and the connection. */
  async close(): Promise<void> {
    if (this.worker) {
      await this.post({ op: 'close' }).catch(() => undefined);
      await this.worker.terminate();
      this.worker = undefined;
    }
    await this.flushing?.catch(() => undefined);
    if (this.walFd !== undefined) {
      if (!this.broken) fs.fdatasyncSync(this.walFd);
      fs.closeSync(this.walFd);
      this.walFd = undefined;
    }
    if (this.db?.open) this.db.close();
    this.db = undefined;
  }

  /** Runs one write; SQLite's refusal becomes a StorageWriteError; the WAL is flushed to the disk after it. */
  private write(run: () => number): Promise<number> {
    if (this.broken) return Promise.reject(this.broken);
    const started = performance.now();
    let seq: number;
    try {
      seq = run();
    } catch (error) {
      return Promise.reject(refused('store the update', error));
    }
    batchTrace?.sample('logWrite', performance.now() - started);
    if (seq > this.writtenSeq) this.writtenSeq = seq;
    this.flushInBackground();
    return Promise.resolve(seq);
  }

  private open() {
    if (this.statements) return this.statements;
    const db = new Database(this.file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Checkpoints (and their fsyncs) run on the helper thread, never on a commit here.
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    this.db = db;
    this.statements = this.prepare(db);
    // The helper thread checkpoints the WAL: it runs as soon as anything is written.
    this.worker ??= this.startWorker();
    return this.statements;
  }

  private prepare(db: Database.Database) {
    const insert = db.prepare('INSERT INTO doc_updates (document_id, data) VALUES (?, ?)');
    const deleteRange = db.prepare('DELETE FROM doc_updates WHERE document_id = ? AND seq > ? AND seq <= ?');
    const replace = db.transaction((documentId: string, data: Buffer, afterSeq: number, uptoSeq: number): number => {
      deleteRange.run(documentId, afterSeq, uptoSeq);
      return Number(insert.run(documentId, data).lastInsertRowid);
    });
    const setScan = db.prepare('UPDATE doc_updates SET scan = ? WHERE document_id = ? AND seq = ?');
    const keepScans = db.transaction((documentId: string, scans: Array<{ seq: number; scan: Buffer }>) => {
      for (const { seq, scan } of scans) setScan.run(scan, documentId, seq);
    });
    return {
      insert,
      replace: (documentId: string, data: Buffer, afterSeq: number, uptoSeq: number) => replace.immediate(documentId, data, afterSeq, uptoSeq),
      keepScans: (documentId: string, scans: Array<{ seq: number; scan: Buffer }>) => keepScans.immediate(documentId, scans),
    };
  }

  /**
   * One fdatasync of the WAL at a time; the writes made during one are flushed
   * by the next. Every write makes a row with a higher seq (AUTOINCREMENT), so
   * what is not on the disk yet is whatever lies beyond `onDiskSeq`.
   */
  private flushInBackground(): void {
    if (this.flushing || this.broken || this.writtenSeq <= this.onDiskSeq) return;
    const upto = this.writtenSeq;
    let fd: number;
    try {
      // The WAL exists once this connection wrote; the same file until the last connection closes.
      fd = this.walFd ??= fs.openSync(`${this.file}-wal`, 'r+');
    } catch (error) {
      return this.fail(new StorageWriteError(`could not open the update log to flush it to the disk: ${(error as Error).message}`, (error as NodeJS.ErrnoException).code));
    }
    this.flushing = new Promise<void>((resolve) => {
      fs.fdatasync(fd, (error) => {
        this.flushing = undefined;
        resolve();
        if (error) return this.fail(new StorageWriteError(`could not flush the update log to the disk: ${error.message}`, error.code));
        this.flushed(upto);
        this.flushInBackground();
      });
    });
  }

  private flushed(upto: number): void {
    this.onDiskSeq = Math.max(this.onDiskSeq, upto);
    for (let i = this.onDiskWaiters.length - 1; i >= 0; i--) {
      const waiter = this.onDiskWaiters[i]!;
      if (waiter.seq > this.onDiskSeq) continue;
      this.onDiskWaiters.splice(i, 1);
      waiter.resolve();
    }
  }

  /** The disk may not hold what was written: refuse every later write (rooms stop storing, clients keep their text). */
  private fail(error: StorageWriteError): void {
    this.broken = error;
    for (const waiter of this.onDiskWaiters.splice(0)) waiter.reject(error);
  }

  private post(request: WorkerRequest): Promise<WorkerReply> {
    const worker = (this.worker ??= this.startWorker());
    const id = this.nextId++;
    // Referenced while a request is outstanding, so that the process waits for it (e.g. a merge at SIGTERM).
    if (this.waiting.size === 0) worker.ref();
    return new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, doing: DOING[request.op] });
      worker.postMessage({ id, ...request });
    });
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./updateLogWorker.mjs', import.meta.url), {
      workerData: { file: this.file, checkpointEveryMs: CHECKPOINT_EVERY_MS },
    });
    // An idle helper (its checkpoint timer) must not keep the process alive.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (!waiter) return;
      if (reply.error) waiter.reject(new StorageWriteError(`could not ${waiter.doing}: ${reply.error.message}`, reply.error.code));
      else waiter.resolve(reply);
    });
    const stopped = (error: Error) => {
      for (const waiter of this.waiting.values()) waiter.reject(new StorageWriteError(`the update-log helper thread stopped: ${error.message}`, undefined));
      this.waiting.clear();
      this.worker = undefined;
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) stopped(new Error(`exited with code ${code}`));
    });
    return worker;
  }
}

/** SQLite's refusal of a write, with what it was doing, its reason and its code (e.g. SQLITE_FULL). */
function refused(doing: string, error: unknown): StorageWriteError {
  const { message, code } = error as { message?: string; code?: string };
  return new StorageWriteError(`could not ${doing}: ${message ?? String(error)}`, code);
}

function bytes(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
