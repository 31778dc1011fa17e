import type { EditorView } from 'prosemirror-view';
import { h, replaceChildren } from '../../lib/dom.ts';
import { ApiError, getDocument } from '../../lib/api.ts';
import { loadUser } from '../../lib/identity.ts';
import {
  deletePair,
  getPair,
  insertPair,
  movePair,
  orderArray,
  paragraphsMap,
  readOrder,
  readPairText,
  setPairKind,
  type PairKind,
} from '../../../shared/model/index.ts';
import { CloseCode, type DocumentSummary } from '../../../shared/protocol.ts';
import { createComments } from './comments/index.ts';
import { connectionStatus } from './connectionStatus.ts';
import { presence, type RemoteUser } from './presence.ts';
import { createRow, type Row } from './row.ts';
import { describeFatalClose, openSession } from './session.ts';
import { toolbar } from './toolbar.ts';

/**
 * The declaration page (`/d/<documentId>`): a sticky header (title, connection
 * state, who is here, formatting toolbar, column headings) and one row per
 * paragraph pair, kept in step with the shared Y.Doc.
 */

export interface Screen {
  destroy(): void;
}

/** Shown instead of the editors when the declaration cannot be opened at all. */
export function failurePanel(title: string, detail: string): HTMLElement {
  return h(
    'div',
    { class: 'failure', attrs: { role: 'alert', 'data-testid': 'fatal-error' } },
    h('h2', { class: 'failure__title', text: title }),
    h('p', { class: 'failure__detail', text: detail }),
    h('p', {}, h('a', { class: 'button', text: 'Back to the declarations', attrs: { href: '/' } })),
  );
}

