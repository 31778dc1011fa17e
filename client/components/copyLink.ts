import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

/**
 * A sign-in link to hand over: the URL in a read-only field (selected on
 * focus, so it can also be copied by hand) and a Copy button.
 */
export function copyLink(title: string, url: string): HTMLElement {
  const field = h('input', {
    class: 'copy-link__url',
    attrs: { type: 'text', readonly: true, value: url, 'data-testid': 'sign-in-url', 'aria-label': title, spellcheck: 'false' },
    on: { focus: () => field.select() },
  });
  const done = h('span', { class: 'copy-link__done', attrs: { role: 'status', 'aria-live': 'polite' } });
  const button = h('button', {
    class: 'button',
    text: t('action.copy'),
    attrs: { type: 'button', 'data-testid': 'copy-link' },
    on: {
      click: async () => {
        done.textContent = (await copy(field)) ? t('copy.done') : t('copy.manual');
      },
    },
  });
  return h(
    'div',
    { class: 'copy-link', attrs: { 'data-testid': 'link-box' } },
    h('p', { class: 'copy-link__title', text: title }),
    h('div', { class: 'copy-link__row' }, field, button, done),
    h('p', { class: 'copy-link__hint muted', text: t('copy.hint') }),
  );
}

/** The async clipboard where allowed (secure contexts), else the selection and execCommand. */
async function copy(field: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    field.focus();
    field.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}
