import * as Y from 'yjs';
import { limits } from '../../../shared/limits.ts';
import { roleOfType, type AnyYType, type Place, type StructureRole } from '../../../shared/model/structure.ts';
import { ContentNotAllowedError } from '../contentPolicy.ts';
import { NEXT_TO_FOREIGN, type ExternalRef, type StructureResolver } from './updateStructure.ts';
import { nextSliceTurn } from '../../scheduling/sliceTurns.ts';

/**
 * Resolvers for checkUpdateStructure: what it needs to know of the document
 * an update is applied to, from the room's doc (live), or from what the
 * worker was told (large updates); during a load, see LoadingStructure.
 */

/** The document's item holding `id`, when the document holds it. */
function itemAt(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | undefined {
  if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
  return Y.getItem(doc.store, id) as Y.Item | Y.GC;
}

/** The place of an integrated item (throws when it stands outside the tree: nothing may be put beside it). */
export function docItemPlace(doc: Y.Doc, item: Y.Item | Y.GC): Place | 'dropped' {
  if (!(item instanceof Y.Item) || !item.parent) return 'dropped';
  const role = roleOfType(doc, item.parent as AnyYType);
  if (role === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
  return { role, key: item.parentSub };
}

/** The role of the type an integrated item holds (throws when it stands outside the tree). */
export function docItemRole(doc: Y.Doc, item: Y.Item | Y.GC): StructureRole | 'dropped' {
  if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentType)) return 'dropped';
  const role = roleOfType(doc, item.content.type);
  if (role === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
  return role;
}

/** Against a loaded doc: everything it holds is known; what it lacks is missing. */
export function docResolver(doc: Y.Doc): StructureResolver {
  return {
    stateOf: (client) => Y.getState(doc.store, client),
    placeAt(id) {
      const item = itemAt(doc, id);
      return item ? docItemPlace(doc, item) : 'missing';
    },
    roleHeldAt(id) {
      const item = itemAt(doc, id);
      return item ? docItemRole(doc, item) : 'missing';
    },
  };
}

/** What the room tells the worker of a reference into its doc: a place, a role, dropped, missing, or not known here. */
export type ResolvedRef = Place | StructureRole | 'dropped' | 'missing' | 'later' | 'foreign';

function resolveRef(resolver: StructureResolver, ref: ExternalRef): ResolvedRef {
  const id = Y.createID(ref.client, ref.clock);
  try {
    return ref.kind === 'place' ? resolver.placeAt(id) : resolver.roleHeldAt(id);
  } catch (error) {
    if (error instanceof ContentNotAllowedError) return 'foreign';
    throw error;
  }
}

/** Resolves references the worker reported (see ExternalRef) with one of the resolvers above. */
export function resolveRefs(resolver: StructureResolver, refs: ExternalRef[]): ResolvedRef[] {
  return refs.map((ref) => resolveRef(resolver, ref));
}

/**
 * resolveRefs a slice at a time (tens of thousands of references, one for
 * each struct of a large paste, take tens of ms): what a reference names
 * does not change between slices, only whether the doc holds it yet.
 */
export async function resolveRefsInSlices(resolver: StructureResolver, refs: ExternalRef[], sliceMs = limits.largeUpdateSliceMs): Promise<ResolvedRef[]> {
  const answers: ResolvedRef[] = [];
  let deadline = performance.now() + sliceMs;
  for (const ref of refs) {
    answers.push(resolveRef(resolver, ref));
    if (answers.length % 256 === 0 && performance.now() > deadline) {
      await nextSliceTurn();
      deadline = performance.now() + sliceMs;
    }
  }
  return answers;
}

/**
 * In the worker: the document as the room described it — its state vector,
 * and, once asked (see ExternalRef), the references resolved by the room;
 * any other reference below the state vector is reported as needed (`later`).
 */
export function describedResolver(stateVector: Map<number, number>, resolved?: { refs: ExternalRef[]; answers: ResolvedRef[] }): StructureResolver {
  const answers = new Map<string, ResolvedRef>();
  resolved?.refs.forEach((ref, i) => answers.set(`${ref.kind}:${ref.client}:${ref.clock}`, resolved.answers[i]!));
  const answer = (kind: ExternalRef['kind'], id: Y.ID): ResolvedRef => {
    if (id.clock >= (stateVector.get(id.client) ?? 0)) return 'missing';
    const found = answers.get(`${kind}:${id.client}:${id.clock}`) ?? 'later';
    if (found === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
    return found;
  };
  return {
    stateOf: (client) => stateVector.get(client) ?? 0,
    placeAt: (id) => answer('place', id) as Place | 'dropped' | 'missing' | 'later',
    roleHeldAt: (id) => answer('held', id) as StructureRole | 'dropped' | 'missing' | 'later',
  };
}
