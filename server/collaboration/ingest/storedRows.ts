import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * What a document's stored rows hold, read from the encoded rows alone (no
 * Y.Doc): used while a large document is still being loaded, so that sync
 * requests can be answered from the store without waiting for the load.
 */
export interface StoredSummary {
  /** The state vector the loaded doc will have: per client, the clocks held without a gap from 0. */
  stateVector: Uint8Array;
  /**
   * The rows' diff against that state vector (one update per row): every
   * deletion, plus any struct beyond a gap. What a client whose state vector
   * covers `stateVector` lacks.
   */
  beyondStateVector: Uint8Array[];
}

/** The state vector of a sequence of updates, as Y.encodeStateVector would give once they are applied. */
export function stateVectorOfUpdates(updates: Uint8Array[]): Map<number, number> {
  const ranges = new Map<number, Array<[number, number]>>();
  for (const update of updates) {
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [client, start] of from) {
      const end = to.get(client);
      if (end === undefined || end <= start) continue;
      let list = ranges.get(client);
      if (!list) ranges.set(client, (list = []));
      list.push([start, end]);
    }
  }
  const state = new Map<number, number>();
  for (const [client, list] of ranges) {
    list.sort((a, b) => a[0] - b[0]);
    let clock = 0;
    for (const [start, end] of list) {
      if (start > clock) break; // a gap: what follows stays pending in the doc, as in Yjs
      clock = Math.max(clock, end);
    }
    if (clock > 0) state.set(client, clock);
  }
  return state;
}

/**
 * What `updates` hold that a client with `stateVector` lacks, one update per
 * row: not merged, as merging re-encodes everything once more (~100 ms for a
 * 1.5 MB document) and a client applies them in order just as well.
 */
export function diffUpdates(updates: Uint8Array[], stateVector: Uint8Array): Uint8Array[] {
  return updates.map((update) => Y.diffUpdate(update, stateVector));
}

export function summariseUpdates(updates: Uint8Array[]): StoredSummary {
  const stateVector = encodeStateVector(stateVectorOfUpdates(updates));
  return { stateVector, beyondStateVector: diffUpdates(updates, stateVector) };
}

export function encodeStateVector(state: Map<number, number>): Uint8Array {
  // As Y.encodeStateVector writes it: the count, then (client, clock) pairs.
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, state.size);
  for (const [client, clock] of state) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

/** True when a client with state vector `held` has every struct up to `covered`. */
export function covers(held: Map<number, number>, covered: Map<number, number>): boolean {
  for (const [client, clock] of covered) if ((held.get(client) ?? 0) < clock) return false;
  return true;
}

/** What the stored rows hold, in a form to test updates against (see bringsNothingNew). */
export interface KnownState {
  clocks: Map<number, number>;
  deletes: ReturnType<typeof Y.decodeUpdate>['ds'];
}

export function knownState(summary: StoredSummary): KnownState {
  return {
    clocks: Y.decodeStateVector(summary.stateVector),
    deletes: Y.mergeDeleteSets(summary.beyondStateVector.map((update) => Y.decodeUpdate(update).ds)),
  };
}

/** True when [clock, clock + len) lies in one of `ranges` (sorted and merged, as Y.mergeDeleteSets leaves them). */
function covered(ranges: Array<{ clock: number; len: number }>, clock: number, len: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle]!;
    if (range.clock > clock) high = middle - 1;
    else if (range.clock + range.len <= clock) low = middle + 1;
    else return range.clock + range.len >= clock + len;
  }
  return false;
}

/**
 * True when a decoded update holds no struct and no deletion the stored rows
 * do not already hold: a reconnecting client's answer to the server's step 1
 * during a load (every deletion it knows of, tens of kilobytes for a long
 * history), which must not be stored and relayed again.
 */
export function bringsNothingNew(update: ReturnType<typeof Y.decodeUpdate>, known: KnownState): boolean {
  for (const struct of update.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > (known.clocks.get(struct.id.client) ?? 0)) return false;
  }
  for (const [client, ranges] of update.ds.clients) {
    const stored = known.deletes.clients.get(client) ?? [];
    for (const range of ranges) if (!covered(stored, range.clock, range.len)) return false;
  }
  return true;
}
