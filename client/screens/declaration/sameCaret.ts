import * as Y from 'yjs';
import { Plugin, TextSelection, type EditorState, type Transaction } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from 'y-prosemirror';

/**
 * Two people typing at one caret: each person's letters stay together, as in
 * Google Docs (issue 21: "alpha beta" and "gamma delta" had become
 * " gaalmpmhaa  dbeetlata"). Yjs ties each inserted letter to its left
 * neighbour, so a person's next letter follows her previous one as long as
 * (1) it goes into the Y.Doc where her caret is, and (2) her caret stays after
 * her own last letter when the other's text lands exactly there. y-prosemirror
 * 1.3.7 does neither on its own:
 *
 * 1. It turns a keystroke into a Yjs insertion by comparing the cell's text
 *    before and after (lib0's simpleDiff), which puts an insertion next to an
 *    equal character at the rightmost place that gives the same text: a space
 *    typed before the other's space, or an "a" before their "a", lands after
 *    their letter. `typedWhereTheCaretIsPlugin` inserts such a keystroke into
 *    the Y.Doc at the caret itself, before y-prosemirror compares (its
 *    comparison then finds nothing left to do).
 * 2. It keeps the caret across a remote change as a position tied to the
 *    character on its right, or to the end of the text; at the end of a cell,
 *    the other's letter landing there pushed her caret past it.
 *    `keepCaretPlugin` keeps the collapsed caret of the focused cell tied to
 *    the character on its left instead (assoc −1): the other's text goes after
 *    it. A range selection, an unfocused cell and undo/redo (whose caret the
 *    undo history restores) keep y-prosemirror's behaviour.
 */

interface SyncMeta {
  isChangeOrigin?: boolean;
  isUndoRedoOperation?: boolean;
}

type Mapping = Map<Y.AbstractType<unknown>, unknown>;

interface SyncState {
  binding?: { mapping: Mapping; mux: (run: () => void) => void } | null;
  addToHistory?: boolean;
  isChangeOrigin?: boolean;
}

const syncState = (state: EditorState): SyncState | undefined => ySyncPluginKey.getState(state) as SyncState | undefined;

/** A ProseMirror position of a cell as a place in a Y.XmlText (before the change being made), or null. */
function textPlace(fragment: Y.XmlFragment, pos: number, mapping: Mapping): { text: Y.XmlText; index: number } | null {
  const doc = fragment.doc;
  if (!doc) return null;
  const relative = absolutePositionToRelativePosition(pos, fragment, mapping as never) as Y.RelativePosition;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  if (!absolute || !(absolute.type instanceof Y.XmlText)) return null;
  return { text: absolute.type, index: absolute.index };
}

/** The caret at `pos` as a relative position tied to the character on its left, or null. */
export function leftAnchoredCaret(fragment: Y.XmlFragment, pos: number, mapping: Mapping): Y.RelativePosition | null {
  const doc = fragment.doc;
  if (!doc) return null;
  const relative = absolutePositionToRelativePosition(pos, fragment, mapping as never) as Y.RelativePosition;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
  if (!absolute) return null;
  return Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, -1);
}

/**
 * Where a change from `before` to `after` is an insertion of plain text that
 * could have been made at several places giving the same text (next to equal
 * characters), the place the caret says: [position in `before`, text].
 * Null when the change is anything else, or has only one place.
 */
export function ambiguousInsertion(before: EditorState, after: EditorState): { pos: number; text: string } | null {
  const a = before.doc.content;
  const b = after.doc.content;
  const length = b.size - a.size;
  if (length <= 0) return null;
  const start = a.findDiffStart(b);
  const end = a.findDiffEnd(b);
  if (start === null || start === undefined || !end) return null;
  // Only a pure insertion whose possible places overlap: any of [end.a, start] gives the same document.
  if (end.b - end.a !== length || end.a >= start) return null;
  const pos = after.selection.head - length;
  if (!after.selection.empty || pos < end.a || pos >= start) return null;
  const $from = after.doc.resolve(pos);
  const $to = after.doc.resolve(pos + length);
  if (!$from.sameParent($to) || !$from.parent.inlineContent) return null;
  const text = after.doc.textBetween(pos, pos + length);
  if (text.length !== length) return null;
  return { pos, text };
}

