import type { CanonicalCell, CanonicalRun } from '../../../shared/canonicalText.ts';
import { cellText } from '../../../shared/canonicalText.ts';
import type { DiffPart } from '../../../shared/diff.ts';
import { h } from '../../lib/dom.ts';
import { t } from '../../i18n/index.ts';
import './diff.css';

/**
 * Word diffs as text, bold and italic shown as such: removed words in <del>,
 * added words in <ins>, words whose formatting changed in <mark>, each with a
 * label for screen readers (the colours alone say nothing to them).
 */

export type DiffSide = 'before' | 'after' | 'inline';

type Changed = Exclude<DiffPart['kind'], 'same'>;

const TAGS = { added: 'ins', removed: 'del', formatted: 'mark' } as const;
const LABELS = { added: 'agreement.diff.addedWords', removed: 'agreement.diff.removedWords', formatted: 'agreement.diff.formattedWords' } as const;

/** One run: its text in <strong> and/or <em> as it is bold and/or italic. */
function runNode(run: CanonicalRun): string | HTMLElement {
  let node: string | HTMLElement = run.text;
  if (run.marks?.includes('em')) node = h('em', {}, node);
  if (run.marks?.includes('strong')) node = h('strong', {}, node);
  return node;
}

/** Text with its formatting (`runs` absent: plain). */
function formatted(text: string, runs: CanonicalRun[] | undefined): Array<string | HTMLElement> {
  return runs ? runs.map(runNode) : [text];
}

/** The runs of characters `from` to `to` of a part's text. */
function sliceRuns(runs: CanonicalRun[] | undefined, from: number, to: number): CanonicalRun[] | undefined {
  if (!runs) return undefined;
  const out: CanonicalRun[] = [];
  let pos = 0;
  for (const run of runs) {
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + run.text.length);
    if (end > start) out.push({ ...run, text: run.text.slice(start - pos, end - pos) });
    pos += run.text.length;
  }
  return out;
}

function changed(kind: Changed, text: string, runs: CanonicalRun[] | undefined): HTMLElement {
  const el = h(TAGS[kind], { class: `diff-${kind}` }, ...formatted(text, runs));
  el.setAttribute('aria-label', t(LABELS[kind], { text }));
  if (kind === 'formatted') el.title = t('agreement.diff.legendFormatted');
  // Only whitespace changed (e.g. a space became U+202F): make the change visible.
  if (!/\S/u.test(text)) el.classList.add('diff-space');
  return el;
}

/** A change, with the spaces at its edges left outside the mark (unless it is only spaces). */
function marked(kind: Changed, text: string, runs: CanonicalRun[] | undefined): Array<string | HTMLElement> {
  const match = /^(\s*)([\s\S]*?)(\s*)$/u.exec(text);
  if (!match || !match[2]) return [changed(kind, text, runs)];
  const lead = match[1]!.length;
  const end = lead + match[2].length;
  return [
    ...(lead ? formatted(match[1]!, sliceRuns(runs, 0, lead)) : []),
    changed(kind, match[2], sliceRuns(runs, lead, end)),
    ...(end < text.length ? formatted(match[3]!, sliceRuns(runs, end, text.length)) : []),
  ];
}

/**
 * The text of one side of a diff: "before" (unchanged + removed, formatting
 * as it was), "after" (unchanged + added, formatting as it is) or "inline"
 * (everything, in order, formatting as it is).
 */
export function renderDiff(parts: DiffPart[], side: DiffSide, lang: 'vi' | 'fr'): HTMLElement {
  const body = h('div', { class: 'diff-text', attrs: { lang } });
  for (const p of parts) {
    if (p.kind === 'same') body.append(...formatted(p.text, p.runs));
    else if (p.kind === 'formatted') body.append(...marked('formatted', p.text, side === 'before' ? p.before : p.runs));
    else if ((p.kind === 'removed' && side !== 'after') || (p.kind === 'added' && side !== 'before')) body.append(...marked(p.kind, p.text, p.runs));
  }
  if (!body.textContent) body.append(h('span', { class: 'diff-empty', text: t('agreement.diff.empty') }));
  return body;
}

/** A whole text shown as added (a new pair) or removed (a deleted one), with its formatting. */
export function renderWhole(cell: CanonicalCell, kind: 'added' | 'removed', lang: 'vi' | 'fr'): HTMLElement {
  const text = cellText(cell);
  const runs = cell.flatMap((paragraph, i) => (i > 0 ? [{ text: '\n' }, ...paragraph] : paragraph));
  return renderDiff(text ? [{ kind, text, runs: runs.some((r) => r.marks) ? runs : undefined }] : [], 'inline', lang);
}

/** Number of words added and removed, and whether the formatting of any changed, for a short summary. */
export function countWords(parts: DiffPart[]): { added: number; removed: number; formatted: boolean } {
  const words = (text: string): number => (text.match(/\S+/gu) ?? []).length;
  let added = 0;
  let removed = 0;
  let formatted = false;
  for (const p of parts) {
    if (p.kind === 'added') added += words(p.text);
    if (p.kind === 'removed') removed += words(p.text);
    if (p.kind === 'formatted') formatted = true;
  }
  return { added, removed, formatted };
}

/** "+1 / −0 words", or with "formatting changed" when it did. */
export function countLabel(parts: DiffPart[]): string {
  const { added, removed, formatted } = countWords(parts);
  if (parts.every((p) => p.kind === 'same')) return t('agreement.changes.none');
  return t(formatted ? 'agreement.changes.countFormatted' : 'agreement.changes.count', { added, removed });
}
