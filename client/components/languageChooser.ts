import { h } from '../lib/dom.ts';
import { LOCALES, LOCALE_NAMES, getLocale, isLocale, t, type Locale } from '../i18n/index.ts';

/**
 * The interface language chooser: a labelled select listing each language in
 * its own name (so anyone finds theirs whatever is shown now).
 */
export function languageChooser(onChoose: (locale: Locale) => void | Promise<void>): HTMLElement {
  const current = getLocale();
  const select = h(
    'select',
    {
      class: 'language__select',
      attrs: { 'data-testid': 'language-select', 'aria-label': t('language.choose') },
      on: {
        change: () => {
          if (!isLocale(select.value) || select.value === current) return;
          select.disabled = true;
          void onChoose(select.value);
        },
      },
    },
    ...LOCALES.map((locale) =>
      h('option', { text: LOCALE_NAMES[locale], attrs: { value: locale, lang: locale, selected: locale === current } }),
    ),
  );
  return h('label', { class: 'language' }, select);
}
