import * as Y from 'yjs';
import { ROOT_ROLES, admit, type Place, type StructureRole } from '../../../shared/model/structure.ts';
import { ContentNotAllowedError } from '../contentPolicy.ts';

/**
 * Where each struct of an update would land, checked against the
 * declaration's tree (shared/model/structure.ts) before anything is applied.
 *
 * A decoded struct names its place only indirectly: its parent (a root's
 * name, or the id of the item holding the parent type) when it has no
 * neighbours, else its left neighbour at creation (`origin`), else its right
 * one — Yjs puts it in that neighbour's type, under that neighbour's key. So
 * a bare text node placed after a cell's paragraph lands in the cell itself,
 * though the update says only "after that paragraph". The check follows the
 * same rules as Yjs's Item.getMissing and Item.integrate, through the
 * update's own structs and, for ids outside it, a resolver (the room's doc,
 * or what the worker was told of it).
 */

/** A place or role the resolver cannot give: the struct is not there yet (`missing`), or not known here (`later`). */
export type Unresolved = 'missing' | 'later';
/** A struct Yjs will turn into garbage (its neighbour or parent is gone): it lands nowhere, so anything may be in it. */
export type Dropped = 'dropped';

/** What the check needs to know of the document the update is applied to. */
export interface StructureResolver {
  /** The clock up to which the document holds this client's structs (ids below it are the document's). */
  stateOf(client: number): number;
  /** The place of the document's item holding this id. */
  placeAt(id: Y.ID): Place | Dropped | Unresolved;
  /** The role of the type the document's item holding this id holds (dropped when it holds none). */
  roleHeldAt(id: Y.ID): StructureRole | Dropped | Unresolved;
}

/** A reference from the update into the document, as the worker reports what it needs resolved. */
export interface ExternalRef {
  kind: 'place' | 'held';
  client: number;
  clock: number;
}

/**
 * The verdict on an update's structure: fit to apply; or it builds on a
 * struct the document does not hold yet (Yjs would keep it pending: it waits
 * until that struct arrives); or (from a resolver that does not know the
 * whole document) these references must be resolved first. A refusal throws
 * ContentNotAllowedError.
 */
export type StructureVerdict = { kind: 'fits' } | { kind: 'waits'; for: Y.ID } | { kind: 'needs'; refs: ExternalRef[] };

type Struct = Y.Item | Y.GC | Y.Skip;
/**
 * Where a struct lands: a place, nowhere (garbage), not before `waits`
 * arrives, not known here, or outside the tree (a struct refused, or one of a
 * stored document's from before every update was checked).
 */
export type Located = Place | Dropped | { waits: Y.ID } | 'later' | 'foreign';

/** The refusal of a struct placed beside or inside content that is outside the tree. */
export const NEXT_TO_FOREIGN = 'next to content outside the declaration';

/** Per client, the structs in clock order, and how they stand against the document. */
interface ClientRun {
  structs: Struct[];
  /** Index of the first struct the document lacks; structs before it are skipped by Yjs. */
  firstNew: number;
  /** Index of the first struct after a gap (Yjs keeps it and the rest pending); structs.length when none. */
  gapAt: number;
  /** Where the gap begins: the first clock of this client that neither the document nor the update holds. */
  gapClock: number;
  /** The clock the document holds this client to. */
  state: number;
}

const isPlace = (located: Located): located is Place => typeof located === 'object' && 'role' in located;

/**
 * The places of a set of structs (an update's, or all of a document's stored
 * rows') landing in a document known through `resolver`. Places are worked
 * out on demand and kept.
 */
export class StructurePlacer {
  private readonly runs = new Map<number, ClientRun>();
  private readonly places = new Map<Struct, Located>();
  private readonly refs = new Map<string, ExternalRef>();
  private waits: Y.ID | undefined;

