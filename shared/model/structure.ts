import * as Y from 'yjs';
import { MARK_NAMES } from '../editor/schema.ts';
import { ID_PATTERN } from '../limits.ts';
import { ORDER_KEY, PARAGRAPHS_KEY } from './declarationDoc.ts';
import { isPairKind, LANGS } from './types.ts';

/**
 * Any shared type of a doc. Yjs types its shared types by the event they emit, and code that walks
 * whatever type it meets has none to name; with `unknown` no concrete type would be assignable to it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyYType = Y.AbstractType<any>;

/**
 * The tree of a declaration's Y.Doc, as a table of places: which shared type
 * may hold what, at which key. Nothing else may exist in the doc, because the
 * text that is hashed, signed and exported must be the text every page shows:
 *
 *   order       (root Y.Array)     ids of pairs (ContentAny of id strings)
 *   paragraphs  (root Y.Map)       pair id -> pair (Y.Map)
 *   pair        (Y.Map)            'kind' -> one pair kind; 'vi' | 'fr' -> cell (Y.XmlFragment)
 *   cell        (Y.XmlFragment)    paragraph elements (Y.XmlElement 'paragraph'), no keys
 *   paragraph   (Y.XmlElement)     text nodes (Y.XmlText), no attributes
 *   text        (Y.XmlText)        characters and the schema's marks, no attributes
 *
 * A deleted item (ContentDeleted) may stand at any place a live one may.
 * Both the server's check of every update and its report of a stored
 * document read this one table.
 */
export const ROLES = ['order', 'paragraphs', 'pair', 'cell', 'paragraph', 'text'] as const;
export type StructureRole = (typeof ROLES)[number];

/** Where an item sits: the role of the type it is in, and its key there (maps), or null (lists). */
export interface Place {
  role: StructureRole;
  key: string | null;
}

/** Roles of the root types, by name. */
export const ROOT_ROLES: ReadonlyMap<string, StructureRole> = new Map<string, StructureRole>([
  [ORDER_KEY, 'order'],
  [PARAGRAPHS_KEY, 'paragraphs'],
]);

const MARKS = new Set<string>(MARK_NAMES);
const CELL_KEYS = new Set<string>(LANGS);

/** The outcome of placing some content at a place: the role of the type it holds (null: not a type), or why not. */
export type Admission = { role: StructureRole | null } | { refused: string };

const NO_TYPE: Admission = { role: null };
const refused = (why: string): Admission => ({ refused: why });

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** The exact class of a shared type (a Y.XmlElement is also a Y.XmlFragment, a Y.XmlHook also a Y.Map). */
function typeClass(type: AnyYType): string {
  if (type.constructor === Y.Map) return 'map';
  if (type.constructor === Y.XmlFragment) return 'fragment';
  if (type.constructor === Y.XmlElement) return `element:${(type as Y.XmlElement).nodeName}`;
  if (type.constructor === Y.XmlText) return 'text';
  return 'other';
}

/** A short, printable name for content in a refusal message. */
function describe(content: Y.Item['content']): string {
  if (content instanceof Y.ContentType) {
    const kind = typeClass(content.type);
    if (kind.startsWith('element:')) return `an element "${kind.slice('element:'.length, 48)}"`;
    return { map: 'a map', fragment: 'a fragment', text: 'a text node' }[kind] ?? `a ${content.type.constructor.name.slice(0, 40)}`;
  }
  if (content instanceof Y.ContentString) return 'text';
  if (content instanceof Y.ContentFormat) return `mark "${content.key.slice(0, 40)}"`;
  if (content instanceof Y.ContentAny) return 'a value';
  return content.constructor.name;
}

/**
 * What `content` is when it stands at `place`: the role of the shared type it
 * holds (a pair, a cell, …), null for content without a type (text, ids, a
 * kind, a mark), or the reason it may not stand there.
 */
export function admit(place: Place, content: Y.Item['content']): Admission {
  const { role, key } = place;
  // Keys first, for deleted content too: a map's keys are its shape.
  if (role === 'paragraphs') {
    if (key === null || !ID_PATTERN.test(key)) return refused('the paragraphs map holds pairs under pair ids only');
  } else if (role === 'pair') {
    if (key === null || (key !== 'kind' && !CELL_KEYS.has(key))) return refused(`a pair holds only "kind", "vi" and "fr"${key === null ? '' : `, not "${key.slice(0, 40)}"`}`);
  } else if (key !== null) {
    return refused(`${role === 'order' ? 'the order' : `a ${role}`} has no keys ("${key.slice(0, 40)}")`);
  }
  if (content instanceof Y.ContentDeleted) return NO_TYPE;
  switch (role) {
    case 'order':
      if (content instanceof Y.ContentAny && content.arr.every((value) => typeof value === 'string' && ID_PATTERN.test(value))) return NO_TYPE;
      return refused(`the order holds pair ids only, not ${describe(content)}`);
    case 'paragraphs':
      if (content instanceof Y.ContentType && typeClass(content.type) === 'map') return { role: 'pair' };
      return refused(`the paragraphs map holds pairs only, not ${describe(content)}`);
    case 'pair':
      if (key === 'kind') {
        if (content instanceof Y.ContentAny && content.arr.length === 1 && isPairKind(content.arr[0])) return NO_TYPE;
        return refused('a pair kind is one of title, preamble, operative, closing');
      }
      if (content instanceof Y.ContentType && typeClass(content.type) === 'fragment') return { role: 'cell' };
      return refused(`a pair's "${key}" is a cell, not ${describe(content)}`);
    case 'cell':
      if (content instanceof Y.ContentType && typeClass(content.type) === 'element:paragraph') return { role: 'paragraph' };
      return refused(`a cell holds paragraphs only, not ${describe(content)}`);
    case 'paragraph':
      if (content instanceof Y.ContentType && typeClass(content.type) === 'text') return { role: 'text' };
      return refused(`a paragraph holds text only, not ${describe(content)}`);
    case 'text':
      if (content instanceof Y.ContentString) return NO_TYPE;
      if (content instanceof Y.ContentFormat) {
        if (!MARKS.has(content.key)) return refused(`formatting "${content.key.slice(0, 40)}" is not a mark of the schema`);
        if (content.value !== null && !isEmptyObject(content.value)) return refused(`mark "${content.key}" carries attributes`);
        return NO_TYPE;
      }
      return refused(`text holds characters and marks only, not ${describe(content)}`);
  }
}

