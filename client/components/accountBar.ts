import { h } from '../lib/dom.ts';
import { ApiError, isSignedOut, signOut, signOutEverywhere } from '../lib/api.ts';
import { mayAdminister, type AppContext } from '../lib/context.ts';
import { t } from '../i18n/index.ts';
import { languageChooser } from './languageChooser.ts';

/**
 * The signed-in person in the header of home and admin: their name, the admin
 * link for the secretariat, the language chooser, "Sign out" and "Sign out everywhere".
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
  // Every browser of the person, this one included (a lost phone, a shared computer left signed in).
  const everywhereButton = h('button', {
    class: 'button button--quiet',
    text: t('account.signOutEverywhere'),
    attrs: { type: 'button', 'data-testid': 'sign-out-everywhere' },
    on: {
      click: () => {
        if (!window.confirm(t('account.signOutEverywhere.confirm'))) return;
        everywhereButton.disabled = true;
        signOutEverywhere().then(
          () => ctx.signedOut('signedOut'),
          (error: unknown) => {
            // Not done (network, storage): say so rather than pretend the other browsers are out.
            everywhereButton.disabled = false;
            if (isSignedOut(error)) return ctx.signedOut('ended');
            window.alert(error instanceof ApiError ? error.message : t('error.unexpected'));
          },
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
    everywhereButton,
  );
}
