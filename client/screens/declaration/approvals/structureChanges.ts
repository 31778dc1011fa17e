import type { StructureChangeView } from '../../../../shared/agreedStructure.ts';
import { h, replaceChildren } from '../../../lib/dom.ts';
import { agreementApi, errorMessage, type StructureChanges } from '../../../lib/agreementApi.ts';
import type { LiveApprovals } from '../../../lib/liveApprovals.ts';
import { formatDateTime, t, type MessageKey } from '../../../i18n/index.ts';
import { partyName } from './statusChip.ts';
import './structure.css';

/**
 * "What changed" for the structure: since a party agreed it, which pairs were
 * deleted, added, moved or given another kind, in words and ¶ numbers
 * ("¶ 4 (operative) deleted", "¶ 2 moved to ¶ 5", "¶ 3: operative →
 * preamble", "New ¶ 9 (operative)"), each with the start of the pair's text
 * in both languages. It follows further changes while open, and offers the
 * party's head to agree to the new structure.
 */

export interface StructureChangesOptions {
  live: LiveApprovals;
  partyId: string;
  /** The viewer is this party's head, on a page that shows the whole declaration. */
  mayAgree: boolean;
  agree(): Promise<void>;
  onClose(): void;
}

export interface StructureChangesPanel {
  readonly partyId: string;
  /** The live state changed: reload if the structure did, close if it is no longer stale. */
  update(): void;
  close(): void;
}

const KIND_KEY: Record<string, MessageKey> = {
  title: 'structure.kind.title',
  preamble: 'structure.kind.preamble',
  operative: 'structure.kind.operative',
  closing: 'structure.kind.closing',
};

/** A pair kind as a word in a sentence ("operative", "dispositif", "nội dung"). */
export function kindWord(kind: string): string {
  return t(KIND_KEY[kind] ?? 'structure.kind.operative');
}

/** One change in words, in the interface language. */
export function describeChange(change: StructureChangeView): string {
  switch (change.type) {
    case 'removed':
      return t('structure.change.removed', { n: change.from, kind: kindWord(change.kind) });
    case 'added':
      return t('structure.change.added', { n: change.to, kind: kindWord(change.kind) });
    case 'moved':
      return t('structure.change.moved', { from: change.from, to: change.to });
    case 'kind':
      return t('structure.change.kind', { n: change.to, before: kindWord(change.before), after: kindWord(change.after) });
  }
}

function changeItem(change: StructureChangeView): HTMLElement {
  const quote = (lang: 'vi' | 'fr', text: string | undefined) =>
    text ? h('q', { class: `structure-change__text structure-change__text--${lang}`, text, attrs: { lang } }) : null;
  return h(
    'li',
    { class: 'structure-change', attrs: { 'data-testid': 'structure-change', 'data-change': change.type, 'data-pair-id': change.id } },
    h('span', { class: 'structure-change__what', text: describeChange(change) }),
    change.text && (change.text.vi || change.text.fr) ? h('span', { class: 'structure-change__texts' }, quote('vi', change.text.vi), quote('fr', change.text.fr)) : null,
  );
}

export function structureChangesPanel(slot: HTMLElement, options: StructureChangesOptions): StructureChangesPanel {
  const { live, partyId } = options;
  const party = live.parties().find((p) => p.id === partyId);
  const abort = new AbortController();
  let closed = false;
  let shownHash: string | undefined;
  let loading: Promise<void> | undefined;
  let again = false;

  const heading = h('h3', { class: 'changes__title', attrs: { id: `structure-changes-${partyId}` } });
  const summary = h('p', { class: 'changes__summary' });
  const body = h('div', { class: 'changes__body', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: t('agreement.changes.loading') }));
  const agreeButton = options.mayAgree
    ? h('button', {
        class: 'btn btn--agree btn--small',
        text: t('structure.agreeNew'),
        attrs: { type: 'button', 'data-testid': 'agree-new-structure' },
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
      class: 'changes changes--structure',
      attrs: { 'data-testid': 'structure-changes', 'data-party': partyId, 'aria-labelledby': heading.id },
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

  const show = (changes: StructureChanges): void => {
    const approval = live.structureStatusOf(partyId).approval;
    const time = formatDateTime(changes.approved.at);
    heading.textContent = t('structure.changes.title', { party: party ? partyName(party) : partyId });
    summary.textContent = [
      approval?.byName ? t('agreement.changes.since', { name: approval.byName, time }) : t('agreement.changes.sinceTime', { time }),
      t('structure.changes.pairs', { before: changes.approved.pairs, after: changes.current.pairs }),
    ].join(' · ');
    body.removeAttribute('aria-busy');
    replaceChildren(
      body,
      changes.stale ? null : h('p', { class: 'changes__note', text: t('structure.changes.notStale') }),
      h('ul', { class: 'structure-changes', attrs: { 'data-testid': 'structure-change-list' } }, ...changes.changes.map(changeItem)),
    );
    element.dataset.state = changes.stale ? 'stale' : 'current';
  };

  const load = (): Promise<void> => {
    if (loading) {
      again = true;
      return loading;
    }
    const hash = live.structure().hash;
    loading = agreementApi
      .structureChanges(live.documentId, partyId, abort.signal)
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
      // Agreed again, withdrawn, or the structure went back to the one agreed: nothing to show.
      if (live.structureStatusOf(partyId).status !== 'stale') return close();
      if (live.structure().hash !== shownHash) void load();
    },
    close,
  };
}
