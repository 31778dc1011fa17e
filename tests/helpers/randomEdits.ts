import type { Node as PMNode } from 'prosemirror-model';
import { EditorState, type Transaction } from 'prosemirror-state';
import { initProseMirrorDoc, updateYFragment } from 'y-prosemirror';
import * as Y from 'yjs';
import { cellSchema } from '../../shared/editor/schema.ts';
import { LANGS, getPair, insertPair, mergeWithNext, movePair, readOrder, splitPair, type Lang } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';

/**
 * Seeded random edits of a declaration, made the way the page makes them: a
 * ProseMirror transaction on a cell (typing, deleting across paragraphs,
 * bold/italic, Enter, Backspace at a paragraph start), written to the Y.Doc by
 * y-prosemirror's own `updateYFragment` (what its sync plugin runs after each
 * transaction), and the pair operations of shared/model.
 */

/** Text each language's drafters type: tone marks (NFC), French punctuation with U+202F and U+00A0. */
const WORDS: Record<Lang, string[]> = {
  vi: ['Việt Nam', ' hợp tác', ' phát triển bền vững', 'Điều ', ' ưu tiên', ' nghiên cứu', 'đ', 'ộ', 'ữ', 'ẫ', ' Hà Nội', ', '],
  fr: ['«\u202f', '\u202f»', ' coopération', ' développement durable', 'Article\u00a0', '\u202f;', 'É', 'œ', 'à', ' Toulouse', '\u202f:', ', '],
};

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: () => number, n: number): number => Math.floor(random() * n);

/** Positions inside the paragraphs of a cell: [start, end] of each paragraph's content. */
function paragraphRanges(doc: PMNode): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  doc.forEach((node, offset) => ranges.push([offset + 1, offset + 1 + node.content.size]));
  return ranges;
}

/** A random position where text can go. */
function textPosition(random: () => number, doc: PMNode): number {
  const [start, end] = pick(random, paragraphRanges(doc));
  return start + int(random, end - start + 1);
}

/** One random ProseMirror transaction on a cell; what it did, for failure messages. */
function randomTransaction(random: () => number, state: EditorState, lang: Lang): { tr: Transaction; what: string } {
  const tr = state.tr;
  const doc = state.doc;
  if (doc.childCount === 0) {
    // Concurrent deletions can empty a cell; the editor then types into a new paragraph.
    tr.insert(0, cellSchema.nodes.paragraph!.create(null, cellSchema.text(pick(random, WORDS[lang]).trim() || 'x')));
    return { tr, what: 'new paragraph in an empty cell' };
  }
  const roll = random();
  if (roll < 0.4) {
    const pos = textPosition(random, doc);
    const text = pick(random, WORDS[lang]);
    tr.insertText(text, pos);
    if (random() < 0.2) tr.addMark(pos, pos + text.length, pick(random, [cellSchema.marks.strong!, cellSchema.marks.em!]).create());
    return { tr, what: `type ${JSON.stringify(text)} at ${pos}` };
  }
  if (roll < 0.6) {
    // Deleting a selection, possibly across paragraphs (which joins them).
    const a = textPosition(random, doc);
    const b = Math.min(textPosition(random, doc), a + 1 + int(random, 12));
    const [from, to] = a <= b ? [a, b] : [b, a];
    if (from < to) tr.delete(from, to);
    return { tr, what: `delete ${from}-${to}` };
  }
  if (roll < 0.75) {
    const a = textPosition(random, doc);
    const b = textPosition(random, doc);
    const [from, to] = a <= b ? [a, b] : [b, a];
    const mark = pick(random, [cellSchema.marks.strong!, cellSchema.marks.em!]);
    if (random() < 0.6) tr.addMark(from, to, mark.create());
    else tr.removeMark(from, to, mark);
    return { tr, what: `${mark.name} ${from}-${to}` };
  }
  if (roll < 0.88) {
    // Enter: split the paragraph at a position.
    const pos = textPosition(random, doc);
    tr.split(pos);
    return { tr, what: `split at ${pos}` };
  }
  if (doc.childCount > 1) {
    // Backspace at the start of a paragraph: join it with the one before.
    const i = 1 + int(random, doc.childCount - 1);
    let boundary = 0;
    for (let k = 0; k < i; k++) boundary += doc.child(k).nodeSize;
    tr.join(boundary);
    return { tr, what: `join at ${boundary}` };
  }
  const pos = textPosition(random, doc);
  tr.insertText(pick(random, WORDS[lang]), pos);
  return { tr, what: `type at ${pos}` };
}

/** Applies one random ProseMirror edit to one cell of a pair, through y-prosemirror. */
export function editCell(random: () => number, ydoc: Y.Doc, pairId: string, lang: Lang): string {
  const fragment = getPair(ydoc, pairId)?.cell(lang);
  if (!fragment) return 'pair gone';
  const { doc, meta } = initProseMirrorDoc(fragment, cellSchema);
  const state = EditorState.create({ schema: cellSchema, doc });
  const { tr, what } = randomTransaction(random, state, lang);
  if (tr.docChanged) updateYFragment(ydoc, fragment, tr.doc, meta);
  return what;
}

/** A random edit of the declaration: mostly typing in a cell, sometimes a pair operation. */
export function randomEdit(random: () => number, ydoc: Y.Doc): string {
  const order = readOrder(ydoc);
  const roll = random();
  if (order.length === 0 || roll < 0.03) {
    const id = `p${Math.floor(random() * 2 ** 40).toString(36)}`;
    insertPair(ydoc, { id, vi: pick(random, WORDS.vi).trim(), fr: pick(random, WORDS.fr).trim() }, order.length ? pick(random, order) : undefined);
    return `insert pair ${id}`;
  }
  if (roll < 0.05 && order.length > 1) {
    const id = pick(random, order);
    movePair(ydoc, id, int(random, order.length));
    return `move ${id}`;
  }
  if (roll < 0.065) {
    const id = pick(random, order);
    const pair = getPair(ydoc, id)!;
    const at: Partial<Record<Lang, number>> = {};
    for (const lang of LANGS) at[lang] = int(random, cellPlainText(pair.cell(lang)).length + 1);
    splitPair(ydoc, id, at);
    return `split ${id}`;
  }
  if (roll < 0.075 && order.length > 4) {
    const index = int(random, order.length - 1);
    mergeWithNext(ydoc, order[index]!);
    return `merge ${order[index]} with next`;
  }
  const id = pick(random, order);
  const lang = pick(random, LANGS);
  return `${id}/${lang}: ${editCell(random, ydoc, id, lang)}`;
}
