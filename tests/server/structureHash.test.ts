import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { diffStructure, readStructure, structureHash, structureOf, type StructureEntry } from '../../shared/agreedStructure.ts';
import { readAllPairContents } from '../../shared/canonicalText.ts';
import { PAIR_KINDS, deletePair, insertPair, mergeWithNext, movePair, orderArray, paragraphsMap, readOrder, setPairKind, splitPair } from '../../shared/model/index.ts';
import { StructureTracker, structureHashNative } from '../../server/approvals/structureTracker.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { seeded, type Random } from '../helpers/random.ts';

/**
 * The structure (shared/agreedStructure.ts) as both sides derive it: the
 * browser hashes it with the shared pure-JS SHA-256, the server with Node's;
 * both read it from a doc exactly as versions read their pairs, whatever
 * concurrent moves or a hostile client left in `order` and `paragraphs`.
 */

const entries = (...list: Array<[string, string]>): StructureEntry[] => list.map(([id, kind]) => ({ id, kind }));

/** Two replicas of a small declaration that edit the structure concurrently, then exchange updates (random delivery order). */
function concurrentStructureEdits(random: Random): Y.Doc {
  const base = new Y.Doc();
  for (let i = 0; i < 6; i++) insertPair(base, { kind: random.pick(PAIR_KINDS), vi: `vi ${i}`, fr: `fr ${i}`, id: `p${i}` });
  const replicas = [0, 1, 2].map(() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
    return doc;
  });
  for (const doc of replicas) {
    for (let step = 0; step < 6; step++) {
      const ids = readOrder(doc);
      const id = random.pick(ids);
      const op = random.int(7);
      if (op <= 2 && ids.length > 1) movePair(doc, id, random.int(ids.length));
      else if (op === 3) setPairKind(doc, id, random.pick(PAIR_KINDS));
      else if (op === 4 && ids.length > 2) deletePair(doc, id);
      else if (op === 5) insertPair(doc, {}, id);
      else if (ids.length > 1 && ids.indexOf(id) < ids.length - 1) mergeWithNext(doc, id);
      else splitPair(doc, id, { vi: 0 });
    }
    // What a hostile client may also leave: an id whose content is not a pair, a pair without a kind, a raw duplicate.
    if (random.chance(0.3)) orderArray(doc).insert(random.int(orderArray(doc).length + 1), [random.pick(['ghost', readOrder(doc)[0]!])]);
    if (random.chance(0.3)) (paragraphsMap(doc).get(random.pick(readOrder(doc)))!).delete('kind');
  }
  const merged = new Y.Doc();
  for (const doc of random.chance(0.5) ? replicas : [...replicas].reverse()) Y.applyUpdate(merged, Y.encodeStateAsUpdate(doc));
  return merged;
}

