import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { limits } from '../../../shared/limits.ts';
import { ContentNotAllowedError } from '../contentPolicy.ts';
import type { DecodedUpdate } from '../messages.ts';
import type { AnyYType } from '../../../shared/model/structure.ts';

/**
 * What applying an update will cost, bounded before it is applied. Bytes say
 * little: a 12-byte delete set can remove a whole 2,000-pair document (95 ms
 * on the bench machine), and 2,000 single-character structs inserted
 * concurrently at one place cost Yjs a scan of every earlier one each (50 ms
 * for 2,000, quadratic beyond). So:
 *
 * - crowding: an item is integrated after scanning the items inserted
 *   concurrently at its place (Item.integrate's conflict loop). One that
 *   would scan more than limits.maxConcurrentAtOnePlace is refused (no page
 *   makes one: a few people typing at one place make a few); the scans an
 *   update adds up are its work.
 * - deletions: the live items a delete set removes, with everything inside
 *   the types it removes; counted up to a budget.
 *
 * An update whose work passes limits.largeUpdateStructs is applied in
 * slices, its deletions cut into pieces of bounded work, deepest first
 * (deletePieces), so no slice holds the event loop.
 */

type Struct = Y.Item | Y.GC | Y.Skip;
type AnyType = AnyYType;

const sameId = (a: Y.ID | null, b: Y.ID | null) => a === b || (a !== null && b !== null && a.client === b.client && a.clock === b.clock);

/** The document's item holding `id`, if the document has it. */
function itemAt(doc: Y.Doc, id: Y.ID | null): Y.Item | null {
  if (id === null || id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct : null;
}

/**
 * How many items Yjs's conflict loop will visit to integrate `struct` into
 * the document as it is (at most `cap` + 1): the loop of Item.integrate,
 * followed without changing anything. Zero for an insertion nobody else
 * made concurrently (the usual keystroke).
 */
export function crowdAt(doc: Y.Doc, struct: Y.Item, cap: number): number {
  const left = itemAt(doc, struct.origin);
  const right = itemAt(doc, struct.rightOrigin);
  // The first item to look at, as Item.integrate finds it.
  let o: Y.Item | null;
  if (left) {
    // In the middle of an item (a split): the next character is its own right neighbour.
    if (struct.origin!.clock < left.id.clock + left.length - 1) return 0;
    o = left.right;
  } else {
    const parent = (right?.parent as AnyType | null | undefined) ?? parentTypeOf(doc, struct);
    if (!parent) return 0;
    const key = right ? right.parentSub : struct.parentSub;
    if (key !== null) {
      o = parent._map.get(key) ?? null;
      let steps = 0;
      while (o !== null && o.left !== null && steps++ <= cap) o = o.left;
      if (steps > cap) return steps;
    } else o = parent._start;
  }
  const before = new Set<Y.Item>();
  let visited = 0;
  while (o !== null && o !== right && visited <= cap) {
    before.add(o);
    visited++;
    if (sameId(struct.origin, o.origin)) {
      if (o.id.client >= struct.id.client && sameId(struct.rightOrigin, o.rightOrigin)) break;
    } else if (!(o.origin !== null && before.has(itemAt(doc, o.origin)!))) break;
    o = o.right;
  }
  return visited;
}

/** The type a struct with no neighbours names as its parent, when the document holds it. */
function parentTypeOf(doc: Y.Doc, struct: Y.Item): AnyType | null {
  const parent = struct.parent as unknown as string | Y.ID | null;
  if (typeof parent === 'string') return doc.share.get(parent) ?? null;
  const holder = parent instanceof Y.ID ? itemAt(doc, parent) : null;
  return holder && holder.content instanceof Y.ContentType ? holder.content.type : null;
}

/** The place a struct is inserted at, as a key: concurrent insertions at one place share it. */
function placeKey(struct: Y.Item): string {
  const id = (x: Y.ID | null) => (x ? `${x.client}:${x.clock}` : '-');
  const parent = struct.parent as unknown as string | Y.ID | null;
  return `${id(struct.origin)}|${id(struct.rightOrigin)}|${typeof parent === 'string' ? parent : id(parent)}|${struct.parentSub ?? ''}`;
}

/**
 * The work of inserting an update's new structs: the items each will scan,
 * in the document and among the update's own structs at the same place.
 * Throws ContentNotAllowedError for one that would scan more than the cap.
 * `doc`: undefined in the worker (only the update's own crowding is counted;
 * the room counts the document's, piece by piece: see crowdOfPiece).
 */
export function insertionWork(structs: Struct[], doc: Y.Doc | undefined, cap = limits.maxConcurrentAtOnePlace): number {
  const atPlace = new Map<string, number>();
  let work = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (doc && struct.id.clock < Y.getState(doc.store, struct.id.client)) continue; // the document has it: skipped
    const key = placeKey(struct);
    const siblings = atPlace.get(key) ?? 0;
    atPlace.set(key, siblings + 1);
    const crowd = siblings + (doc ? crowdAt(doc, struct, cap) : 0);
    if (crowd > cap) throw new ContentNotAllowedError(`more than ${cap} insertions at one place`);
    work += 1 + crowd;
  }
  return work;
}