/** The plain text of a Y.XmlText. */
function plainText(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert?: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

/**
 * Inserts an ambiguous keystroke into the Y.Doc at the caret (see 1. above).
 * Must come before ySyncPlugin: plugin views update in order, and this one
 * works on the Y.Doc as it was before the change.
 */
export function typedWhereTheCaretIsPlugin(fragment: Y.XmlFragment): Plugin {
  return new Plugin({
    view: () => ({
      update(view: EditorView, previous: EditorState) {
        const sync = syncState(view.state);
        const binding = sync?.binding;
        // Not the shared text being shown (a remote change, the first render): only the person's own edits.
        if (!binding || sync.isChangeOrigin || view.state.doc === previous.doc) return;
        const insertion = ambiguousInsertion(previous, view.state);
        if (!insertion) return;
        const place = textPlace(fragment, insertion.pos, binding.mapping);
        if (!place) return;
        // Only when the cell's text in the Y.Doc is the one shown before the change, with the insertion where expected.
        const shown = view.state.doc.resolve(insertion.pos).parent.textContent;
        const stored = plainText(place.text);
        if (stored.slice(0, place.index) + insertion.text + stored.slice(place.index) !== shown) return;
        binding.mux(() => {
          fragment.doc?.transact((tr) => {
            tr.meta.set('addToHistory', sync.addToHistory !== false);
            // Without attributes: the formatting at the caret; y-prosemirror then sets the marks the editor shows.
            place.text.insert(place.index, insertion.text);
          }, ySyncPluginKey);
        });
      },
    }),
  });
}

function remoteChange(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as SyncMeta | undefined;
  return meta?.isChangeOrigin === true && meta.isUndoRedoOperation !== true;
}

/** Keeps the focused cell's caret after the person's own last letter across remote changes (see 2. above). */
export function keepCaretPlugin(fragment: Y.XmlFragment): Plugin {
  /** The caret taken before the Yjs transaction under way, if it was collapsed in the focused cell. */
  let kept: Y.RelativePosition | null = null;
  let view: EditorView | null = null;

  const beforeAll = (): void => {
    kept = null;
    if (!view || view.isDestroyed || !view.hasFocus()) return;
    const { selection } = view.state;
    if (!(selection instanceof TextSelection) || !selection.empty) return;
    const mapping = syncState(view.state)?.binding?.mapping;
    if (mapping) kept = leftAnchoredCaret(fragment, selection.head, mapping);
  };
  const afterAll = (): void => {
    kept = null;
  };

  return new Plugin({
    view(editorView) {
      view = editorView;
      const doc = fragment.doc;
      doc?.on('beforeAllTransactions', beforeAll);
      doc?.on('afterAllTransactions', afterAll);
      return {
        destroy() {
          doc?.off('beforeAllTransactions', beforeAll);
          doc?.off('afterAllTransactions', afterAll);
          view = null;
          kept = null;
        },
      };
    },
    appendTransaction(transactions, _old, state) {
      if (!kept || !view || !transactions.some(remoteChange)) return null;
      const mapping = syncState(state)?.binding?.mapping;
      const doc = fragment.doc;
      if (!mapping || !doc) return null;
      const pos = relativePositionToAbsolutePosition(doc, fragment, kept, mapping as never);
      if (pos === null || pos < 0 || pos > state.doc.content.size) return null;
      if (state.selection.empty && state.selection.head === pos) return null;
      if (!state.doc.resolve(pos).parent.inlineContent) return null;
      // Marked as the remote change is: for the sync plugin this is still the shared text being shown.
      return state.tr.setSelection(TextSelection.create(state.doc, pos)).setMeta('addToHistory', false).setMeta(ySyncPluginKey, { isChangeOrigin: true });
    },
  });
}
