import { h, replaceChildren } from '../lib/dom.ts';
import { ApiError, isSignedOut, listDocuments, type MyDocument } from '../lib/api.ts';
import type { AppContext, Screen } from '../lib/context.ts';
import { delegationLabel, memberColor, partyName, roleLabel } from '../lib/identity.ts';
import { accountBar } from '../components/accountBar.ts';
import { pageHeader } from '../components/pageHeader.ts';
import { retryButton } from '../components/failurePanel.ts';
import { formatDateTime, getLocale, t, type MessageKey } from '../i18n/index.ts';

/**
 * The home page (`/`): who is signed in and the declarations they belong to,
 * with their role and delegation in each.
 */

/** A sign-in link refused while a session is open: the person is still in, say so calmly. */
export type SignInNotice = 'used' | 'expired' | 'unknown';

const NOTICE_KEYS: Record<SignInNotice, MessageKey> = {
  used: 'home.signinNotice.used',
  expired: 'home.signinNotice.expired',
  unknown: 'home.signinNotice.unknown',
};

function documentCard(doc: MyDocument): HTMLElement {
  const locale = getLocale();
  const role = h('span', { class: 'doc-card__role', text: roleLabel(doc.me.role), attrs: { 'data-testid': 'document-role' } });
  const party = h('span', {
    class: 'doc-card__party',
    text: delegationLabel(doc.parties, doc.me.partyId, locale),
    attrs: { 'data-testid': 'document-party' },
  });
  const swatch = h('span', { class: 'doc-card__swatch', attrs: { 'aria-hidden': 'true' } });
  swatch.style.setProperty('--user-color', memberColor(doc.parties, doc.me.role, doc.me.partyId));
  return h(
    'li',
    { class: 'doc-card', attrs: { 'data-testid': 'document-item', 'data-document-id': doc.id } },
    h(
      'a',
      { class: 'doc-card__link', attrs: { href: `/d/${encodeURIComponent(doc.id)}` } },
      h('span', { class: 'doc-card__vi', text: doc.title.vi, attrs: { lang: 'vi' } }),
      h('span', { class: 'doc-card__fr', text: doc.title.fr, attrs: { lang: 'fr' } }),
    ),
    h('p', { class: 'doc-card__me' }, swatch, h('span', { class: 'doc-card__you', text: t('home.you') }), role, h('span', { class: 'sep', text: '·', attrs: { 'aria-hidden': 'true' } }), party),
    h(
      'p',
      { class: 'doc-card__meta' },
      t('home.parties', { parties: doc.parties.map((p) => partyName(p, locale)).join(' · ') || t('home.noParties') }),
      h('span', { class: 'doc-card__date', text: t('home.created', { date: formatDateTime(doc.createdAt) }) }),
    ),
  );
}

export function homeScreen(root: HTMLElement, ctx: AppContext, options: { signinNotice?: SignInNotice } = {}): Screen {
  const content = h('div', { class: 'home__content', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: t('home.loading') }));
  const notice = options.signinNotice
    ? h('p', { class: 'banner', attrs: { role: 'status', 'data-testid': 'signin-notice' }, text: t(NOTICE_KEYS[options.signinNotice], { name: ctx.me.account.name }) })
    : null;
  replaceChildren(
    root,
    pageHeader(accountBar(ctx)),
    h(
      'main',
      { class: 'page-main container home', attrs: { 'data-testid': 'home' } },
      notice,
      h('p', { class: 'home__greeting', text: t('home.greeting', { name: ctx.me.account.name }) }),
      h('h1', { class: 'home__title', text: t('home.title') }),
      h('p', { class: 'home__lede', text: t('home.lede') }),
      content,
    ),
  );
  document.title = `${t('home.title')} — ${t('app.name')}`;

  const abort = new AbortController();
  listDocuments(abort.signal).then(
    (documents) => {
      content.removeAttribute('aria-busy');
      if (documents.length === 0) {
        replaceChildren(content, h('p', { class: 'muted', attrs: { 'data-testid': 'no-documents' }, text: t('home.empty') }));
        return;
      }
      replaceChildren(content, h('ul', { class: 'doc-list', attrs: { 'data-testid': 'document-list' } }, ...documents.map(documentCard)));
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      if (isSignedOut(error)) return ctx.signedOut('ended');
      content.removeAttribute('aria-busy');
      const message = error instanceof ApiError ? error.message : t('home.loadFailed');
      replaceChildren(
        content,
        h('div', { class: 'failure', attrs: { role: 'alert' } }, h('p', { class: 'failure__detail', text: message }), retryButton()),
      );
    },
  );
  return { destroy: () => abort.abort() };
}
