import type { ApprovalStatus } from '../../../shared/approvals.ts';
import type { PartySummary } from '../../../shared/protocol.ts';
import { h, replaceChildren } from '../../lib/dom.ts';
import { agreementApi, errorMessage, type PairText } from '../../lib/agreementApi.ts';
import { liveApprovals, type LiveState } from '../../lib/liveApprovals.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/index.ts';
import { partyName, statusChip } from '../declaration/approvals/statusChip.ts';
import { structureChangesPanel, type StructureChangesPanel } from '../declaration/approvals/structureChanges.ts';
import { pairHref } from '../declaration/pairAnchor.ts';
import { agreementPage } from './agreementNav.ts';
import { auditList } from '../../components/auditList.ts';
import type { AppContext } from '../../lib/context.ts';
import './status.css';
import './matrixStacked.css';

/**
 * The status matrix (`/d/<id>/status`): every pair against every party, each
 * cell the party's status for that pair, a first row for the structure (the
 * order and kinds of the pairs, with "What changed" when stale), and the
 * progress figure "n of N pairs agreed by all parties" with whether the
 * structure is — all live.
 */

const KIND_KEY: Record<string, MessageKey> = {
  title: 'agreement.kind.title',
  preamble: 'agreement.kind.preamble',
  operative: 'agreement.kind.operative',
  closing: 'agreement.kind.closing',
};

