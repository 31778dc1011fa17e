import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { EditorState, Plugin, TextSelection, type Command, type Transaction } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, toggleMark } from 'prosemirror-commands';
import { ySyncPlugin, ySyncPluginKey, yCursorPlugin, yUndoPlugin, undoCommand, redoCommand } from 'y-prosemirror';
import { borrowedUndoPlugin } from './cellHistory.ts';
import { keepCaretPlugin, typedWhereTheCaretIsPlugin } from './sameCaret.ts';
import { cellSchema } from '../../../shared/editor/schema.ts';
import type { Lang } from '../../../shared/model/index.ts';
import { t, type MessageKey } from '../../i18n/index.ts';

/**
 * One cell editor: a ProseMirror view bound to one language of one pair
 * (a Y.XmlFragment), with remote cursors from the shared awareness, an
 * undo history (only this user's edits), bold/italic and the base keymap.
 * Read-only cells (observers) show the live text and cursors, nothing else.
 */

export const toggleStrong: Command = toggleMark(cellSchema.marks.strong!);
export const toggleEm: Command = toggleMark(cellSchema.marks.em!);
export const undo: Command = undoCommand;
export const redo: Command = redoCommand;

const PLACEHOLDER: Record<Lang, MessageKey> = { vi: 'cell.placeholder.vi', fr: 'cell.placeholder.fr' };
const LANGUAGE_NAME: Record<Lang, MessageKey> = { vi: 'lang.vi', fr: 'lang.fr' };