export function declarationScreen(root: HTMLElement, documentId: string): Screen {
  const session = openSession(documentId);
  const { doc, awareness } = session;
  const rows = new Map<string, Row>();
  let ids: string[] = [];
  let failed = false;

  // ---------------------------------------------------------------- header
  const titleVi = h('h1', { class: 'doc-title__vi', text: documentId, attrs: { lang: 'vi', 'data-testid': 'title-vi' } });
  const titleFr = h('p', { class: 'doc-title__fr', attrs: { lang: 'fr', 'data-testid': 'title-fr' } });
  const parties = h('p', { class: 'doc-title__parties' });
  const connection = connectionStatus(session);
  const tools = toolbar();
  const notice = h('div', { class: 'notice', attrs: { role: 'alert', 'data-testid': 'notice', hidden: true } });

  const onActivity = (view: EditorView): void => tools.track(view);
  const comments = createComments({ documentId, doc, notify: (message) => showNotice(message) });

  const people = presence({
    awareness,
    doc,
    user: loadUser(),
    pairNumber: (id) => {
      const i = ids.indexOf(id);
      return i < 0 ? undefined : i + 1;
    },
    onChange: (users) => showPeopleInRows(users),
  });

  const header = h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      { class: 'page-header__top container' },
      h('a', { class: 'brand', text: 'Accord', attrs: { href: '/', title: 'All declarations' } }),
      h('div', { class: 'doc-title' }, titleVi, titleFr, parties),
      h('div', { class: 'page-header__status' }, connection.element, people.self),
    ),
    h('div', { class: 'page-header__bar container' }, tools.element, comments.tools, notice, people.others),
    h(
      'div',
      { class: 'columns container', attrs: { 'aria-hidden': 'true' } },
      h('span', { class: 'columns__meta', text: '¶' }),
      h('span', { class: 'columns__lang', text: 'Tiếng Việt', attrs: { lang: 'vi' } }),
      h('span', { class: 'columns__lang', text: 'Français', attrs: { lang: 'fr' } }),
      h('span'),
    ),
  );

  const list = h('div', { class: 'rows', attrs: { 'data-testid': 'pair-list' } });
  const status = h('div', { class: 'rows-status', attrs: { 'data-testid': 'rows-status' } }, 'Loading the declaration…');
  const main = h('main', { class: 'page-main container' }, list, status);
  replaceChildren(root, header, main, comments.panel);

  // Keep carets and scrolled-to rows clear of the sticky header.
  const scrollMargin = { top: 200, right: 8, bottom: 32, left: 8 };
  const measureHeader = (): void => {
    const height = Math.ceil(header.getBoundingClientRect().height);
    scrollMargin.top = height + 16;
    document.documentElement.style.setProperty('--header-height', `${height}px`);
  };
  const headerObserver = new ResizeObserver(measureHeader);
  headerObserver.observe(header);
  measureHeader();
  document.title = `${documentId} — Accord`;

  // ---------------------------------------------------------------- notices
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  const showNotice = (message: string): void => {
    notice.textContent = message;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (notice.hidden = true), 6000);
  };
  const attempt = (what: string, action: () => void): void => {
    try {
      action();
    } catch (error) {
      // E.g. someone else deleted the pair a moment ago.
      showNotice(`Could not ${what}: ${error instanceof Error ? error.message : String(error)}`);
      reconcile();
    }
  };

  // ---------------------------------------------------------------- actions
  const actions = {
    addAfter(id: string) {
      attempt('add a paragraph', () => {
        const kind = getPair(doc, id)?.kind ?? 'operative';
        const newId = insertPair(doc, { kind: kind === 'title' ? 'preamble' : kind }, id);
        reconcile();
        rows.get(newId)?.editors.vi.view.focus();
      });
    },
    remove(id: string) {
      const text = readPairText(doc, id);
      if (!text) return reconcile();
      const n = ids.indexOf(id) + 1;
      if ((text.vi.trim() || text.fr.trim()) && !window.confirm(`Delete paragraph ${n}? Its Vietnamese and French text will be removed for everyone.`)) {
        return;
      }
      attempt('delete the paragraph', () => {
        const next = ids[ids.indexOf(id) + 1] ?? ids[ids.indexOf(id) - 1];
        deletePair(doc, id);
        reconcile();
        if (next) rows.get(next)?.element.querySelector<HTMLElement>('[data-testid="add-after"]')?.focus();
      });
    },
    move(id: string, delta: -1 | 1) {
      const to = readOrder(doc).indexOf(id) + delta;
      if (to < 0 || to >= ids.length) return;
      attempt('move the paragraph', () => {
        movePair(doc, id, to);
        reconcile();
        rows.get(id)?.element.scrollIntoView({ block: 'nearest' });
      });
    },
    setKind(id: string, kind: PairKind) {
      attempt('change the kind', () => setPairKind(doc, id, kind));
    },
  };

  // ---------------------------------------------------------------- rows
  function showPeopleInRows(users: RemoteUser[]): void {
    const byPair = new Map<string, RemoteUser[]>();
    for (const u of users) {
      if (!u.at) continue;
      const list = byPair.get(u.at.pairId) ?? [];
      if (!list.some((x) => x.clientId === u.clientId)) list.push(u);
      byPair.set(u.at.pairId, list);
    }
    for (const [id, row] of rows) row.showPeople(byPair.get(id) ?? []);
  }

  const focusedView = (): EditorView | undefined => {
    for (const row of rows.values()) {
      for (const editor of Object.values(row.editors)) if (editor.view.hasFocus()) return editor.view;
    }
    return undefined;
  };

  /**
   * Brings the rows in line with the doc: destroys rows of deleted pairs,
   * creates rows for new ones, moves DOM nodes into reading order and
   * renumbers. A row whose pair still exists keeps its editors (and cursor).
   */
  function reconcile(): void {
    if (failed) return;
    ids = readOrder(doc);
    const wanted = new Set(ids);
    for (const [id, row] of rows) {
      const pair = getPair(doc, id);
      if (!wanted.has(id) || !pair || pair.map !== row.map) {
        for (const editor of Object.values(row.editors)) tools.forget(editor.view);
        row.destroy();
        rows.delete(id);
      }
    }

    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const activeView = focusedView();
    let cursor: ChildNode | null = list.firstChild;
    ids.forEach((id, i) => {
      let row = rows.get(id);
      if (!row) {
        const pair = getPair(doc, id);
        if (!pair) return;
        row = createRow({ pair, awareness, actions, onActivity, scrollMargin, extension: comments.rowExtension(id) });
        rows.set(id, row);
      }
      if (row.element === cursor) cursor = cursor.nextSibling;
      else list.insertBefore(row.element, cursor);
      row.place(i + 1, i === 0, i === ids.length - 1);
    });
    // Anything left is not a row of this doc any more.
    while (cursor) {
      const next: ChildNode | null = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    // Moving a DOM node blurs what is inside it: give the focus back.
    if (active && active.isConnected && document.activeElement !== active) {
      if (activeView && !activeView.isDestroyed) activeView.focus();
      else active.focus({ preventScroll: true });
    }

    if (!session.provider.synced && ids.length === 0) {
      status.hidden = false;
    } else if (ids.length === 0) {
      replaceChildren(
        status,
        h('p', { text: 'This declaration has no paragraphs yet.' }),
        h('button', {
          class: 'button',
          text: 'Add the first paragraph',
          attrs: { type: 'button', 'data-testid': 'add-first' },
          on: { click: () => attempt('add a paragraph', () => insertPair(doc, { kind: 'title' }, null)) },
        }),
      );
      status.hidden = false;
    } else {
      status.hidden = true;
    }
    people.refresh();
  }

  const order = orderArray(doc);
  const paragraphs = paragraphsMap(doc);
  const onStructure = (): void => reconcile();
  order.observe(onStructure);
  paragraphs.observe(onStructure);
  const onSync = (): void => reconcile();
  session.provider.on('sync', onSync);

  // ---------------------------------------------------------------- failures
  const fail = (title: string, detail: string): void => {
    if (failed) return;
    failed = true;
    comments.destroy();
    for (const row of rows.values()) row.destroy();
    rows.clear();
    tools.element.hidden = true;
    replaceChildren(main, failurePanel(title, detail));
    root.classList.add('is-failed');
  };
  session.onFatal((close) => {
    const detail =
      close.code === CloseCode.DocumentNotFound
        ? `There is no declaration “${documentId}” on this server. Check the address, or go back to the list of declarations.`
        : 'Reloading the page will not help until this is resolved. Go back to the list of declarations.';
    fail(describeFatalClose(close), detail);
  });

  // ---------------------------------------------------------------- title
  const abort = new AbortController();
  const showSummary = (summary: DocumentSummary): void => {
    titleVi.textContent = summary.title.vi;
    titleFr.textContent = summary.title.fr;
    parties.textContent = summary.parties.map((p) => `${p.name.vi} · ${p.name.fr}`).join('   —   ');
    document.title = `${summary.title.fr} — Accord`;
  };
  getDocument(documentId, abort.signal).then(showSummary, (error: unknown) => {
    if (abort.signal.aborted) return;
    if (error instanceof ApiError && error.status === 404) {
      session.markFatal({ code: CloseCode.DocumentNotFound, reason: error.message });
    }
    // Other failures (offline, server restarting): the title stays the id, editing goes on.
  });

  // ---------------------------------------------------------------- leaving
  const beforeUnload = (event: BeforeUnloadEvent): void => {
    if (!failed && session.hasUnsentEdits() && session.state() !== 'connected') {
      event.preventDefault();
      event.returnValue = '';
    }
  };
  window.addEventListener('beforeunload', beforeUnload);

  reconcile();

  return {
    destroy() {
      abort.abort();
      headerObserver.disconnect();
      clearTimeout(noticeTimer);
      window.removeEventListener('beforeunload', beforeUnload);
      order.unobserve(onStructure);
      paragraphs.unobserve(onStructure);
      session.provider.off('sync', onSync);
      for (const row of rows.values()) row.destroy();
      rows.clear();
      people.destroy();
      comments.destroy();
      connection.destroy();
      session.destroy();
    },
  };
}
