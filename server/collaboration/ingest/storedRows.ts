import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * What a document's stored rows hold, read from the encoded rows alone (no
 * Y.Doc): used while a large document is still being loaded, so that sync
 * requests can be answered from the store without waiting for the load.
 */
export interface StoredSummary {
  /**
   * Per client, the clocks the rows hold without a gap from 0: the loaded
   * doc's state vector, except where structs wait (pending) on another
   * client's gap — they are stored all the same, so no client need send them.
   */
  stateVector: Uint8Array;
  /**
   * The rows' diff against that state vector (one update per row): every
   * deletion, plus any struct beyond a gap. What a client whose state vector
   * covers `stateVector` lacks.
   */
  beyondStateVector: Uint8Array[];
}

/**
 * One pass over a stored row's structs (no Item is built): each client's run
 * of clocks, and where the delete set starts. A few bytes per client where
 * the row is megabytes: kept with large rows (encodeRowScan), so that after a
 * restart the rows' summary is read, not computed (~50 ms for 1.5 MB).
 */
export interface RowScan {
  runs: Array<{ client: number; from: number; to: number }>;
  /** A Skip among the structs: the run has a gap. */
  skips: boolean;
  deleteSetAt: number;
}

/** The UTF-16 length of a UTF-8 string (what Yjs counts as a string's length), without decoding it. */
function utf16Length(bytes: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if ((byte & 0xc0) !== 0x80) length += byte >= 0xf0 ? 2 : 1;
  }
  return length;
}

/** The length (in clocks) of an item's content, reading past it: as Yjs's readItemContent does (v1 encoding). */
function skipContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(decoder);
    case 2: {
      // JSON: a count, then that many strings
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) decoding.readVarUint8Array(decoder);
      return count;
    }
    case 3: // binary
      decoding.readVarUint8Array(decoder);
      return 1;
    case 4: // string
      return utf16Length(decoding.readVarUint8Array(decoder));
    case 5: // embed (JSON)
      decoding.readVarUint8Array(decoder);
      return 1;
    case 6: // format: key, JSON value
      decoding.readVarUint8Array(decoder);
      decoding.readVarUint8Array(decoder);
      return 1;
    case 7: {
      // type: its ref, and a name for XmlElement (3) and XmlHook (5)
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef === 3 || typeRef === 5) decoding.readVarUint8Array(decoder);
      return 1;
    }
    case 8: {
      // any: a count, then that many values
      const count = decoding.readVarUint(decoder);
      for (let i = 0; i < count; i++) decoding.readAny(decoder);
      return count;
    }
    case 9: // doc: guid, options
      decoding.readVarUint8Array(decoder);
      decoding.readAny(decoder);
      return 1;
    default:
      throw new Error(`unknown content type ${ref}`);
  }
}

/**
 * Reads past every struct of a v1 update, as Yjs's struct reader does, but
 * building nothing: 2-3 times faster than Y.parseUpdateMeta, and it finds the
 * delete set, which is what a client holding every struct may lack.
 */
export function scanRow(update: Uint8Array): RowScan {
  const decoder = decoding.createDecoder(update);
  const runs: RowScan['runs'] = [];
  let skips = false;
  const clients = decoding.readVarUint(decoder);
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(decoder);
    const client = decoding.readVarUint(decoder);
    const from = decoding.readVarUint(decoder);
    let clock = from;
    for (let i = 0; i < structs; i++) {
      const info = decoding.readUint8(decoder);
      if (info === 10) {
        // Skip
        skips = true;
        clock += decoding.readVarUint(decoder);
      } else if ((info & 0b11111) !== 0) {
        if ((info & 0b10000000) !== 0) skipId(decoder); // origin
        if ((info & 0b01000000) !== 0) skipId(decoder); // right origin
        if ((info & 0b11000000) === 0) {
          // parent: a root type's name or an item's id; then maybe parentSub
          if (decoding.readVarUint(decoder) === 1) decoding.readVarUint8Array(decoder);
          else skipId(decoder);
          if ((info & 0b00100000) !== 0) decoding.readVarUint8Array(decoder);
        }
        clock += skipContent(decoder, info & 0b11111);
      } else {
        // GC
        clock += decoding.readVarUint(decoder);
      }
    }
    if (clock > from) runs.push({ client, from, to: clock });
  }
  return { runs, skips, deleteSetAt: decoder.pos };
}

