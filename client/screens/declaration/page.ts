import type { EditorView } from 'prosemirror-view';
import { h, replaceChildren } from '../../lib/dom.ts';
import type { DocumentMe } from '../../lib/api.ts';
import type { AppContext, Screen } from '../../lib/context.ts';
import { memberColor } from '../../lib/identity.ts';
import { brand } from '../../components/pageHeader.ts';
import { failurePanel } from '../../components/failurePanel.ts';
import { ModelError, ModelErrorReason } from '../../../shared/errors.ts';
import {
  capturePair,
  deletePair,
  getPair,
  insertPair,
  LANGS,
  movePair,
  orderArray,
  paragraphsMap,
  readOrder,
  readPairText,
  setPairKind,
  type PairKind,
} from '../../../shared/model/index.ts';
import { CloseCode, type DocumentSummary } from '../../../shared/protocol.ts';
import { getLocale, t, type MessageKey } from '../../i18n/index.ts';
import { connectionStatus } from './connectionStatus.ts';
import { identityBadge } from './identityBadge.ts';
import { followPairAnchor } from './pairAnchor.ts';
import { presence, type RemoteUser } from './presence.ts';
import { createRow, type Row } from './row.ts';
import { cursorRouter } from './cursorRouting.ts';
import { cellHistories } from './cellHistory.ts';
import { lazyRows } from './lazyRows.ts';
import { describeFatalClose, openSession } from './session.ts';
import { toolbar } from './toolbar.ts';
import { compactHeader } from './compactHeader.ts';
import { declarationApprovals } from './approvals/index.ts';
import { createComments } from './comments/index.ts';
import { createFindBar } from './find/findBar.ts';
import { deletedPairs } from './deletedPairs.ts';
import { pairHistoryPanel, type PairHistoryPanel } from './pairHistoryPanel.ts';

/**
 * The declaration page (`/d/<documentId>`) once the server has said who the
 * person is there: a sticky header (title, connection state, the person's
 * name, delegation and role, formatting toolbar, who else is here, column
 * headings) and one row per paragraph pair, kept in step with the shared
 * Y.Doc. Controls the role may not use are not built at all.
 */

export interface DeclarationPageOptions {
  ctx: AppContext;
  document: DocumentSummary;
  me: DocumentMe;
}

/** What went wrong with a structure edit, in words (the model's reasons, not its English messages). */
const MODEL_ERROR_KEYS: Record<ModelErrorReason, MessageKey> = {
  [ModelErrorReason.PairNotFound]: 'modelError.pairNotFound',
  [ModelErrorReason.NoNextPair]: 'modelError.noNextPair',
  [ModelErrorReason.InvalidOffset]: 'modelError.changedMeanwhile',
  [ModelErrorReason.InvalidKind]: 'modelError.invalidKind',
  [ModelErrorReason.InvalidIndex]: 'modelError.changedMeanwhile',
};

