import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { ContentNotAllowedError, checkUpdateContent } from '../contentPolicy.ts';
import { describedResolver, type ResolvedRef } from '../structure/resolvers.ts';
import { StoredRowsIndexes } from '../structure/storedRowsIndex.ts';
import { insertionWork } from '../structure/updateWork.ts';
import { deletionsAhead, straddles, trimKnown } from '../structure/updateShape.ts';
import { checkUpdateStructure, type ExternalRef } from '../structure/updateStructure.ts';
import { splitUpdatePieces } from './splitUpdate.ts';
import { bringsNothingNew, continuesKnown, diffUpdates, knownState, scanRow, summariseRows, summariseUpdates, type RowScan, type StoredSummary } from './storedRows.ts';

/**
 * Off the event loop:
 * - prepare: decodes a large update completely, checks its content against
 *   the model (as parseMessage does for small ones; skipped for stored rows,
 *   checked when they were accepted), and cuts it into pieces the room applies
 *   a few at a time (none when it brings nothing new to `known` stored rows);
 * - summarise / diff: read a document's stored rows without loading them into
 *   a Y.Doc (its state vector; what a client lacks), so that sync requests are
 *   answered while the room is still loading them;
 * - scan: a large row's scan, to be kept with it (see RowScan).
 */
export type WorkerRequest =
  | {
      id: number;
      kind: 'prepare';
      update: Uint8Array;
      pieceStructs: number;
      check: boolean;
      known?: StoredSummary;
      accepted?: Map<number, number>;
      partPieces?: number;
      /** With check: the state vector of the doc it lands in, for the check of where its structs land (structure/). */
      stateVector?: Map<number, number>;
      /** During a load: the stored rows (and the load's session), which answer what the room could not (`later`). */
      rows?: { session: number; rows: Uint8Array[] };
    }
  /** The load of that session is over: its rows' index can go. */
  | { id: number; kind: 'forget'; session: number }
  /** The room's answers to the references a prepare reported (`needs`): the check goes on. */
  | { id: number; kind: 'resolved'; answers: ResolvedRef[] }
  | { id: number; kind: 'summarise'; updates: Uint8Array[]; scans: Array<RowScan | undefined> }
  | { id: number; kind: 'scan'; row: Uint8Array }
  | { id: number; kind: 'diff'; updates: Uint8Array[]; stateVector: Uint8Array }
  | { id: number; kind: 'warm' };

export type WorkerReply =
  | {
      id: number;
      ok: true;
      pieces: Uint8Array[];
      stateVector?: Uint8Array;
      scans?: RowScan[];
      more?: boolean;
      ends?: Map<number, number>;
      /** The check needs these references into the doc resolved (answered by a `resolved` request). */
      needs?: ExternalRef[];
      /** No pieces: the update builds on this struct, which the doc does not hold yet. */
      waits?: { client: number; clock: number };
      /** No pieces: it builds on structs only the loaded doc can tell about (during a load). */
      later?: boolean;
      /** The references answered from the stored rows (`rows`), for the room to keep. */
      learned?: { refs: ExternalRef[]; answers: ResolvedRef[] };
      /** With `waits`: the clients whose clocks not yet written it deletes (the room judges who may). */
      ahead?: number[];
      /** During a load (`accepted`): the update deletes something (it waits for the loaded doc). */
      deletes?: boolean;
      /** With check: each client of the update and the clock its structs reach (the room judges who may write them). */
      writes?: Map<number, number>;
    }
  | { id: number; ok: false; kind: 'content' | 'malformed'; message: string };

/**
 * Runs every kind of request once on a small history made here: a cold
 * thread takes 2-3 times as long over its first large document (the code is
 * not optimised yet), which is the one opened right after a restart.
 */
function warmUp(): void {
  const doc = new Y.Doc();
  const text = doc.getText('warm');
  for (let i = 0; i < 3000; i++) {
    doc.clientID = 1 + (i % 3);
    if (i % 5 === 4) text.delete((i * 7) % text.length, 1);
    else text.insert((i * 13) % (text.length + 1), 'abc'[i % 3]!);
  }
  const update = Y.encodeStateAsUpdate(doc);
  for (let round = 0; round < 3; round++) {
    const { stateVector } = summariseUpdates([update]);
    diffUpdates([update], new Uint8Array([0]));
    bringsNothingNew(Y.decodeUpdate(update), knownState(summariseUpdates([update])));
    void [...splitUpdatePieces(update, 50)];
    void stateVector;
  }
}

type PrepareRequest = WorkerRequest & { kind: 'prepare' };

/** Indexes of stored rows, by load session (see StoredRowsIndex). */
const rowsIndexes = new StoredRowsIndexes();

/** Prepares waiting for the room's answers to the references they reported, by request id. */
const awaitingAnswers = new Map<number, { request: PrepareRequest; decoded: ReturnType<typeof Y.decodeUpdate>; refs: ExternalRef[] }>();

/**
 * A checked update whose structs fit: cut, unless it deletes clocks nobody
 * has written yet (it waits for them; the room judges under whose ids: see updateShape.ts).
 */
function fitting(request: PrepareRequest, decoded: ReturnType<typeof Y.decodeUpdate>): WorkerReply {
  const ahead = deletionsAhead(decoded, (client) => request.stateVector!.get(client) ?? 0);
  if (ahead.length > 0) return { id: request.id, ok: true, pieces: [], waits: { client: ahead[0]!.client, clock: ahead[0]!.from }, ahead: ahead.map((a) => a.client) };
  return cut(request, decoded);
}

