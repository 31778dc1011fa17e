import * as Y from 'yjs';
import { Plugin } from 'prosemirror-state';
import { defaultDeleteFilter, defaultProtectedNodes, getRelativeSelection, ySyncPluginKey, yUndoPluginKey } from 'y-prosemirror';

/**
 * Undo histories that outlive the cell's editor.
 *
 * Cells far from the viewport have no editor (lazyCells.ts): an editor is
 * created when its row comes near and destroyed when it goes away again.
 * y-prosemirror's own undo plugin makes an UndoManager per editor and
 * destroys it with the editor, so scrolling away and back would silently
 * forget what the person typed there. Here the UndoManager belongs to the
 * cell (its Y.XmlFragment), and an editor only borrows it.
 *
 * An UndoManager listens to every transaction of the whole doc, so a cell
 * keeps one only while it is worth something: it is created with the first
 * editor of the cell and dropped when the editor goes while both stacks are
 * empty (the person never typed there). The ones kept are the cells this
 * person edited, a handful, not 2 × pairs.
 */

export interface CellHistories {
  /** The cell's history, created on first use. */
  borrow(fragment: Y.XmlFragment): Y.UndoManager;
  /** The editor is gone: forget the history unless it holds something to undo or redo. */
  release(fragment: Y.XmlFragment): void;
  /** The cell is gone (pair deleted or page closed): forget its history whatever it holds. */
  drop(fragment: Y.XmlFragment): void;
  destroy(): void;
}

export function cellHistories(): CellHistories {
  const managers = new Map<Y.XmlFragment, Y.UndoManager>();
  const drop = (fragment: Y.XmlFragment): void => {
    managers.get(fragment)?.destroy();
    managers.delete(fragment);
  };
  return {
    borrow(fragment) {
      let manager = managers.get(fragment);
      if (!manager) {
        // The options of y-prosemirror's yUndoPlugin: only this page's own edits (made through an editor), paragraphs kept.
        manager = new Y.UndoManager(fragment, {
          trackedOrigins: new Set([ySyncPluginKey]),
          deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
          captureTransaction: (tr) => tr.meta.get('addToHistory') !== false,
        });
        managers.set(fragment, manager);
      }
      return manager;
    },
    release(fragment) {
      const manager = managers.get(fragment);
      if (manager && manager.undoStack.length === 0 && manager.redoStack.length === 0) drop(fragment);
    },
    drop,
    destroy() {
      for (const manager of managers.values()) manager.destroy();
      managers.clear();
    },
  };
}

/**
 * y-prosemirror's yUndoPlugin (1.3) for an UndoManager it does not own: the
 * same plugin state under the same key (so undoCommand, redoCommand and the
 * toolbar work unchanged), but when the editor goes it only removes its own
 * listeners instead of destroying the manager.
 */
interface UndoPluginState {
  undoManager: Y.UndoManager;
  prevSel: ReturnType<typeof getRelativeSelection> | null;
  hasUndoOps: boolean;
  hasRedoOps: boolean;
}

export function borrowedUndoPlugin(undoManager: Y.UndoManager): Plugin<UndoPluginState> {
  return new Plugin<UndoPluginState>({
    key: yUndoPluginKey,
    state: {
      init: (): UndoPluginState => ({
        undoManager,
        prevSel: null,
        hasUndoOps: undoManager.undoStack.length > 0,
        hasRedoOps: undoManager.redoStack.length > 0,
      }),
      apply: (_tr, value, oldState, state): UndoPluginState => {
        const binding = ySyncPluginKey.getState(state)?.binding;
        const hasUndoOps = undoManager.undoStack.length > 0;
        const hasRedoOps = undoManager.redoStack.length > 0;
        if (binding) return { undoManager, prevSel: getRelativeSelection(binding, oldState), hasUndoOps, hasRedoOps };
        if (hasUndoOps !== value.hasUndoOps || hasRedoOps !== value.hasRedoOps) return { ...value, hasUndoOps, hasRedoOps };
        return value;
      },
    },
    view: (view) => {
      const syncState = ySyncPluginKey.getState(view.state);
      // The selection before each change, so undo puts the caret back where it was (per binding: a remounted editor has a new one).
      const onAdded = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }): void => {
        const binding = syncState?.binding;
        if (binding && !view.isDestroyed) stackItem.meta.set(binding, yUndoPluginKey.getState(view.state)?.prevSel);
      };
      const onPopped = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }): void => {
        const binding = syncState?.binding;
        if (binding) binding.beforeTransactionSelection = stackItem.meta.get(binding) ?? binding.beforeTransactionSelection;
      };
      undoManager.on('stack-item-added', onAdded);
      undoManager.on('stack-item-popped', onPopped);
      return {
        destroy: () => {
          undoManager.off('stack-item-added', onAdded);
          undoManager.off('stack-item-popped', onPopped);
        },
      };
    },
  });
}