describe('the structure of a declaration', () => {
  it('hashes the same in the browser and on the server, and changes with any id, kind or place', () => {
    const cases = [entries(), entries(['title', 'title'], ['p-1', 'preamble']), entries(['a"]', 'operative'], ['\\', 'closing'])];
    for (const list of cases) expect(structureHashNative(list)).toBe(structureHash(list));
    const agreed = entries(['a', 'operative'], ['b', 'operative'], ['c', 'preamble']);
    const hashes = new Set(
      [agreed, entries(['b', 'operative'], ['a', 'operative'], ['c', 'preamble']), entries(['a', 'preamble'], ['b', 'operative'], ['c', 'preamble']), entries(['a', 'operative'], ['c', 'preamble']), entries(['a', 'operative'], ['b', 'operative'], ['c', 'preamble'], ['d', 'operative'])].map(structureHash),
    );
    expect(hashes.size).toBe(5);
    // No separator games: ["ab","c"] is not ["a","bc"].
    expect(structureHash(entries(['ab', 'operative'], ['c', 'operative']))).not.toBe(structureHash(entries(['a', 'operative'], ['bc', 'operative'])));
  });

  it('is read from a doc as a version holds its pairs, after random concurrent moves, deletions, kinds, splits and merges (seeded)', () => {
    let withDuplicates = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const doc = concurrentStructureEdits(seeded(seed));
      const raw = orderArray(doc).toArray();
      if (new Set(raw).size < raw.length) withDuplicates++;
      const structure = readStructure(doc);
      expect(structure, `seed ${seed}`).toEqual(structureOf(readAllPairContents(doc)));
      expect(new Set(structure.map((e) => e.id)).size, `seed ${seed}`).toBe(structure.length);
      // Another replica receiving the same updates in the other order reads the same structure.
      const again = new Y.Doc();
      Y.applyUpdate(again, Y.encodeStateAsUpdate(doc));
      expect(structureHash(readStructure(again)), `seed ${seed}`).toBe(structureHash(structure));
    }
    // The runs did leave ids twice in the order (concurrent moves of one pair, a hostile duplicate).
    expect(withDuplicates).toBeGreaterThan(30);
  });

  it('names each change in ¶ numbers: deletions where they stood, a move once, renumbered pairs not at all, kinds changed', () => {
    const before = entries(['t', 'title'], ['p1', 'preamble'], ['p2', 'preamble'], ['o1', 'operative'], ['o2', 'operative'], ['c', 'closing']);
    expect(diffStructure(before, before)).toEqual([]);
    expect(diffStructure(before, entries(['t', 'title'], ['p1', 'preamble'], ['p2', 'preamble'], ['o2', 'operative'], ['c', 'closing']))).toEqual([
      { type: 'removed', id: 'o1', kind: 'operative', from: 4 },
    ]);
    expect(diffStructure(before, entries(['t', 'title'], ['p2', 'preamble'], ['o1', 'operative'], ['o2', 'operative'], ['p1', 'preamble'], ['c', 'closing']))).toEqual([
      { type: 'moved', id: 'p1', kind: 'preamble', from: 2, to: 5 },
    ]);
    expect(diffStructure(before, entries(['t', 'title'], ['p1', 'preamble'], ['p2', 'preamble'], ['o1', 'preamble'], ['x', 'operative'], ['o2', 'operative'], ['c', 'closing']))).toEqual([
      { type: 'kind', id: 'o1', before: 'operative', after: 'preamble', to: 4 },
      { type: 'added', id: 'x', kind: 'operative', to: 5 },
    ]);
    // Moved and relabelled: both said.
    expect(diffStructure(before, entries(['o2', 'preamble'], ['t', 'title'], ['p1', 'preamble'], ['p2', 'preamble'], ['o1', 'operative'], ['c', 'closing']))).toEqual([
      { type: 'moved', id: 'o2', kind: 'preamble', from: 5, to: 1 },
      { type: 'kind', id: 'o2', before: 'operative', after: 'preamble', to: 1 },
    ]);
  });

  it('is tracked live on the server: typing reports nothing, each structure edit reports the new hash once', () => {
    const doc = new Y.Doc();
    for (const id of ['a', 'b', 'c']) insertPair(doc, { vi: id, fr: id, id });
    const reported: string[] = [];
    const tracker = new StructureTracker(doc, (hash) => reported.push(hash), 0);
    try {
      expect(tracker.get()).toBe(structureHash(readStructure(doc)));
      firstXmlText(doc, 'b', 'vi').insert(0, 'typed ');
      expect(tracker.get()).toBe(structureHash(readStructure(doc)));
      expect(reported).toEqual([]);
      movePair(doc, 'c', 0);
      expect(tracker.get()).toBe(structureHash(readStructure(doc)));
      setPairKind(doc, 'a', 'preamble');
      tracker.get();
      // Moved back where it was: the hash of before, reported as a change again.
      movePair(doc, 'c', 2);
      tracker.get();
      expect(reported).toEqual([
        structureHash(entries(['c', 'operative'], ['a', 'operative'], ['b', 'operative'])),
        structureHash(entries(['c', 'operative'], ['a', 'preamble'], ['b', 'operative'])),
        structureHash(entries(['a', 'preamble'], ['b', 'operative'], ['c', 'operative'])),
      ]);
    } finally {
      tracker.dispose();
    }
  });
});