/** The pieces of a checked update (none when the stored rows `known` hold it all already). */
function cut(request: PrepareRequest, decoded: ReturnType<typeof Y.decodeUpdate>): WorkerReply {
  if (request.known && bringsNothingNew(decoded, knownState(request.known))) return { id: request.id, ok: true, pieces: [] };
  // With `accepted` (during a load): where it ends, when it may be stored as it came (see continuesKnown).
  const ends = request.accepted && continuesKnown(decoded, request.accepted);
  // With partPieces, the pieces are sent as they are cut, that many at a time (`more`), so that the room applies the first while the rest are cut.
  let pieces: Uint8Array[] = [];
  // A member's update: its own crowding is bounded here (the room adds the document's); applied in slices
  // (not during a load, where it is kept whole), its deletions come apart, to be cut by their work.
  if (request.check) insertionWork(decoded.structs, undefined);
  for (const piece of splitUpdatePieces(request.update, request.pieceStructs, decoded, request.check && !request.accepted)) {
    pieces.push(piece);
    if (request.partPieces && pieces.length >= request.partPieces) {
      send({ id: request.id, ok: true, pieces, more: true });
      pieces = [];
    }
  }
  const deletes = request.accepted !== undefined && decoded.ds.clients.size > 0;
  return { id: request.id, ok: true, pieces, ...(ends ? { ends } : {}), ...(request.check ? { writes: clientEnds(decoded) } : {}), ...(deletes ? { deletes } : {}) };
}

/** Each client of an update and the clock its structs reach. */
function clientEnds(decoded: ReturnType<typeof Y.decodeUpdate>): Map<number, number> {
  const ends = new Map<number, number>();
  for (const struct of decoded.structs) {
    const end = struct.id.clock + struct.length;
    if (!(struct instanceof Y.Skip) && end > (ends.get(struct.id.client) ?? 0)) ends.set(struct.id.client, end);
  }
  return ends;
}

function handle(request: WorkerRequest): WorkerReply {
  switch (request.kind) {
    case 'prepare': {
      let decoded = Y.decodeUpdate(request.update);
      if (request.check) checkUpdateContent(decoded);
      if (request.stateVector) {
        const stateVector = request.stateVector;
        // A half-known struct: cut at the doc's state first, so that what is checked is what lands (updateShape.ts).
        if (straddles(decoded, (client) => stateVector.get(client) ?? 0)) {
          request = { ...request, update: trimKnown(request.update, stateVector) };
          decoded = Y.decodeUpdate(request.update);
        }
        const verdict = checkUpdateStructure(decoded, describedResolver(stateVector));
        if (verdict.kind === 'needs') {
          awaitingAnswers.set(request.id, { request, decoded, refs: verdict.refs });
          return { id: request.id, ok: true, pieces: [], needs: verdict.refs };
        }
        if (verdict.kind === 'waits') return { id: request.id, ok: true, pieces: [], waits: verdict.for };
        return fitting(request, decoded);
      }
      return cut(request, decoded);
    }
    case 'resolved': {
      const waiting = awaitingAnswers.get(request.id);
      if (!waiting) throw new Error('no check waits for these answers');
      awaitingAnswers.delete(request.id);
      const { request: prepare, decoded, refs } = waiting;
      let answers = request.answers;
      let learned: { refs: ExternalRef[]; answers: ResolvedRef[] } | undefined;
      if (prepare.rows) {
        // What the room could not tell (it has not loaded it yet), the stored rows can.
        const index = rowsIndexes.of(prepare.rows.session, prepare.rows.rows);
        learned = { refs: [], answers: [] };
        answers = answers.map((answer, i) => {
          if (answer !== 'later') return answer;
          const fromRows = index.answer(refs[i]!);
          learned!.refs.push(refs[i]!);
          learned!.answers.push(fromRows);
          return fromRows;
        });
      }
      const verdict = checkUpdateStructure(decoded, describedResolver(prepare.stateVector!, { refs, answers }));
      const told = learned && learned.refs.length > 0 ? { learned } : {};
      if (verdict.kind === 'needs') return { id: request.id, ok: true, pieces: [], later: true, ...told };
      if (verdict.kind === 'waits') return { id: request.id, ok: true, pieces: [], waits: verdict.for, ...told };
      return { ...fitting(prepare, decoded), id: request.id, ...told };
    }
    case 'forget':
      rowsIndexes.forget(request.session);
      return { id: request.id, ok: true, pieces: [] };
    case 'summarise': {
      const { stateVector, beyondStateVector, scans } = summariseRows(request.updates, request.scans);
      return { id: request.id, ok: true, pieces: beyondStateVector, stateVector, scans };
    }
    case 'scan':
      return { id: request.id, ok: true, pieces: [], scans: [scanRow(request.row)] };
    case 'diff':
      return { id: request.id, ok: true, pieces: diffUpdates(request.updates, request.stateVector) };
    case 'warm':
      warmUp();
      return { id: request.id, ok: true, pieces: [] };
  }
}

function send(reply: WorkerReply): void {
  // Pieces are moved, not copied; except one in shared memory (a stored row small enough to be its own
  // only piece), which cannot be moved and reaches the other side without a copy anyway.
  const buffers = reply.ok ? new Set(reply.pieces.map((p) => p.buffer).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer)) : [];
  parentPort!.postMessage(reply, [...buffers]);
}

parentPort!.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = handle(request);
  } catch (error) {
    const kind = error instanceof ContentNotAllowedError ? 'content' : 'malformed';
    reply = { id: request.id, ok: false, kind, message: (error as Error).message };
  }
  send(reply);
});
