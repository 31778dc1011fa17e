import * as Y from 'yjs';
import { limits } from '../../../shared/limits.ts';
import type { DecodedUpdate } from '../messages.ts';
import type { StructureQuestion } from '../ingest/preparer.ts';
import { LoadingStructure } from './loadingStructure.ts';
import { docResolver, resolveRefsInSlices, type ResolvedRef } from './resolvers.ts';
import { checkUpdateStructure, type ExternalRef, type StructureResolver } from './updateStructure.ts';
import { WaitingUpdates, type WaitingUpdate } from './waitingUpdates.ts';
import { deletionsAhead, straddles, trimKnown } from './updateShape.ts';
import { crowdOfPiece, deletePieces, deletionWork, insertionWork } from './updateWork.ts';

/**
 * What becomes of a member's update at the gate: applied at once; applied in
 * slices (too much work for one turn of the event loop: see updateWork.ts);
 * held; or not even that (its connection holds too much already).
 */
export type GateDecision = 'apply' | 'slice' | 'held' | 'overflow';

/** The gate's decision on an update, and the update it is about (see admit). */
export interface Admitted {
  decision: GateDecision;
  update: Uint8Array;
  decoded: DecodedUpdate;
  ahead: number[];
}

/** The stored rows of a load, numbered so the worker can keep what it read of them (see StoredRowsIndex). */
let nextLoadSession = 1;

/**
 * A room's check of where every update lands (updateStructure.ts), and the
 * updates it holds back until what they build on arrives (waitingUpdates.ts).
 * Refusals throw ContentNotAllowedError: the room closes that connection
 * with 4422, and nothing of the update is applied.
 */
export class StructureGate<Origin> {
  private readonly resolver: StructureResolver;
  private readonly waiting = new WaitingUpdates<Origin>({ updates: limits.maxWaitingUpdatesPerConnection, bytes: limits.maxWaitingBytesPerConnection });
  /** While the room loads stored rows: what is known of them (see LoadingStructure). */
  private load: { structure: LoadingStructure; session: number; rows: Uint8Array[] } | undefined;

  constructor(private readonly doc: Y.Doc) {
    this.resolver = docResolver(doc);
  }

  /**
   * A member's update to the loaded doc: apply it (`update`: as it came, or
   * cut at the doc's state vector when a struct of it is half known: see
   * updateShape.ts), or it was held (or could not be: its connection holds
   * too much). `ahead`: the clients whose clocks not yet written it deletes
   * (the room judges who may: clientIdPolicy.ts).
   */
  admit(origin: Origin, update: Uint8Array, decoded: DecodedUpdate, live: boolean): Admitted {
    const stateOf = (client: number) => Y.getState(this.doc.store, client);
    if (straddles(decoded, stateOf)) {
      update = trimKnown(update, Y.decodeStateVector(Y.encodeStateVector(this.doc)));
      decoded = Y.decodeUpdate(update);
    }
    const verdict = checkUpdateStructure(decoded, this.resolver);
    if (verdict.kind === 'needs') throw new Error('a resolver of the loaded doc left references unresolved');
    const ahead = deletionsAhead(decoded, stateOf);
    const clients = ahead.map((a) => a.client);
    if (verdict.kind === 'waits') return { decision: this.hold(origin, update, verdict.for, live), update, decoded, ahead: clients };
    if (ahead.length > 0) return { decision: this.hold(origin, update, Y.createID(ahead[0]!.client, ahead[0]!.from), live), update, decoded, ahead: clients };
    const budget = limits.largeUpdateStructs;
    const work = insertionWork(decoded.structs, this.doc);
    // Counted one past the budget: deletionWork stops where it is reached.
    return { decision: work + deletionWork(this.doc, decoded.ds, budget - work + 1) > budget ? 'slice' : 'apply', update, decoded, ahead: [] };
  }

  /** Holds an update the worker found waiting for `waitsFor` (a large one). */
  hold(origin: Origin, update: Uint8Array, waitsFor: Y.ID, live: boolean): GateDecision {
    return this.waiting.hold(origin, update, waitsFor, live) ? 'held' : 'overflow';
  }

  /** The room begins to load `rows`, which hold each client up to `rowsClocks` (the reader's summary). */
  loading(rows: Uint8Array[], rowsClocks: ReadonlyMap<number, number>): void {
    this.load = { structure: new LoadingStructure(this.doc, rowsClocks), session: nextLoadSession++, rows };
  }

  /** The load is over (the loaded doc answers from now on); the session's number, for the worker to forget it. */
  loaded(): number | undefined {
    const session = this.load?.session;
    this.load = undefined;
    return session;
  }

