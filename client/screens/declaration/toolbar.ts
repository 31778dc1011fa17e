import type { EditorView } from 'prosemirror-view';
import type { EditorState } from 'prosemirror-state';
import type { MarkType } from 'prosemirror-model';
import { yUndoPluginKey } from 'y-prosemirror';
import { h } from '../../lib/dom.ts';
import { cellSchema } from '../../../shared/editor/schema.ts';
import { t } from '../../i18n/index.ts';
import { redo, toggleEm, toggleStrong, undo } from './cellEditor.ts';

/**
 * The formatting toolbar: bold, italic, undo, redo, acting on the cell that
 * has (or last had) the focus. The buttons never take the focus away from the
 * text, so the selection stays where the user put it.
 */

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad|od)/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

function markActive(state: EditorState, type: MarkType): boolean {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks ?? $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

interface UndoState {
  undoManager?: { undoStack: unknown[]; redoStack: unknown[] };
}

export interface Toolbar {
  element: HTMLElement;
  /** Tells the toolbar which editor is active (on focus and after each change). */
  track(view: EditorView): void;
  /** Forgets an editor that is being destroyed. */
  forget(view: EditorView): void;
}

export function toolbar(): Toolbar {
  let active: EditorView | undefined;

  const button = (testid: string, label: string, shortcut: string, content: string, run: (view: EditorView) => void): HTMLButtonElement => {
    const el = h('button', {
      class: `tool tool--${testid}`,
      text: content,
      attrs: { type: 'button', 'data-testid': testid, 'aria-label': label, title: t('toolbar.withShortcut', { action: label, shortcut }), disabled: true },
      on: {
        // Keep the focus (and selection) in the editor.
        mousedown: (event) => event.preventDefault(),
        click: () => {
          if (!active || active.isDestroyed) return;
          run(active);
          active.focus();
          refresh();
        },
      },
    });
    return el;
  };

  // The letters on the buttons follow the language too (French word processors show G for "gras").
  const bold = button('bold', t('toolbar.bold'), `${mod}B`, t('toolbar.bold.glyph'), (v) => toggleStrong(v.state, v.dispatch, v));
  const italic = button('italic', t('toolbar.italic'), `${mod}I`, t('toolbar.italic.glyph'), (v) => toggleEm(v.state, v.dispatch, v));
  const undoButton = button('undo', t('toolbar.undo'), `${mod}Z`, '↶', (v) => undo(v.state, v.dispatch, v));
  const redoButton = button('redo', t('toolbar.redo'), isMac ? '⇧⌘Z' : 'Ctrl+Y', '↷', (v) => redo(v.state, v.dispatch, v));

  const element = h(
    'div',
    { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': t('toolbar.label'), 'data-testid': 'toolbar' } },
    h('div', { class: 'toolbar__group' }, bold, italic),
    h('div', { class: 'toolbar__group' }, undoButton, redoButton),
  );

  // refresh() runs after every change of the active editor (each keystroke): the buttons are in the
  // sticky header, so write to them only when what they show changes.
  const setPressed = (el: HTMLButtonElement, on: boolean): void => {
    if (el.getAttribute('aria-pressed') === String(on)) return;
    el.setAttribute('aria-pressed', String(on));
    el.classList.toggle('is-on', on);
  };
  const setDisabled = (el: HTMLButtonElement, disabled: boolean): void => {
    if (el.disabled !== disabled) el.disabled = disabled;
  };

  // Each button is written once per refresh, with its final state: enabling a button and then
  // disabling it again in the same refresh invalidated its style twice, and repainted the header,
  // on every keystroke and every caret move (docs/benchmarks.md, "Browser: others' changes after the keystroke's frame").
  const refresh = (): void => {
    const view = active && !active.isDestroyed ? active : undefined;
    // Read the Yjs stacks directly: the plugin's own flags lag one transaction behind.
    const stacks = view ? (yUndoPluginKey.getState(view.state) as UndoState | undefined)?.undoManager : undefined;
    setDisabled(bold, !view);
    setDisabled(italic, !view);
    setDisabled(undoButton, !stacks?.undoStack.length);
    setDisabled(redoButton, !stacks?.redoStack.length);
    setPressed(bold, !!view && markActive(view.state, cellSchema.marks.strong!));
    setPressed(italic, !!view && markActive(view.state, cellSchema.marks.em!));
  };

  return {
    element,
    track(view) {
      if (view.hasFocus()) active = view;
      if (view === active) refresh();
    },
    forget(view) {
      if (active === view) {
        active = undefined;
        refresh();
      }
    },
  };
}
