import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { DecodedUpdate } from '../messages.ts';

/**
 * Two ways an update can make Yjs do something else than its structs and
 * deletions say, both found by an attacker's review of the structure check:
 *
 * - A struct that starts below the document's clock for its client (part of
 *   it known): Yjs takes its parent from the struct's own origin but puts the
 *   rest right after the known part — so a struct claiming a pair map's "vi"
 *   as origin, half over a character of text, replaced a cell with a string.
 *   Such an update is cut at the document's state vector first (Yjs's own
 *   diffUpdate: the rest of a struct gets the known part as its origin), so
 *   what is checked is what lands.
 * - A deletion of clocks nobody has written yet: Yjs keeps it pending and
 *   applies it to the text when its author types it — on the server and on
 *   everyone else's screen, never on the author's. Such an update waits
 *   (gate.ts) until those clocks exist, and one naming another member's
 *   client id is judged as writing under it (clientIdPolicy.ts).
 */

/** Whether a client's structs in the update start below what the document holds of it (and go beyond). */
export function straddles(decoded: DecodedUpdate, stateOf: (client: number) => number): boolean {
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const state = stateOf(struct.id.client);
    if (struct.id.clock < state && struct.id.clock + struct.length > state) return true;
  }
  return false;
}

/** The update without what the document holds (`stateVector`), the rest of each half-known struct after the known part. */
export function trimKnown(update: Uint8Array, stateVector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, stateVector.size);
  for (const [client, clock] of stateVector) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return Y.diffUpdate(update, encoding.toUint8Array(encoder));
}

/** A deleted range beyond what the document and the update hold of its client. */
export interface DeletionAhead {
  client: number;
  /** The first clock not held (what must arrive before it may be applied). */
  from: number;
}

/** The deletions of an update that name clocks neither the document (`stateOf`) nor the update's own structs hold. */
export function deletionsAhead(decoded: DecodedUpdate, stateOf: (client: number) => number): DeletionAhead[] {
  if (decoded.ds.clients.size === 0) return [];
  // What the update adds to each client, continuing the document's clock.
  const held = new Map<number, number>();
  for (const struct of decoded.structs) {
    const client = struct.id.client;
    const end = held.get(client) ?? stateOf(client);
    if (!(struct instanceof Y.Skip) && struct.id.clock <= end) held.set(client, Math.max(end, struct.id.clock + struct.length));
  }
  const ahead: DeletionAhead[] = [];
  for (const [client, ranges] of decoded.ds.clients) {
    const end = held.get(client) ?? stateOf(client);
    const last = ranges.reduce((max, range) => Math.max(max, range.clock + range.len), 0);
    if (last > end) ahead.push({ client, from: end });
  }
  return ahead;
}
