import { h, replaceChildren } from '../../../lib/dom.ts';
import { agreementApi, errorMessage } from '../../../lib/agreementApi.ts';
import type { LiveApprovals } from '../../../lib/liveApprovals.ts';
import { t } from '../../../i18n/index.ts';
import { changesPanel, type ChangesPanel } from './changesPanel.ts';
import { statusChip } from './statusChip.ts';

/**
 * The approvals strip under one row: a chip per party, and for the head of a
 * party "Agree" and "Reserve…" (reason required) and "Withdraw". A stale chip
 * offers "What changed", which opens the word diff since the approval.
 */

export interface RowApprovalsOptions {
  pairId: string;
  live: LiveApprovals;
  /** The pair hash of the text in this page's editors (what the head sees). */
  currentHash(): string | undefined;
  /** Shows a short-lived message for the row (e.g. "Agreed"). */
  announce(message: string): void;
}

export interface RowApprovals {
  /** Renders again from the live state. */
  update(): void;
  destroy(): void;
}

const REASON_MAX = 2000;

export function rowApprovals(slot: HTMLElement, options: RowApprovalsOptions): RowApprovals {
  const { pairId, live } = options;
  let busy = false;
  let destroyed = false;
  let reserving = false;
  let panel: ChangesPanel | undefined;

  const chips = h('div', { class: 'approvals__chips', attrs: { role: 'list', 'aria-label': t('agreement.row.statusLabel') } });
  const error = h('p', { class: 'approvals__error', attrs: { role: 'alert', 'data-testid': 'approval-error', hidden: true } });
  const actions = h('div', { class: 'approvals__actions', attrs: { role: 'group', 'aria-label': t('agreement.row.actionsLabel') } });
  // Made the first time a head opens it: the load of a long declaration builds none (8 elements a row).
  let reserve: { form: HTMLFormElement; input: HTMLInputElement } | undefined;
  const reserveParts = (): { form: HTMLFormElement; input: HTMLInputElement } => {
    if (reserve) return reserve;
    const reasonInput = h('input', {
      class: 'approvals__reason',
      attrs: {
        type: 'text',
        maxlength: REASON_MAX,
        'data-testid': 'reserve-reason',
        'aria-label': t('agreement.reserve.reasonLabel'),
        placeholder: t('agreement.reserve.placeholder'),
      },
    });
    // In the page only while open: a form with a text field in each of 200 rows cost ~0.6 s of the
    // page's load in Chromium, whose autofill inspects every form it finds (and lays out each row
    // that content-visibility had skipped, one at a time, to do so) — docs/benchmarks.md, "Browser".
    const reserveForm = h(
      'form',
      {
        class: 'approvals__reserve',
        attrs: { 'data-testid': 'reserve-form' },
        on: {
          submit: (event) => {
            event.preventDefault();
            const reason = reasonInput.value.replace(/\s+/g, ' ').trim();
            if (!reason) {
              showError(t('agreement.reserve.needReason'));
              reasonInput.focus();
              return;
            }
            void decide('reserved', reason);
          },
          keydown: (event) => {
            if (event.key === 'Escape') closeReserve();
          },
        },
      },
      h('label', { class: 'approvals__reason-label', text: t('agreement.reserve.reasonLabel') }),
      reasonInput,
      h('button', { class: 'btn btn--primary btn--small', text: t('agreement.reserve.submit'), attrs: { type: 'submit', 'data-testid': 'reserve-submit' } }),
      h('button', { class: 'btn btn--quiet btn--small', text: t('agreement.action.cancel'), attrs: { type: 'button' }, on: { click: () => closeReserve() } }),
    );
    return (reserve = { form: reserveForm, input: reasonInput });
  };
  const panelSlot = h('div', { class: 'approvals__panel' });
  const line = h('div', { class: 'approvals__line' }, chips, actions);
  const root = h('div', { class: 'approvals', attrs: { 'data-testid': 'approvals', 'data-pair-id': pairId } }, line, error, panelSlot);
  slot.append(root);

  const showError = (message: string): void => {
    error.textContent = message;
    error.hidden = !message;
  };

  const myParty = (): string | undefined => {
    const me = live.me();
    return me && me.partyId && me.actions.includes('approve') ? me.partyId : undefined;
  };

  function closeReserve(): void {
    reserving = false;
    reserve?.form.remove();
    showError('');
    render();
  }

  async function decide(status: 'agreed' | 'reserved', reason: string | null): Promise<void> {
    const hash = options.currentHash();
    if (!hash || busy) return;
    busy = true;
    showError('');
    render();
    try {
      const approvals = await agreementApi.approve(live.documentId, pairId, { status, reason, hash });
      if (destroyed) return;
      live.setApprovals(pairId, approvals);
      reserving = false;
      if (reserve) {
        reserve.form.remove();
        reserve.input.value = '';
      }
      if (status === 'agreed') panel?.close();
      options.announce(t(status === 'agreed' ? 'agreement.done.agreed' : 'agreement.done.reserved'));
    } catch (failure) {
      if (!destroyed) showError(errorMessage(failure));
    } finally {
      busy = false;
      if (!destroyed) render();
    }
  }

  async function withdraw(): Promise<void> {
    if (busy) return;
    busy = true;
    showError('');
    render();
    try {
      const approvals = await agreementApi.withdraw(live.documentId, pairId);
      if (destroyed) return;
      live.setApprovals(pairId, approvals);
      panel?.close();
      options.announce(t('agreement.done.withdrawn'));
    } catch (failure) {
      if (!destroyed) showError(errorMessage(failure));
    } finally {
      busy = false;
      if (!destroyed) render();
    }
  }

  function openChanges(partyId: string): void {
    if (panel?.partyId === partyId) {
      panel.close();
      return;
    }
    panel?.close();
    panel = changesPanel(panelSlot, {
      live,
      pairId,
      partyId,
      mayAgree: myParty() === partyId,
      agree: () => decide('agreed', null),
      onClose: () => {
        panel = undefined;
        render();
      },
    });
    render();
  }

  const button = (testid: string, label: string, onClick: () => void, kind = 'btn--secondary'): HTMLButtonElement =>
    h('button', {
      class: `btn ${kind} btn--small`,
      text: label,
      attrs: { type: 'button', 'data-testid': testid, disabled: busy },
      on: { click: onClick },
    });

  /** What the strip shows, as a string: the same means nothing to redraw. */
  let shown: string | undefined;

  function render(): void {
    if (destroyed) return;
    const mine = myParty();
    const parties = live.parties();
    // The server pushes the pair's new hash after every character anyone types in it: mostly
    // nothing this strip shows changes (stale stays stale), and rebuilding its chips and buttons
    // each time cost a style, layout and paint of the row per keystroke (and took the focus from
    // a chip's button). Rebuild only when what is shown changes.
    const key = JSON.stringify([
      mine ?? null,
      reserving,
      busy,
      panel?.partyId ?? null,
      parties.map((party) => [party.id, party.name, live.statusOf(pairId, party.id)]),
    ]);
    if (key === shown) return;
    shown = key;
    replaceChildren(
      chips,
      ...parties.map((party) => {
        const { status, approval } = live.statusOf(pairId, party.id);
        const open = panel?.partyId === party.id;
        const extra =
          status === 'stale'
            ? h('button', {
                class: 'chip__link',
                text: open ? t('agreement.changes.hide') : t('agreement.changes.open'),
                attrs: { type: 'button', 'data-testid': 'what-changed', 'aria-expanded': open ? 'true' : 'false' },
                on: { click: () => openChanges(party.id) },
              })
            : null;
        return h('span', { attrs: { role: 'listitem' } }, statusChip({ party, status, approval, withParty: true, extra }));
      }),
    );
    root.dataset.loaded = parties.length > 0 ? 'true' : 'false';

    if (!mine || reserving) {
      replaceChildren(actions);
      return;
    }
    const own = live.statusOf(pairId, mine).status;
    replaceChildren(
      actions,
      own === 'agreed' ? null : button('approve-agree', t('agreement.action.agree'), () => void decide('agreed', null), 'btn--agree'),
      button('approve-reserve', own === 'reserved' ? t('agreement.action.changeReason') : t('agreement.action.reserve'), () => {
        reserving = true;
        const { form, input } = reserveParts();
        line.after(form);
        const current = live.statusOf(pairId, mine).approval;
        input.value = current?.status === 'reserved' ? (current.reason ?? '') : '';
        render();
        input.focus();
      }),
      own === 'pending' ? null : button('approve-withdraw', t('agreement.action.withdraw'), () => void withdraw(), 'btn--quiet'),
    );
  }

  render();

  return {
    update() {
      render();
      panel?.update();
    },
    destroy() {
      destroyed = true;
      panel?.close();
      root.remove();
    },
  };
}
