import * as Y from 'yjs';
import type { Node as PmNode } from 'prosemirror-model';
import { TextSelection, type EditorState } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { anchorOfRange, decodeAnchorPosition, retypedRange } from '../../../../shared/anchors.ts';
import type { Anchor } from '../../../../shared/comments.ts';
import { paragraphXmlText } from '../../../../shared/model/index.ts';

/**
 * Comment anchors on this page: from a ProseMirror selection to Yjs relative
 * positions (when a thread is opened), and back from the relative positions to
 * a range of the live text (every time the text changes), so a highlight
 * follows everyone's edits exactly as the server sees them.
 */

/** Where a thread's words are now in one cell. */
export type CellRange =
  /** The words exist: characters [from, to) of the paragraph's text. */
  | { state: 'live'; text: Y.XmlText; paragraph: number; from: number; to: number }
  /** The words were deleted (or the anchor no longer lies in this cell). */
  | { state: 'detached' }
  /** This page does not have the anchored text yet (not synced): ask the server. */
  | { state: 'unknown' };

const decoded = new Map<string, Y.RelativePosition>();

/** Decodes (once) an encoded relative position; undefined if it is not one. */
function decode(encoded: string): Y.RelativePosition | undefined {
  let position = decoded.get(encoded);
  if (!position) {
    try {
      position = decodeAnchorPosition(encoded);
    } catch {
      return undefined;
    }
    if (decoded.size > 5000) decoded.clear();
    decoded.set(encoded, position);
  }
  return position;
}

/** The characters of a Y.XmlText (toString() would add formatting tags). */
export function xmlTextString(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

/** True when `type` lies, not deleted, inside `fragment`. */
function livesIn(type: Y.AbstractType<unknown>, fragment: Y.XmlFragment): boolean {
  let current: Y.AbstractType<unknown> | null = type;
  while (current && current !== (fragment as unknown as Y.AbstractType<unknown>)) {
    const item: Y.Item | null = current._item;
    if (!item || item.deleted) return false;
    current = item.parent as Y.AbstractType<unknown> | null;
  }
  return current !== null;
}

/**
 * Resolves an anchor against the live Y.Doc, in the cell (`fragment`) it belongs to.
 * With the thread's quote, words retyped in place keep their thread (shared/anchors.ts: retypedRange).
 */
export function resolveRange(doc: Y.Doc, fragment: Y.XmlFragment, anchor: Anchor, quote?: string): CellRange {
  const startRel = decode(anchor.start);
  const endRel = decode(anchor.end);
  if (!startRel || !endRel) return { state: 'detached' };
  const start = Y.createAbsolutePositionFromRelativePosition(startRel, doc);
  const end = Y.createAbsolutePositionFromRelativePosition(endRel, doc);
  if (!start || !end) return { state: 'unknown' };
  const type = start.type;
  if (!(type instanceof Y.XmlText) || end.type !== type) return { state: 'detached' };
  if (!livesIn(type as unknown as Y.AbstractType<unknown>, fragment)) return { state: 'detached' };
  const element = type.parent;
  const paragraph = element ? fragment.toArray().indexOf(element as Y.XmlElement) : -1;
  if (paragraph < 0) return { state: 'detached' };
  const { from, to } = retypedRange(doc, { start: startRel, end: endRel }, xmlTextString(type), { from: start.index, to: end.index }, quote);
  if (from >= to) return { state: 'detached' };
  return { state: 'live', text: type, paragraph, from, to };
}

/** The text an anchor covers now ('' when detached or unknown). */
export function anchoredText(doc: Y.Doc, fragment: Y.XmlFragment, anchor: Anchor): string {
  const range = resolveRange(doc, fragment, anchor);
  return range.state === 'live' ? xmlTextString(range.text).slice(range.from, range.to) : '';
}

/**
 * The ProseMirror positions of a live range in an editor's document, or null
 * when that document does not (yet) show the same paragraph (y-prosemirror
 * brings it in line right after).
 */
export function toEditorRange(pmDoc: PmNode, range: Extract<CellRange, { state: 'live' }>): { from: number; to: number } | null {
  if (range.paragraph >= pmDoc.childCount) return null;
  let start = 0;
  for (let i = 0; i < range.paragraph; i++) start += pmDoc.child(i).nodeSize;
  const paragraph = pmDoc.child(range.paragraph);
  if (range.to > paragraph.content.size) return null;
  return { from: start + 1 + range.from, to: start + 1 + range.to };
}

export type SelectionAnchor =
  | { ok: true; anchor: Anchor; quote: string }
  | { ok: false; reason: 'empty' | 'paragraphs' | 'unsynced' };

/**
 * The anchor of the selected words of an editor, trimmed of surrounding
 * spaces. A thread lies in one paragraph: a selection across paragraphs is refused.
 */
export function anchorFromSelection(state: EditorState, fragment: Y.XmlFragment): SelectionAnchor {
  const { $from, $to, empty } = state.selection;
  if (empty) return { ok: false, reason: 'empty' };
  if (!$from.sameParent($to) || !$from.parent.isTextblock) return { ok: false, reason: 'paragraphs' };
  const element = fragment.get($from.index(0));
  const text = element instanceof Y.XmlElement ? paragraphXmlText(element) : undefined;
  if (!text) return { ok: false, reason: 'unsynced' };
  const whole = xmlTextString(text);
  // The editor and the Y.Doc must agree on this paragraph (they do, except mid-sync).
  if (whole !== $from.parent.textContent) return { ok: false, reason: 'unsynced' };
  let from = $from.parentOffset;
  let to = $to.parentOffset;
  while (from < to && /\s/u.test(whole[from] ?? '')) from++;
  while (to > from && /\s/u.test(whole[to - 1] ?? '')) to--;
  if (from >= to) return { ok: false, reason: 'empty' };
  return { ok: true, anchor: anchorOfRange(text, from, to), quote: whole.slice(from, to) };
}

/**
 * Brings the editor's selection in line with the browser's. ProseMirror reads
 * `selectionchange` events, which arrive after the keys that extend a
 * selection: a shortcut pressed right after Shift+→ would otherwise see the
 * selection as it was one key earlier.
 */
export function syncSelectionFromDom(view: EditorView): void {
  const selection = (view.root as Document).getSelection?.();
  if (!selection || !selection.anchorNode || !selection.focusNode) return;
  if (!view.dom.contains(selection.anchorNode) || !view.dom.contains(selection.focusNode)) return;
  let anchor: number;
  let head: number;
  try {
    anchor = view.posAtDOM(selection.anchorNode, selection.anchorOffset);
    head = view.posAtDOM(selection.focusNode, selection.focusOffset);
  } catch {
    return; // inside a widget (a remote cursor): keep ProseMirror's own reading
  }
  const current = view.state.selection;
  if (current.anchor === anchor && current.head === head) return;
  const max = view.state.doc.content.size;
  if (anchor < 0 || head < 0 || anchor > max || head > max) return;
  view.dispatch(view.state.tr.setSelection(TextSelection.between(view.state.doc.resolve(anchor), view.state.doc.resolve(head))));
}
