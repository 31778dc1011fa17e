import './comments.css';
import type * as Y from 'yjs';
import { TextSelection } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';
import type { Anchor, ThreadView } from '../../../../shared/comments.ts';
import { getPair, LANGS, readOrder, type Lang } from '../../../../shared/model/index.ts';
import type { PartySummary } from '../../../../shared/protocol.ts';
import { h, replaceChildren } from '../../../lib/dom.ts';
import { ApiError } from '../../../lib/api.ts';
import { t, type MessageKey } from '../../../i18n/index.ts';
import type { RowExtension } from '../row.ts';
import { anchorFromSelection, anchoredText, resolveRange, syncSelectionFromDom, toEditorRange, type CellRange } from './anchors.ts';
import { commentsApi, type Me } from './api.ts';
import { createComposer, type Composer } from './composer.ts';
import { errorMessage, icon } from './dom.ts';
import { commentPlugins, refreshHighlights, type HighlightSource } from './highlightPlugin.ts';
import { followThreads, type LiveThreads } from './live.ts';
import { createPanel } from './panel.ts';
import {
  canWrite,
  COMMENT_SHORTCUT,
  delegationIndex,
  delegationName,
  delegationOrder,
  delegationTag,
  myDelegation,
} from './rules.ts';
import { ThreadStore } from './store.ts';

/**
 * Comments on the declaration page: threads anchored to words of one
 * language of one pair, shared with all parties or internal to the author's
 * delegation. Wires together the store (REST + socket.io pushes), the
 * highlights in the editors, the per-row badges, the side panel and the
 * "Comment" action (toolbar button, a button by the selection, Mod-Alt-m).
 */

export interface CommentsOptions {
  documentId: string;
  doc: Y.Doc;
  /** Shows a short message in the page header. */
  notify(message: string): void;
  /** Makes sure the cell has its editor (a far row's cells are static text, lazyRows.ts). */
  openCell?(pairId: string, lang: Lang): void;
}

export interface Comments {
  /** Header controls: "Comment" (for those who may write) and the panel toggle. */
  readonly tools: HTMLElement;
  /** The side panel (put it at the end of the page). */
  readonly panel: HTMLElement;
  /** What each row gets: highlight plugins for its editors and the badges slot. */
  rowExtension(pairId: string): RowExtension;
  destroy(): void;
}

const PANEL_STORAGE_KEY = 'accord.comments.panel';
const FLASH_MS = 1800;

const cellKey = (pairId: string, lang: Lang) => `${pairId}\u0000${lang}`;

function fragmentOf(view: EditorView): Y.XmlFragment | undefined {
  return (ySyncPluginKey.getState(view.state) as { type?: Y.XmlFragment } | undefined)?.type;
}

const SELECTION_ERRORS: Record<'empty' | 'paragraphs' | 'unsynced', MessageKey> = {
  empty: 'comments.error.noSelection',
  paragraphs: 'comments.error.oneParagraph',
  unsynced: 'comments.error.unsynced',
};

