import type { Lang } from '../../../../shared/model/index.ts';

/**
 * Where a match of find is on the screen: a DOM Range over its characters in
 * the row's cell, whether the cell is an editor or static text (both show a
 * paragraph as a block whose text nodes hold its characters in order). Widgets
 * inside an editor (other people's cursors, with their names) are not text of
 * the cell: anything under contenteditable="false" is skipped. The ranges are
 * painted with the CSS Custom Highlight API, which changes no DOM node, so
 * ProseMirror never sees them.
 */

export const MATCH_HIGHLIGHT = 'accord-find-match';
export const CURRENT_HIGHLIGHT = 'accord-find-current';

export interface MatchPlace {
  lang: Lang;
  paragraph: number;
  from: number;
  to: number;
}

/** The cell element of a row (editor or static) for a language. */
function cellOf(row: HTMLElement, lang: Lang): HTMLElement | null {
  return row.querySelector<HTMLElement>(`.cell--${lang} [data-testid="cell-${lang}"]`);
}

/** The text nodes of a paragraph that are its characters, in order. */
function textNodes(paragraph: HTMLElement): Text[] {
  const out: Text[] = [];
  const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node instanceof HTMLElement && node.getAttribute('contenteditable') === 'false' ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node instanceof Text) out.push(node);
  return out;
}

/** The DOM Range of a match in a row, or null when the row does not show that paragraph (yet). */
export function matchRange(row: HTMLElement, place: MatchPlace): Range | null {
  const cell = cellOf(row, place.lang);
  const paragraph = cell ? (Array.from(cell.children).filter((c) => c.tagName === 'P')[place.paragraph] as HTMLElement | undefined) : undefined;
  if (!paragraph) return null;
  const range = document.createRange();
  let at = 0;
  let started = false;
  for (const node of textNodes(paragraph)) {
    const length = node.data.length;
    if (!started && place.from <= at + length) {
      range.setStart(node, place.from - at);
      started = true;
    }
    if (started && place.to <= at + length) {
      range.setEnd(node, place.to - at);
      return range;
    }
    at += length;
  }
  return null;
}

/** Paints the ranges (the current one apart); null clears both. */
export function paint(matches: Range[] | null, current: Range | null): void {
  const registry = (globalThis.CSS as unknown as { highlights?: Map<string, unknown> } | undefined)?.highlights;
  if (!registry || typeof Highlight === 'undefined') return;
  if (!matches) {
    registry.delete(MATCH_HIGHLIGHT);
    registry.delete(CURRENT_HIGHLIGHT);
    return;
  }
  registry.set(MATCH_HIGHLIGHT, new Highlight(...matches));
  if (current) registry.set(CURRENT_HIGHLIGHT, new Highlight(current));
  else registry.delete(CURRENT_HIGHLIGHT);
}