export function declarationPage(root: HTMLElement, options: DeclarationPageOptions): Screen {
  const { ctx, document: summary, me } = options;
  const documentId = summary.id;
  const editable = me.actions.includes('edit_text');
  const color = memberColor(summary.parties, me.role, me.partyId);
  const session = openSession(documentId);
  const { doc, awareness } = session;
  const cursors = cursorRouter(awareness, doc);
  const histories = cellHistories();
  // Editors only near the viewport (lazyRows.ts).
  const lazy = lazyRows();
  const rows = new Map<string, Row>();
  let ids: string[] = [];
  let failed = false;

  // ---------------------------------------------------------------- header
  const titleVi = h('h1', { class: 'doc-title__vi', text: summary.title.vi, attrs: { lang: 'vi', 'data-testid': 'title-vi' } });
  const titleFr = h('p', { class: 'doc-title__fr', text: summary.title.fr, attrs: { lang: 'fr', 'data-testid': 'title-fr' } });
  const parties = h('p', { class: 'doc-title__parties', text: summary.parties.map((p) => `${p.name.vi} · ${p.name.fr}`).join('   —   ') });
  const connection = connectionStatus(session);
  const identity = identityBadge(me, summary.parties, color, !editable);
  const tools = editable ? toolbar() : null;
  const notice = h('div', { class: 'notice', attrs: { role: 'alert', 'data-testid': 'notice', hidden: true } });
  const agreement = declarationApprovals({ documentId, doc });
  // showNotice is defined below; comments only notify after the page is built.
  const comments = createComments({
    documentId,
    doc,
    notify: (message) => showNotice(message),
    openCell: (pairId) => rows.get(pairId)?.goLive(),
  });

  const onActivity = (view: EditorView): void => tools?.track(view);
  const list = h('div', { class: 'rows', attrs: { 'data-testid': 'pair-list' } });
  const find = createFindBar({
    doc,
    editable,
    list,
    rowElement: (id) => rows.get(id)?.element,
    pairNumber: (id) => (ids.indexOf(id) < 0 ? undefined : ids.indexOf(id) + 1),
    notify: (message) => showNotice(message),
  });
  const main = h('main', { class: 'page-main container' });
  // Under the rows: "Recently deleted", for those who may edit (deletedPairs.ts).
  const footer = h('div', { class: 'rows-footer' });
  const deleted = editable
    ? deletedPairs({
        documentId,
        doc,
        parties: summary.parties,
        host: footer,
        notify: (message) => showNotice(message),
        onRestored: (id) => {
          reconcile();
          const row = rows.get(id);
          row?.element.scrollIntoView({ block: 'nearest' });
          row?.element.querySelector<HTMLElement>('[data-testid="add-after"]')?.focus();
        },
      })
    : null;
  // One pair's history open at a time (pairHistoryPanel.ts).
  let historyPanel: PairHistoryPanel | undefined;
  const openHistory = (row: Row): void => {
    const same = historyPanel?.pairId === row.id;
    historyPanel?.close();
    if (same) return;
    const panel = pairHistoryPanel(row.element, {
      documentId,
      pairId: row.id,
      number: row.number,
      parties: summary.parties,
      onClose: () => {
        if (historyPanel === panel) historyPanel = undefined;
      },
    });
    historyPanel = panel;
  };

  const people = presence({
    awareness,
    doc,
    user: { name: me.name, color },
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
      brand(),
      h('div', { class: 'doc-title' }, titleVi, titleFr, parties),
      h('div', { class: 'page-header__status' }, connection.element, identity.element),
    ),
    h('div', { class: 'page-header__bar container' }, tools?.element ?? null, notice, people.others, find.button, comments.tools, agreement.bar),
    find.element,
    h(
      'div',
      { class: 'columns container', attrs: { 'aria-hidden': 'true' } },
      h('span', { class: 'columns__meta', text: '¶' }),
      h('span', { class: 'columns__lang', text: t('lang.vi') }),
      h('span', { class: 'columns__lang', text: t('lang.fr') }),
      h('span'),
    ),
  );

  const status = h('div', { class: 'rows-status', attrs: { 'data-testid': 'rows-status' } }, t('declaration.loading'));
  if (deleted) footer.append(deleted.button);
  main.append(agreement.structure, list, status, ...(deleted ? [footer, deleted.toast] : []));
  root.classList.toggle('is-read-only', !editable);
  replaceChildren(root, header, main, comments.panel);

  // Keep carets and scrolled-to rows clear of the sticky header.
  const scrollMargin = { top: 200, right: 8, bottom: 32, left: 8 };
  const measureHeader = (): void => {
    const height = Math.ceil(header.getBoundingClientRect().height);
    scrollMargin.top = height + 16;
    document.documentElement.style.setProperty('--header-height', `${height}px`);
  };
  // On a small screen the header folds while someone types (compactHeader.ts).
  const folding = compactHeader(header, list);
  const headerObserver = new ResizeObserver(measureHeader);
  headerObserver.observe(header);
  measureHeader();
  document.title = `${summary.title[getLocale() === 'vi' ? 'vi' : 'fr']} — ${t('app.name')}`;

  // ---------------------------------------------------------------- notices
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** A message in the header bar; passing ones fade after a while, lasting ones stay. */
  const showNotice = (message: string, lasting = false): void => {
    notice.textContent = message;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    if (!lasting) noticeTimer = setTimeout(() => (notice.hidden = true), 6000);
  };
  const attempt = (what: MessageKey, action: () => void): void => {
    try {
      action();
    } catch (error) {
      // E.g. someone else deleted the pair a moment ago.
      const reason = error instanceof ModelError ? t(MODEL_ERROR_KEYS[error.reason]) : t('modelError.unexpected');
      showNotice(t(what, { reason }));
      reconcile();
    }
  };

  // ---------------------------------------------------------------- actions
  const actions = {
    addAfter(id: string) {
      attempt('notice.addFailed', () => {
        const kind = getPair(doc, id)?.kind ?? 'operative';
        const newId = insertPair(doc, { kind: kind === 'title' ? 'preamble' : kind }, id);
        reconcile();
        rows.get(newId)?.focusCell('vi');
      });
    },
    remove(id: string) {
      const text = readPairText(doc, id);
      if (!text) return reconcile();
      const n = ids.indexOf(id) + 1;
      if ((text.vi.trim() || text.fr.trim()) && !window.confirm(t('row.deleteConfirm', { number: n }))) {
        return;
      }
      attempt('notice.deleteFailed', () => {
        const next = ids[ids.indexOf(id) + 1] ?? ids[ids.indexOf(id) - 1];
        const before = capturePair(doc, id);
        deletePair(doc, id);
        if (before) deleted?.offer(before);
        reconcile();
        if (next) rows.get(next)?.element.querySelector<HTMLElement>('[data-testid="add-after"]')?.focus();
      });
    },
    move(id: string, delta: -1 | 1) {
      const to = readOrder(doc).indexOf(id) + delta;
      if (to < 0 || to >= ids.length) return;
      attempt('notice.moveFailed', () => {
        movePair(doc, id, to);
        reconcile();
        rows.get(id)?.element.scrollIntoView({ block: 'nearest' });
      });
    },
    setKind(id: string, kind: PairKind) {
      attempt('notice.kindFailed', () => setPairKind(doc, id, kind));
    },
  };

  // ---------------------------------------------------------------- rows
  function showPeopleInRows(users: RemoteUser[]): void {
    const byPair = new Map<string, RemoteUser[]>();
    for (const u of users) {
      if (!u.at) continue;
      const list = byPair.get(u.at.pairId) ?? [];
      if (!list.some((x) => x.clientId === u.clientId || (u.accountId !== undefined && x.accountId === u.accountId))) list.push(u);
      byPair.set(u.at.pairId, list);
    }
    for (const [id, row] of rows) row.showPeople(byPair.get(id) ?? []);
  }

  const focusedView = (): EditorView | undefined => {
    for (const row of rows.values()) {
      for (const lang of LANGS) if (row.editor(lang)?.view.hasFocus()) return row.editor(lang)!.view;
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
        agreement.detach(id);
        lazy.remove(row);
        row.destroy();
        rows.delete(id);
      }
    }

    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const activeView = focusedView();
    let cursor: ChildNode | null = list.firstChild;
    let moved = false;
    ids.forEach((id, i) => {
      let row = rows.get(id);
      if (row && row.element !== cursor) moved = true;
      if (!row) {
        const pair = getPair(doc, id);
        if (!pair) return;
        row = createRow({
          pair,
          awareness: (lang) => cursors.forCell(id, lang),
          actions,
          editable,
          onActivity,
          scrollMargin,
          extension: comments.rowExtension(id),
          histories,
          onEditorGone: (view) => tools?.forget(view),
          onHistory: openHistory,
        });
        rows.set(id, row);
        lazy.add(row);
        agreement.attach(id, row.slot);
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
    // A row moved from far away may now be near without the observer having watched it come.
    if (moved) lazy.rewatch();
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
        h('p', { text: t('declaration.empty') }),
        editable
          ? h('button', {
              class: 'button',
              text: t('declaration.addFirst'),
              attrs: { type: 'button', 'data-testid': 'add-first' },
              on: { click: () => attempt('notice.addFailed', () => insertPair(doc, { kind: 'title' }, null)) },
            })
          : null,
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
  // `#p5` in the address (a Status row's link): open at that ¶ once the rows hold the server's text.
  const anchor = followPairAnchor((n) => (ids[n - 1] ? rows.get(ids[n - 1]!)?.element : undefined));
  let anchorState: 'waiting' | 'settling' | 'done' = 'waiting';
  const onSync = (): void => {
    reconcile();
    if (anchorState === 'waiting' && session.provider.synced) {
      anchorState = 'settling';
      anchor.reveal();
    }
    // The rows now hold the server's text and those in view have their editors: say so
    // (`data-ready` on the list), for anyone waiting to type, e.g. tests and the browser bench.
    lazy.whenSettled(() => {
      if (session.provider.synced && !failed) list.dataset.ready = 'true';
      // The rows above it have their real heights now: the linked ¶ is where the first scroll meant.
      if (anchorState === 'settling' && !failed) {
        anchorState = 'done';
        anchor.reveal();
      }
    });
  };
  session.provider.on('sync', onSync);

  // ---------------------------------------------------------------- failures
  const fail = (title: string, detail: string): void => {
    if (failed) return;
    failed = true;
    comments.destroy();
    find.destroy();
    find.element.hidden = find.button.hidden = true;
    lazy.destroy();
    for (const row of rows.values()) row.destroy();
    rows.clear();
    histories.destroy();
    if (tools) tools.element.hidden = true;
    replaceChildren(main, failurePanel(title, detail));
    root.classList.add('is-failed');
  };
  session.onFatal((close) => {
    // The session ended (signed out elsewhere, expired): the signed-out page says what to do.
    // (Deferred: the new screen destroys this one, which must not happen inside the provider's close handler.)
    if (close.code === CloseCode.Unauthorized) return void setTimeout(() => ctx.signedOut('ended'));
    const detail =
      close.code === CloseCode.DocumentNotFound
        ? t('declaration.notFound.detail', { id: documentId })
        : close.code === CloseCode.Forbidden
          ? t('declaration.forbidden.detail')
          : t('declaration.fatal.detail');
    fail(describeFatalClose(close), detail);
  });
  session.onPermissionDenied((reason) => {
    // On a read-only page this only completes the badge's explanation (the
    // editors refuse changes before they are sent). On a page that thought it
    // could edit, the person must know their edits were refused.
    if (!editable) identity.explainReadOnly(reason);
    else showNotice(t('notice.permissionDenied', { reason }), true);
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
      headerObserver.disconnect();
      folding.destroy();
      root.classList.remove('is-read-only', 'is-failed');
      clearTimeout(noticeTimer);
      window.removeEventListener('beforeunload', beforeUnload);
      order.unobserve(onStructure);
      paragraphs.unobserve(onStructure);
      session.provider.off('sync', onSync);
      anchor.destroy();
      lazy.destroy();
      for (const row of rows.values()) row.destroy();
      rows.clear();
      histories.destroy();
      people.destroy();
      cursors.destroy();
      agreement.destroy();
      comments.destroy();
      find.destroy();
      deleted?.destroy();
      historyPanel?.close();
      connection.destroy();
      session.destroy();
    },
  };
}
