import { limits } from '../../../../shared/limits.ts';
import { ErrorCode } from '../../../../shared/protocol.ts';
import { t } from '../../../i18n/index.ts';
import { ApiError } from '../../../lib/api.ts';

/** Small DOM helpers of the comments UI. */

/** Puts `wanted` as the children of `parent`, in order, moving as few nodes as possible (focus stays). */
export function placeChildren(parent: HTMLElement, wanted: readonly HTMLElement[]): void {
  let cursor: ChildNode | null = parent.firstChild;
  for (const el of wanted) {
    if (el === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(el, cursor);
  }
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

/** A textarea that grows with its text (up to the CSS max-height). */
export function autoGrow(textarea: HTMLTextAreaElement): void {
  const fit = (): void => {
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
  };
  textarea.addEventListener('input', fit);
  textarea.addEventListener('focus', fit);
}

/** The sentence to show for a failed request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === ErrorCode.CommentTooLong) return t('error.code.comment_too_long', { max: limits.maxCommentLength });
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Thin line icons (16×16, currentColor). */
const ICONS = {
  comment: 'M3 3.5h10a1 1 0 0 1 1 1v6a1 1 0 0 1-1 1H7l-3 2.5v-2.5H3a1 1 0 0 1-1-1v-6a1 1 0 0 1 1-1z',
  lock: 'M4.5 7.5h7a.5.5 0 0 1 .5.5v5a.5.5 0 0 1-.5.5h-7a.5.5 0 0 1-.5-.5V8a.5.5 0 0 1 .5-.5zM5.75 7.5V5.5a2.25 2.25 0 0 1 4.5 0v2',
  close: 'M4 4l8 8M12 4l-8 8',
  check: 'M3.5 8.5l3 3 6-7',
} as const;

export function icon(name: keyof typeof ICONS, className = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', className);
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name]);
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.3');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