export function createComments(options: CommentsOptions): Comments {
  const { documentId, doc } = options;
  const api = commentsApi(documentId);
  const store = new ThreadStore();
  const abort = new AbortController();
  let destroyed = false;

  let me: Me | undefined;
  let parties: PartySummary[] = [];
  let loading = true;
  let loadError = '';

  /** Editors by cell (a Set: a row being rebuilt briefly has two). */
  const views = new Map<string, Set<EditorView>>();
  const viewCell = new WeakMap<EditorView, { pairId: string; lang: Lang }>();
  let activeView: EditorView | undefined;
  let activeThread: string | null = null;
  let flashThread: string | null = null;
  let flashTimer: ReturnType<typeof setTimeout> | undefined;
  /** The selection a jump made: no "Comment" bubble on it. */
  let jumpSelection: { view: EditorView; from: number; to: number } | undefined;
  let pending: { pairId: string; lang: Lang; anchor: Anchor; view: EditorView } | null = null;
  let composer: Composer | null = null;
  const slots = new Map<string, HTMLElement>();

  // ---------------------------------------------------------------- where threads are now
  let ranges = new Map<string, CellRange>();
  const rangeOf = (thread: ThreadView): CellRange => {
    let range = ranges.get(thread.id);
    if (!range) {
      const fragment = getPair(doc, thread.pairId)?.cell(thread.lang);
      if (fragment) range = resolveRange(doc, fragment, thread.anchor, thread.quote);
      // No such pair: deleted (once the page has the text), else not known yet.
      else range = readOrder(doc).length > 0 ? { state: 'detached' } : { state: 'unknown' };
      ranges.set(thread.id, range);
    }
    return range;
  };
  const isDetached = (thread: ThreadView): boolean => {
    const range = rangeOf(thread);
    return range.state === 'unknown' ? thread.detached : range.state === 'detached';
  };
  const pairNumber = (pairId: string): number | undefined => {
    const i = readOrder(doc).indexOf(pairId);
    return i < 0 ? undefined : i + 1;
  };
  /** Reading order: paragraph, then Vietnamese before French, then position in the text. */
  const sortedThreads = (): ThreadView[] => {
    const order = new Map(readOrder(doc).map((id, i) => [id, i]));
    const key = (thread: ThreadView): [number, number, number, string] => {
      const range = rangeOf(thread);
      return [order.get(thread.pairId) ?? Infinity, LANGS.indexOf(thread.lang), range.state === 'live' ? range.paragraph * 1e6 + range.from : Infinity, thread.createdAt];
    };
    return store
      .all()
      .map((thread) => ({ thread, key: key(thread) }))
      .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.key[3].localeCompare(b.key[3]))
      .map((x) => x.thread);
  };

  // ---------------------------------------------------------------- editors
  const allViews = (): EditorView[] => [...views.values()].flatMap((set) => [...set]);
  const viewsOf = (pairId: string, lang: Lang): EditorView[] => [...(views.get(cellKey(pairId, lang)) ?? [])];
  const refreshAll = (): void => {
    for (const view of allViews()) refreshHighlights(view);
  };
  const refreshCell = (pairId: string, lang: Lang): void => {
    for (const view of viewsOf(pairId, lang)) refreshHighlights(view);
  };

  // ---------------------------------------------------------------- panel
  const panel = createPanel({
    me: () => me,
    parties: () => parties,
    pairNumber,
    isDetached,
    threads: sortedThreads,
    canWrite: () => canWrite(me),
    loadState: () => ({ loading, error: loadError }),
    onOpenChange(open) {
      document.documentElement.classList.toggle('has-comments-panel', open);
      toggle.setAttribute('aria-expanded', String(open));
      toggle.classList.toggle('is-on', open);
      try {
        localStorage.setItem(PANEL_STORAGE_KEY, open ? 'open' : 'closed');
      } catch {
        // storage disabled: the choice lasts for this page
      }
      hideBubble();
    },
    jump,
    async reply(threadId, body) {
      store.upsert(await api.reply(threadId, body));
    },
    async setStatus(threadId, status) {
      store.upsert(await api.setStatus(threadId, status));
    },
    async editComment(threadId, commentId, body) {
      await api.editComment(commentId, body);
      await reloadPairOf(threadId);
    },
    async deleteComment(threadId, commentId) {
      await api.deleteComment(commentId);
      await reloadPairOf(threadId);
    },
  });

  /** After an edit or a delete (the route answers { ok }): fetch the pair's threads now rather than wait for the push. */
  async function reloadPairOf(threadId: string): Promise<void> {
    const thread = store.get(threadId);
    if (!thread) return;
    try {
      store.upsert(...(await api.listThreadsOfPair(thread.pairId)));
    } catch {
      // The live push brings it anyway.
    }
  }

  // ---------------------------------------------------------------- header tools
  const toggleCount = h('span', { class: 'comments-toggle__count', attrs: { 'data-testid': 'comments-toggle-count' } });
  const toggle = h(
    'button',
    {
      class: 'tool comments-toggle',
      attrs: {
        type: 'button',
        'data-testid': 'comments-toggle',
        'aria-controls': 'comments-panel',
        'aria-expanded': 'false',
        title: t('comments.toggle.title'),
      },
      on: { click: () => panel.setOpen(!panel.isOpen()) },
    },
    icon('comment'),
    h('span', { text: t('comments.toggle') }),
    toggleCount,
  );
  const addButton = h(
    'button',
    {
      class: 'tool comments-add',
      attrs: { type: 'button', 'data-testid': 'comment-add', disabled: true, title: t('comments.add.title', { shortcut: COMMENT_SHORTCUT }) },
      on: {
        mousedown: (event) => event.preventDefault(), // keep the selection in the editor
        click: () => {
          if (activeView && !activeView.isDestroyed) startComposer(activeView);
        },
      },
    },
    h('span', { text: t('comments.add') }),
  );
  const tools = h('div', { class: 'toolbar__group comments-tools', attrs: { role: 'group', 'aria-label': t('comments.panel.title') } }, toggle);

  // A small "Comment" button by the selected words.
  const bubble = h(
    'button',
    {
      class: 'comment-bubble',
      attrs: { type: 'button', 'data-testid': 'comment-bubble', title: t('comments.add.title', { shortcut: COMMENT_SHORTCUT }), hidden: true },
      on: {
        mousedown: (event) => event.preventDefault(),
        click: () => {
          if (activeView && !activeView.isDestroyed) startComposer(activeView);
        },
      },
    },
    icon('comment', 'icon icon--small'),
    h('span', { text: t('comments.add') }),
  );
  function hideBubble(): void {
    // Called after every change of the active editor (each keystroke): write only when it changes.
    if (!bubble.hidden) bubble.hidden = true;
  }

  function selectionIsJump(view: EditorView): boolean {
    const { from, to } = view.state.selection;
    return !!jumpSelection && jumpSelection.view === view && jumpSelection.from === from && jumpSelection.to === to;
  }

  function updateSelectionControls(): void {
    const view = activeView && !activeView.isDestroyed ? activeView : undefined;
    const hasWords = !!view && !view.state.selection.empty;
    if (addButton.disabled !== !hasWords) addButton.disabled = !hasWords;
    if (!view || !hasWords || !view.hasFocus() || !canWrite(me) || composer || selectionIsJump(view)) {
      hideBubble();
      return;
    }
    const end = view.coordsAtPos(view.state.selection.to, -1);
    bubble.hidden = false;
    const width = bubble.offsetWidth;
    const left = Math.min(Math.max(8, end.left - width / 2), document.documentElement.clientWidth - width - 8);
    bubble.style.left = `${left + window.scrollX}px`;
    bubble.style.top = `${end.bottom + window.scrollY + 6}px`;
  }

  // ---------------------------------------------------------------- badges
  function renderBadges(pairId: string): void {
    const slot = slots.get(pairId);
    if (!slot) return;
    const counts = store.openCountsByDelegation(pairId);
    const badges = delegationOrder(counts.keys(), parties).map((delegation) => {
      const count = counts.get(delegation) ?? 0;
      const name = delegationName(delegation, parties);
      const badge = h(
        'button',
        {
          class: 'comment-badge',
          attrs: {
            type: 'button',
            'data-testid': 'comment-badge',
            'data-delegation': delegation,
            'data-count': count,
            'data-party': delegationIndex(delegation, parties),
            title: t('comments.badge.title', { delegation: name, count }),
          },
          on: {
            click: () => {
              panel.setFilters({ pairId, status: 'open' });
              panel.setOpen(true);
            },
          },
        },
        h('span', { class: 'comment-badge__tag', text: delegationTag(delegation, parties) }),
        h('span', { class: 'comment-badge__count', text: String(count) }),
      );
      return badge;
    });
    replaceChildren(slot, badges.length ? h('div', { class: 'comment-badges', attrs: { 'data-testid': 'comment-badges' } }, ...badges) : null);
  }
  const renderAllBadges = (): void => {
    for (const pairId of slots.keys()) renderBadges(pairId);
  };

  function renderCounts(): void {
    const open = store.all().filter((thread) => thread.status === 'open').length;
    toggleCount.textContent = open ? String(open) : '';
    toggleCount.hidden = open === 0;
    toggle.title = `${t('comments.toggle.title')} — ${t('comments.toggle.count', { count: open })}`;
  }

  // ---------------------------------------------------------------- rendering on changes
  let panelTimer: ReturnType<typeof setTimeout> | undefined;
  const renderPanelSoon = (): void => {
    if (!panel.isOpen() || panelTimer) return;
    panelTimer = setTimeout(() => {
      panelTimer = undefined;
      if (!destroyed) panel.render();
    }, 250);
  };

  store.onChange((changed) => {
    ranges = new Map();
    if (panel.isOpen()) panel.render();
    renderAllBadges();
    renderCounts();
    if (changed === 'all') refreshAll();
    else {
      const cells = new Set<string>();
      for (const id of changed) {
        const thread = store.get(id);
        if (thread && !cells.has(cellKey(thread.pairId, thread.lang))) {
          cells.add(cellKey(thread.pairId, thread.lang));
          refreshCell(thread.pairId, thread.lang);
        }
      }
    }
  });
  const onDocUpdate = (): void => {
    ranges = new Map();
    renderPanelSoon();
  };
  doc.on('update', onDocUpdate);

  // ---------------------------------------------------------------- actions
  function setActive(threadId: string | null): void {
    if (activeThread === threadId) return;
    activeThread = threadId;
    panel.setActive(threadId);
    refreshAll();
  }

  function jump(threadId: string): void {
    const thread = store.get(threadId);
    if (!thread) return;
    setActive(threadId);
    options.openCell?.(thread.pairId, thread.lang);
    const view = viewsOf(thread.pairId, thread.lang).find((v) => !v.isDestroyed);
    const fragment = view ? fragmentOf(view) : undefined;
    const range = view && fragment ? resolveRange(doc, fragment, thread.anchor, thread.quote) : undefined;
    const at = view && range?.state === 'live' ? toEditorRange(view.state.doc, range) : null;
    if (!view || !at) {
      options.notify(t('comments.error.notFound'));
      return;
    }
    flashThread = threadId;
    jumpSelection = { view, from: at.from, to: at.to };
    view.focus();
    view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, at.from, at.to)));
    refreshHighlights(view);
    const words = view.dom.querySelector(`[data-thread-id="${CSS.escape(threadId)}"]`) ?? view.dom;
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    words.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
    clearTimeout(flashTimer);
    flashTimer = setTimeout(() => {
      flashThread = null;
      if (!view.isDestroyed) refreshHighlights(view);
    }, FLASH_MS);
  }

  function openThread(threadId: string, focus = false): void {
    setActive(threadId);
    panel.reveal(threadId, focus);
  }

  function closeComposer(refocus: boolean): void {
    const was = pending;
    pending = null;
    composer = null;
    panel.setComposer(null);
    if (was) {
      refreshCell(was.pairId, was.lang);
      if (refocus && !was.view.isDestroyed) was.view.focus();
    }
  }

  /** Opens the composer on the selected words of an editor. */
  function startComposer(view: EditorView): boolean {
    if (!canWrite(me)) return false;
    const cell = viewCell.get(view);
    const fragment = fragmentOf(view);
    if (!cell || !fragment) return false;
    syncSelectionFromDom(view);
    const selected = anchorFromSelection(view.state, fragment);
    if (!selected.ok) {
      options.notify(t(SELECTION_ERRORS[selected.reason]));
      return true;
    }
    if (pending) closeComposer(false);
    const { pairId, lang } = cell;
    pending = { pairId, lang, anchor: selected.anchor, view };
    const delegation = myDelegation(me);
    composer = createComposer({
      quote: selected.quote,
      lang,
      pairNumber: pairNumber(pairId),
      internalTo: delegation ? delegationName(delegation, parties) : null,
      cancel: () => closeComposer(true),
      submit: async (body, visibility) => {
        const target = pending;
        if (!target) return;
        const cellFragment = getPair(doc, target.pairId)?.cell(target.lang);
        // The words as they are now (others may have edited inside them meanwhile).
        const quote = cellFragment ? anchoredText(doc, cellFragment, target.anchor) : '';
        if (!quote) throw new Error(t('comments.error.textGone'));
        const thread = await api.createThread({ pairId: target.pairId, lang: target.lang, anchor: target.anchor, quote, visibility, body });
        store.upsert(thread);
        closeComposer(false);
        openThread(thread.id);
      },
    });
    hideBubble();
    panel.setOpen(true);
    panel.setComposer(composer);
    refreshCell(pairId, lang);
    return true;
  }

  const source: HighlightSource = {
    doc,
    threads: (pairId, lang) => store.forCell(pairId, lang),
    activeThreadId: () => activeThread,
    flashThreadId: () => flashThread,
    pending: () => pending,
    register(view, pairId, lang) {
      const key = cellKey(pairId, lang);
      const set = views.get(key) ?? new Set<EditorView>();
      set.add(view);
      views.set(key, set);
      viewCell.set(view, { pairId, lang });
      return () => {
        set.delete(view);
        if (set.size === 0 && views.get(key) === set) views.delete(key);
        if (activeView === view) {
          activeView = undefined;
          updateSelectionControls();
        }
      };
    },
    viewChanged(view) {
      if (view.hasFocus()) activeView = view;
      if (jumpSelection && jumpSelection.view === view && !selectionIsJump(view)) jumpSelection = undefined;
      if (view === activeView) updateSelectionControls();
    },
    openThread,
    commentShortcut: (view) => startComposer(view),
  };

  const onResize = (): void => hideBubble();
  window.addEventListener('resize', onResize);

  // ---------------------------------------------------------------- loading
  const loadThreads = async (): Promise<void> => {
    const mark = store.mark();
    try {
      const threads = await api.listThreads(abort.signal);
      loading = false;
      loadError = '';
      store.replaceAll(threads, mark);
    } catch (error) {
      if (abort.signal.aborted) return;
      loading = false;
      loadError = errorMessage(error);
      if (panel.isOpen()) panel.render();
    }
  };

  api.me(abort.signal).then(
    (answer) => {
      if (destroyed) return;
      me = answer.me;
      parties = answer.document.parties;
      // Writing controls exist only for those who may write.
      if (canWrite(me)) {
        tools.prepend(addButton);
        document.body.append(bubble);
      }
      ranges = new Map();
      renderAllBadges();
      if (panel.isOpen()) panel.render();
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      // Not signed in, not a member, no such declaration: the page says so; comments stay out of the way.
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) {
        tools.hidden = true;
        panel.setOpen(false);
        live.destroy();
      }
    },
  );
  void loadThreads();
  // Declared after the callbacks above that use it: they run later, once api.me answers.
  const live: LiveThreads = followThreads({
    documentId,
    onThread: (thread) => store.upsert(thread),
    onJoined: () => void loadThreads(),
    onRefused: (message) => {
      loadError = message;
      if (panel.isOpen()) panel.render();
    },
  });

  renderCounts();
  let initiallyOpen = false;
  try {
    initiallyOpen = localStorage.getItem(PANEL_STORAGE_KEY) === 'open';
  } catch {
    // storage disabled
  }
  if (initiallyOpen) panel.setOpen(true);

  return {
    tools,
    panel: panel.element,
    rowExtension(pairId) {
      return {
        plugins: (lang) => commentPlugins(source, pairId, lang),
        mount(slot) {
          slots.set(pairId, slot);
          renderBadges(pairId);
          return () => {
            if (slots.get(pairId) === slot) slots.delete(pairId);
          };
        },
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      abort.abort();
      live?.destroy();
      clearTimeout(flashTimer);
      clearTimeout(panelTimer);
      doc.off('update', onDocUpdate);
      window.removeEventListener('resize', onResize);
      bubble.remove();
      panel.element.remove();
      tools.remove();
      document.documentElement.classList.remove('has-comments-panel');
    },
  };
}
