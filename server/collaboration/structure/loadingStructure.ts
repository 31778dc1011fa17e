import * as Y from 'yjs';
import type { DecodedUpdate } from '../messages.ts';
import { docItemPlace, docItemRole, type ResolvedRef } from './resolvers.ts';
import { NEXT_TO_FOREIGN, StructurePlacer, type ExternalRef, type StructureResolver } from './updateStructure.ts';
import { ContentNotAllowedError } from '../contentPolicy.ts';

type Struct = Y.Item | Y.GC | Y.Skip;
const key = (kind: ExternalRef['kind'], id: { client: number; clock: number }) => `${kind}:${id.client}:${id.clock}`;

/**
 * What the checks of updates that come while a room loads its stored rows
 * know of the document: the part of the rows already in the doc, what the
 * stored rows told about the rest (answered by the worker, kept here), and
 * the updates accepted since (the backlog, not yet applied).
 */
export class LoadingStructure {
  private readonly answers = new Map<string, ResolvedRef>();
  private readonly backlog: Struct[] = [];
  private backlogPlacer: StructurePlacer | undefined;

  /** `rowsClocks`: each client's clock in the stored rows. */
  constructor(
    private readonly doc: Y.Doc,
    private readonly rowsClocks: ReadonlyMap<number, number>,
  ) {}

  /** A resolver for an update that continues `accepted` (each client's clock in the rows and the backlog). */
  resolver(accepted: ReadonlyMap<number, number>): StructureResolver {
    const stateOf = (client: number) => accepted.get(client) ?? 0;
    return {
      stateOf,
      placeAt: (id) => (id.clock >= stateOf(id.client) ? 'missing' : this.lookup('place', id)),
      roleHeldAt: (id) => (id.clock >= stateOf(id.client) ? 'missing' : this.lookup('held', id)) as ReturnType<StructureResolver['roleHeldAt']>,
    } as StructureResolver;
  }

  /** An update accepted during the load: later ones may build on it. */
  accepted(decoded: DecodedUpdate): void {
    for (const struct of decoded.structs) this.backlog.push(struct);
    this.backlogPlacer = undefined;
  }

  /** Answers the worker read from the stored rows. */
  learn(refs: ExternalRef[], answers: ResolvedRef[]): void {
    refs.forEach((ref, i) => this.answers.set(key(ref.kind, ref), answers[i]!));
  }

  private lookup(kind: ExternalRef['kind'], id: Y.ID): ResolvedRef {
    if (id.clock >= (this.rowsClocks.get(id.client) ?? 0)) {
      // In the backlog: where its structs landed follows from what is known of the rows.
      this.backlogPlacer ??= new StructurePlacer(this.backlog, this.rowsResolver());
      const found = kind === 'place' ? this.backlogPlacer.placeAt(id) : this.backlogPlacer.roleHeldAt(id);
      if (found === undefined || (typeof found === 'object' && 'waits' in found)) return 'missing';
      if (found === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
      return found;
    }
    return this.fromRows(kind, id);
  }

  private fromRows(kind: ExternalRef['kind'], id: Y.ID): ResolvedRef {
    if (id.clock < Y.getState(this.doc.store, id.client)) {
      const item = Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
      return kind === 'place' ? docItemPlace(this.doc, item) : docItemRole(this.doc, item);
    }
    const answer = this.answers.get(key(kind, id)) ?? 'later';
    if (answer === 'foreign') throw new ContentNotAllowedError(NEXT_TO_FOREIGN);
    return answer;
  }

  /** The stored rows as the backlog's structs see them: what is loaded or was answered. */
  private rowsResolver(): StructureResolver {
    return {
      stateOf: (client) => this.rowsClocks.get(client) ?? 0,
      placeAt: (id) => this.fromRows('place', id) as ReturnType<StructureResolver['placeAt']>,
      roleHeldAt: (id) => this.fromRows('held', id) as ReturnType<StructureResolver['roleHeldAt']>,
    };
  }
}