  /**
   * During a load, an update that continues what is known (`accepted`: each
   * client's clock in the stored rows and the updates accepted since):
   * `accept` it as it came when where it lands is known (the part of the rows
   * loaded, what the rows told, the updates accepted meanwhile); `ask` the
   * worker, which reads the stored rows, when only they can tell; `defer` it
   * to the loaded doc when it builds on what is not known yet.
   */
  admitWhileLoading(decoded: DecodedUpdate, accepted: ReadonlyMap<number, number>): 'accept' | 'ask' | 'defer' {
    if (!this.load) return 'defer';
    // Deletions wait for the loaded doc: what they remove (a pair's whole text, for one clock) and so
    // their cost can only be read there; so do half-known structs (continuesKnown rules them out anyway).
    const stateOf = (client: number) => accepted.get(client) ?? 0;
    if (decoded.ds.clients.size > 0 || straddles(decoded, stateOf)) return 'defer';
    insertionWork(decoded.structs, undefined); // its own crowding (4422 past the bound)
    const verdict = checkUpdateStructure(decoded, this.load.structure.resolver(accepted));
    return verdict.kind === 'fits' ? 'accept' : verdict.kind === 'needs' ? 'ask' : 'defer';
  }

  /** An update accepted during the load (checked here or by the worker): later ones may build on it. */
  acceptedWhileLoading(decoded: DecodedUpdate): void {
    this.load?.structure.accepted(decoded);
  }

  /** What the worker read of the stored rows during the load, kept for the next checks. */
  learn(learned: { refs: ExternalRef[]; answers: ResolvedRef[] } | undefined): void {
    if (learned) this.load?.structure.learn(learned.refs, learned.answers);
  }

  /**
   * For the worker's check of a large update: the doc's state vector and an
   * answer to the references it reports; during a load (`accepted`), what is
   * known so far and the stored rows, which the worker reads for the rest.
   */
  describe(accepted?: ReadonlyMap<number, number>): StructureQuestion {
    if (accepted && this.load) {
      const resolver = this.load.structure.resolver(accepted);
      return { stateVector: new Map(accepted), resolve: (refs) => resolveRefsInSlices(resolver, refs), rows: { session: this.load.session, rows: this.load.rows } };
    }
    return { stateVector: Y.decodeStateVector(Y.encodeStateVector(this.doc)), resolve: (refs) => resolveRefsInSlices(this.resolver, refs) };
  }

  /** The held updates whose awaited struct has arrived, in order (the room passes each through admit again). */
  takeReady(): WaitingUpdate<Origin>[] {
    return this.waiting.size === 0 ? [] : this.waiting.takeReady(this.doc);
  }

  get holding(): boolean {
    return this.waiting.size > 0;
  }

  drop(origin: Origin): void {
    this.waiting.drop(origin);
  }

  clear(): void {
    this.waiting.clear();
    this.load = undefined;
  }
}

/**
 * For the slices of a large update checked against the doc's state vector
 * `stateVector`: true while each piece starts, for each of its clients, where
 * the doc then holds that client — as the check assumed. Another connection
 * writing under one of its client ids meanwhile would make Yjs integrate the
 * rest of a struct somewhere else than checked: the ingest stops instead.
 */
export function clockGuard(doc: Y.Doc, stateVector: Map<number, number>): (piece: Uint8Array) => boolean {
  const expected = new Map(stateVector);
  return (piece) => {
    const { from, to } = Y.parseUpdateMeta(piece);
    for (const client of from.keys()) {
      const assumed = expected.get(client) ?? 0;
      if (Y.getState(doc.store, client) !== assumed) return false;
      expected.set(client, Math.max(assumed, to.get(client)!));
    }
    return true;
  };
}

/**
 * The pieces of a large update as the room applies them: its structs' pieces
 * as the worker cut them (the document's crowding of each checked as it
 * comes: see crowdOfPiece), then its deletions, cut against the document
 * into pieces of bounded work, deepest first (see deletePieces).
 */
export function* boundedPieces(doc: Y.Doc, pieces: Uint8Array[]): Generator<Uint8Array> {
  for (const piece of pieces) {
    // A piece with no structs (its first varint, the count of clients, is 0) holds deletions only.
    if (piece[0] !== 0) {
      crowdOfPiece(doc, piece);
      yield piece;
      continue;
    }
    yield* deletePieces(doc, Y.decodeUpdate(piece).ds, limits.largeUpdatePieceStructs);
  }
}
