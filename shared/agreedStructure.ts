import { diffArrays } from 'diff';
import * as Y from 'yjs';
import { sha256Hex } from './hash.ts';
import { isPairKind, paragraphsMap, readOrder } from './model/index.ts';

/**
 * The agreed structure of a declaration: which pairs it holds, in which
 * order, each of which kind. A pair's approval binds its words (hash.ts); the
 * structure binds the shape they stand in, so that deleting an agreed clause,
 * moving one, adding one or turning an operative clause into preamble is a
 * change the heads must agree again (docs/ARCHITECTURE.md, "The path of an
 * approval"). The browser and the server derive it with these functions, from
 * a live doc or from a version's pairs, and hash it the same way.
 */

/** One pair as the structure sees it: its stable id and its kind. */
export interface StructureEntry {
  id: string;
  kind: string;
}

/**
 * The structure of a live doc: the pairs every page shows and every version
 * fixes (`readOrder`, first occurrence of an id wins, so an id left twice in
 * `order` by concurrent moves counts once, where the pages show it), each with
 * the kind the pages show (`getPair`: a missing or unknown kind reads as
 * operative). An id whose content is not a pair is skipped, as versions skip it.
 *
 * The same test as `getPair`, written out: it looks the paragraphs map up
 * once, not once a pair (10,000 pairs: ~10 ms instead of ~17).
 */
export function readStructure(doc: Y.Doc): StructureEntry[] {
  const paragraphs = paragraphsMap(doc);
  const entries: StructureEntry[] = [];
  for (const id of readOrder(doc)) {
    const map = paragraphs.get(id);
    if (!(map instanceof Y.Map) || !(map.get('vi') instanceof Y.XmlFragment) || !(map.get('fr') instanceof Y.XmlFragment)) continue;
    const kind = map.get('kind');
    entries.push({ id, kind: isPairKind(kind) ? kind : 'operative' });
  }
  return entries;
}

/** The structure a version fixes: its pairs' ids and kinds, in its order. */
export function structureOf(pairs: ReadonlyArray<{ id: string; kind: string }>): StructureEntry[] {
  return pairs.map((p) => ({ id: p.id, kind: p.kind }));
}

/** The string `structureHash` hashes (the server hashes it with Node's native SHA-256: same input, same hash). */
export function structureHashInput(entries: ReadonlyArray<StructureEntry>): string {
  return JSON.stringify(['accord-structure-v1', entries.map((e) => [e.id, e.kind])]);
}

/** The hash a structure approval is bound to. */
export function structureHash(entries: ReadonlyArray<StructureEntry>): string {
  return sha256Hex(structureHashInput(entries));
}

/**
 * One change of the structure, in ¶ numbers (1-based, as every page numbers
 * the rows): `from` in the approved structure, `to` in the current one.
 */
export type StructureChange =
  | { type: 'removed'; id: string; kind: string; from: number }
  | { type: 'added'; id: string; kind: string; to: number }
  | { type: 'moved'; id: string; kind: string; from: number; to: number }
  | { type: 'kind'; id: string; before: string; after: string; to: number };

/**
 * What changed from one structure to another, in reading order: the pairs
 * deleted (where they stood), then for each pair of the current structure
 * whether it is new, moved (outside the longest common subsequence of the
 * ids both share, so moving one pair names one pair, and the pairs after a
 * deleted one are renumbered, not moved) or of another kind.
 */
export function diffStructure(before: ReadonlyArray<StructureEntry>, after: ReadonlyArray<StructureEntry>): StructureChange[] {
  const beforeAt = new Map(before.map((e, i) => [e.id, i]));
  const afterIds = new Set(after.map((e) => e.id));
  const commonBefore = before.filter((e) => afterIds.has(e.id)).map((e) => e.id);
  const commonAfter = after.filter((e) => beforeAt.has(e.id)).map((e) => e.id);
  const moved = new Set(diffArrays(commonBefore, commonAfter).flatMap((c) => (c.added ? c.value : [])));
  const changes: StructureChange[] = [];
  before.forEach((e, i) => {
    if (!afterIds.has(e.id)) changes.push({ type: 'removed', id: e.id, kind: e.kind, from: i + 1 });
  });
  after.forEach((e, i) => {
    const at = beforeAt.get(e.id);
    if (at === undefined) {
      changes.push({ type: 'added', id: e.id, kind: e.kind, to: i + 1 });
      return;
    }
    if (moved.has(e.id)) changes.push({ type: 'moved', id: e.id, kind: e.kind, from: at + 1, to: i + 1 });
    const was = before[at]!.kind;
    if (was !== e.kind) changes.push({ type: 'kind', id: e.id, before: was, after: e.kind, to: i + 1 });
  });
  return changes;
}

/** The start of a pair's text in both languages, to say which clause a change is about. */
export interface PairSnippet {
  vi: string;
  fr: string;
}

/** One change of the structure, with the start of the pair's text (absent when no text of it is known). */
export type StructureChangeView = StructureChange & { text?: PairSnippet };

/** "What changed since we agreed the structure" (GET /api/documents/:id/structure/approval/:partyId/changes). */
export interface StructureChanges {
  approved: { hash: string; at: string; pairs: number };
  current: { hash: string; pairs: number };
  stale: boolean;
  changes: StructureChangeView[];
}
