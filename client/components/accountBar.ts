import { h } from '../lib/dom.ts';
import { signOut } from '../lib/api.ts';
import { mayAdminister, type AppContext } from '../lib/context.ts';
import { t } from '../i18n/index.ts';
import { languageChooser } from './languageChooser.ts';

/**
 * The signed-in person in the header of home and admin: their name, the admin
 * link for the secretariat, the language chooser and "Sign out".
 */
export function accountBar(ctx: AppContext, options: { current?: 'admin' } = {}): HTMLElement {
  const signOutButton = h('button', {
    class: 'button button--quiet',
    text: t('account.signOut'),
    attrs: { type: 'button', 'data-testid': 'sign-out' },
    on: {
      click: () => {
        signOutButton.disabled = true;
        // Whatever the answer, this page forgets the person; a failed call leaves a cookie that expires.
        signOut().then(
          () => ctx.signedOut('signedOut'),
          () => ctx.signedOut('signedOut'),
        );
      },
    },
  });
  const admin =
    mayAdminister(ctx.me) && options.current !== 'admin'
      ? h('a', { class: 'account__admin', text: t('nav.admin'), attrs: { href: '/admin', 'data-testid': 'admin-link' } })
      : null;
  return h(
    'div',
    { class: 'account', attrs: { 'data-testid': 'account' } },
    h('span', { class: 'account__name', text: ctx.me.account.name, attrs: { 'data-testid': 'account-name' } }),
    admin,
    languageChooser((locale) => ctx.chooseLocale(locale)),
    signOutButton,
  );
}