const SNIPPET = 110;

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET).replace(/\s+\S*$/, '')}…` : flat;
}

export function liveIndicator(): { element: HTMLElement; render(state: LiveState, failure?: string): void } {
  const label = h('span', { class: 'live__label' });
  const element = h('span', { class: 'live', attrs: { 'data-testid': 'live-state', role: 'status' } }, h('span', { class: 'live__dot', attrs: { 'aria-hidden': 'true' } }), label);
  return {
    element,
    render(state, failure) {
      element.dataset.state = state;
      label.textContent =
        state === 'live' ? t('agreement.live.live') : state === 'loading' ? t('agreement.live.loading') : state === 'offline' ? t('agreement.live.offline') : (failure ?? t('agreement.live.failed'));
    },
  };
}

export function statusScreen(root: HTMLElement, ctx: AppContext, documentId: string): { destroy(): void } {
  const page = agreementPage(root, ctx, documentId, 'status', t('agreement.status.pageTitle'));
  const live = liveApprovals(documentId);
  const abort = new AbortController();
  const indicator = liveIndicator();
  page.aside.append(indicator.element);
  indicator.render(live.state());

  let texts = new Map<string, PairText>();
  const figure = h('p', { class: 'progress__figure', attrs: { 'data-testid': 'status-progress' } });
  const meter = h('div', { class: 'progress__meter', attrs: { role: 'progressbar', 'aria-valuemin': 0 } }, h('span', { class: 'progress__fill' }));
  const structureLine = h('p', { class: 'progress__structure', attrs: { 'data-testid': 'status-structure' } });
  const perParty = h('ul', { class: 'progress__parties' });
  const table = h('div', { class: 'matrix-wrap' });
  const structurePanelSlot = h('div', { class: 'matrix-structure-panel' });
  let structurePanel: StructureChangesPanel | undefined;
  const openStructureChanges = (partyId: string): void => {
    const same = structurePanel?.partyId === partyId;
    structurePanel?.close();
    if (same) return;
    // Read-only here: a head agrees the structure on the declaration page, where the whole text is shown.
    structurePanel = structureChangesPanel(structurePanelSlot, {
      live,
      partyId,
      mayAgree: false,
      agree: async () => {},
      onClose: () => {
        structurePanel = undefined;
        render();
      },
    });
    render();
  };
  const message = h('div', { class: 'agreement-message', attrs: { role: 'alert', hidden: true } });
  replaceChildren(
    page.main,
    h('section', { class: 'progress', attrs: { 'aria-label': t('agreement.status.progressLabel') } }, figure, meter, structureLine, perParty),
    message,
    table,
    structurePanelSlot,
    legend(),
  );

  const render = (): void => {
    const parties = live.parties();
    if (parties.length === 0) return;
    const ids = live.pairIds();
    const { agreedByAll, total, structureAgreed, complete } = live.progress();
    figure.replaceChildren(
      h('strong', { text: formatNumber(agreedByAll) }),
      ' ',
      t('agreement.status.ofPairs', { total }),
    );
    figure.dataset.agreed = String(agreedByAll);
    figure.dataset.total = String(total);
    figure.dataset.complete = total > 0 && complete ? 'true' : 'false';
    structureLine.textContent = t(structureAgreed ? 'structure.progress.agreed' : 'structure.progress.notAgreed');
    structureLine.dataset.agreed = String(structureAgreed);
    meter.setAttribute('aria-valuemax', String(total));
    meter.setAttribute('aria-valuenow', String(agreedByAll));
    meter.setAttribute('aria-label', t('agreement.progress', { n: agreedByAll, total }));
    (meter.firstElementChild as HTMLElement).style.width = total === 0 ? '0' : `${(100 * agreedByAll) / total}%`;

    replaceChildren(
      perParty,
      ...parties.map((party) => {
        const counts: Record<ApprovalStatus, number> = { agreed: 0, reserved: 0, stale: 0, pending: 0 };
        for (const id of ids) counts[live.statusOf(id, party.id).status]++;
        return h(
          'li',
          { class: 'progress__party', attrs: { 'data-party': party.id } },
          h('span', { class: 'progress__party-name', text: partyName(party) }),
          ...(['agreed', 'reserved', 'stale', 'pending'] as const)
            .filter((s) => counts[s] > 0)
            .map((s) => h('span', { class: `tally tally--${s}`, text: t(`agreement.tally.${s}`, { n: counts[s] }) })),
        );
      }),
    );

    const head = h(
      'tr',
      {},
      h('th', { class: 'matrix__num', text: '¶', attrs: { scope: 'col' } }),
      h('th', { class: 'matrix__pair', text: t('agreement.status.pair'), attrs: { scope: 'col' } }),
      ...parties.map((party) => h('th', { class: 'matrix__party', text: partyName(party), attrs: { scope: 'col', 'data-party': party.id } })),
      h('th', { class: 'matrix__all', text: t('agreement.status.allParties'), attrs: { scope: 'col' } }),
    );
    const structureStatuses = parties.map((party) => ({ party, ...live.structureStatusOf(party.id) }));
    const structureRow = h(
      'tr',
      { class: 'matrix__structure', attrs: { 'data-testid': 'matrix-structure', 'data-all-agreed': structureAgreed ? 'true' : 'false' } },
      h('td', { class: 'matrix__num', text: '' }),
      h('th', { class: 'matrix__pair', attrs: { scope: 'row', title: t('structure.hint') } }, h('span', { class: 'matrix__structure-label', text: t('structure.label') })),
      ...structureStatuses.map((s) => {
        const open = structurePanel?.partyId === s.party.id;
        const extra =
          s.status === 'stale'
            ? h('button', {
                class: 'chip__link',
                text: open ? t('agreement.changes.hide') : t('agreement.changes.open'),
                attrs: { type: 'button', 'data-testid': 'structure-what-changed', 'aria-expanded': open ? 'true' : 'false' },
                on: { click: () => openStructureChanges(s.party.id) },
              })
            : null;
        return h('td', { class: 'matrix__cell', attrs: { 'data-party': s.party.id, 'data-status': s.status } }, cellParty(s.party), statusChip({ party: s.party, status: s.status, approval: s.approval, subject: 'structure', extra }));
      }),
      h('td', { class: 'matrix__all' }, structureAgreed ? h('span', { class: 'matrix__tick', text: '✓', attrs: { title: t('structure.progress.agreed') } }) : null),
    );
    const body = ids.map((id, i) => {
      const text = texts.get(id);
      const statuses = parties.map((party) => ({ party, ...live.statusOf(id, party.id) }));
      const all = statuses.every((s) => s.status === 'agreed');
      return h(
        'tr',
        { attrs: { 'data-testid': 'matrix-row', 'data-pair-id': id, 'data-all-agreed': all ? 'true' : 'false' } },
        h('td', { class: 'matrix__num' }, h('a', { class: 'matrix__num-link', text: formatNumber(i + 1), attrs: { href: pairHref(documentId, i + 1), 'aria-label': t('signing.openPair', { number: i + 1 }) } })),
        h(
          'th',
          { class: 'matrix__pair', attrs: { scope: 'row' } },
          // The row opens the declaration at its pair (#p5, declaration/pairAnchor.ts).
          h(
            'a',
            { class: 'matrix__pair-link', attrs: { href: pairHref(documentId, i + 1), 'data-testid': 'matrix-pair-link', title: t('signing.openPair', { number: i + 1 }) } },
            h('span', { class: 'matrix__kind', text: text ? t(KIND_KEY[text.kind] ?? 'agreement.kind.operative') : '' }),
            h('span', { class: 'matrix__snippet', text: text ? snippet(text.vi) : '…', attrs: { lang: 'vi' } }),
            text ? h('span', { class: 'matrix__snippet matrix__snippet--fr', text: snippet(text.fr), attrs: { lang: 'fr' } }) : null,
          ),
        ),
        ...statuses.map((s) =>
          h('td', { class: 'matrix__cell', attrs: { 'data-party': s.party.id, 'data-status': s.status } }, cellParty(s.party), statusChip({ party: s.party, status: s.status, approval: s.approval })),
        ),
        h('td', { class: 'matrix__all' }, all ? h('span', { class: 'matrix__tick', text: '✓', attrs: { title: t('agreement.status.agreedByAll') } }) : null),
      );
    });
    replaceChildren(
      table,
      h(
        'table',
        { class: 'matrix', attrs: { 'data-testid': 'status-matrix' } },
        h('caption', { class: 'visually-hidden', text: t('agreement.status.caption') }),
        h('thead', {}, head),
        h('tbody', {}, structureRow, ...body),
      ),
    );
  };

  let textTimer: ReturnType<typeof setTimeout> | undefined;
  const loadTexts = (): void => {
    agreementApi.pairs(documentId, abort.signal).then(
      (pairs) => {
        texts = new Map(pairs.map((p) => [p.id, p]));
        render();
      },
      () => {
        // The snippets are a convenience: the matrix works without them.
      },
    );
  };
  const offChange = live.subscribe(() => {
    render();
    structurePanel?.update();
    clearTimeout(textTimer);
    textTimer = setTimeout(loadTexts, 400);
  });
  const offState = live.onState((state) => indicator.render(state, live.failure()));
  live.ready.then(
    () => {
      const summary = live.document();
      if (summary) page.showDocument(summary);
      render();
      showPartyLog();
    },
    (error: unknown) => {
      message.textContent = errorMessage(error);
      message.hidden = false;
      indicator.render('failed', errorMessage(error));
    },
  );
  loadTexts();

  // A head sees, under the matrix, who joined, left or got a sign-in link for their delegation and by whom
  // (the server sends a head only their party's entries; the secretariat reads all of it on the admin page).
  function showPartyLog(): void {
    const me = live.me();
    const party = live.parties().find((p) => p.id === me?.partyId);
    if (me?.role !== 'head' || !party || abort.signal.aborted) return;
    const log = auditList(documentId, () => live.parties(), { title: t('audit.titleParty', { party: partyName(party) }), onSignedOut: () => window.location.assign('/') });
    page.main.append(log.element);
  }

  return {
    destroy() {
      abort.abort();
      clearTimeout(textTimer);
      structurePanel?.close();
      offChange();
      offState();
      live.destroy();
    },
  };
}

/** The party's name in its cell, shown where the columns are stacked (a phone: status.css); the column heading names it otherwise. */
function cellParty(party: PartySummary): HTMLElement {
  return h('span', { class: 'matrix__cell-party', text: partyName(party), attrs: { 'aria-hidden': 'true' } });
}

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'matrix-legend' },
    ...(['agreed', 'reserved', 'stale', 'pending'] as const).map((s) =>
      h('span', { class: 'matrix-legend__item' }, h('span', { class: `chip chip--${s} chip--dot`, attrs: { 'aria-hidden': 'true' } }), t(`agreement.legend.${s}`)),
    ),
  );
}