  constructor(
    structs: Iterable<Struct>,
    private readonly resolver: StructureResolver,
    /** Told the place of each struct checked (e.g. to answer later questions about it without it). */
    private readonly onPlaced?: (struct: Y.Item, place: Located) => void,
  ) {
    for (const struct of structs) {
      let run = this.runs.get(struct.id.client);
      if (!run) this.runs.set(struct.id.client, (run = { structs: [], firstNew: 0, gapAt: 0, gapClock: 0, state: resolver.stateOf(struct.id.client) }));
      run.structs.push(struct);
    }
    for (const run of this.runs.values()) {
      const { structs, state } = run;
      let i = 0;
      while (i < structs.length && structs[i]!.id.clock + structs[i]!.length <= state) i++;
      run.firstNew = i;
      // Yjs integrates a client's structs while each starts where the document's clock for it ends.
      let expected = state;
      for (; i < structs.length; i++) {
        const struct = structs[i]!;
        if (struct instanceof Y.Skip || struct.id.clock > expected) break;
        expected = struct.id.clock + struct.length;
      }
      run.gapAt = i;
      run.gapClock = expected;
    }
  }

  /** Checks where every struct the document lacks would land; throws ContentNotAllowedError when one would stand outside the tree. */
  check(): StructureVerdict {
    for (const run of this.runs.values()) {
      for (let i = run.firstNew; i < run.structs.length; i++) {
        const struct = run.structs[i]!;
        if (i >= run.gapAt) {
          // What fills the gap must arrive first (waiting for these structs themselves would wait forever).
          this.waits ??= Y.createID(struct.id.client, run.gapClock);
          break;
        }
        if (struct instanceof Y.Item) this.locate(struct);
      }
    }
    if (this.waits) return { kind: 'waits', for: this.waits };
    if (this.refs.size > 0) return { kind: 'needs', refs: [...this.refs.values()] };
    return { kind: 'fits' };
  }

  /** Where the struct holding `id` lands, when it is one of these (undefined: not one of them). */
  placeAt(id: Y.ID): Located | undefined {
    const inside = this.internal(id);
    if (inside === undefined || 'waits' in inside) return inside;
    return inside instanceof Y.Item ? this.locate(inside) : 'dropped';
  }

  /** The role of the type the struct holding `id` holds, when it is one of these. */
  roleHeldAt(id: Y.ID): StructureRole | Dropped | Unresolved | undefined {
    const inside = this.internal(id);
    if (inside === undefined) return undefined;
    if ('waits' in inside) return 'missing';
    if (!(inside instanceof Y.Item)) return 'dropped';
    const held = this.heldPlace(inside, this.locate(inside), null);
    if (isPlace(held)) return held.role;
    if (held === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
    return held === 'dropped' ? 'dropped' : held === 'later' ? 'later' : 'missing';
  }

  /** The struct holding `id`, when it is one the document lacks (undefined: the document's business). */
  private internal(id: Y.ID): Struct | { waits: Y.ID } | undefined {
    const run = this.runs.get(id.client);
    const state = run ? run.state : this.resolver.stateOf(id.client);
    if (id.clock < state) return undefined;
    if (!run) return { waits: id };
    const { structs } = run;
    let low = run.firstNew;
    let high = structs.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const struct = structs[mid]!;
      if (id.clock < struct.id.clock) high = mid - 1;
      else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
      else return mid < run.gapAt && !(struct instanceof Y.Skip) ? struct : { waits: Y.createID(id.client, run.gapClock) };
    }
    return { waits: id };
  }

  private external(kind: ExternalRef['kind'], id: Y.ID): Place | StructureRole | Dropped | Unresolved {
    const resolved = kind === 'place' ? this.resolver.placeAt(id) : this.resolver.roleHeldAt(id);
    if (resolved === 'later') this.refs.set(`${kind}:${id.client}:${id.clock}`, { kind, client: id.client, clock: id.clock });
    return resolved;
  }

  private externalPlace(id: Y.ID): Located {
    const place = this.external('place', id);
    return place === 'missing' ? { waits: id } : (place as Located);
  }

