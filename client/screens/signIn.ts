import { ErrorCode } from '../../shared/protocol.ts';
import { h, replaceChildren } from '../lib/dom.ts';
import { ApiError, previewSignIn, useSignInLink, type SignInPreview } from '../lib/api.ts';
import type { Screen } from '../lib/context.ts';
import { partyName, roleLabel } from '../lib/identity.ts';
import { failurePanel, retryButton } from '../components/failurePanel.ts';
import { languageChooser } from '../components/languageChooser.ts';
import { pageHeader } from '../components/pageHeader.ts';
import { formatDateTime, getLocale, initialLocale, setLocale, t } from '../i18n/index.ts';
import './signIn.css';

/**
 * `/signin/<token>`: a sign-in link asks before it signs in. Opening it uses
 * nothing up (mail scanners follow links; a head may be tricked into opening
 * another member's); the page says who the link signs in as, warns when this
 * browser is signed in as someone else, and only "Continue" uses the link
 * (POST from this page). Refused links go to the home page's wording of why
 * (`/?signin=used|expired|unknown`), which also takes the token out of the
 * address bar and the history.
 */

const REFUSALS: Partial<Record<string, 'used' | 'expired' | 'unknown'>> = {
  [ErrorCode.SignInLinkUsed]: 'used',
  [ErrorCode.SignInLinkExpired]: 'expired',
  [ErrorCode.InvalidToken]: 'unknown',
};

/** Leaves for the page that says why a link cannot be used; true when the error was such a refusal. */
function leaveIfRefused(error: unknown): boolean {
  const reason = error instanceof ApiError ? REFUSALS[error.code] : undefined;
  if (reason) location.replace(`/?signin=${reason}`);
  return reason !== undefined;
}

function rolesList(preview: SignInPreview): HTMLElement {
  const locale = getLocale();
  const items = preview.roles.map((r) =>
    h('li', { text: r.party ? t('signIn.roleWithParty', { role: roleLabel(r.role), party: partyName({ id: '', name: r.party }, locale) }) : roleLabel(r.role) }),
  );
  if (preview.account.isSecretariat) items.unshift(h('li', { text: t('signIn.globalSecretariat') }));
  if (items.length === 0) items.push(h('li', { class: 'muted', text: t('signIn.noRoles') }));
  return h('ul', { class: 'sign-in__roles', attrs: { 'data-testid': 'signin-roles' } }, ...items);
}

function confirmCard(token: string, preview: SignInPreview): HTMLElement {
  const { account, signedInAs } = preview;
  const problem = h('p', { class: 'form-error', attrs: { role: 'alert', 'data-testid': 'signin-error', hidden: true } });
  const proceed = h('button', {
    class: 'button',
    text: t('signIn.continue', { name: account.name }),
    attrs: { type: 'button', 'data-testid': 'signin-continue' },
    on: {
      click: () => {
        proceed.disabled = true;
        proceed.textContent = t('signIn.signingIn');
        problem.hidden = true;
        useSignInLink(token).then(
          () => location.replace('/'),
          (error: unknown) => {
            if (leaveIfRefused(error)) return;
            problem.textContent = error instanceof ApiError ? error.message : t('error.unexpected');
            problem.hidden = false;
            proceed.disabled = false;
            proceed.textContent = t('signIn.continue', { name: account.name });
          },
        );
      },
    },
  });
  const same = signedInAs?.sameAccount === true;
  const warning =
    signedInAs && !same
      ? h(
          'div',
          { class: 'banner sign-in__warning', attrs: { role: 'alert', 'data-testid': 'signin-warning' } },
          h('strong', { text: t('signIn.warning.title') }),
          h('p', { text: t('signIn.warning.detail', { current: signedInAs.name, next: account.name }) }),
        )
      : null;
  const actions = same
    ? h(
        'p',
        { class: 'sign-in__actions' },
        h('a', { class: 'button', text: t('signIn.goHome'), attrs: { href: '/', 'data-testid': 'signin-home' } }),
      )
    : h(
        'p',
        { class: 'sign-in__actions' },
        proceed,
        h('a', { class: 'button button--quiet', text: t('signIn.cancel'), attrs: { href: '/', 'data-testid': 'signin-cancel' } }),
      );
  return h(
    'section',
    { class: 'signed-out__card sign-in', attrs: { 'data-testid': 'signin' } },
    h('h1', { class: 'signed-out__title', text: t('signIn.title') }),
    warning,
    same ? h('p', { class: 'banner', attrs: { 'data-testid': 'signin-same' }, text: t('signIn.same', { name: account.name }) }) : null,
    h('p', { class: 'signed-out__subtitle', text: t('signIn.as') }),
    h('p', { class: 'sign-in__name', text: account.name, attrs: { 'data-testid': 'signin-name' } }),
    account.email ? h('p', { class: 'sign-in__email muted', text: account.email, attrs: { 'data-testid': 'signin-email' } }) : null,
    rolesList(preview),
    h('p', { class: 'signed-out__help muted', text: t('signIn.expires', { date: formatDateTime(preview.expiresAt) }) }),
    actions,
    problem,
  );
}

export function signInScreen(root: HTMLElement, token: string): Screen {
  const abort = new AbortController();
  const show = (content: HTMLElement, rerender: () => void): void => {
    replaceChildren(
      root,
      pageHeader(
        languageChooser((locale) => {
          setLocale(locale);
          rerender();
        }),
      ),
      h('main', { class: 'page-main container signed-out' }, content),
    );
    document.title = `${t('signIn.title')} — ${t('app.name')}`;
  };
  const loading = (): void => show(h('p', { class: 'muted', attrs: { 'aria-busy': 'true' }, text: t('signIn.loading') }), loading);
  loading();
  previewSignIn(token, abort.signal).then(
    (preview) => {
      // The link's person reads the page: her own language if she chose one, else this browser's.
      setLocale(initialLocale(preview.account.locale), { remember: false });
      const render = (): void => show(confirmCard(token, preview), render);
      render();
    },
    (error: unknown) => {
      if (abort.signal.aborted || leaveIfRefused(error)) return;
      const render = (): void => show(failurePanel(t('signIn.failed'), error instanceof ApiError ? error.message : t('error.network'), retryButton()), render);
      render();
    },
  );
  return { destroy: () => abort.abort() };
}
