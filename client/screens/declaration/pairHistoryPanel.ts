import type { PartySummary } from '../../../shared/protocol.ts';
import { h, replaceChildren } from '../../lib/dom.ts';
import { errorMessage } from '../../lib/agreementApi.ts';
import { historyApi, type PairHistory, type PairHistoryEntry } from '../../lib/historyApi.ts';
import { formatDateTime, t, type MessageKey } from '../../i18n/index.ts';
import { delegationName } from './deletedPairs.ts';

/**
 * A pair's history under its row (issue 21, points 8 and 15): who typed in
 * which language and when, who deleted or brought it back, and each current
 * approval with whether the text changed after it — also when it was changed
 * back, so an "agreed" that returned keeps the trace of the interim change.
 */

export interface PairHistoryPanel {
  readonly pairId: string;
  close(): void;
}

const ENTRY_KEY: Record<PairHistoryEntry['what'], MessageKey> = {
  edit: 'history.entry.edit',
  deleted: 'history.entry.deleted',
  restored: 'history.entry.restored',
};

export function pairHistoryPanel(
  host: HTMLElement,
  options: { documentId: string; pairId: string; number: number; parties: PartySummary[]; onClose(): void },
): PairHistoryPanel {
  const abort = new AbortController();
  const party = (id: string | null) => delegationName(options.parties, id);
  const heading = h('h3', { class: 'pair-history__title', text: t('history.title', { number: options.number }), attrs: { id: `history-${options.pairId}` } });
  const body = h('div', { class: 'pair-history__body', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: t('history.loading') }));
  const element = h(
    'section',
    {
      class: 'pair-history',
      attrs: { 'data-testid': 'pair-history', 'aria-labelledby': heading.id },
      on: { keydown: (event) => event.key === 'Escape' && close() },
    },
    h(
      'header',
      { class: 'pair-history__header' },
      heading,
      h('button', { class: 'btn btn--quiet btn--small', text: t('history.close'), attrs: { type: 'button', 'data-testid': 'pair-history-close' }, on: { click: () => close() } }),
    ),
    body,
  );
  host.append(element);

  const time = (from: string, to: string): string => (formatDateTime(from) === formatDateTime(to) ? formatDateTime(from) : `${formatDateTime(from)} – ${formatDateTime(to)}`);
  const show = ({ entries, approvals }: PairHistory): void => {
    body.removeAttribute('aria-busy');
    const approvalItems = approvals.map((a) =>
      h(
        'li',
        { class: 'pair-history__approval', attrs: { 'data-testid': 'history-approval', 'data-party': a.partyId } },
        h('span', { text: t(a.status === 'agreed' ? 'history.approval.agreed' : 'history.approval.reserved', { party: party(a.partyId), name: a.name, time: formatDateTime(a.at) }) }),
        a.editedSince
          ? h('span', { class: 'pair-history__note', attrs: { 'data-testid': 'history-edited-since' }, text: ` ${t(a.current ? 'history.approval.editedBack' : 'history.approval.edited')}` })
          : null,
      ),
    );
    const entryItems = [...entries].reverse().map((e) =>
      h(
        'li',
        { class: 'pair-history__entry', attrs: { 'data-testid': 'history-entry', 'data-what': e.what } },
        h('span', {
          class: 'pair-history__what',
          text: t(ENTRY_KEY[e.what], { name: e.name, delegation: party(e.partyId), lang: e.lang ? t(e.lang === 'vi' ? 'history.lang.vi' : 'history.lang.fr') : '' }),
        }),
        h('span', { class: 'pair-history__time muted', text: ` · ${time(e.from, e.to)}` }),
        e.afterApprovalOf.length
          ? h('span', { class: 'pair-history__after', text: ` · ${t('history.entry.afterApproval', { parties: e.afterApprovalOf.map(party).join(', ') })}` })
          : null,
      ),
    );
    replaceChildren(
      body,
      approvalItems.length ? h('ul', { class: 'pair-history__approvals' }, ...approvalItems) : null,
      entryItems.length ? h('ul', { class: 'pair-history__entries' }, ...entryItems) : h('p', { class: 'muted', text: t('history.empty') }),
    );
    element.scrollIntoView({ block: 'nearest' });
  };

  historyApi.pairHistory(options.documentId, options.pairId, abort.signal).then(show, (error: unknown) => {
    if (abort.signal.aborted) return;
    body.removeAttribute('aria-busy');
    replaceChildren(body, h('p', { class: 'approvals__error', text: errorMessage(error), attrs: { role: 'alert' } }));
  });

  function close(): void {
    abort.abort();
    element.remove();
    options.onClose();
  }
  return { pairId: options.pairId, close };
}
