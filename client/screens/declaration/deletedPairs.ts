import type * as Y from 'yjs';
import type { PartySummary } from '../../../shared/protocol.ts';
import { restorePair, type DeletedPair } from '../../../shared/model/index.ts';
import { h, replaceChildren } from '../../lib/dom.ts';
import { errorMessage } from '../../lib/agreementApi.ts';
import { historyApi, type DeletedPairView } from '../../lib/historyApi.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { partyName } from './approvals/statusChip.ts';
import './history.css';

/**
 * Bringing deleted pairs back (issue 21, point 2). Right after a delete, a
 * toast offers "Undo" (and Ctrl+Z / ⌘Z, when the focus is not in a cell, whose
 * own history it is); "Recently deleted" lists what the server kept of every
 * deleted pair. Both restore the pair under its own id, with its text, kind
 * and place, as one ordinary Yjs edit through the sync path (the server
 * checks it like any other): its comment threads, kept per pair id, are its
 * own again.
 */

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad|od)/.test(navigator.platform);
/** How long the toast offers to undo. */
const UNDO_OFFER_MS = 12_000;
const SNIPPET_WORDS = 12;

/** The delegation an entry names (the secretariat speaks for none). */
export function delegationName(parties: PartySummary[], partyId: string | null): string {
  const party = parties.find((p) => p.id === partyId);
  return party ? partyName(party) : t('history.secretariat');
}

