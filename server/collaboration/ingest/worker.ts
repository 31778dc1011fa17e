import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { ContentNotAllowedError, checkUpdateContent } from '../contentPolicy.ts';
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
  | { id: number; kind: 'prepare'; update: Uint8Array; pieceStructs: number; check: boolean; known?: StoredSummary; accepted?: Map<number, number>; partPieces?: number }
  | { id: number; kind: 'summarise'; updates: Uint8Array[]; scans: Array<RowScan | undefined> }
  | { id: number; kind: 'scan'; row: Uint8Array }
  | { id: number; kind: 'diff'; updates: Uint8Array[]; stateVector: Uint8Array }
  | { id: number; kind: 'warm' };

export type WorkerReply =
  | { id: number; ok: true; pieces: Uint8Array[]; stateVector?: Uint8Array; scans?: RowScan[]; more?: boolean; ends?: Map<number, number> }
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
    [...splitUpdatePieces(update, 50)];
    void stateVector;
  }
}

function handle(request: WorkerRequest): WorkerReply {
  switch (request.kind) {
    case 'prepare': {
      const decoded = Y.decodeUpdate(request.update);
      if (request.check) checkUpdateContent(decoded);
      // No pieces: nothing the stored rows (`known`) do not hold already.
      if (request.known && bringsNothingNew(decoded, knownState(request.known))) return { id: request.id, ok: true, pieces: [] };
      // With `accepted` (during a load): where it ends, when it may be stored as it came (see continuesKnown).
      const ends = request.accepted && continuesKnown(decoded, request.accepted);
      // With partPieces, the pieces are sent as they are cut, that many at a time (`more`), so that the room applies the first while the rest are cut.
      let pieces: Uint8Array[] = [];
      for (const piece of splitUpdatePieces(request.update, request.pieceStructs, decoded)) {
        pieces.push(piece);
        if (request.partPieces && pieces.length >= request.partPieces) {
          send({ id: request.id, ok: true, pieces, more: true });
          pieces = [];
        }
      }
      return { id: request.id, ok: true, pieces, ...(ends ? { ends } : {}) };
    }
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
