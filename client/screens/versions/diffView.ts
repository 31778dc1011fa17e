import type { DiffPart, PairChange, VersionPair } from '../../../shared/diff.ts';
import { h } from '../../lib/dom.ts';
import { cellText } from '../../../shared/canonicalText.ts';
import { formatNumber, getLocale, t, type MessageKey } from '../../i18n/index.ts';
import { countLabel, renderDiff, renderWhole } from './diffParts.ts';

/**
 * A comparison of two texts of the declaration, pair by pair: changed pairs
 * with their word diffs per language, added, removed and moved pairs marked
 * as such. Two layouts: side by side (before | after, per language) and
 * inline (removed and added words in place, Vietnamese | French).
 */

export type DiffLayout = 'side' | 'inline';

const LANGS = ['vi', 'fr'] as const;
type Lang = (typeof LANGS)[number];

const KIND_KEY: Record<string, MessageKey> = {
  title: 'agreement.kind.title',
  preamble: 'agreement.kind.preamble',
  operative: 'agreement.kind.operative',
  closing: 'agreement.kind.closing',
};

export interface DiffViewOptions {
  layout: DiffLayout;
  showUnchanged: boolean;
  /** Labels of the two sides: "Version 1", "Current draft". */
  beforeLabel: string;
  afterLabel: string;
}

export type ChangeKind = 'changed' | 'added' | 'removed' | 'moved' | 'unchanged';

/** What a pair change counts as in the summary (a moved pair may also be changed). */
export function kindsOf(change: PairChange): ChangeKind[] {
  if (change.status === 'added' || change.status === 'removed') return [change.status];
  const kinds: ChangeKind[] = [];
  if (change.status === 'changed') kinds.push('changed');
  if (change.moved) kinds.push('moved');
  if (kinds.length === 0) kinds.push('unchanged');
  return kinds;
}

