import type * as Y from 'yjs';
import { pairHash } from '../../../../shared/hash.ts';
import { readPairContent } from '../../../../shared/canonicalText.ts';
import { h } from '../../../lib/dom.ts';
import { readStructure, structureHash } from '../../../../shared/agreedStructure.ts';
import { STRUCTURE_CHANGED, liveApprovals, type LiveApprovals, type LiveState } from '../../../lib/liveApprovals.ts';
import { t } from '../../../i18n/index.ts';
import { agreementNav } from '../../status/agreementNav.ts';
import { rowApprovals, type RowApprovals } from './rowApprovals.ts';
import { structureApprovals } from './structureApprovals.ts';

/**
 * Approvals on the declaration page: one live store for the page, a strip in
 * each row (chips, and the head's buttons), a strip above the rows for the
 * structure (order and kinds of the pairs), and in the header the progress
 * figure with links to the status matrix and the versions.
 */

export interface DeclarationApprovals {
  /** For the header: progress, live state, links to the other views. */
  readonly bar: HTMLElement;
  /** Above the rows: the structure's approvals. */
  readonly structure: HTMLElement;
  /** A row was created: fill its approvals slot. */
  attach(pairId: string, slot: HTMLElement): void;
  /** A row was destroyed. */
  detach(pairId: string): void;
  destroy(): void;
}

export function declarationApprovals(options: { documentId: string; doc: Y.Doc }): DeclarationApprovals {
  const { documentId, doc } = options;
  const live: LiveApprovals = liveApprovals(documentId);
  const rows = new Map<string, RowApprovals>();

  const progress = h('a', {
    class: 'agreement-progress',
    attrs: { 'data-testid': 'agreement-progress', href: `/d/${encodeURIComponent(documentId)}/status` },
  });
  const structureNote = h('span', { class: 'agreement-structure', attrs: { 'data-testid': 'structure-progress', hidden: true } });
  const state = h('span', { class: 'agreement-state', attrs: { 'data-testid': 'approvals-state', role: 'status' } });
  const announcer = h('span', { class: 'agreement-announce', attrs: { role: 'status', 'aria-live': 'polite' } });
  const bar = h('div', { class: 'agreement-bar' }, announcer, state, progress, structureNote, agreementNav(documentId, 'text'));

  /** The figures shown: renderProgress runs on every hash push (each character anyone types). */
  let shownProgress: string | undefined;
  const renderProgress = (): void => {
    if (live.parties().length === 0) {
      shownProgress = undefined;
      progress.textContent = '';
      return;
    }
    const { agreedByAll, total, structureAgreed, complete } = live.progress();
    // Mostly unchanged: formatting the sentence again and setting the same text would still
    // replace the text node and lay out the sticky header again.
    if (shownProgress === `${agreedByAll}/${total}/${structureAgreed}`) return;
    shownProgress = `${agreedByAll}/${total}/${structureAgreed}`;
    progress.textContent = t('agreement.progress', { n: agreedByAll, total });
    // Complete only with the structure agreed too: every pair agreed says nothing of a pair deleted.
    progress.dataset.complete = total > 0 && complete ? 'true' : 'false';
    structureNote.hidden = structureAgreed;
    structureNote.textContent = structureAgreed ? '' : t('structure.progress.notAgreed');
  };
  const renderState = (value: LiveState): void => {
    state.dataset.state = value;
    state.textContent = value === 'offline' ? t('agreement.live.offline') : value === 'failed' ? (live.failure() ?? t('agreement.live.failed')) : '';
    state.hidden = !state.textContent;
  };
  renderState(live.state());

  let announceTimer: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string): void => {
    announcer.textContent = message;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => (announcer.textContent = ''), 4000);
  };

  const structure = structureApprovals({ live, currentHash: () => structureHash(readStructure(doc)), announce });

  const offChange = live.subscribe((change) => {
    if (change === 'all') for (const row of rows.values()) row.update();
    else for (const id of change) rows.get(id)?.update();
    if (change === 'all' || change.has(STRUCTURE_CHANGED)) structure.update();
    renderProgress();
  });
  const offState = live.onState(renderState);

  return {
    bar,
    structure: structure.element,
    attach(pairId, slot) {
      rows.get(pairId)?.destroy();
      rows.set(
        pairId,
        rowApprovals(slot, {
          pairId,
          live,
          currentHash: () => {
            // Bold and italic are part of the agreed text: bolding a word makes an approval stale.
            const content = readPairContent(doc, pairId);
            return content ? pairHash(content) : undefined;
          },
          announce,
        }),
      );
    },
    detach(pairId) {
      rows.get(pairId)?.destroy();
      rows.delete(pairId);
    },
    destroy() {
      clearTimeout(announceTimer);
      offChange();
      offState();
      for (const row of rows.values()) row.destroy();
      rows.clear();
      structure.destroy();
      live.destroy();
    },
  };
}
