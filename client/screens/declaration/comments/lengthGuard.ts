import './commentLength.css';
import { limits } from '../../../../shared/limits.ts';
import { h } from '../../../lib/dom.ts';
import { t } from '../../../i18n/index.ts';

/**
 * The length of a comment being written. A body over limits.maxCommentLength
 * characters (trimmed, as the server counts) is not cut: the count shows how
 * far over it is, the form refuses to send it, and the server refuses it too
 * (comment_too_long). The count appears from 90% of the limit.
 */

const SHOW_FROM = Math.floor(limits.maxCommentLength * 0.9);

export interface LengthGuard {
  /** The count and its message, placed under the textarea. */
  readonly element: HTMLElement;
  /** True when the body may be sent (not over the limit). */
  fits(): boolean;
  /** Updates the count (also done on every input). */
  update(): void;
}

export function lengthGuard(box: HTMLTextAreaElement, onChange?: (fits: boolean) => void): LengthGuard {
  const element = h('p', { class: 'comment-length', attrs: { 'data-testid': 'comment-length', hidden: true, 'aria-live': 'polite' } });
  const length = (): number => box.value.trim().length;
  const guard: LengthGuard = {
    element,
    fits: () => length() <= limits.maxCommentLength,
    update() {
      const count = length();
      const over = count - limits.maxCommentLength;
      element.hidden = count < SHOW_FROM;
      element.classList.toggle('is-over', over > 0);
      element.dataset.over = String(over > 0);
      element.textContent =
        over > 0
          ? `${t('comments.length.count', { count, max: limits.maxCommentLength })} — ${t('comments.length.over', { over, max: limits.maxCommentLength })}`
          : t('comments.length.count', { count, max: limits.maxCommentLength });
      box.setAttribute('aria-invalid', String(over > 0));
      onChange?.(over <= 0);
    },
  };
  box.addEventListener('input', () => guard.update());
  return guard;
}
