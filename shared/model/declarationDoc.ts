import * as Y from 'yjs';
import { isCellParagraph } from './cellWalk.ts';
import { ModelError, ModelErrorReason } from '../errors.ts';
import { newId } from '../ids.ts';
import { cellPlainText } from '../text.ts';
import {
  insertParagraphs,
  appendRuns,
  readCell,
  readParagraph,
  runsLength,
  sliceRuns,
  toCellContent,
  truncateParagraph,
} from './cells.ts';
import { LANGS, isPairKind, type CellContent, type CellInput, type Lang, type PairKind, type PairText } from './types.ts';

/**
 * The shape of a declaration inside its Y.Doc (docs/DESIGN.md):
 *   order:      Y.Array<string>            pair ids in reading order
 *   paragraphs: Y.Map<Y.Map>               id -> { kind, vi: Y.XmlFragment, fr: Y.XmlFragment }
 * Moving a pair moves its id in `order`; its content is never recreated.
 * Concurrent moves can leave an id twice in `order`: the first occurrence wins.
 */
export const ORDER_KEY = 'order';
export const PARAGRAPHS_KEY = 'paragraphs';

export function orderArray(doc: Y.Doc): Y.Array<string> {
  return doc.getArray<string>(ORDER_KEY);
}

export function paragraphsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(PARAGRAPHS_KEY);
}

/** A live view of one pair inside the doc. */
export interface PairHandle {
  id: string;
  kind: PairKind;
  map: Y.Map<unknown>;
  cell(lang: Lang): Y.XmlFragment;
}

