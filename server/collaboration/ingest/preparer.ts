import { Worker } from 'node:worker_threads';
import { ContentNotAllowedError } from '../contentPolicy.ts';
import { MalformedMessageError } from '../messages.ts';
import type { ResolvedRef } from '../structure/resolvers.ts';
import type { ExternalRef } from '../structure/updateStructure.ts';
import type { RowScan, StoredSummary } from './storedRows.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

/**
 * What the check of where a large update's structs land needs of the doc
 * (see StructureGate): its state vector, an answer to the references into it
 * the worker reports, and during a load the stored rows, which answer what
 * the half-loaded doc cannot.
 */
export interface StructureQuestion {
  stateVector: Map<number, number>;
  resolve: (refs: ExternalRef[]) => ResolvedRef[] | Promise<ResolvedRef[]>;
  rows?: { session: number; rows: Uint8Array[] };
}

/** A prepared update: its pieces; or none, and why (see prepare). */
export interface PreparedUpdate {
  pieces: Uint8Array[];
  ends?: Map<number, number>;
  waits?: { client: number; clock: number };
  later?: boolean;
  /** References answered from the stored rows (during a load), for the room to keep. */
  learned?: { refs: ExternalRef[]; answers: ResolvedRef[] };
  /** A checked update's clients, each with the clock its structs reach (see clientIdPolicy.ts). */
  writes?: Map<number, number>;
  /** With `waits`: the clients whose clocks not yet written it deletes. */
  ahead?: number[];
  /** During a load (`accepted`): the update deletes something. */
  deletes?: boolean;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * What is posted to the worker for `update`: a copy, as a frame's bytes may
 * share a buffer with other frames (posting a view copies its whole buffer);
 * a row read into shared memory (the store's large rows) as it is: never
 * written again, it reaches the worker without a copy.
 */
function ownBytes(update: Uint8Array): Uint8Array {
  return update.buffer instanceof SharedArrayBuffer ? update : update.slice();
}

/**
 * The main thread's side of an ingest worker (worker.ts): one worker thread,
 * started on first use or by `start()`, and kept (unreferenced, so it never
 * holds the process open). Requests are answered in order.
 */
export class UpdatePreparer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    {
      resolve: (reply: WorkerReply & { ok: true }) => void;
      reject: (error: Error) => void;
      onPart?: (pieces: Uint8Array[]) => void;
      onNeeds?: (refs: ExternalRef[]) => ResolvedRef[] | Promise<ResolvedRef[]>;
    }
  >();



  /**
   * Decodes, checks and cuts `update` off the event loop; throws
   * ContentNotAllowedError or MalformedMessageError. `check: false` for stored
   * rows, whose content was checked when they were accepted. With `known`
   * (stored rows), no pieces when the update brings nothing new to them; with
   * `accepted` (during a load), `ends`: the clocks it ends at when it may be
   * stored as it came (see continuesKnown). With `structure` (the doc it
   * lands in: its state vector, and an answer to the references into it the
   * worker reports), where its structs land is checked too: no pieces, and
   * `waits` (it builds on a struct the doc lacks) or `later` (on structs only
   * the loaded doc can tell about), when it cannot be applied now.
   */
  async prepare(
    update: Uint8Array,
    pieceStructs: number,
    options: {
      check?: boolean;
      known?: StoredSummary;
      accepted?: Map<number, number>;
      structure?: StructureQuestion;
    } = {},
  ): Promise<PreparedUpdate> {
    const { check = true, known, accepted, structure } = options;
    const request = {
      kind: 'prepare' as const,
      update: ownBytes(update),
      pieceStructs,
      check,
      ...(known ? { known } : {}),
      ...(accepted ? { accepted } : {}),
      ...(structure ? { stateVector: structure.stateVector } : {}),
      ...(structure?.rows ? { rows: structure.rows } : {}),
    };
    const { pieces, ends, waits, later, learned, writes, ahead, deletes } = await this.request(request, undefined, structure?.resolve);
    return {
      pieces,
      ...(ends ? { ends } : {}),
      ...(waits ? { waits } : {}),
      ...(later ? { later } : {}),
      ...(learned ? { learned } : {}),
      ...(writes ? { writes } : {}),
      ...(ahead ? { ahead } : {}),
      ...(deletes ? { deletes } : {}),
    };
  }

  /** The load of `session` is over: the worker drops what it read of its rows. */
  async forget(session: number): Promise<void> {
    if (this.worker) await this.request({ kind: 'forget', session });
  }

  /**
   * prepare(), the pieces coming in parts of `partPieces` as the worker cuts
   * them: applying the first parts overlaps cutting the rest.
   */
  async *prepareInParts(update: Uint8Array, pieceStructs: number, options: { check?: boolean; partPieces: number }): AsyncGenerator<Uint8Array[]> {
    const parts: Uint8Array[][] = [];
    let done = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const request = { kind: 'prepare' as const, update: ownBytes(update), pieceStructs, check: options.check ?? true, partPieces: options.partPieces };
    this.request(request, (pieces) => {
      parts.push(pieces);
      notify();
    }).then(
      (reply) => {
        parts.push(reply.pieces);
        done = true;
        notify();
      },
      (error: Error) => {
        failure = error;
        notify();
      },
    );
    for (;;) {
      if (parts.length > 0) yield parts.shift()!;
      else if (failure) throw failure;
      else if (done) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  }

  /**
   * The state vector of stored rows and what a client holding it still lacks
   * (see StoredSummary), with each row's scan; `scans[i]`: row i's, when kept
   * with it (not read again).
   */
  async summarise(updates: Uint8Array[], scans: Array<RowScan | undefined> = []): Promise<StoredSummary & { scans: RowScan[] }> {
    const reply = await this.request({ kind: 'summarise', updates, scans });
    return { stateVector: reply.stateVector!, beyondStateVector: reply.pieces, scans: reply.scans! };
  }

  /** A row's scan (see RowScan), to be kept with it. */
  async scan(row: Uint8Array): Promise<RowScan> {
    return (await this.request({ kind: 'scan', row })).scans![0]!;
  }

  /** What stored rows hold that a client with `stateVector` lacks, one update per row. */
  async diff(updates: Uint8Array[], stateVector: Uint8Array): Promise<Uint8Array[]> {
    return (await this.request({ kind: 'diff', updates, stateVector })).pieces;
  }

  private request(
    request: Request,
    onPart?: (pieces: Uint8Array[]) => void,
    onNeeds?: (refs: ExternalRef[]) => ResolvedRef[] | Promise<ResolvedRef[]>,
  ): Promise<WorkerReply & { ok: true }> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, ...(onPart ? { onPart } : {}), ...(onNeeds ? { onNeeds } : {}) });
      worker.postMessage({ ...request, id });
    });
  }

  /** Whether the worker thread is running (it starts on first use, or by `warm`). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Starts the worker and runs its code once on a small history made there (see worker.ts warmUp); resolves when done. */
  async warm(): Promise<void> {
    await this.request({ kind: 'warm' });
  }

  /** Starts the worker now (loading its modules takes ~100 ms: better before the first request waits for it). */
  start(): Worker {
    if (this.worker) return this.worker;
    // From the sources (tsx, tests) the worker body is TypeScript and needs the loader (boot.mjs);
    // compiled (dist/node, as `npm start` runs) it is plain JavaScript.
    const fromSources = import.meta.url.endsWith('.ts');
    const worker = fromSources
      ? new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { entry: new URL('./worker.ts', import.meta.url).href } })
      : new Worker(new URL('./worker.js', import.meta.url));
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      if (reply.ok && reply.more) {
        waiter.onPart?.(reply.pieces);
        return;
      }
      if (reply.ok && reply.needs) {
        // The worker's check goes on with the room's answers, read from the doc (on the event loop, in slices).
        // Unanswered ('later', e.g. reading the doc failed): the room does not apply it.
        const needs = reply.needs;
        const later = () => needs.map(() => 'later' as const);
        void Promise.resolve()
          .then(() => (waiter.onNeeds ? waiter.onNeeds(needs) : later()))
          .catch(later)
          .then((answers) => worker.postMessage({ kind: 'resolved', id: reply.id, answers }));
        return;
      }
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(reply.kind === 'content' ? new ContentNotAllowedError(reply.message) : new MalformedMessageError(`undecodable update (${reply.message})`));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
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
