import { THREAD_STATUSES, VISIBILITIES, type ThreadStatus, type ThreadView, type Visibility } from '../../../../shared/comments.ts';
import { LANGS, type Lang } from '../../../../shared/model/index.ts';
import { h, replaceChildren } from '../../../lib/dom.ts';
import { t, type MessageKey } from '../../../i18n/index.ts';
import type { Composer } from './composer.ts';
import { icon, placeChildren } from './dom.ts';
import { delegationName, delegationOrder, delegationTag, langName } from './rules.ts';
import { createThreadCard, type CardContext, type ThreadCard } from './threadCard.ts';

/**
 * The comments side panel: filters (delegation, language, visibility,
 * status, and a paragraph when opened from a row's badge), the composer of a
 * new thread, and the threads in reading order.
 */

export interface Filters {
  delegation: string | 'all';
  lang: Lang | 'all';
  visibility: Visibility | 'all';
  status: ThreadStatus | 'all';
  pairId: string | null;
}

export const DEFAULT_FILTERS: Filters = { delegation: 'all', lang: 'all', visibility: 'all', status: 'open', pairId: null };

export interface PanelContext extends CardContext {
  /** Every thread this member may see, in reading order. */
  threads(): ThreadView[];
  canWrite(): boolean;
  /** Threads not loaded yet / failed to load: a sentence, or ''. */
  loadState(): { loading: boolean; error: string };
  onOpenChange(open: boolean): void;
}

export interface Panel {
  readonly element: HTMLElement;
  isOpen(): boolean;
  setOpen(open: boolean): void;
  readonly filters: Filters;
  setFilters(filters: Partial<Filters>): void;
  render(): void;
  setComposer(composer: Composer | null): void;
  setActive(threadId: string | null): void;
  /** Makes a thread visible (clearing filters that hide it), scrolls to it and draws the eye to it (and the focus, if asked). */
  reveal(threadId: string, focus?: boolean): void;
  matches(thread: ThreadView): boolean;
}