/** The document's crowding of one piece of a large update (its own was counted by the worker), refusing past the cap. */
export function crowdOfPiece(doc: Y.Doc, piece: Uint8Array, cap = limits.maxConcurrentAtOnePlace): void {
  insertionWork(Y.decodeUpdate(piece).structs, doc, cap);
}

/** The live items of `type`, with those inside the types among them, counted until `budget` is reached. */
function liveItemsIn(type: AnyType, budget: number): number {
  let count = 0;
  const stack: AnyType[] = [type];
  while (stack.length > 0 && count < budget) {
    const next = stack.pop()!;
    const visit = (item: Y.Item) => {
      if (item.deleted) return;
      count++;
      if (item.content instanceof Y.ContentType) stack.push(item.content.type);
    };
    for (let item = next._start; item !== null && count < budget; item = item.right) visit(item);
    for (const item of next._map.values()) visit(item);
  }
  return count;
}

/** The document's items a delete range covers, in clock order. */
function* itemsInRange(doc: Y.Doc, client: number, clock: number, len: number): Generator<Y.Item> {
  const structs = doc.store.clients.get(client);
  if (!structs || structs.length === 0) return;
  const end = Math.min(clock + len, Y.getState(doc.store, client));
  if (clock >= end) return;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
    const struct = structs[i]!;
    if (struct instanceof Y.Item) yield struct;
  }
}

/** The live items a delete set would remove, with what is inside the types it removes, counted until `budget`. */
export function deletionWork(doc: Y.Doc, ds: DecodedUpdate['ds'], budget: number): number {
  let work = 0;
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (const item of itemsInRange(doc, client, clock, len)) {
        if (item.deleted) continue;
        work += 1;
        if (item.content instanceof Y.ContentType) work += liveItemsIn(item.content.type, budget - work);
        if (work >= budget) return work;
      }
    }
  }
  return work;
}

/**
 * A delete set as updates that each remove at most `maxItems` live items:
 * what is inside a removed type first (deepest first), then the type, so
 * that no piece removes a large subtree at once. Applied in order they give
 * the same document as the delete set at once. Read lazily: each piece is
 * worked out against the document as the pieces before left it.
 */
export function* deletePieces(doc: Y.Doc, ds: DecodedUpdate['ds'], maxItems: number): Generator<Uint8Array> {
  let piece: Array<[number, { clock: number; len: number }]> = [];
  const add = (client: number, clock: number, len: number) => piece.push([client, { clock, len }]);
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      const end = clock + len;
      // Read before any piece is applied: deleting changes nothing of the items' clocks, only splits them.
      const covered = [...itemsInRange(doc, client, clock, len)];
      for (const item of covered) {
        if (item.content instanceof Y.ContentType && !item.deleted) {
          for (const inner of deepestFirst(item.content.type)) {
            add(inner.id.client, inner.id.clock, inner.length);
            if (piece.length >= maxItems) {
              yield encodeRanges(piece);
              piece = [];
            }
          }
        }
        // The part of the item the range covers (a deletion inside a word covers part of one).
        const from = Math.max(clock, item.id.clock);
        add(client, from, Math.min(end, item.id.clock + item.length) - from);
        if (piece.length >= maxItems) {
          yield encodeRanges(piece);
          piece = [];
        }
      }
      // Clocks the document does not hold (yet): kept as they came (Yjs keeps them for later).
      const held = Y.getState(doc.store, client);
      if (end > held) add(client, Math.max(clock, held), end - Math.max(clock, held));
    }
  }
  if (piece.length > 0) yield encodeRanges(piece);
}

/** The live items inside a type, those inside its inner types before them. */
function deepestFirst(type: AnyType): Y.Item[] {
  const order: Y.Item[] = [];
  const stack: Array<{ type: AnyType; expanded: boolean; item?: Y.Item }> = [{ type, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      if (top.item) order.push(top.item);
      continue;
    }
    if (top.item) stack.push({ ...top, expanded: true });
    const children: Y.Item[] = [];
    for (let item = top.type._start; item !== null; item = item.right) if (!item.deleted) children.push(item);
    for (const item of top.type._map.values()) if (!item.deleted) children.push(item);
    for (const item of children) {
      if (item.content instanceof Y.ContentType) stack.push({ type: item.content.type, expanded: false, item });
      else order.push(item);
    }
  }
  return order;
}

/** An update holding no struct and these deleted ranges. */
function encodeRanges(entries: Array<[number, { clock: number; len: number }]>): Uint8Array {
  const byClient = new Map<number, Array<{ clock: number; len: number }>>();
  for (const [client, range] of entries) {
    let ranges = byClient.get(client);
    if (!ranges) byClient.set(client, (ranges = []));
    ranges.push(range);
  }
  // A delete set lists each client's ranges in clock order.
  for (const ranges of byClient.values()) ranges.sort((a, b) => a.clock - b.clock);
  const clients = [...byClient];
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 0);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const range of ranges) {
      encoder.writeDsClock(range.clock);
      encoder.writeDsLen(range.len);
    }
  }
  return encoder.toUint8Array();
}
