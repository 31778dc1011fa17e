import type { Visibility } from '../../../../shared/comments.ts';
import type { Lang } from '../../../../shared/model/index.ts';
import { h } from '../../../lib/dom.ts';
import { t } from '../../../i18n/index.ts';
import { autoGrow, errorMessage, icon } from './dom.ts';
import { lengthGuard } from './lengthGuard.ts';
import { langName, SUBMIT_SHORTCUT } from './rules.ts';

/**
 * The form for a new thread, at the top of the side panel: the quoted words,
 * who may read it (all parties, or internal to the member's delegation — that
 * choice is absent for members outside every delegation), the first comment.
 */

export interface ComposerOptions {
  quote: string;
  lang: Lang;
  pairNumber: number | undefined;
  /** The member's delegation name, or null: then there is no internal choice. */
  internalTo: string | null;
  submit(body: string, visibility: Visibility): Promise<void>;
  cancel(): void;
}

export interface Composer {
  readonly element: HTMLElement;
  focus(): void;
}

let counter = 0;

export function createComposer(options: ComposerOptions): Composer {
  const name = `comment-visibility-${++counter}`;
  const choice = (value: Visibility, label: string, extra: Node | null): HTMLLabelElement => {
    const input = h('input', {
      class: 'composer__radio',
      attrs: { type: 'radio', name, value, 'data-testid': `visibility-${value}` },
    });
    return h('label', { class: `composer__choice composer__choice--${value}` }, input, extra, h('span', { text: label }));
  };
  const shared = choice('shared', t('comments.new.shared'), null);
  const internal = options.internalTo ? choice('internal', t('comments.new.internal', { delegation: options.internalTo }), icon('lock', 'icon icon--small')) : null;
  // Internal by default: a delegation's notes reach the other side only when asked.
  const initial = (internal ?? shared).querySelector('input')!;
  initial.checked = true;

  const body = h('textarea', {
    class: 'comments-textarea composer__body',
    attrs: { rows: 3, placeholder: t('comments.new.placeholder'), 'aria-label': t('comments.new.placeholder'), 'data-testid': 'comment-body-input' },
  });
  autoGrow(body);
  const length = lengthGuard(body);
  const error = h('p', { class: 'composer__error', attrs: { role: 'alert', hidden: true, 'data-testid': 'composer-error' } });
  const submit = h('button', {
    class: 'comments-button comments-button--primary',
    text: t('comments.new.submit'),
    attrs: { type: 'submit', 'data-testid': 'comment-submit', disabled: true, title: t('comments.new.hint', { shortcut: SUBMIT_SHORTCUT }) },
  });
  const cancel = h('button', {
    class: 'comments-button',
    text: t('comments.cancel'),
    attrs: { type: 'button', 'data-testid': 'comment-cancel' },
    on: { click: () => options.cancel() },
  });

  const element = h(
    'form',
    { class: 'composer', attrs: { 'data-testid': 'comment-composer', 'aria-label': t('comments.new.title') } },
    h(
      'div',
      { class: 'composer__head' },
      h('span', { class: 'composer__title', text: t('comments.new.title') }),
      h('span', { class: 'composer__where', text: t('comments.where', { number: options.pairNumber ?? '—', lang: langName(options.lang) }) }),
    ),
    h('blockquote', { class: 'thread__quote', text: options.quote, attrs: { lang: options.lang } }),
    h(
      'fieldset',
      { class: 'composer__visibility' },
      h('legend', { class: 'composer__legend', text: t('comments.new.visibility') }),
      internal,
      shared,
    ),
    body,
    length.element,
    error,
    h('div', { class: 'comments-buttons' }, h('span', { class: 'composer__hint', text: t('comments.new.hint', { shortcut: SUBMIT_SHORTCUT }) }), cancel, submit),
  );

  body.addEventListener('input', () => {
    submit.disabled = body.value.trim() === '' || !length.fits();
  });
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      options.cancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target === body) {
      event.preventDefault();
      element.requestSubmit();
    }
  });
  let sending = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = body.value.trim();
    if (!text || sending || !length.fits()) return;
    const visibility = (element.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? 'shared') as Visibility;
    sending = true;
    submit.disabled = true;
    submit.textContent = t('comments.new.posting');
    error.hidden = true;
    options.submit(text, visibility).then(
      () => undefined,
      (failure: unknown) => {
        error.textContent = errorMessage(failure);
        error.hidden = false;
        sending = false;
        submit.disabled = false;
        submit.textContent = t('comments.new.submit');
      },
    );
  });

  return {
    element,
    focus: () => body.focus(),
  };
}
