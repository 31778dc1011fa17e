import * as Y from 'yjs';
import { MARK_NAMES } from '../editor/schema.ts';

/**
 * The one walk of a cell's Y.XmlFragment. What a page shows of a cell (the
 * editor, through y-prosemirror, and the static cell without an editor), what
 * the server hashes and versions (canonicalText.ts), the plain text identity
 * (text.ts) and the model's reading of a cell (cells.ts) are all read through
 * it, so none can count text another skips: a clause hidden beside the
 * paragraphs was hashed and signed while no screen showed it (issue 19).
 *
 * What counts is what the editor shows. y-prosemirror builds the editor's
 * document from the fragment and drops (and deletes from the shared doc, when
 * it may write) what the schema cannot hold; this walk follows its rules
 * without changing anything:
 * - of the fragment's children, only `paragraph` elements are paragraphs
 *   (a bare text node there makes the editor throw; other elements it drops);
 * - a paragraph holding an element the schema can build (a paragraph in a
 *   paragraph) cannot be built: the editor drops the whole paragraph;
 * - of a paragraph's other children only Y.XmlText counts (elements the
 *   schema cannot build are dropped; values or maps make the editor throw);
 * - a text node with a string under a formatting the schema has no mark for
 *   cannot be built: the editor drops that text node; one holding anything
 *   but strings (an embed) leaves the whole paragraph empty on the screen;
 * - of the formatting, only the schema's marks count.
 * The server refuses all such structure when it arrives
 * (shared/model/structure.ts) and reports a stored one at load; this walk is
 * what holds if one is there anyway, so that none of it is hashed unseen.
 * (A `doc` element among the paragraphs, holding paragraphs, is one shape
 * the editor shows and the walk does not: it is refused and reported the same.)
 *
 * Read from the Yjs items themselves, not toDelta(): the server reads a pair
 * after every turn someone typed in it, and the delta's attribute objects
 * cost more than the reading.
 */

/** A mark of the schema as a bit (bit i = MARK_NAMES[i]). */
export const MARK_BITS: ReadonlyMap<string, number> = new Map(MARK_NAMES.map((name, i) => [name, 1 << i]));

/** A run as the walk reads it: its text as typed (not yet NFC, never empty) and its marks as bits. */
export interface WalkedRun {
  text: string;
  bits: number;
}

/** The runs of one paragraph (none when it is empty). */
export type WalkedParagraph = WalkedRun[];

/** Whether a child of a cell's fragment is one of its paragraphs (the only children a page shows). */
export function isCellParagraph(node: unknown): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === 'paragraph';
}

/**
 * Which items the walk reads: the live ones. The server reads a pair being
 * deleted (server/history/deletedPairs.ts) with the items its transaction
 * deleted counted as live, before Yjs drops their content.
 */
export type ItemAlive = (item: Y.Item) => boolean;
const isAlive: ItemAlive = (item) => !item.deleted;

/** The shared type an item holds, if it is a live one. */
function liveType(item: Y.Item, alive: ItemAlive): Y.AbstractType<Y.YEvent<Y.AbstractType<unknown>>> | undefined {
  return alive(item) && item.content instanceof Y.ContentType ? item.content.type : undefined;
}

/**
 * The runs of one Y.XmlText, appended to `runs`; 'dropped' (and `runs` as it
 * was) when the editor cannot build it, 'empties' when it holds an embed. A
 * formatting item switches a mark on (a value: `{}` from y-prosemirror) or
 * off (null) for what follows, as in toDelta(); adjacent strings under the
 * same marks make one run.
 */
function walkText(text: Y.Text, runs: WalkedRun[], alive: ItemAlive): 'read' | 'dropped' | 'empties' {
  const before = runs.length;
  let bits = 0;
  /** Formatting of names the schema has no mark for, switched on. */
  let unknown: Set<string> | undefined;
  let pending = '';
  let pendingBits = 0;
  for (let item = text._start; item !== null; item = item.right) {
    if (!alive(item)) continue;
    const content = item.content;
    if (content instanceof Y.ContentString) {
      if (unknown !== undefined && unknown.size > 0) {
        runs.length = before;
        return 'dropped';
      }
      if (pending && pendingBits !== bits) {
        runs.push({ text: pending, bits: pendingBits });
        pending = '';
      }
      pending += content.str;
      pendingBits = bits;
    } else if (content instanceof Y.ContentFormat) {
      const on = content.value !== null && content.value !== undefined;
      const bit = MARK_BITS.get(content.key);
      if (bit !== undefined) bits = on ? bits | bit : bits & ~bit;
      else if (on) (unknown ??= new Set()).add(content.key);
      else unknown?.delete(content.key);
    } else {
      runs.length = before; // an embed: no text node of the schema holds one
      return 'empties';
    }
  }
  if (pending) runs.push({ text: pending, bits: pendingBits });
  return 'read';
}

/** Whether the schema can build an element (so that it cannot stand inside a paragraph, which holds text only). */
function buildsBlock(element: Y.XmlElement, alive: ItemAlive): boolean {
  if (element.nodeName === 'paragraph') return walkParagraph(element, alive) !== undefined;
  if (element.nodeName !== 'doc') return false;
  let paragraphs = 0;
  for (let item = element._start; item !== null; item = item.right) {
    const type = liveType(item, alive);
    if (!(type instanceof Y.XmlElement) || !buildsBlock(type, alive)) continue;
    if (type.nodeName !== 'paragraph') return false;
    paragraphs++;
  }
  return paragraphs > 0;
}

/**
 * The runs of one paragraph element: those of its text nodes, in order (two
 * pages typing into one empty paragraph make two); undefined when the editor
 * could not build it.
 */
export function walkParagraph(paragraph: Y.XmlElement, alive: ItemAlive = isAlive): WalkedParagraph | undefined {
  const runs: WalkedRun[] = [];
  for (let item = paragraph._start; item !== null; item = item.right) {
    const type = liveType(item, alive);
    // Y.Text too (Y.XmlText is one): y-prosemirror shows any text type in a paragraph.
    if (type instanceof Y.Text) {
      if (walkText(type, runs, alive) === 'empties') return [];
    } else if (type instanceof Y.XmlElement && buildsBlock(type, alive)) return undefined;
  }
  return runs;
}

/** The paragraphs of a cell, as a page shows them (none for an empty fragment). */
export function walkCell(fragment: Y.XmlFragment, alive: ItemAlive = isAlive): WalkedParagraph[] {
  const paragraphs: WalkedParagraph[] = [];
  for (let item = fragment._start; item !== null; item = item.right) {
    const type = liveType(item, alive);
    const paragraph = isCellParagraph(type) ? walkParagraph(type, alive) : undefined;
    if (paragraph) paragraphs.push(paragraph);
  }
  return paragraphs;
}

/** A paragraph's text: its runs' text joined. */
export function paragraphString(paragraph: WalkedParagraph): string {
  let out = '';
  for (const run of paragraph) out += run.text;
  return out;
}
