import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { EditorState, Plugin, type Command } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { baseKeymap, toggleMark } from 'prosemirror-commands';
import { ySyncPlugin, yCursorPlugin, yUndoPlugin, undoCommand, redoCommand } from 'y-prosemirror';
import { cellSchema } from '../../../shared/editor/schema.ts';
import type { Lang } from '../../../shared/model/index.ts';

/**
 * One cell editor: a ProseMirror view bound to one language of one pair
 * (a Y.XmlFragment), with remote cursors from the shared awareness, its own
 * undo history (only this user's edits), bold/italic and the base keymap.
 */

export const toggleStrong: Command = toggleMark(cellSchema.marks.strong!);
export const toggleEm: Command = toggleMark(cellSchema.marks.em!);
export const undo: Command = undoCommand;
export const redo: Command = redoCommand;

const PLACEHOLDER: Record<Lang, string> = {
  vi: 'Nhập văn bản tiếng Việt…',
  fr: 'Saisir le texte français…',
};

const LANGUAGE_NAME: Record<Lang, string> = { vi: 'Vietnamese', fr: 'French' };

/** A remote cursor: a thin bar in the user's colour with their name above it. */
function cursorBuilder(user: { name?: unknown; color?: unknown }): HTMLElement {
  const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#777777';
  const name = typeof user.name === 'string' ? user.name : 'Guest';
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

function isEmptyDoc(state: EditorState): boolean {
  const doc = state.doc;
  return doc.childCount === 1 && doc.firstChild?.content.size === 0;
}

export interface CellEditorOptions {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  lang: Lang;
  /** For the accessible name, e.g. "Paragraph 3". */
  describe(): string;
  /** Called after every state change (selection or content) and on focus. */
  onActivity?(view: EditorView): void;
  /**
   * Space kept around the caret when ProseMirror scrolls it into view. The
   * object is read at each scroll, so the page can update `top` when the
   * sticky header changes height.
   */
  scrollMargin?: { top: number; right: number; bottom: number; left: number };
  /** More plugins (e.g. comment highlights), after the Yjs ones and before the keymaps. */
  plugins?: Plugin[];
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
  let label = `${options.describe()}, ${LANGUAGE_NAME[lang]}`;

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

  const state = EditorState.create({
    schema: cellSchema,
    plugins: [
      ySyncPlugin(options.fragment),
      yCursorPlugin(options.awareness, { cursorBuilder, selectionBuilder }),
      yUndoPlugin(),
      ...(options.plugins ?? []),
      keymap({
        'Mod-z': undo,
        'Mod-y': redo,
        'Mod-Shift-z': redo,
        'Mod-b': toggleStrong,
        'Mod-i': toggleEm,
      }),
      keymap(baseKeymap),
      activity,
    ],
  });

  const view = new EditorView(mount, {
    state,
    ...(options.scrollMargin ? { scrollMargin: options.scrollMargin, scrollThreshold: options.scrollMargin } : {}),
    // y-prosemirror queues awareness updates for the next tick and may then
    // dispatch on a view destroyed meanwhile (its pair deleted): ignore those.
    // (`this`, not `view`: the sync plugin dispatches while the constructor runs.)
    dispatchTransaction(this: EditorView, tr) {
      if (this.isDestroyed) return;
      this.updateState(this.state.apply(tr));
    },
    attributes: () => ({
      lang,
      spellcheck: 'true',
      'data-testid': `cell-${lang}`,
      'data-placeholder': PLACEHOLDER[lang],
      'aria-multiline': 'true',
      role: 'textbox',
      'aria-label': label,
    }),
  });

  return {
    view,
    lang,
    relabel() {
      label = `${options.describe()}, ${LANGUAGE_NAME[lang]}`;
      view.dom.setAttribute('aria-label', label);
    },
    destroy() {
      view.destroy();
    },
  };
}
