import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

type Struct = Y.Item | Y.GC | Y.Skip;

/** The ids a struct needs integrated before it can be: its neighbours at creation and its parent. */
function dependencies(struct: Struct): Y.ID[] {
  if (!(struct instanceof Y.Item)) return [];
  const ids: Y.ID[] = [];
  if (struct.origin) ids.push(struct.origin);
  if (struct.rightOrigin) ids.push(struct.rightOrigin);
  const parent = struct.parent as unknown;
  if (parent instanceof Y.ID) ids.push(parent);
  return ids;
}

/**
 * Cuts one Yjs (v1) update into smaller updates that, applied in order, give
 * the same document — so that a large update can be applied a piece per turn
 * of the event loop instead of blocking it for hundreds of milliseconds.
 *
 * Each piece holds, for every client, the next run of that client's structs
 * (an update must carry each client's structs as one run of clocks). Runs are
 * grown greedily, a struct joining a piece only once every struct it depends
 * on (origin, right origin, parent) is in this piece or an earlier one, so
 * that nothing waits in Yjs's pending queue (re-merged on every apply, which
 * would cost more than the whole). Deletions come last, in pieces too, once
 * every struct they name is there.
 */
export function splitUpdate(update: Uint8Array, maxStructs: number, decoded: ReturnType<typeof Y.decodeUpdate> = Y.decodeUpdate(update)): Uint8Array[] {
  return [...splitUpdatePieces(update, maxStructs, decoded)];
}

/** splitUpdate, one piece at a time (the worker sends the first pieces while it cuts the rest). */
export function* splitUpdatePieces(
  update: Uint8Array,
  maxStructs: number,
  decoded: ReturnType<typeof Y.decodeUpdate> = Y.decodeUpdate(update),
  /** Deletions in pieces of their own even when the structs fit in one (the room cuts them by their work: see deletePieces). */
  separateDeletes = false,
): Generator<Uint8Array> {
  if (decoded.structs.length <= maxStructs && !(separateDeletes && decoded.ds.clients.size > 0)) {
    yield update;
    return;
  }
  const clients: number[] = [];
  const lists = new Map<number, Struct[]>();
  for (const struct of decoded.structs) {
    let list = lists.get(struct.id.client);
    if (!list) {
      lists.set(struct.id.client, (list = []));
      clients.push(struct.id.client);
    }
    list.push(struct);
  }
  const first = new Map<number, number>();
  const end = new Map<number, number>();
  /** Per client: index of the next struct not yet placed, and the clock up to which structs are placed. */
  const next = new Map<number, number>();
  const placedClock = new Map<number, number>();
  for (const [client, list] of lists) {
    first.set(client, list[0]!.id.clock);
    const last = list[list.length - 1]!;
    end.set(client, last.id.clock + last.length);
    next.set(client, 0);
    placedClock.set(client, list[0]!.id.clock);
  }
  // A dependency outside this update is the document's business (present, or Yjs keeps the struct pending as usual).
  const ready = (id: Y.ID) => {
    const from = first.get(id.client);
    if (from === undefined || id.clock < from || id.clock >= end.get(id.client)!) return true;
    return id.clock < placedClock.get(id.client)!;
  };

  let remaining = decoded.structs.length;
  while (remaining > 0) {
    const runs = new Map<number, { from: number; to: number }>();
    let placed = 0;
    let progress = true;
    while (progress && placed < maxStructs) {
      progress = false;
      for (const client of clients) {
        const list = lists.get(client)!;
        let i = next.get(client)!;
        const start = i;
        while (i < list.length && placed < maxStructs && dependencies(list[i]!).every(ready)) {
          placedClock.set(client, list[i]!.id.clock + list[i]!.length);
          i++;
          placed++;
        }
        if (i > start) {
          progress = true;
          next.set(client, i);
          const run = runs.get(client);
          if (run) run.to = i;
          else runs.set(client, { from: start, to: i });
        }
        if (placed >= maxStructs) break;
      }
    }
    if (placed === 0) {
      // Only structs waiting on something no piece brings (a broken update): send the rest as is, Yjs keeps it pending.
      for (const client of clients) {
        const i = next.get(client)!;
        const length = lists.get(client)!.length;
        if (i < length) runs.set(client, { from: i, to: length });
        next.set(client, length);
        placed += length - i;
      }
    }
    remaining -= placed;
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, runs.size);
    for (const [client, { from, to }] of runs) {
      const list = lists.get(client)!;
      encoding.writeVarUint(encoder.restEncoder, to - from);
      encoder.writeClient(client);
      encoding.writeVarUint(encoder.restEncoder, list[from]!.id.clock);
      for (let i = from; i < to; i++) list[i]!.write(encoder, 0);
    }
    encoding.writeVarUint(encoder.restEncoder, 0); // an empty delete set: deletions come last
    yield encoder.toUint8Array();
  }
  yield* deletePieces(decoded.ds, maxStructs * 4);
}

/** Updates holding no struct and, together, the whole delete set, at most `maxRanges` ranges each. */
function deletePieces(ds: ReturnType<typeof Y.decodeUpdate>['ds'], maxRanges: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let current: Array<[number, Array<{ clock: number; len: number }>]> = [];
  let count = 0;
  const emit = () => {
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, 0); // no structs
    encoding.writeVarUint(encoder.restEncoder, current.length);
    for (const [client, ranges] of current) {
      encoding.writeVarUint(encoder.restEncoder, client);
      encoding.writeVarUint(encoder.restEncoder, ranges.length);
      for (const range of ranges) {
        encoder.writeDsClock(range.clock);
        encoder.writeDsLen(range.len);
      }
    }
    pieces.push(encoder.toUint8Array());
    current = [];
    count = 0;
  };
  for (const [client, ranges] of ds.clients) {
    // A piece may hold the end of one client's ranges and the start of the next's: each step takes
    // what fits, and moves on by exactly that (stepping by the room left after the step skipped
    // ranges whenever a client's ranges began in a piece already part full — deletions lost).
    for (let i = 0; i < ranges.length; ) {
      const take = Math.min(ranges.length - i, maxRanges - count);
      current.push([client, ranges.slice(i, i + take)]);
      count += take;
      i += take;
      if (count >= maxRanges) emit();
    }
  }
  if (current.length > 0) emit();
  return pieces;
}
