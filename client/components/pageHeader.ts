import { h } from '../lib/dom.ts';
import { t } from '../i18n/index.ts';

/** The brand, a link home. */
export function brand(): HTMLAnchorElement {
  return h('a', { class: 'brand', text: t('app.name'), attrs: { href: '/', title: t('nav.allDeclarations') } });
}

/**
 * The header of the simple pages (home, admin, signed out): the brand and, on
 * the right, `aside`. `wide` lines it up with a wide page (admin).
 */
export function pageHeader(aside: Node | null = null, options: { wide?: boolean } = {}): HTMLElement {
  return h(
    'header',
    { class: `page-header page-header--home${options.wide ? ' page-header--wide' : ''}` },
    h('div', { class: 'page-header__top container' }, brand(), h('div', { class: 'page-header__aside' }, aside)),
  );
}