export function createPanel(ctx: PanelContext): Panel {
  const filters: Filters = { ...DEFAULT_FILTERS };
  let open = false;
  let active: string | null = null;
  const cards = new Map<string, ThreadCard>();

  // ---------------------------------------------------------------- head
  const count = h('span', { class: 'comments-panel__count', attrs: { 'data-testid': 'comments-panel-count' } });
  const close = h(
    'button',
    {
      class: 'comments-panel__close',
      attrs: { type: 'button', 'aria-label': t('comments.panel.close'), title: t('comments.panel.close'), 'data-testid': 'comments-close' },
      on: { click: () => setOpen(false) },
    },
    icon('close'),
  );
  const head = h(
    'div',
    { class: 'comments-panel__head' },
    h('h2', { class: 'comments-panel__title', attrs: { id: 'comments-panel-title' } }, t('comments.panel.title'), count),
    close,
  );

  // ---------------------------------------------------------------- filters
  const select = (testid: string, label: MessageKey, onChange: (value: string) => void): HTMLSelectElement =>
    h('select', {
      class: 'comments-filter',
      attrs: { 'data-testid': testid, 'aria-label': t(label), title: t(label) },
      on: { change: (event) => onChange((event.target as HTMLSelectElement).value) },
    });
  const option = (value: string, label: string): HTMLOptionElement => h('option', { text: label, attrs: { value } });

  const delegationSelect = select('filter-delegation', 'comments.filter.delegation', (v) => setFilters({ delegation: v }));
  let delegationOptions = '';
  const langSelect = select('filter-lang', 'comments.filter.lang', (v) => setFilters({ lang: v as Filters['lang'] }));
  langSelect.append(option('all', t('comments.filter.lang.all')), ...LANGS.map((l) => option(l, langName(l))));
  const visibilitySelect = select('filter-visibility', 'comments.filter.visibility', (v) => setFilters({ visibility: v as Filters['visibility'] }));
  visibilitySelect.append(
    option('all', t('comments.filter.visibility.all')),
    ...VISIBILITIES.map((v) => option(v, t(v === 'shared' ? 'comments.visibility.shared' : 'comments.visibility.internal'))),
  );
  const statusSelect = select('filter-status', 'comments.filter.status', (v) => setFilters({ status: v as Filters['status'] }));
  statusSelect.append(
    ...THREAD_STATUSES.map((s) => option(s, t(s === 'open' ? 'comments.status.open' : 'comments.status.resolved'))),
    option('all', t('comments.filter.status.all')),
  );
  const pairChip = h(
    'button',
    {
      class: 'comments-chip',
      attrs: { type: 'button', 'data-testid': 'filter-pair', title: t('comments.filter.pair.clear') },
      on: { click: () => setFilters({ pairId: null }) },
    },
  );
  const filterBar = h(
    'div',
    { class: 'comments-panel__filters', attrs: { role: 'group', 'aria-label': t('comments.filters') } },
    delegationSelect,
    langSelect,
    visibilitySelect,
    statusSelect,
    pairChip,
  );

  // ---------------------------------------------------------------- body
  const note = h('p', { class: 'comments-panel__note', attrs: { 'data-testid': 'comments-read-only', hidden: true }, text: t('comments.readOnly') });
  const message = h('p', { class: 'comments-panel__message', attrs: { role: 'status', hidden: true } });
  const composerSlot = h('div', { class: 'comments-panel__composer' });
  const list = h('div', { class: 'comments-panel__list', attrs: { 'data-testid': 'thread-list' } });
  const empty = h('div', { class: 'comments-panel__empty', attrs: { hidden: true } });
  const scroller = h('div', { class: 'comments-panel__scroll' }, note, message, composerSlot, list, empty);

  const element = h(
    'aside',
    {
      class: 'comments-panel',
      attrs: { id: 'comments-panel', 'data-testid': 'comments-panel', 'aria-labelledby': 'comments-panel-title', hidden: true },
    },
    head,
    filterBar,
    scroller,
  );

  function matches(thread: ThreadView): boolean {
    return (
      (filters.delegation === 'all' || thread.delegation === filters.delegation) &&
      (filters.lang === 'all' || thread.lang === filters.lang) &&
      (filters.visibility === 'all' || thread.visibility === filters.visibility) &&
      (filters.status === 'all' || thread.status === filters.status) &&
      (filters.pairId === null || thread.pairId === filters.pairId)
    );
  }

  function renderFilters(all: ThreadView[]): void {
    const parties = ctx.parties();
    const me = ctx.me();
    const present = [...parties.map((p) => p.id), ...all.map((thread) => thread.delegation)];
    if (me?.role === 'secretariat') present.push('#secretariat');
    const delegations = delegationOrder(present, parties);
    const key = delegations.join('|');
    if (key !== delegationOptions) {
      delegationOptions = key;
      replaceChildren(
        delegationSelect,
        option('all', t('comments.filter.delegation.all')),
        ...delegations.map((d) => option(d, d.startsWith('#') ? delegationName(d, parties) : `${delegationTag(d, parties)} — ${delegationName(d, parties)}`)),
      );
    }
    delegationSelect.value = filters.delegation;
    langSelect.value = filters.lang;
    visibilitySelect.value = filters.visibility;
    statusSelect.value = filters.status;
    pairChip.hidden = filters.pairId === null;
    if (filters.pairId !== null) {
      replaceChildren(pairChip, h('span', { text: t('comments.filter.pair', { number: ctx.pairNumber(filters.pairId) ?? '—' }) }), icon('close', 'icon icon--small'));
    }
  }

  function render(): void {
    const all = ctx.threads();
    renderFilters(all);
    note.hidden = ctx.me() === undefined || ctx.canWrite();
    const { loading, error } = ctx.loadState();
    message.hidden = !loading && !error;
    message.textContent = error ? t('comments.loadFailed', { message: error }) : loading ? t('comments.loading') : '';
    message.classList.toggle('is-error', !!error);

    const openCount = all.filter((thread) => thread.status === 'open').length;
    count.textContent = openCount ? String(openCount) : '';
    count.title = t('comments.toggle.count', { count: openCount });

    const shown: HTMLElement[] = [];
    const seen = new Set<string>();
    for (const thread of all) {
      seen.add(thread.id);
      let card = cards.get(thread.id);
      if (card) card.update(thread);
      else {
        card = createThreadCard(thread, ctx);
        cards.set(thread.id, card);
      }
      card.setActive(thread.id === active);
      if (matches(thread)) shown.push(card.element);
    }
    for (const id of [...cards.keys()]) if (!seen.has(id)) cards.delete(id);
    placeChildren(list, shown);

    empty.hidden = loading || shown.length > 0;
    if (shown.length === 0) {
      const filtered = all.length > 0;
      replaceChildren(
        empty,
        h('p', { class: 'comments-panel__empty-title', text: filtered ? t('comments.empty.filtered') : t('comments.empty') }),
        filtered
          ? h('button', {
              class: 'comments-link',
              text: t('comments.filter.clear'),
              attrs: { type: 'button', 'data-testid': 'filter-clear' },
              on: { click: () => setFilters({ ...DEFAULT_FILTERS, status: 'all' }) },
            })
          : ctx.canWrite()
            ? h('p', { class: 'comments-panel__empty-hint', text: t('comments.empty.hint') })
            : null,
      );
    }
  }

  function setFilters(next: Partial<Filters>): void {
    Object.assign(filters, next);
    render();
  }

  function setOpen(next: boolean): void {
    if (next === open) return;
    open = next;
    element.hidden = !open;
    ctx.onOpenChange(open);
    if (open) render();
  }

  return {
    element,
    isOpen: () => open,
    setOpen,
    filters,
    setFilters,
    render,
    matches,
    setComposer(composer) {
      replaceChildren(composerSlot, composer?.element);
      if (composer) {
        composerSlot.scrollIntoView({ block: 'nearest' });
        composer.focus();
      }
    },
    setActive(threadId) {
      active = threadId;
      for (const [id, card] of cards) card.setActive(id === threadId);
    },
    reveal(threadId, focus = false) {
      const thread = ctx.threads().find((x) => x.id === threadId);
      if (!thread) return;
      if (!matches(thread)) {
        Object.assign(filters, DEFAULT_FILTERS, { status: thread.status === 'open' ? 'open' : 'all' });
      }
      setOpen(true);
      render();
      const card = cards.get(threadId);
      if (!card) return;
      card.element.scrollIntoView({ block: 'nearest' });
      card.flash();
      if (focus) card.element.focus({ preventScroll: true });
    },
  };
}
