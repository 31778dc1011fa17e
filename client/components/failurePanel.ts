import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

/**
 * Shown instead of a screen's content when it cannot be shown at all: a
 * title, what to do, and a way back (or the given action).
 */
export function failurePanel(title: string, detail: string, action?: HTMLElement): HTMLElement {
  return h(
    'div',
    { class: 'failure', attrs: { role: 'alert', 'data-testid': 'fatal-error' } },
    h('h2', { class: 'failure__title', text: title }),
    h('p', { class: 'failure__detail', text: detail }),
    h('p', { class: 'failure__actions' }, action ?? h('a', { class: 'button', text: t('nav.backToList'), attrs: { href: '/' } })),
  );
}

/** A button that reloads the page (for failures a retry may fix). */
export function retryButton(): HTMLButtonElement {
  return h('button', { class: 'button', text: t('action.retry'), attrs: { type: 'button' }, on: { click: () => location.reload() } });
}
