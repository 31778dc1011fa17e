import type { DiffPart } from '../../../shared/diff.ts';
import { h } from '../../lib/dom.ts';
import { t } from '../../i18n/index.ts';
import './diff.css';

/**
 * Word diffs as text: removed words in <del>, added words in <ins>, each with
 * a label for screen readers (the colours alone say nothing to them).
 */

export type DiffSide = 'before' | 'after' | 'inline';

function part(kind: 'added' | 'removed', text: string): HTMLElement {
  const tag = kind === 'added' ? 'ins' : 'del';
  const el = h(tag, { class: `diff-${kind}`, text });
  el.setAttribute('aria-label', t(kind === 'added' ? 'agreement.diff.addedWords' : 'agreement.diff.removedWords', { text }));
  // Only whitespace changed (e.g. a space became U+202F): make the change visible.
  if (!/\S/u.test(text)) el.classList.add('diff-space');
  return el;
}

/** A change, with the spaces at its edges left outside the mark (unless it is only spaces). */
function marked(kind: 'added' | 'removed', text: string): Array<string | HTMLElement> {
  const match = /^(\s*)([\s\S]*?)(\s*)$/u.exec(text);
  if (!match || !match[2]) return [part(kind, text)];
  return [match[1] ?? '', part(kind, match[2]), match[3] ?? ''].filter((x) => x !== '');
}

/**
 * The text of one side of a diff: "before" (unchanged + removed), "after"
 * (unchanged + added) or "inline" (everything, in order).
 */
export function renderDiff(parts: DiffPart[], side: DiffSide, lang: 'vi' | 'fr'): HTMLElement {
  const body = h('div', { class: 'diff-text', attrs: { lang } });
  for (const p of parts) {
    if (p.kind === 'same') body.append(p.text);
    else if ((p.kind === 'removed' && side !== 'after') || (p.kind === 'added' && side !== 'before')) body.append(...marked(p.kind, p.text));
  }
  if (!body.textContent) body.append(h('span', { class: 'diff-empty', text: t('agreement.diff.empty') }));
  return body;
}

/** A whole text shown as added (a new pair) or removed (a deleted one). */
export function renderWhole(text: string, kind: 'added' | 'removed', lang: 'vi' | 'fr'): HTMLElement {
  return renderDiff(text ? [{ kind, text }] : [], 'inline', lang);
}

/** Number of words added and removed, for a short summary. */
export function countWords(parts: DiffPart[]): { added: number; removed: number } {
  const words = (text: string): number => (text.match(/\S+/gu) ?? []).length;
  let added = 0;
  let removed = 0;
  for (const p of parts) {
    if (p.kind === 'added') added += words(p.text);
    if (p.kind === 'removed') removed += words(p.text);
  }
  return { added, removed };
}