/** Per client, the clock up to which `runs` hold every struct without a gap from 0; and whether some run lies beyond a gap. */
function contiguousState(runs: RowScan['runs']): { state: Map<number, number>; gaps: boolean } {
  const byClient = new Map<number, Array<[number, number]>>();
  for (const { client, from, to } of runs) {
    let list = byClient.get(client);
    if (!list) byClient.set(client, (list = []));
    list.push([from, to]);
  }
  const state = new Map<number, number>();
  let gaps = false;
  for (const [client, list] of byClient) {
    list.sort((a, b) => a[0] - b[0]);
    let clock = 0;
    for (const [start, end] of list) {
      if (start > clock) {
        gaps = true; // what follows stays pending in the doc, as in Yjs
        break;
      }
      clock = Math.max(clock, end);
    }
    if (clock > 0) state.set(client, clock);
  }
  return { state, gaps };
}

/**
 * What `updates` hold that a client with `stateVector` lacks, one update per
 * row: not merged, as merging re-encodes everything once more (~100 ms for a
 * 1.5 MB document) and a client applies them in order just as well.
 */
export function diffUpdates(updates: Uint8Array[], stateVector: Uint8Array): Uint8Array[] {
  return updates.map((update) => Y.diffUpdate(update, stateVector));
}

/**
 * The summary of stored rows (see StoredSummary), with each row's scan:
 * `known[i]`, when given, is row i's scan as kept with it (not read again).
 */
export function summariseRows(updates: Uint8Array[], known: ReadonlyArray<RowScan | undefined> = []): StoredSummary & { scans: RowScan[] } {
  const scans = updates.map((update, i) => known[i] ?? scanRow(update));
  const summary = summaryFromScans(updates, scans);
  if (summary) return { ...summary, scans };
  // A gap: what lies beyond the state vector may be structs too; Yjs's diff finds them.
  const stateVector = encodeStateVector(contiguousState(scans.flatMap((scan) => scan.runs)).state);
  return { stateVector, beyondStateVector: diffUpdates(updates, stateVector), scans };
}

/**
 * The rows' summary from their scans alone, reading no struct (a copy of
 * each row's delete set): undefined when some client's structs have a gap,
 * as then what lies beyond the state vector may be structs too (summariseRows).
 */
export function summaryFromScans(updates: Uint8Array[], scans: RowScan[]): StoredSummary | undefined {
  const { state, gaps } = contiguousState(scans.flatMap((scan) => scan.runs));
  if (gaps || scans.some((scan) => scan.skips)) return undefined;
  // Without a gap, the rows hold no struct beyond the state vector: what lies beyond it is their deletions,
  // each row's delete set as it is, after "no structs" (a varUint 0).
  const beyondStateVector = updates.map((update, i) => {
    const deleteSet = update.subarray(scans[i]!.deleteSetAt);
    const beyond = new Uint8Array(deleteSet.length + 1);
    beyond.set(deleteSet, 1);
    return beyond;
  });
  return { stateVector: encodeStateVector(state), beyondStateVector };
}

export function summariseUpdates(updates: Uint8Array[]): StoredSummary {
  const { stateVector, beyondStateVector } = summariseRows(updates);
  return { stateVector, beyondStateVector };
}

/** Format of an encoded RowScan (its first byte): another value is not read. */
const ROW_SCAN_FORMAT = 1;

/**
 * A row's scan as kept with it: the format, the row's length (a scan is
 * only used with the row it was made of), the delete set's offset, whether
 * there are skips, then each run.
 */