  /** What a struct's place depends on: a place already known, or another of these structs (its place, or the role of the type it holds). */
  private dependency(struct: Y.Item): Located | { on: Struct; held: boolean; key: string | null } {
    const run = this.runs.get(struct.id.client)!;
    // Part of it is already in the document: Yjs integrates the rest right after that part.
    if (struct.id.clock < run.state && struct === run.structs[run.firstNew]) return this.externalPlace(Y.createID(struct.id.client, run.state - 1));
    const parent = struct.parent as unknown as string | Y.ID | null;
    if (typeof parent === 'string') {
      const role = ROOT_ROLES.get(parent);
      if (!role) throw new ContentNotAllowedError(`top-level type "${parent.slice(0, 40)}" is not part of a declaration`);
      return { role, key: struct.parentSub };
    }
    if (parent instanceof Y.ID) {
      const inside = this.internal(parent);
      if (inside === undefined) {
        const role = this.external('held', parent);
        if (role === 'dropped' || role === 'later') return role;
        if (role === 'missing') return { waits: parent };
        return { role: role as StructureRole, key: struct.parentSub };
      }
      return 'waits' in inside ? inside : { on: inside, held: true, key: struct.parentSub };
    }
    const neighbour = struct.origin ?? struct.rightOrigin;
    if (!neighbour) return 'dropped'; // no parent and no neighbour: Yjs makes it garbage
    const inside = this.internal(neighbour);
    if (inside === undefined) return this.externalPlace(neighbour);
    return 'waits' in inside ? inside : { on: inside, held: false, key: null };
  }

  /** The place of one of these structs, worked out iteratively (chains of neighbours can be long). */
  private locate(start: Y.Item): Located {
    const known = this.places.get(start);
    if (known === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
    if (known !== undefined) return known;
    // Follow what each struct depends on down to a place known, then work the places out back up.
    const chain: Array<{ struct: Y.Item; held: boolean; key: string | null }> = [];
    const visiting = new Set<Struct>();
    let struct = start;
    let below: Y.Item | undefined;
    let place: Located;
    for (;;) {
      const dep = this.dependency(struct);
      if (typeof dep !== 'object' || !('on' in dep)) {
        this.placed(struct, dep);
        below = struct;
        place = dep;
        break;
      }
      chain.push({ struct, held: dep.held, key: dep.key });
      visiting.add(struct);
      const next = dep.on;
      if (!(next instanceof Y.Item)) {
        place = 'dropped'; // next to (or in) garbage
        break;
      }
      const memo = this.places.get(next);
      if (memo !== undefined) {
        below = next;
        place = memo;
        break;
      }
      if (visiting.has(next)) throw new ContentNotAllowedError('structs that depend on each other');
      struct = next;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const link = chain[i]!;
      if (link.held) place = this.heldPlace(below, place, link.key);
      this.placed(link.struct, place);
      below = link.struct;
    }
    return place;
  }

  /** The place of a child of the type `holder` holds, `holder` standing at `place`. */
  private heldPlace(holder: Y.Item | undefined, place: Located, key: string | null): Located {
    if (!isPlace(place)) return place;
    if (!holder || !(holder.content instanceof Y.ContentType)) return 'dropped'; // a parent that is no type: Yjs makes the child garbage
    const admitted = admit(place, holder.content);
    if ('refused' in admitted) return 'foreign';
    return admitted.role === null ? 'dropped' : { role: admitted.role, key };
  }

  /** Records a struct's place, refusing it when its content may not stand there. */
  private placed(struct: Y.Item, place: Located): void {
    if (place === 'foreign') {
      this.places.set(struct, 'foreign');
      throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
    }
    if (isPlace(place)) {
      const admitted = admit(place, struct.content);
      if ('refused' in admitted) {
        // Kept as such: what is asked of it later is refused too, not taken for garbage.
        this.places.set(struct, 'foreign');
        throw new ContentNotAllowedError(admitted.refused);
      }
    }
    this.places.set(struct, place);
    if (typeof place === 'object' && 'waits' in place) {
      this.waits ??= place.waits;
    }
    this.onPlaced?.(struct, place);
  }
}

/**
 * Checks where every struct of `update` the document lacks would land.
 * Throws ContentNotAllowedError when one would stand outside the tree.
 */
export function checkUpdateStructure(
  update: { structs: Struct[] },
  resolver: StructureResolver,
  onPlaced?: (struct: Y.Item, place: Located) => void,
): StructureVerdict {
  return new StructurePlacer(update.structs, resolver, onPlaced).check();
}