/** Transactions that y-prosemirror makes to show the shared text (remote edits, first render). */
function fromSharedText(tr: Transaction): boolean {
  return (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
}

/**
 * Read-only cells refuse every local content change. The view is not
 * editable already; this also stops paste, drop and IME paths, so nothing
 * reaches the Y.Doc (the server would drop it anyway, but the page would
 * show text nobody else has).
 */
const readOnlyGuard = new Plugin({ filterTransaction: (tr) => !tr.docChanged || fromSharedText(tr) });

/** A remote cursor: a thin bar in the user's colour with their name above it. */
function cursorBuilder(user: { name?: unknown; color?: unknown }): HTMLElement {
  const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#777777';
  const name = typeof user.name === 'string' && user.name.trim() ? user.name : t('presence.someone');
  const cursor = document.createElement('span');
  cursor.className = 'ProseMirror-yjs-cursor';
  cursor.style.borderColor = color;
  const label = document.createElement('div');
  label.style.backgroundColor = color;
  label.textContent = name;
  // Word joiners keep the caret from breaking a line on its own.
  cursor.append(document.createTextNode('\u2060'), label, document.createTextNode('\u2060'));
  return cursor;
}

function selectionBuilder(user: { color?: unknown }): { style: string; class: string } {
  const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#777777';
  return { style: `background-color: ${color}33`, class: 'ProseMirror-yjs-selection' };
}

/** The accessible name of a cell, e.g. "Paragraph 3, Vietnamese". */
export function cellLabel(paragraph: string, lang: Lang): string {
  return t('cell.label', { paragraph, language: t(LANGUAGE_NAME[lang]) });
}

/** The attributes of a cell's element, editor or static text (staticCell.ts) alike. */
export function cellAttributes(lang: Lang, editable: boolean, label: string): Record<string, string> {
  return {
    lang,
    spellcheck: 'true',
    'data-testid': `cell-${lang}`,
    'data-placeholder': editable ? t(PLACEHOLDER[lang]) : t('cell.empty'),
    'aria-multiline': 'true',
    role: 'textbox',
    'aria-readonly': String(!editable),
    'aria-label': label,
  };
}

/** Space kept around the caret when it is scrolled into view, in CSS pixels. */
export interface ScrollMargin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/**
 * True when the caret already sits inside the window, clear of the margins
 * (the sticky header at the top): then there is nothing to scroll.
 * ProseMirror asks to scroll the caret into view after each keystroke and then
 * measures every ancestor of the editor up to the document, ~0.3 ms a keystroke
 * on the 200-pair page (docs/benchmarks.md, "Browser"); the caret's own
 * position is all this needs. Cells do not sit in scrolling boxes of their own:
 * the window is the only thing that scrolls them.
 */
function caretInView(view: EditorView, margin: ScrollMargin): boolean {
  const { selection } = view.state;
  if (!(selection instanceof TextSelection)) return false;
  const caret = view.coordsAtPos(selection.head);
  const height = document.documentElement.clientHeight;
  const width = document.documentElement.clientWidth;
  return caret.top >= margin.top && caret.bottom <= height - margin.bottom && caret.left >= margin.left && caret.right <= width - margin.right;
}

function isEmptyDoc(state: EditorState): boolean {
  const doc = state.doc;
  return doc.childCount === 1 && doc.firstChild?.content.size === 0;
}

export interface CellEditorOptions {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  lang: Lang;
  /** False for people whose role does not let them edit the text. */
  editable: boolean;
  /** For the accessible name, e.g. "Paragraph 3". */
  describe(): string;
  /** Called after every state change (selection or content) and on focus. */
  onActivity?(view: EditorView): void;
  /**
   * Space kept around the caret when ProseMirror scrolls it into view. The
   * object is read at each scroll, so the page can update `top` when the
   * sticky header changes height.
   */
  scrollMargin?: ScrollMargin;
  /** More plugins (e.g. comment highlights), after the Yjs ones and before the keymaps. */
  plugins?: Plugin[];
  /**
   * The cell's undo history, when it must outlive this editor (cellHistory.ts);
   * without it the editor has its own, gone with it.
   */
  undoManager?: Y.UndoManager;
}

export interface CellEditor {
  readonly view: EditorView;
  readonly lang: Lang;
  /** Updates the accessible name (after renumbering). */
  relabel(): void;
  destroy(): void;
}

export function createCellEditor(mount: HTMLElement, options: CellEditorOptions): CellEditor {
  const { lang } = options;
  const labelText = (): string => cellLabel(options.describe(), lang);
  let label = labelText();

  const activity = new Plugin({
    view: () => ({ update: (v) => options.onActivity?.(v) }),
    props: {
      attributes: (state) => ({ class: isEmptyDoc(state) ? 'cell-editor is-empty' : 'cell-editor' }),
      handleDOMEvents: {
        focus: (v) => {
          options.onActivity?.(v);
          return false;
        },
      },
    },
  });

  const shared = [ySyncPlugin(options.fragment), yCursorPlugin(options.awareness, { cursorBuilder, selectionBuilder })];
  const editing = [
    keepCaretPlugin(options.fragment),
    options.undoManager ? borrowedUndoPlugin(options.undoManager) : yUndoPlugin(),
    keymap({
      'Mod-z': undo,
      'Mod-y': redo,
      'Mod-Shift-z': redo,
      'Mod-b': toggleStrong,
      'Mod-i': toggleEm,
    }),
    keymap(baseKeymap),
  ];
  const state = EditorState.create({
    schema: cellSchema,
    // Extra plugins (comment highlights) come before the keymaps, so their keys win; readers get them too.
    plugins: options.editable
      ? [typedWhereTheCaretIsPlugin(options.fragment), ...shared, ...(options.plugins ?? []), ...editing, activity]
      : [...shared, ...(options.plugins ?? []), readOnlyGuard, activity],
  });

  const margin = options.scrollMargin;
  const view = new EditorView(mount, {
    state,
    editable: () => options.editable,
    ...(margin ? { scrollMargin: margin, scrollThreshold: margin, handleScrollToSelection: (v: EditorView) => caretInView(v, margin) } : {}),
    // y-prosemirror queues awareness updates for the next tick and may then
    // dispatch on a view destroyed meanwhile (its pair deleted): ignore those.
    // (`this`, not `view`: the sync plugin dispatches while the constructor runs.)
    dispatchTransaction(this: EditorView, tr) {
      if (this.isDestroyed) return;
      this.updateState(this.state.apply(tr));
    },
    attributes: () => cellAttributes(lang, options.editable, label),
  });

  return {
    view,
    lang,
    relabel() {
      label = labelText();
      view.dom.setAttribute('aria-label', label);
    },
    destroy() {
      view.destroy();
    },
  };
}