export function summarize(changes: PairChange[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { changed: 0, added: 0, removed: 0, moved: 0, unchanged: 0 };
  for (const change of changes) for (const kind of kindsOf(change)) counts[kind]++;
  return counts;
}

function badge(kind: ChangeKind): HTMLElement {
  return h('span', { class: `change-badge change-badge--${kind}`, text: t(`agreement.change.${kind}`), attrs: { 'data-change': kind } });
}

const langName = (lang: Lang): string => t(lang === 'vi' ? 'agreement.lang.vi' : 'agreement.lang.fr');

function wordCount(parts: DiffPart[]): HTMLElement {
  return h('span', { class: 'change__count', text: countLabel(parts) });
}

/** The body of one pair: per language, before | after (side) or the inline diff. */
function pairBody(change: PairChange, options: DiffViewOptions): HTMLElement {
  const side = options.layout === 'side';
  const grid = h('div', { class: `change__grid change__grid--${options.layout}` });
  if (side) {
    grid.append(
      h('span', { class: 'change__colhead' }),
      h('span', { class: 'change__colhead', text: options.beforeLabel }),
      h('span', { class: 'change__colhead', text: options.afterLabel }),
    );
  }
  for (const [index, lang] of LANGS.entries()) {
    const later = index > 0 ? ' is-later' : '';
    let before: HTMLElement;
    let after: HTMLElement;
    let inline: HTMLElement;
    let count: HTMLElement | null = null;
    if (change.status === 'added') {
      before = h('div', { class: 'diff-text diff-text--absent', text: t('agreement.change.notThere') });
      after = renderWhole(change.after[lang], 'added', lang);
      inline = after;
    } else if (change.status === 'removed') {
      before = renderWhole(change.before[lang], 'removed', lang);
      after = h('div', { class: 'diff-text diff-text--absent', text: t('agreement.change.notThere') });
      inline = before;
    } else {
      before = renderDiff(change[lang], 'before', lang);
      after = renderDiff(change[lang], 'after', lang);
      inline = renderDiff(change[lang], 'inline', lang);
      count = wordCount(change[lang]);
    }
    const label = h('span', { class: `change__lang${later}` }, h('span', { class: 'change__lang-name', text: langName(lang) }), count);
    if (side) {
      grid.append(
        label,
        h('div', { class: `change__side change__side--before${later}`, attrs: { 'data-testid': `before-${lang}`, lang } }, before),
        h('div', { class: `change__side change__side--after${later}`, attrs: { 'data-testid': `after-${lang}`, lang } }, after),
      );
    } else {
      grid.append(h('div', { class: `change__inline change__inline--${lang}`, attrs: { 'data-testid': `inline-${lang}` } }, label, inline));
    }
  }
  return grid;
}

function pairOf(change: PairChange): VersionPair {
  return change.status === 'removed' ? change.before : change.after;
}

const FIRST_WORDS = 8;

/** A pair's first words, in the interface's language when it is one of the two (never its id). */
export function firstWords(pair: VersionPair): { text: string; lang: Lang } {
  const preferred: Lang = getLocale() === 'vi' ? 'vi' : 'fr';
  const lang: Lang = cellText(pair[preferred]).trim() ? preferred : preferred === 'vi' ? 'fr' : 'vi';
  const words = cellText(pair[lang]).trim().split(/\s+/u).filter(Boolean);
  return { text: words.length > FIRST_WORDS ? `${words.slice(0, FIRST_WORDS).join(' ')}…` : words.join(' '), lang };
}

export function renderChanges(changes: PairChange[], options: DiffViewOptions): HTMLElement {
  const list = h('div', { class: 'changes-list', attrs: { 'data-testid': 'diff-result', 'data-layout': options.layout } });
  let shown = 0;
  for (const change of changes) {
    const kinds = kindsOf(change);
    if (!options.showUnchanged && kinds.length === 1 && kinds[0] === 'unchanged') continue;
    shown++;
    const pair = pairOf(change);
    // Each side numbered in its own order: ¶ n of the "after" text, a removed pair by its ¶ in the "before" one.
    const where = change.status === 'removed' ? t('agreement.change.wasNumber', { n: change.from }) : t('agreement.change.number', { n: change.to });
    const moved =
      change.status !== 'added' && change.status !== 'removed' && change.moved
        ? h('span', { class: 'change__moved', text: t('agreement.change.movedFrom', { n: change.from }) })
        : null;
    const words = firstWords(pair);
    list.append(
      h(
        'article',
        {
          class: `change change--${kinds[0]}`,
          attrs: { 'data-testid': 'pair-change', 'data-pair-id': change.id, 'data-change': kinds.join(' ') },
        },
        h(
          'header',
          { class: 'change__header' },
          h('span', { class: 'change__number', text: where }),
          h('span', { class: 'change__kind', text: t(KIND_KEY[pair.kind] ?? 'agreement.kind.operative') }),
          words.text ? h('q', { class: 'change__words', text: words.text, attrs: { lang: words.lang, 'data-testid': 'change-words' } }) : null,
          moved,
          h('span', { class: 'change__badges' }, ...kinds.map(badge)),
        ),
        pairBody(change, options),
      ),
    );
  }
  if (shown === 0) {
    list.append(h('p', { class: 'changes-list__empty', text: t('agreement.compare.identical') }));
  }
  return list;
}

/** "2 changed · 1 added · 1 moved · 5 unchanged" */
export function summaryLine(changes: PairChange[]): HTMLElement {
  const counts = summarize(changes);
  const kinds: ChangeKind[] = ['changed', 'added', 'removed', 'moved', 'unchanged'];
  return h(
    'p',
    { class: 'compare__summary', attrs: { 'data-testid': 'diff-summary' } },
    ...kinds.map((kind) =>
      h('span', { class: `compare__tally${counts[kind] === 0 ? ' is-zero' : ''}`, attrs: { 'data-change': kind } }, badge(kind), ' ', formatNumber(counts[kind])),
    ),
  );
}