/** The deepest a type of the declaration's tree can sit (a text node: root, pair, cell, paragraph, text). */
const MAX_DEPTH = 5;

/** Roles of a doc's shared types, worked out once per type (a type never moves). */
const roleCache = new WeakMap<AnyYType, StructureRole | 'foreign'>();

/**
 * The role of an integrated shared type of a declaration's doc, or 'foreign'
 * when it stands outside the tree (only in a doc stored before every update
 * was checked). Walks up at most MAX_DEPTH levels, so a deep chain costs no more.
 */
export function roleOfType(doc: Y.Doc, type: AnyYType): StructureRole | 'foreign' {
  const cached = roleCache.get(type);
  if (cached) return cached;
  // The chain up to a known type or a root, then back down.
  const chain: AnyYType[] = [];
  let top: AnyYType | null = type;
  let role: StructureRole | 'foreign' | undefined;
  while (top && !(role = roleCache.get(top))) {
    chain.push(top);
    if (top._item === null) break;
    if (chain.length > MAX_DEPTH) {
      role = 'foreign';
      break;
    }
    top = top._item.parent as AnyYType | null;
  }
  if (role === undefined) {
    const root = chain.pop()!;
    const name = root._item === null ? rootName(doc, root) : undefined;
    role = (name !== undefined && ROOT_ROLES.get(name)) || 'foreign';
    roleCache.set(root, role);
  }
  while (chain.length > 0) {
    const child = chain.pop()!;
    const item = child._item!;
    if (role !== 'foreign') {
      const admitted = admit({ role, key: item.parentSub }, item.content);
      role = 'role' in admitted && admitted.role ? admitted.role : 'foreign';
    }
    roleCache.set(child, role);
  }
  return role;
}

function rootName(doc: Y.Doc, type: AnyYType): string | undefined {
  for (const name of ROOT_ROLES.keys()) if (doc.share.get(name) === type) return name;
  return undefined;
}

/** One piece of live content outside the tree, as `accord doctor` and the load report list it. */
export interface ForeignStructure {
  /** Where it is: the path of keys and child positions from the root. */
  path: string;
  reason: string;
}

/**
 * Every live item of a doc that stands outside the declaration's tree (see
 * admit), at most `limit` of them. Foreign types are reported, not entered,
 * so the walk never goes deeper than the tree. `budget` bounds the items
 * looked at in one call (the walk can be resumed: see walkForeignStructure).
 */
export function findForeignStructure(doc: Y.Doc, limit = 20): ForeignStructure[] {
  const found: ForeignStructure[] = [];
  for (const _ of walkForeignStructure(doc, found, limit, Number.MAX_SAFE_INTEGER));
  return found;
}

/**
 * findForeignStructure in steps: yields after every `stepItems` items, so a
 * large document's report can leave the event loop in between. Fills `found`.
 */
export function* walkForeignStructure(doc: Y.Doc, found: ForeignStructure[], limit: number, stepItems: number): Generator<void> {
  const stack: Array<{ type: AnyYType; role: StructureRole; path: string }> = [];
  for (const [name, type] of doc.share) {
    const role = ROOT_ROLES.get(name);
    if (role) stack.push({ type, role, path: name });
    else if (hasLiveItems(type)) found.push({ path: name.slice(0, 60), reason: `a top-level type "${name.slice(0, 40)}" that is not part of a declaration` });
  }
  let seen = 0;
  while (stack.length > 0 && found.length < limit) {
    const { type, role, path } = stack.pop()!;
    let index = 0;
    const visit = (item: Y.Item, where: string) => {
      if (item.deleted) return;
      const admitted = admit({ role, key: item.parentSub }, item.content);
      if ('refused' in admitted) found.push({ path: where, reason: admitted.refused });
      else if (admitted.role && item.content instanceof Y.ContentType) stack.push({ type: item.content.type, role: admitted.role, path: where });
    };
    for (let item = type._start; item !== null && found.length < limit; item = item.right) {
      if (!item.deleted && item.countable) {
        visit(item, `${path}[${index}]`);
        index += item.length;
      } else visit(item, `${path}[${index}]`);
      if (++seen % stepItems === 0) yield;
    }
    for (const [key, item] of type._map) {
      if (found.length >= limit) break;
      visit(item, `${path}.${key.slice(0, 40)}`);
      if (++seen % stepItems === 0) yield;
    }
  }
}

function hasLiveItems(type: AnyYType): boolean {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
  for (const item of type._map.values()) if (!item.deleted) return true;
  return false;
}
