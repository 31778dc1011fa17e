import { h, replaceChildren } from '../../../lib/dom.ts';
import { agreementApi, errorMessage } from '../../../lib/agreementApi.ts';
import { ApiError } from '../../../lib/http.ts';
import type { LiveApprovals } from '../../../lib/liveApprovals.ts';
import { t } from '../../../i18n/index.ts';
import { statusChip } from './statusChip.ts';
import './structure.css';
import { structureChangesPanel, type StructureChangesPanel } from './structureChanges.ts';

/**
 * The structure's approvals, above the rows of the declaration page: a chip
 * per party for the order and kinds of the pairs (stale once a pair is
 * deleted, added, moved or relabelled), "What changed" on a stale chip, and
 * for a party's head "Agree to the structure" — the hash of the structure
 * this page shows, so the server takes it only if it is the one it has.
 */

export interface StructureApprovalsOptions {
  live: LiveApprovals;
  /** The structure hash of the doc in this page (what the head sees). */
  currentHash(): string;
  announce(message: string): void;
}

export interface StructureApprovalsStrip {
  readonly element: HTMLElement;
  update(): void;
  destroy(): void;
}

export function structureApprovals(options: StructureApprovalsOptions): StructureApprovalsStrip {
  const { live } = options;
  let busy = false;
  let destroyed = false;
  let panel: StructureChangesPanel | undefined;

  const chips = h('div', { class: 'approvals__chips', attrs: { role: 'list', 'aria-label': t('structure.statusLabel') } });
  const actions = h('div', { class: 'approvals__actions', attrs: { role: 'group', 'aria-label': t('agreement.row.actionsLabel') } });
  const error = h('p', { class: 'approvals__error', attrs: { role: 'alert', 'data-testid': 'structure-error', hidden: true } });
  const panelSlot = h('div', { class: 'approvals__panel' });
  const element = h(
    'section',
    { class: 'structure-approvals', attrs: { 'data-testid': 'structure-approvals', 'aria-label': t('structure.label') } },
    h(
      'div',
      { class: 'approvals__line' },
      h('span', { class: 'structure-approvals__label', text: t('structure.label'), attrs: { title: t('structure.hint') } }),
      chips,
      actions,
    ),
    error,
    panelSlot,
  );

  const showError = (message: string): void => {
    error.textContent = message;
    error.hidden = !message;
  };

  const myParty = (): string | undefined => {
    const me = live.me();
    return me && me.partyId && me.actions.includes('approve') ? me.partyId : undefined;
  };

  async function run(action: () => Promise<void>): Promise<void> {
    if (busy) return;
    busy = true;
    showError('');
    render();
    try {
      await action();
    } catch (failure) {
      if (destroyed) return;
      // The structure moved under the head's eyes: say so in their language.
      showError(failure instanceof ApiError && failure.status === 409 ? t('structure.changedMeanwhile') : errorMessage(failure));
    } finally {
      busy = false;
      if (!destroyed) render();
    }
  }

  const agree = (): Promise<void> =>
    run(async () => {
      const approvals = await agreementApi.agreeStructure(live.documentId, options.currentHash());
      if (destroyed) return;
      live.setStructureApprovals(approvals);
      panel?.close();
      options.announce(t('structure.done.agreed'));
    });

  const withdraw = (): Promise<void> =>
    run(async () => {
      const approvals = await agreementApi.withdrawStructure(live.documentId);
      if (destroyed) return;
      live.setStructureApprovals(approvals);
      panel?.close();
      options.announce(t('agreement.done.withdrawn'));
    });

  function openChanges(partyId: string): void {
    if (panel?.partyId === partyId) return panel.close();
    panel?.close();
    panel = structureChangesPanel(panelSlot, {
      live,
      partyId,
      mayAgree: myParty() === partyId,
      agree,
      onClose: () => {
        panel = undefined;
        render();
      },
    });
    render();
  }

  const button = (testid: string, label: string, onClick: () => void, kind: string): HTMLButtonElement =>
    h('button', { class: `btn ${kind} btn--small`, text: label, attrs: { type: 'button', 'data-testid': testid, disabled: busy }, on: { click: onClick } });

  let shown: string | undefined;
  function render(): void {
    if (destroyed) return;
    const parties = live.parties();
    const mine = myParty();
    const key = JSON.stringify([mine ?? null, busy, panel?.partyId ?? null, parties.map((p) => [p.id, p.name, live.structureStatusOf(p.id)])]);
    if (key === shown) return;
    shown = key;
    element.dataset.loaded = parties.length > 0 ? 'true' : 'false';
    replaceChildren(
      chips,
      ...parties.map((party) => {
        const { status, approval } = live.structureStatusOf(party.id);
        const open = panel?.partyId === party.id;
        const extra =
          status === 'stale'
            ? h('button', {
                class: 'chip__link',
                text: open ? t('agreement.changes.hide') : t('agreement.changes.open'),
                attrs: { type: 'button', 'data-testid': 'structure-what-changed', 'aria-expanded': open ? 'true' : 'false' },
                on: { click: () => openChanges(party.id) },
              })
            : null;
        return h('span', { attrs: { role: 'listitem' } }, statusChip({ party, status, approval, withParty: true, extra, subject: 'structure' }));
      }),
    );
    if (!mine) return replaceChildren(actions);
    const own = live.structureStatusOf(mine).status;
    replaceChildren(
      actions,
      own === 'agreed' ? null : button('structure-agree', t('structure.agree'), () => void agree(), 'btn--agree'),
      own === 'pending' ? null : button('structure-withdraw', t('agreement.action.withdraw'), () => void withdraw(), 'btn--quiet'),
    );
  }
  render();

  return {
    element,
    update() {
      render();
      panel?.update();
    },
    destroy() {
      destroyed = true;
      panel?.close();
      element.remove();
    },
  };
}
