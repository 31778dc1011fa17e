import type * as Y from 'yjs';
import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { ySyncPluginKey } from 'y-prosemirror';
import type { Anchor, ThreadView } from '../../../../shared/comments.ts';
import type { Lang } from '../../../../shared/model/index.ts';
import { resolveRange, syncSelectionFromDom, toEditorRange } from './anchors.ts';

/**
 * The comment highlights of one cell editor: inline decorations computed from
 * the threads' Yjs relative positions each time the text changes (a remote
 * edit, our own edit once y-prosemirror has written it to the Y.Doc, or a
 * change of the threads), never stored in the text. Internal threads get
 * their own style; resolved ones are not highlighted.
 */

export interface HighlightSource {
  readonly doc: Y.Doc;
  /** Threads anchored in this cell (all statuses; resolved ones are skipped here). */
  threads(pairId: string, lang: Lang): ThreadView[];
  /** The thread open in the panel, if any. */
  activeThreadId(): string | null;
  /** The thread whose words flash after a jump, if any. */
  flashThreadId(): string | null;
  /** Words being commented on (the composer is open). */
  pending(): { pairId: string; lang: Lang; anchor: Anchor } | null;
  /** Tells the page about an editor of a cell; returns the way to forget it. */
  register(view: EditorView, pairId: string, lang: Lang): () => void;
  /** After every state change of the editor (selection, content) and when it gains or loses the focus. */
  viewChanged(view: EditorView): void;
  /** A click on highlighted words (or Mod-Alt-m with the caret in them: then `focus` the thread). */
  openThread(threadId: string, focus?: boolean): void;
  /** Mod-Alt-m: comment on the selection; false when commenting is not allowed. */
  commentShortcut(view: EditorView, pairId: string, lang: Lang): boolean;
}

interface HighlightState {
  decorations: DecorationSet;
}

interface HighlightMeta {
  recompute: true;
}

export const commentHighlightKey = new PluginKey<HighlightState>('accord-comment-highlights');

/** Asks an editor to recompute its highlights (threads, active or pending changed). */
export function refreshHighlights(view: EditorView): void {
  if (view.isDestroyed) return;
  view.dispatch(view.state.tr.setMeta(commentHighlightKey, { recompute: true } satisfies HighlightMeta));
}

function fragmentOf(state: EditorState): Y.XmlFragment | undefined {
  return (ySyncPluginKey.getState(state) as { type?: Y.XmlFragment } | undefined)?.type;
}

export function commentPlugins(source: HighlightSource, pairId: string, lang: Lang): Plugin[] {
  const compute = (state: EditorState): DecorationSet => {
    const fragment = fragmentOf(state);
    if (!fragment) return DecorationSet.empty;
    const decorations: Decoration[] = [];
    const active = source.activeThreadId();
    const flash = source.flashThreadId();
    for (const thread of source.threads(pairId, lang)) {
      if (thread.status !== 'open') continue;
      const range = resolveRange(source.doc, fragment, thread.anchor, thread.quote);
      if (range.state !== 'live') continue;
      const at = toEditorRange(state.doc, range);
      if (!at) continue;
      const classes = ['comment-anchor', `comment-anchor--${thread.visibility}`];
      if (thread.id === active) classes.push('is-active');
      if (thread.id === flash) classes.push('is-flash');
      decorations.push(
        Decoration.inline(
          at.from,
          at.to,
          { class: classes.join(' '), 'data-thread-id': thread.id, 'data-visibility': thread.visibility },
          { threadId: thread.id, inclusiveStart: false, inclusiveEnd: false },
        ),
      );
    }
    const pending = source.pending();
    if (pending && pending.pairId === pairId && pending.lang === lang) {
      const range = resolveRange(source.doc, fragment, pending.anchor);
      const at = range.state === 'live' ? toEditorRange(state.doc, range) : null;
      if (at) decorations.push(Decoration.inline(at.from, at.to, { class: 'comment-anchor comment-anchor--pending', 'data-testid': 'comment-pending' }));
    }
    return DecorationSet.create(state.doc, decorations);
  };

  const highlights = new Plugin<HighlightState>({
    key: commentHighlightKey,
    state: {
      init: () => ({ decorations: DecorationSet.empty }),
      apply(tr, value, _old, newState) {
        const meta = tr.getMeta(commentHighlightKey) as HighlightMeta | undefined;
        const sync = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined;
        // y-prosemirror applies remote (and undo) changes after the Y.Doc has them: read the anchors now.
        if (meta?.recompute || (tr.docChanged && sync?.isChangeOrigin)) return { decorations: compute(newState) };
        // Our own edit is not in the Y.Doc yet: follow it, then recompute once it is (below).
        if (tr.docChanged) return { decorations: value.decorations.map(tr.mapping, tr.doc) };
        return value;
      },
    },
    props: {
      decorations: (state) => commentHighlightKey.getState(state)?.decorations,
      handleClick(view, _pos, event) {
        if (event.button !== 0) return false;
        const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-thread-id]') : null;
        if (target && view.dom.contains(target) && target.dataset.threadId) source.openThread(target.dataset.threadId);
        return false; // the caret goes where the click was, as usual
      },
      handleDOMEvents: {
        focus: (view) => {
          setTimeout(() => !view.isDestroyed && source.viewChanged(view));
          return false;
        },
        blur: (view) => {
          setTimeout(() => !view.isDestroyed && source.viewChanged(view));
          return false;
        },
      },
    },
    view(view) {
      const fragment = fragmentOf(view.state);
      let scheduled = false;
      const recomputeSoon = (): void => {
        if (scheduled) return;
        scheduled = true;
        queueMicrotask(() => {
          scheduled = false;
          refreshHighlights(view);
        });
      };
      /** Whether anything could be highlighted in this cell (threads anchored here, words being commented on). */
      const mayHighlight = (): boolean => {
        const pending = source.pending();
        return (pending?.pairId === pairId && pending.lang === lang) || source.threads(pairId, lang).some((thread) => thread.status === 'open');
      };
      // Our own edits reach the Y.Doc in y-prosemirror's view update, after `apply`. Most cells have
      // no comments: then there is nothing to recompute, and the second dispatch (another editor
      // update and Yjs transaction) on every keystroke only delayed the frame that shows it.
      const onYChange = (_events: unknown, transaction: Y.Transaction): void => {
        if (transaction.origin !== ySyncPluginKey) return;
        if (!mayHighlight() && commentHighlightKey.getState(view.state)?.decorations === DecorationSet.empty) return;
        recomputeSoon();
      };
      fragment?.observeDeep(onYChange);
      const unregister = source.register(view, pairId, lang);
      recomputeSoon();
      return {
        update: (v) => source.viewChanged(v),
        destroy: () => {
          fragment?.unobserveDeep(onYChange);
          unregister();
        },
      };
    },
  });

  /** Mod-Alt-m: on selected words, comment on them; with the caret in highlighted words, open their thread. */
  const shortcuts = keymap({
    'Mod-Alt-m': (_state, _dispatch, view) => {
      if (!view) return false;
      syncSelectionFromDom(view);
      const { selection } = view.state;
      if (selection.empty) {
        const at = selection.head;
        const hits = (commentHighlightKey.getState(view.state)?.decorations.find(at, at, (spec) => typeof spec.threadId === 'string') ?? []).sort(
          (a, b) => a.to - a.from - (b.to - b.from),
        );
        const threadId = hits[0]?.spec.threadId as string | undefined;
        if (threadId) {
          source.openThread(threadId, true);
          return true;
        }
      }
      return source.commentShortcut(view, pairId, lang);
    },
  });

  return [highlights, shortcuts];
}
