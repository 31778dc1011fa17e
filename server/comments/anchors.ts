import * as Y from 'yjs';
import { decodeAnchorPosition, retypedRange } from '../../shared/anchors.ts';
import type { Anchor } from '../../shared/comments.ts';
import { getPair, type Lang } from '../../shared/model/index.ts';
import { normalizeText } from '../../shared/text.ts';

/** Where an anchor stands in the current document. */
export type AnchorState =
  | { ok: true; text: string; detached: boolean }
  | { ok: false; reason: string };

function xmlTextString(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

/**
 * Resolves a thread's anchor against a document: both ends must lie in the
 * same paragraph of the given pair and language. Text deleted since makes the
 * range collapse: the thread is then detached (its quote is kept), unless the
 * same words were retyped in place (with the thread's `quote`: retypedRange).
 */
export function resolveAnchor(doc: Y.Doc, pairId: string, lang: Lang, anchor: Anchor, quote?: string): AnchorState {
  const pair = getPair(doc, pairId);
  if (!pair) return { ok: false, reason: `no paragraph pair "${pairId}"` };
  const fragment = pair.cell(lang);
  let start: Y.AbsolutePosition | null;
  let end: Y.AbsolutePosition | null;
  let relative: { start: Y.RelativePosition; end: Y.RelativePosition };
  try {
    relative = { start: decodeAnchorPosition(anchor.start), end: decodeAnchorPosition(anchor.end) };
    start = Y.createAbsolutePositionFromRelativePosition(relative.start, doc);
    end = Y.createAbsolutePositionFromRelativePosition(relative.end, doc);
  } catch {
    return { ok: false, reason: 'the anchor is not an encoded Yjs relative position' };
  }
  if (!start || !end) return { ok: false, reason: 'the anchor points to nothing in this document' };
  const inside = (type: Y.XmlText) => type._item !== null && Y.isParentOf(fragment as unknown as Y.AbstractType<unknown>, type._item);
  if (!(start.type instanceof Y.XmlText) || !inside(start.type)) {
    return { ok: false, reason: `the anchor is outside the ${lang} text of pair "${pairId}"` };
  }
  if (start.type !== end.type) return { ok: false, reason: 'the anchor must start and end in the same paragraph' };
  if (start.index > end.index) return { ok: false, reason: 'the anchor ends before it starts' };
  const chars = xmlTextString(start.type);
  const range = retypedRange(doc, relative, chars, { from: start.index, to: end.index }, quote);
  const text = normalizeText(chars.slice(range.from, range.to));
  return { ok: true, text, detached: text.length === 0 };
}