export function encodeRowScan(scan: RowScan, rowLength: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ROW_SCAN_FORMAT);
  encoding.writeVarUint(encoder, rowLength);
  encoding.writeVarUint(encoder, scan.deleteSetAt);
  encoding.writeVarUint(encoder, scan.skips ? 1 : 0);
  encoding.writeVarUint(encoder, scan.runs.length);
  for (const { client, from, to } of scan.runs) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, from);
    encoding.writeVarUint(encoder, to - from);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * The scan kept with `row`; undefined when there is none, or when it does not
 * fit the row (another format, another length, truncated): the row is then
 * scanned again, as if nothing had been kept.
 */
export function decodeRowScan(encoded: Uint8Array | undefined, row: Uint8Array): RowScan | undefined {
  if (!encoded) return undefined;
  try {
    const decoder = decoding.createDecoder(encoded);
    if (decoding.readVarUint(decoder) !== ROW_SCAN_FORMAT || decoding.readVarUint(decoder) !== row.length) return undefined;
    const deleteSetAt = decoding.readVarUint(decoder);
    const skips = decoding.readVarUint(decoder) === 1;
    const count = decoding.readVarUint(decoder);
    if (deleteSetAt > row.length || count > encoded.length) return undefined;
    const runs: RowScan['runs'] = [];
    for (let i = 0; i < count; i++) {
      const client = decoding.readVarUint(decoder);
      const from = decoding.readVarUint(decoder);
      runs.push({ client, from, to: from + decoding.readVarUint(decoder) });
    }
    return decoding.hasContent(decoder) ? undefined : { runs, skips, deleteSetAt };
  } catch {
    return undefined;
  }
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
  // The deletions are read when first asked for: only an update bringing no struct beyond `clocks` needs them
  // (a reconnecting client's answer), and for a long history they take ~10 ms, which a restart's first sync
  // requests would otherwise wait through.
  let deletes: KnownState['deletes'] | undefined;
  return {
    clocks: Y.decodeStateVector(summary.stateVector),
    get deletes() {
      return (deletes ??= Y.mergeDeleteSets(summary.beyondStateVector.map((update) => Y.decodeUpdate(update).ds)));
    },
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

/**
 * The clocks an update ends at, when it can be stored and relayed as it came
 * during a load (before the doc can say what it integrates): each client's
 * structs start exactly where `clocks` end (no gap, no id already taken) and
 * build only on structs `clocks` cover or the update itself holds. Undefined
 * otherwise: the update then waits for the loaded doc.
 *
 * Why: rows stored as they came are later merged (Y.mergeUpdates), which
 * trusts that an id names one struct. A struct that reuses a taken id, or
 * claims a client's next clock with an origin nobody has, could be kept by a
 * merge in place of the real one (tests/server/forgedStructs.test.ts). An
 * honest client's edit, or a reconnecting client's answer, always passes.
 */
export function continuesKnown(update: ReturnType<typeof Y.decodeUpdate>, clocks: Map<number, number>): Map<number, number> | undefined {
  const ends = new Map<number, number>();
  for (const struct of update.structs) {
    if (struct instanceof Y.Skip) return undefined;
    const client = struct.id.client;
    if (struct.id.clock !== (ends.get(client) ?? clocks.get(client) ?? 0)) return undefined;
    ends.set(client, struct.id.clock + struct.length);
  }
  for (const struct of update.structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Of its own client, only what came before it (Yjs does not check those: it assumes them).
    const held = (id: Y.ID | null) =>
      id === null || (id.client === struct.id.client ? id.clock < struct.id.clock : id.clock < (ends.get(id.client) ?? clocks.get(id.client) ?? 0));
    const parent = struct.parent as unknown;
    if (!held(struct.origin) || !held(struct.rightOrigin) || (parent instanceof Y.ID && !held(parent))) return undefined;
  }
  return ends;
}

/** Reads past an id (client, clock) of an update's struct. */
function skipId(decoder: decoding.Decoder): void {
  decoding.readVarUint(decoder);
  decoding.readVarUint(decoder);
}