/** Pair ids in reading order: first occurrence wins, ids without content are skipped. */
export function readOrder(doc: Y.Doc): string[] {
  const paragraphs = paragraphsMap(doc);
  const seen = new Set<string>();
  const ids: string[] = [];
  for (const id of orderArray(doc).toArray()) {
    if (typeof id !== 'string' || seen.has(id) || !paragraphs.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

/** The pair with this id, or undefined when it does not exist (or is malformed). */
export function getPair(doc: Y.Doc, id: string): PairHandle | undefined {
  const map = paragraphsMap(doc).get(id);
  if (!(map instanceof Y.Map)) return undefined;
  const vi = map.get('vi');
  const fr = map.get('fr');
  if (!(vi instanceof Y.XmlFragment) || !(fr instanceof Y.XmlFragment)) return undefined;
  const kind = map.get('kind');
  return {
    id,
    kind: isPairKind(kind) ? kind : 'operative',
    map,
    cell: (lang) => (lang === 'vi' ? vi : fr),
  };
}

/** Like getPair, but throws a ModelError naming the missing id. */
export function requirePair(doc: Y.Doc, id: string): PairHandle {
  const pair = getPair(doc, id);
  if (!pair) throw new ModelError(ModelErrorReason.PairNotFound, `No paragraph pair with id "${id}" in this declaration.`);
  return pair;
}

/** Plain NFC text of both languages of a pair (the shared text identity). */
export function readPairText(doc: Y.Doc, id: string): PairText | undefined {
  const pair = getPair(doc, id);
  if (!pair) return undefined;
  return { id, kind: pair.kind, vi: cellPlainText(pair.cell('vi')), fr: cellPlainText(pair.cell('fr')) };
}

/** Plain text of every pair, in reading order. */
export function readAllPairs(doc: Y.Doc): PairText[] {
  return readOrder(doc).flatMap((id) => readPairText(doc, id) ?? []);
}

export interface NewPair {
  kind?: PairKind;
  vi?: CellInput;
  fr?: CellInput;
  /** Given only by seeding code; interactive code lets the model pick one. */
  id?: string;
}

function rawIndexOf(doc: Y.Doc, id: string): number {
  return orderArray(doc).toArray().indexOf(id);
}

/** Index in the raw order array before which a pair at visible index `index` goes. */
function rawInsertIndex(doc: Y.Doc, visible: string[], index: number): number {
  const before = visible[index];
  return before === undefined ? orderArray(doc).length : rawIndexOf(doc, before);
}

function createPairMap(doc: Y.Doc, id: string, kind: PairKind, vi: CellContent, fr: CellContent): void {
  const map = new Y.Map<unknown>();
  paragraphsMap(doc).set(id, map);
  map.set('kind', kind);
  const cells: Record<Lang, CellContent> = { vi, fr };
  for (const lang of LANGS) {
    const fragment = new Y.XmlFragment();
    map.set(lang, fragment);
    insertParagraphs(fragment, 0, cells[lang]);
  }
}

/**
 * Inserts a new pair after `afterId` (at the start when null, at the end when
 * undefined) and returns its id.
 */
export function insertPair(doc: Y.Doc, pair: NewPair = {}, afterId?: string | null): string {
  const kind = pair.kind ?? 'operative';
  if (!isPairKind(kind)) throw new ModelError(ModelErrorReason.InvalidKind, `Unknown pair kind "${String(kind)}".`);
  const id = pair.id ?? newId('p');
  doc.transact(() => {
    const visible = readOrder(doc);
    let index = visible.length;
    if (afterId === null) index = 0;
    else if (afterId !== undefined) {
      const at = visible.indexOf(afterId);
      if (at < 0) throw new ModelError(ModelErrorReason.PairNotFound, `Cannot insert after "${afterId}": no such pair.`);
      index = at + 1;
    }
    createPairMap(doc, id, kind, toCellContent(pair.vi), toCellContent(pair.fr));
    orderArray(doc).insert(rawInsertIndex(doc, visible, index), [id]);
  });
  return id;
}

function removeFromOrder(doc: Y.Doc, id: string): void {
  const order = orderArray(doc);
  const raw = order.toArray();
  for (let i = raw.length - 1; i >= 0; i--) if (raw[i] === id) order.delete(i, 1);
}

/** Deletes a pair: its id leaves the order and its content is removed. */
export function deletePair(doc: Y.Doc, id: string): void {
  requirePair(doc, id);
  doc.transact(() => {
    removeFromOrder(doc, id);
    paragraphsMap(doc).delete(id);
  });
}

/**
 * Moves a pair to visible index `toIndex` (0-based, counted in the order as it
 * will be after the move). Only the id moves; the text is never recreated, so
 * edits made concurrently to the pair are kept.
 */
export function movePair(doc: Y.Doc, id: string, toIndex: number): void {
  requirePair(doc, id);
  const count = readOrder(doc).length;
  if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= count) {
    throw new ModelError(ModelErrorReason.InvalidIndex, `Cannot move to position ${toIndex}: valid positions are 0 to ${count - 1}.`);
  }
  doc.transact(() => {
    removeFromOrder(doc, id);
    const visible = readOrder(doc);
    orderArray(doc).insert(rawInsertIndex(doc, visible, toIndex), [id]);
  });
}

/** Sets the kind of a pair. */
export function setPairKind(doc: Y.Doc, id: string, kind: PairKind): void {
  const pair = requirePair(doc, id);
  if (!isPairKind(kind)) throw new ModelError(ModelErrorReason.InvalidKind, `Unknown pair kind "${String(kind)}".`);
  pair.map.set('kind', kind);
}

/** Throws unless `offset` is a valid cut in a cell of paragraphs (joined by one "\n"). */
function checkOffset(paragraphs: CellContent, offset: number): void {
  const total = paragraphs.reduce((n, p) => n + runsLength(p), 0) + Math.max(0, paragraphs.length - 1);
  if (!Number.isInteger(offset) || offset < 0 || offset > total) {
    throw new ModelError(ModelErrorReason.InvalidOffset, `Cannot split at ${offset}: the text has ${total} characters.`);
  }
}

/**
 * Cuts a cell at a character offset of its stored text (paragraphs joined by
 * one "\n") and returns the part after the offset, removed from the cell.
 */
function cutCellTail(fragment: Y.XmlFragment, offset: number): CellContent {
  const elements = fragment.toArray().filter(isCellParagraph);
  const paragraphs = elements.map(readParagraph);
  checkOffset(paragraphs, offset);
  let pos = 0;
  for (let i = 0; i < elements.length; i++) {
    const runs = paragraphs[i] ?? [];
    const length = runsLength(runs);
    if (offset <= pos + length) {
      const k = offset - pos;
      const tail: CellContent = [sliceRuns(runs, k), ...paragraphs.slice(i + 1)];
      // Remove the following paragraphs, then the tail of this one (or all of it
      // when the cut is at its very start and something precedes it).
      fragment.delete(i + 1, elements.length - i - 1);
      if (k === 0 && i > 0) fragment.delete(i, 1);
      else truncateParagraph(elements[i]!, k);
      return tail;
    }
    pos += length + 1;
  }
  return [[]];
}

/**
 * Splits a pair in two: in each language the text after the given offset
 * moves to a new pair inserted right after (a language without an offset stays
 * whole in the first pair). Returns the new pair's id.
 */
export function splitPair(doc: Y.Doc, id: string, at: Partial<Record<Lang, number>>): string {
  const pair = requirePair(doc, id);
  // Check every offset first, so that a bad one leaves the other language uncut.
  for (const lang of LANGS) {
    const offset = at[lang];
    if (offset !== undefined) checkOffset(readCell(pair.cell(lang)), offset);
  }
  const newPairId = newId('p');
  doc.transact(() => {
    const tails: Record<Lang, CellContent> = { vi: [[]], fr: [[]] };
    for (const lang of LANGS) {
      const offset = at[lang];
      if (offset !== undefined) tails[lang] = cutCellTail(pair.cell(lang), offset);
    }
    const visible = readOrder(doc);
    createPairMap(doc, newPairId, pair.kind, tails.vi, tails.fr);
    orderArray(doc).insert(rawInsertIndex(doc, visible, visible.indexOf(id) + 1), [newPairId]);
  });
  return newPairId;
}

function isBlankCell(content: CellContent): boolean {
  return content.every((p) => runsLength(p) === 0);
}

/** Appends a cell's content to another: the first paragraph joins the last one. */
function appendCell(target: Y.XmlFragment, content: CellContent): void {
  if (isBlankCell(content)) return;
  const existing = readCell(target);
  if (isBlankCell(existing)) {
    // Fill the first (empty) paragraph rather than recreate it, so that text typed
    // into it concurrently is kept; the other empty paragraphs go.
    const first = target.length > 0 ? target.get(0) : undefined;
    if (!(first instanceof Y.XmlElement)) {
      target.delete(0, target.length);
      insertParagraphs(target, 0, content);
      return;
    }
    target.delete(1, target.length - 1);
    appendRuns(first, content[0] ?? []);
    insertParagraphs(target, 1, content.slice(1));
    return;
  }
  const last = target.get(target.length - 1);
  const [first = [], ...rest] = content;
  if (last instanceof Y.XmlElement) {
    const lastText = readParagraph(last).map((r) => r.text).join('');
    const firstText = first.map((r) => r.text).join('');
    // Joining "…end" and "start…" needs a space unless one side already has one.
    const needsSpace = lastText.length > 0 && firstText.length > 0 && !/\s$/.test(lastText) && !/^\s/.test(firstText);
    appendRuns(last, needsSpace ? [{ text: ' ' }, ...first] : first);
  } else {
    insertParagraphs(target, target.length, [first]);
  }
  insertParagraphs(target, target.length, rest);
}

/** Merges the pair after `id` into it, language by language, and deletes that pair. */
export function mergeWithNext(doc: Y.Doc, id: string): void {
  const pair = requirePair(doc, id);
  const visible = readOrder(doc);
  const nextId = visible[visible.indexOf(id) + 1];
  if (nextId === undefined) throw new ModelError(ModelErrorReason.NoNextPair, `Pair "${id}" is the last one: there is nothing to merge into it.`);
  const next = requirePair(doc, nextId);
  doc.transact(() => {
    for (const lang of LANGS) appendCell(pair.cell(lang), readCell(next.cell(lang)));
    removeFromOrder(doc, nextId);
    paragraphsMap(doc).delete(nextId);
  });
}

/** What it takes to bring a deleted pair back: its id, kind, both cells, and where it stood. */
export interface DeletedPair {
  id: string;
  kind: PairKind;
  vi: CellContent;
  fr: CellContent;
  /** The pair it followed (null: it was the first). */
  afterId: string | null;
  /** Its 0-based place in the reading order when it was deleted. */
  index: number;
}

/** Reads a pair as it is before being deleted (see restorePair). */
export function capturePair(doc: Y.Doc, id: string): DeletedPair | undefined {
  const pair = getPair(doc, id);
  if (!pair) return undefined;
  const visible = readOrder(doc);
  const index = visible.indexOf(id);
  return { id, kind: pair.kind, vi: readCell(pair.cell('vi')), fr: readCell(pair.cell('fr')), afterId: index > 0 ? visible[index - 1]! : null, index: Math.max(0, index) };
}

/**
 * Brings a deleted pair back under its own id (so its comment threads, kept by
 * the server per pair id, are its own again): after the pair it followed if
 * that one is still there, else at its old place (or the end). One ordinary
 * Yjs edit, like insertPair. Returns false (and changes nothing) when a pair
 * with that id is there already.
 */
export function restorePair(doc: Y.Doc, pair: DeletedPair): boolean {
  if (!isPairKind(pair.kind)) throw new ModelError(ModelErrorReason.InvalidKind, `Unknown pair kind "${String(pair.kind)}".`);
  if (getPair(doc, pair.id)) return false;
  doc.transact(() => {
    const visible = readOrder(doc);
    const after = pair.afterId === null ? -1 : visible.indexOf(pair.afterId);
    const index = pair.afterId === null ? 0 : after >= 0 ? after + 1 : Math.min(pair.index, visible.length);
    removeFromOrder(doc, pair.id);
    const cell = (content: CellContent): CellContent => (content.length > 0 ? content : [[]]);
    createPairMap(doc, pair.id, pair.kind, cell(pair.vi), cell(pair.fr));
    orderArray(doc).insert(rawInsertIndex(doc, readOrder(doc), index), [pair.id]);
  });
  return true;
}
