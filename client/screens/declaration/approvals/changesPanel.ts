import { h, replaceChildren } from '../../../lib/dom.ts';
import { agreementApi, errorMessage, type ChangesSince } from '../../../lib/agreementApi.ts';
import type { LiveApprovals } from '../../../lib/liveApprovals.ts';
import { formatDateTime, t } from '../../../i18n/index.ts';
import { countLabel, renderDiff } from '../../versions/diffParts.ts';
import { partyName } from './statusChip.ts';
import { delegationName } from '../deletedPairs.ts';

/**
 * "What changed since we approved": the word diff, per language, between the
 * text a party approved and the current one, under the row (Vietnamese under
 * the Vietnamese column, French under the French one). It follows further
 * edits while open, and offers the party's head to agree to the new text.
 */

export interface ChangesPanelOptions {
  live: LiveApprovals;
  pairId: string;
  partyId: string;
  /** The viewer is this party's head. */
  mayAgree: boolean;
  agree(): Promise<void>;
  onClose(): void;
}

export interface ChangesPanel {
  readonly partyId: string;
  /** The live state changed: reload the diff if the pair's text did. */
  update(): void;
  close(): void;
}

export function changesPanel(slot: HTMLElement, options: ChangesPanelOptions): ChangesPanel {
  const { live, pairId, partyId } = options;
  const party = live.parties().find((p) => p.id === partyId);
  const abort = new AbortController();
  let closed = false;
  let shownHash: string | undefined;
  let loading: Promise<void> | undefined;
  let again = false;

  const heading = h('h3', { class: 'changes__title', attrs: { id: `changes-${pairId}-${partyId}` } });
  const summary = h('p', { class: 'changes__summary' });
  const body = h('div', { class: 'changes__body', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: t('agreement.changes.loading') }));
  const agreeButton = options.mayAgree
    ? h('button', {
        class: 'btn btn--agree btn--small',
        text: t('agreement.changes.agreeNew'),
        attrs: { type: 'button', 'data-testid': 'agree-new-text' },
        on: {
          click: () => {
            agreeButton!.disabled = true;
            void options.agree().finally(() => {
              if (!closed) agreeButton!.disabled = false;
            });
          },
        },
      })
    : null;
  const closeButton = h('button', {
    class: 'btn btn--quiet btn--small',
    text: t('agreement.action.close'),
    attrs: { type: 'button', 'data-testid': 'changes-close' },
    on: { click: () => close() },
  });
  const element = h(
    'section',
    {
      class: 'changes',
      attrs: { 'data-testid': 'changes-panel', 'data-party': partyId, 'aria-labelledby': heading.id },
      on: {
        keydown: (event) => {
          if (event.key === 'Escape') close();
        },
      },
    },
    h('header', { class: 'changes__header' }, h('div', {}, heading, summary), h('div', { class: 'changes__buttons' }, agreeButton, closeButton)),
    body,
  );
  replaceChildren(slot, element);

  const column = (lang: 'vi' | 'fr', changes: ChangesSince): HTMLElement => {
    const parts = changes[lang];
    return h(
      'div',
      { class: `changes__lang changes__lang--${lang}`, attrs: { 'data-testid': `changes-${lang}` } },
      h(
        'p',
        { class: 'changes__lang-head' },
        h('span', { class: 'changes__lang-name', text: t(lang === 'vi' ? 'agreement.lang.vi' : 'agreement.lang.fr') }),
        h('span', { class: 'changes__count', text: countLabel(parts) }),
      ),
      renderDiff(parts, 'inline', lang),
    );
  };

  const show = (changes: ChangesSince): void => {
    const approval = live.statusOf(pairId, partyId).approval;
    const who = approval?.byName ?? '';
    const time = formatDateTime(changes.approved.at);
    heading.textContent = t(approval?.status === 'reserved' ? 'agreement.changes.titleReserved' : 'agreement.changes.titleAgreed', {
      party: party ? partyName(party) : partyId,
    });
    summary.textContent = who ? t('agreement.changes.since', { name: who, time }) : t('agreement.changes.sinceTime', { time });
    body.removeAttribute('aria-busy');
    replaceChildren(
      body,
      changes.stale ? null : h('p', { class: 'changes__note', text: t('agreement.changes.notStale') }),
      changes.editors?.length
        ? h('p', {
            class: 'changes__editors',
            attrs: { 'data-testid': 'changes-editors' },
            text: t('history.editors', { names: changes.editors.map((e) => `${e.name} (${delegationName(live.parties(), e.partyId)})`).join(', ') }),
          })
        : null,
      h('div', { class: 'changes__grid' }, column('vi', changes), column('fr', changes)),
      h(
        'p',
        { class: 'changes__legend', attrs: { 'aria-hidden': 'true' } },
        h('del', { class: 'diff-removed', text: t('agreement.diff.legendRemoved') }),
        ' ',
        h('ins', { class: 'diff-added', text: t('agreement.diff.legendAdded') }),
        ' ',
        h('mark', { class: 'diff-formatted', text: t('agreement.diff.legendFormatted') }),
      ),
    );
    element.dataset.state = changes.stale ? 'stale' : 'current';
  };

  const load = (): Promise<void> => {
    if (loading) {
      again = true;
      return loading;
    }
    const hash = live.pair(pairId)?.hash;
    loading = agreementApi
      .changesSince(live.documentId, pairId, partyId, abort.signal)
      .then(
        (changes) => {
          if (closed) return;
          shownHash = hash;
          show(changes);
        },
        (error: unknown) => {
          if (closed) return;
          body.removeAttribute('aria-busy');
          replaceChildren(body, h('p', { class: 'approvals__error', text: errorMessage(error), attrs: { role: 'alert' } }));
        },
      )
      .finally(() => {
        loading = undefined;
        if (again && !closed) {
          again = false;
          void load();
        }
      });
    return loading;
  };

  function close(): void {
    if (closed) return;
    closed = true;
    abort.abort();
    element.remove();
    options.onClose();
  }

  void load();

  return {
    partyId,
    update() {
      if (closed) return;
      const { status } = live.statusOf(pairId, partyId);
      // Agreed again, withdrawn, or the text went back to what was approved: nothing to show.
      if (status !== 'stale') return close();
      if (live.pair(pairId)?.hash !== shownHash) void load();
    },
    close,
  };
}