/** The first words of a cell, for people (never its id). */
export function firstWords(content: DeletedPair['vi']): string {
  const words = content.map((p) => p.map((r) => r.text).join('')).join(' ').trim().split(/\s+/);
  return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(' ')}…` : words.join(' ');
}

export interface DeletedPairsOptions {
  documentId: string;
  doc: Y.Doc;
  parties: PartySummary[];
  /** Where "Recently deleted" opens (under the rows, after its button). */
  host: HTMLElement;
  notify(message: string): void;
  /** A pair is back: e.g. put the focus in it. */
  onRestored(pairId: string): void;
}

export interface DeletedPairs {
  /** The toast (fixed at the foot of the window). */
  readonly toast: HTMLElement;
  /** The "Recently deleted" button (under the rows). */
  readonly button: HTMLElement;
  /** A pair was just deleted here: offer to undo it. */
  offer(pair: DeletedPair): void;
  destroy(): void;
}

export function deletedPairs(options: DeletedPairsOptions): DeletedPairs {
  const { doc } = options;
  /** Deleted by this page while the toast is up, last on top. */
  let undoable: DeletedPair[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const restore = (pair: DeletedPair): boolean => {
    if (!restorePair(doc, pair)) {
      options.notify(t('history.restore.exists'));
      return false;
    }
    options.notify(t('history.restored', { number: pair.index + 1 }));
    options.onRestored(pair.id);
    return true;
  };

  const toastText = h('span', { class: 'undo-toast__text' });
  const undoButton = h('button', {
    class: 'btn btn--small',
    text: t('history.undo'),
    attrs: { type: 'button', 'data-testid': 'undo-delete', title: t('history.undo.title', { shortcut: isMac ? '⌘Z' : 'Ctrl+Z' }) },
    on: { click: () => undoLast() },
  });
  const toast = h('div', { class: 'undo-toast', attrs: { role: 'status', 'data-testid': 'undo-toast', hidden: true } }, toastText, undoButton);

  const hideToast = (): void => {
    clearTimeout(timer);
    undoable = [];
    toast.hidden = true;
  };
  const undoLast = (): void => {
    const pair = undoable.pop();
    if (!pair) return hideToast();
    restore(pair);
    if (undoable.length === 0) hideToast();
    else toastText.textContent = t('history.undo.deleted', { number: undoable.at(-1)!.index + 1 });
  };

  // Ctrl+Z outside a cell: a cell's own Ctrl+Z undoes its typing (cellHistory.ts).
  const onKeydown = (event: KeyboardEvent): void => {
    if (undoable.length === 0 || event.defaultPrevented) return;
    if (!(isMac ? event.metaKey : event.ctrlKey) || event.shiftKey || event.altKey || event.key.toLowerCase() !== 'z') return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    if (target?.closest('[contenteditable="true"], input, textarea, select')) return;
    event.preventDefault();
    undoLast();
  };
  document.addEventListener('keydown', onKeydown);

  // ---------------------------------------------------------------- recently deleted
  let panel: HTMLElement | undefined;
  let abort: AbortController | undefined;
  const closePanel = (): void => {
    abort?.abort();
    panel?.remove();
    panel = undefined;
    button.setAttribute('aria-expanded', 'false');
  };
  const item = (d: DeletedPairView): HTMLElement => {
    const restoreButton = h('button', {
      class: 'btn btn--small',
      text: t('history.deleted.restore'),
      attrs: { type: 'button', 'data-testid': 'restore-pair', title: t('history.deleted.restore.title', { number: d.number }) },
      on: {
        click: () => {
          const pair: DeletedPair = { id: d.pairId, kind: d.kind, vi: d.vi, fr: d.fr, afterId: d.afterId, index: d.number - 1 };
          if (restore(pair)) li.remove();
          if (list.children.length === 0) replaceChildren(list, h('li', { class: 'muted', text: t('history.deleted.empty') }));
        },
      },
    });
    const li = h(
      'li',
      { class: 'deleted-pairs__item', attrs: { 'data-testid': 'deleted-pair' } },
      h('p', { class: 'deleted-pairs__who', text: t('history.deleted.by', { number: d.number, name: d.name, delegation: delegationName(options.parties, d.partyId), time: formatDateTime(d.deletedAt) }) }),
      h('p', { class: 'deleted-pairs__text', text: firstWords(d.vi), attrs: { lang: 'vi' } }),
      h('p', { class: 'deleted-pairs__text', text: firstWords(d.fr), attrs: { lang: 'fr' } }),
      restoreButton,
    );
    return li;
  };
  const list = h('ul', { class: 'deleted-pairs__list' });
  const openPanel = (): void => {
    if (panel) return closePanel();
    abort = new AbortController();
    replaceChildren(list, h('li', { class: 'muted', text: t('history.deleted.loading') }));
    const heading = h('h2', { class: 'deleted-pairs__title', text: t('history.deleted.title'), attrs: { id: 'deleted-pairs-title' } });
    panel = h(
      'section',
      {
        class: 'deleted-pairs',
        attrs: { 'data-testid': 'deleted-pairs', 'aria-labelledby': heading.id },
        on: { keydown: (event) => event.key === 'Escape' && closePanel() },
      },
      h(
        'header',
        { class: 'deleted-pairs__header' },
        heading,
        h('button', { class: 'btn btn--quiet btn--small', text: t('history.close'), attrs: { type: 'button', 'data-testid': 'deleted-pairs-close' }, on: { click: closePanel } }),
      ),
      list,
    );
    options.host.append(panel);
    panel.scrollIntoView({ block: 'nearest' });
    button.setAttribute('aria-expanded', 'true');
    historyApi.recentlyDeleted(options.documentId, abort.signal).then(
      (pairs) => replaceChildren(list, ...(pairs.length ? pairs.map(item) : [h('li', { class: 'muted', text: t('history.deleted.empty') })])),
      (error: unknown) => {
        if (!abort?.signal.aborted) replaceChildren(list, h('li', { class: 'approvals__error', text: errorMessage(error), attrs: { role: 'alert' } }));
      },
    );
  };
  const button = h('button', {
    class: 'btn btn--quiet btn--small',
    text: t('history.deleted.open'),
    attrs: { type: 'button', 'data-testid': 'recently-deleted', title: t('history.deleted.open.title'), 'aria-expanded': 'false' },
    on: { click: openPanel },
  });

  return {
    toast,
    button,
    offer(pair) {
      undoable.push(pair);
      toastText.textContent = t('history.undo.deleted', { number: pair.index + 1 });
      toast.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hideToast, UNDO_OFFER_MS);
    },
    destroy() {
      hideToast();
      closePanel();
      document.removeEventListener('keydown', onKeydown);
    },
  };
}
