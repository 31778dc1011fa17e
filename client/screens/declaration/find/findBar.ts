import './find.css';
import type * as Y from 'yjs';
import { findInDoc, replaceAll, replaceMatch, type DocMatch } from '../../../../shared/findInDoc.ts';
import { LANGS, readOrder } from '../../../../shared/model/index.ts';
import { h } from '../../../lib/dom.ts';
import { t } from '../../../i18n/index.ts';
import { matchRange, paint } from './highlight.ts';

/**
 * Find and replace in the declaration's text (both languages), in a bar under
 * the header: Ctrl+F (⌘F) opens it on find, Ctrl+H (⌘H) on replace. Matching
 * is shared/find.ts's (NFC or NFD alike, any case, optionally without
 * Vietnamese tone marks). Next / previous bring the match's row into view,
 * however far below it is (rows are built lazily: lazyRows.ts), and the match
 * is highlighted. Replace and replace all edit the Y.Doc like typing
 * (shared/findInDoc.ts); they exist for editors only — readers find.
 */

export interface FindBarOptions {
  doc: Y.Doc;
  editable: boolean;
  /** The element of a pair's row, if it has one. */
  rowElement(pairId: string): HTMLElement | undefined;
  /** 1-based number of a pair in reading order. */
  pairNumber(pairId: string): number | undefined;
  /** The rows' container: its changes (a row going live, text typed) are painted again. */
  list: HTMLElement;
  notify(message: string): void;
}

export interface FindBar {
  /** The bar (hidden until opened). */
  readonly element: HTMLElement;
  /** The header button that opens it. */
  readonly button: HTMLButtonElement;
  open(mode: 'find' | 'replace'): void;
  close(): void;
  destroy(): void;
}

/** Most matches painted at once (the count still says how many there are). */
const MAX_PAINTED = 2000;

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad|od)/.test(navigator.platform);
const FIND_SHORTCUT = isMac ? '⌘F' : 'Ctrl+F';

/** Orders matches in reading order: pair, language, paragraph, offset. */
type Key = [number, number, number, number];
const before = (a: Key, b: Key): boolean => {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
};

