import * as Y from 'yjs';
import { ContentNotAllowedError } from '../contentPolicy.ts';
import type { ResolvedRef } from './resolvers.ts';
import { StructurePlacer, type ExternalRef } from './updateStructure.ts';

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Where the structs of a document's stored rows stand, read from the rows
 * themselves (in a worker: decoding a large document takes tens of ms), for
 * the checks of updates that come while the room is still loading them: an
 * edit that lands beside stored text is relayed then, not after the load.
 */
export class StoredRowsIndex {
  private readonly placer: StructurePlacer;

  constructor(rows: Uint8Array[]) {
    const structs: Struct[] = [];
    for (const row of rows) for (const struct of Y.decodeUpdate(row).structs) structs.push(struct);
    // Each client's structs in clock order, once each (rows are stored in order; a struct in two rows is read once).
    structs.sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock);
    const unique: Struct[] = [];
    let client = -1;
    let end = 0;
    for (const struct of structs) {
      if (struct.id.client !== client) {
        client = struct.id.client;
        end = 0;
      }
      if (struct.id.clock < end) continue;
      unique.push(struct);
      end = struct.id.clock + struct.length;
    }
    // The rows are the whole document: nothing lies outside them.
    this.placer = new StructurePlacer(unique, { stateOf: () => 0, placeAt: () => 'missing', roleHeldAt: () => 'missing' });
  }

  /** The answer to one reference into the rows. */
  answer(ref: ExternalRef): ResolvedRef {
    const id = Y.createID(ref.client, ref.clock);
    try {
      if (ref.kind === 'held') {
        const role = this.placer.roleHeldAt(id);
        return role === undefined || role === 'later' ? 'missing' : role;
      }
      const place = this.placer.placeAt(id);
      if (place === undefined || place === 'later' || (typeof place === 'object' && 'waits' in place)) return 'missing';
      return place;
    } catch (error) {
      if (error instanceof ContentNotAllowedError) return 'foreign';
      throw error;
    }
  }
}

/** Indexes kept by load session (a worker serves several rooms); the oldest goes past a few. */
export class StoredRowsIndexes {
  private readonly indexes = new Map<number, StoredRowsIndex>();

  constructor(private readonly keep = 4) {}

  of(session: number, rows: Uint8Array[]): StoredRowsIndex {
    let index = this.indexes.get(session);
    if (!index) {
      index = new StoredRowsIndex(rows);
      this.indexes.set(session, index);
      if (this.indexes.size > this.keep) this.indexes.delete(this.indexes.keys().next().value!);
    }
    return index;
  }

  forget(session: number): void {
    this.indexes.delete(session);
  }
}