export function createFindBar(options: FindBarOptions): FindBar {
  const { doc, editable } = options;
  const testid = (id: string, extra: Record<string, string | number | boolean> = {}) => ({ 'data-testid': id, ...extra });

  const query = h('input', {
    class: 'find__input',
    attrs: testid('find-query', { type: 'search', placeholder: t('find.query.placeholder'), 'aria-label': t('find.query'), autocomplete: 'off', spellcheck: 'false' }),
  });
  const tonesBox = h('input', { attrs: testid('find-tones', { type: 'checkbox' }) });
  const tones = h('label', { class: 'find__tones', attrs: { title: t('find.tones.title') } }, tonesBox, h('span', { text: t('find.tones') }));
  const count = h('span', { class: 'find__count', attrs: testid('find-count', { 'aria-live': 'polite' }) });
  const button = (id: string, text: string, label: string, onClick: () => void, primary = false) =>
    h('button', {
      class: primary ? 'find__button find__button--primary' : 'find__button',
      text,
      attrs: testid(id, { type: 'button', title: label, 'aria-label': label }),
      on: { click: onClick },
    });
  const previous = button('find-previous', '↑', t('find.previous'), () => step(-1));
  const next = button('find-next', '↓', t('find.next'), () => step(1));
  const closeButton = button('find-close', '×', t('find.close'), () => close());

  const replacement = editable
    ? h('input', {
        class: 'find__input',
        attrs: testid('find-replacement', { type: 'text', placeholder: t('find.replace.placeholder'), 'aria-label': t('find.replace'), autocomplete: 'off' }),
      })
    : null;
  const replaceOne = editable ? button('find-replace', t('find.replaceOne'), t('find.replaceOne'), () => replaceCurrent()) : null;
  const replaceEvery = editable ? button('find-replace-all', t('find.replaceAll'), t('find.replaceAll'), () => replaceEverything()) : null;
  const readOnlyHint = editable ? null : h('span', { class: 'find__hint', text: t('find.readOnly'), attrs: { hidden: true, 'data-testid': 'find-read-only' } });

  const element = h(
    'div',
    { class: 'find container', attrs: testid('find-bar', { role: 'search', 'aria-label': t('find.label'), hidden: true }) },
    h('div', { class: 'find__row' }, query, count, previous, next, tones, closeButton),
    replacement ? h('div', { class: 'find__row' }, replacement, replaceOne, replaceEvery) : readOnlyHint,
  );
  const openButton = h('button', {
    class: 'find__open',
    text: t('find.open'),
    attrs: testid('find-open', { type: 'button', title: t('find.open.title', { shortcut: FIND_SHORTCUT }) }),
    on: { click: () => open('find') },
  });

  // ---------------------------------------------------------------- state
  let matches: DocMatch[] = [];
  let current = -1;
  /** Where the current match is, to find the one that takes its place after a change. */
  let currentKey: Key | null = null;
  let scrollPending = false;

  const findOptions = () => ({ tones: tonesBox.checked });
  const keyOf = (m: DocMatch, order: Map<string, number>): Key => [order.get(m.pairId) ?? -1, LANGS.indexOf(m.lang), m.paragraph, m.paragraphFrom];

  /** Finds again; the current match becomes the first at or after where it was. */
  function search(): void {
    matches = query.value ? findInDoc(doc, query.value, findOptions()) : [];
    if (matches.length === 0) current = -1;
    else if (!currentKey) current = 0;
    else {
      const order = new Map(readOrder(doc).map((id, i) => [id, i]));
      const i = matches.findIndex((m) => !before(keyOf(m, order), currentKey!));
      current = i < 0 ? 0 : i;
    }
    remember();
    render();
  }

  function remember(): void {
    const m = matches[current];
    if (!m) return void (currentKey = null);
    const order = new Map(readOrder(doc).map((id, i) => [id, i]));
    currentKey = keyOf(m, order);
  }

  function render(): void {
    const m = matches[current];
    const total = matches.length;
    element.dataset.count = String(total);
    element.dataset.current = m ? String(current + 1) : '0';
    if (m) {
      element.dataset.currentPair = m.pairId;
      element.dataset.currentLang = m.lang;
    } else {
      delete element.dataset.currentPair;
      delete element.dataset.currentLang;
    }
    if (!query.value) count.textContent = '';
    else if (!m) count.textContent = t('find.none');
    else {
      const where = t('find.where', { number: options.pairNumber(m.pairId) ?? '—', lang: m.lang.toUpperCase() });
      count.textContent = `${t('find.count', { current: current + 1, total })} · ${where}`;
    }
    element.classList.toggle('is-empty', !!query.value && total === 0);
    for (const b of [previous, next]) b.disabled = total === 0;
    if (replaceOne) replaceOne.disabled = !m;
    if (replaceEvery) replaceEvery.disabled = total === 0;
    repaint();
  }

  /** Paints the matches the rows show now; brings the current one into view when asked. */
  function repaint(): void {
    if (element.hidden || matches.length === 0) return paint(null, null);
    const ranges: Range[] = [];
    let currentRange: Range | null = null;
    matches.forEach((m, i) => {
      if (ranges.length >= MAX_PAINTED && i !== current) return;
      const row = options.rowElement(m.pairId);
      const range = row ? matchRange(row, { lang: m.lang, paragraph: m.paragraph, from: m.paragraphFrom, to: m.paragraphTo }) : null;
      if (!range) return;
      ranges.push(range);
      if (i === current) currentRange = range;
    });
    paint(ranges, currentRange);
    if (scrollPending && currentRange) scrollTo(currentRange);
  }

  /** Scrolls so the current match is in the middle of what the sticky header leaves visible. */
  function scrollTo(range: Range): void {
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return; // not laid out yet: the next paint tries again
    scrollPending = false;
    const top = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--header-height')) || 0;
    if (rect.top >= top + 16 && rect.bottom <= window.innerHeight - 32) return;
    const middle = top + (window.innerHeight - top) / 2;
    window.scrollBy({ top: rect.top + rect.height / 2 - middle, behavior: 'auto' });
  }

  function reveal(): void {
    const m = matches[current];
    if (!m) return;
    scrollPending = true;
    // The row first (it may be far below, its layout skipped), then the words once it is laid out.
    options.rowElement(m.pairId)?.scrollIntoView({ block: 'center', behavior: 'auto' });
    repaint();
    requestAnimationFrame(() => repaint());
  }

  function step(delta: 1 | -1): void {
    if (matches.length === 0) return;
    current = (current + delta + matches.length) % matches.length;
    remember();
    render();
    reveal();
  }

  function replaceCurrent(): void {
    const m = matches[current];
    if (!m || !replacement) return;
    replaceMatch(doc, m, query.value, replacement.value, findOptions());
    search(); // the current match is now the next one
    reveal();
  }

  function replaceEverything(): void {
    if (!replacement || !query.value) return;
    const n = replaceAll(doc, query.value, replacement.value, findOptions());
    options.notify(t('find.replaced', { count: n }));
    search();
  }

  // ---------------------------------------------------------------- events
  query.addEventListener('input', () => {
    currentKey = null;
    search();
    reveal();
  });
  tonesBox.addEventListener('change', () => {
    search();
    reveal();
  });
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Enter' && event.target === query) {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === 'Enter' && event.target === replacement) {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) replaceEverything();
      else replaceCurrent();
    }
  };
  element.addEventListener('keydown', onKey);

  // Ctrl+F / Ctrl+H anywhere on the page (the editors bind neither).
  const onShortcut = (event: KeyboardEvent): void => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key !== 'f' && key !== 'h') return;
    event.preventDefault();
    open(key === 'h' ? 'replace' : 'find');
  };
  document.addEventListener('keydown', onShortcut, true);

  // Text typed by anyone, and rows going live or static, while the bar is open.
  let frame = 0;
  const onDocUpdate = (): void => {
    if (element.hidden || frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      search();
    });
  };
  doc.on('update', onDocUpdate);
  let paintFrame = 0;
  const observer = new MutationObserver(() => {
    if (element.hidden || paintFrame) return;
    paintFrame = requestAnimationFrame(() => {
      paintFrame = 0;
      repaint();
    });
  });

  function open(mode: 'find' | 'replace'): void {
    const wasHidden = element.hidden;
    element.hidden = false;
    openButton.setAttribute('aria-expanded', 'true');
    if (wasHidden) observer.observe(options.list, { childList: true, subtree: true, characterData: true });
    if (readOnlyHint) readOnlyHint.hidden = mode !== 'replace';
    const selected = window.getSelection()?.toString().trim() ?? '';
    if (wasHidden && selected && !selected.includes('\n') && selected.length <= 200) query.value = selected;
    const target = mode === 'replace' && replacement && query.value ? replacement : query;
    target.focus();
    target.select();
    search();
    if (wasHidden) reveal();
  }

  function close(): void {
    if (element.hidden) return;
    element.hidden = true;
    openButton.setAttribute('aria-expanded', 'false');
    observer.disconnect();
    paint(null, null);
    openButton.focus();
  }

  return {
    element,
    button: openButton,
    open,
    close,
    destroy() {
      document.removeEventListener('keydown', onShortcut, true);
      doc.off('update', onDocUpdate);
      observer.disconnect();
      cancelAnimationFrame(frame);
      cancelAnimationFrame(paintFrame);
      paint(null, null);
    },
  };
}
