import { h, replaceChildren } from '../lib/dom.ts';
import type { Screen, SignedOutReason } from '../lib/context.ts';
import { languageChooser } from '../components/languageChooser.ts';
import { pageHeader } from '../components/pageHeader.ts';
import { t, type Locale, type MessageKey } from '../i18n/index.ts';

/**
 * The page of anyone without a session: how to get in (the personal link the
 * secretariat sent), worded for why they are here. No document content.
 */

const MESSAGES: Record<SignedOutReason, { title: MessageKey; detail: MessageKey }> = {
  none: { title: 'signedOut.none.title', detail: 'signedOut.none.detail' },
  used: { title: 'signedOut.used.title', detail: 'signedOut.used.detail' },
  expired: { title: 'signedOut.expired.title', detail: 'signedOut.expired.detail' },
  unknown: { title: 'signedOut.unknown.title', detail: 'signedOut.unknown.detail' },
  ended: { title: 'signedOut.ended.title', detail: 'signedOut.ended.detail' },
  signedOut: { title: 'signedOut.signedOut.title', detail: 'signedOut.signedOut.detail' },
};

export interface SignedOutOptions {
  reason: SignedOutReason;
  /** The language was changed here (no account to save it to: it is kept in this browser). */
  onLocale(locale: Locale): void;
}

export function signedOutScreen(root: HTMLElement, options: SignedOutOptions): Screen {
  const message = MESSAGES[options.reason];
  const isProblem = options.reason === 'used' || options.reason === 'expired' || options.reason === 'unknown';
  replaceChildren(
    root,
    pageHeader(languageChooser(options.onLocale)),
    h(
      'main',
      { class: 'page-main container signed-out' },
      h(
        'section',
        {
          class: `signed-out__card${isProblem ? ' signed-out__card--problem' : ''}`,
          attrs: { 'data-testid': 'signed-out', 'data-reason': options.reason, role: isProblem ? 'alert' : undefined },
        },
        h('h1', { class: 'signed-out__title', text: t(message.title) }),
        h('p', { class: 'signed-out__detail', text: t(message.detail) }),
        h(
          'div',
          { class: 'signed-out__how' },
          h('h2', { class: 'signed-out__subtitle', text: t('signedOut.how.title') }),
          h(
            'ol',
            { class: 'signed-out__steps' },
            h('li', { text: t('signedOut.how.step1') }),
            h('li', { text: t('signedOut.how.step2') }),
            h('li', { text: t('signedOut.how.step3') }),
          ),
        ),
        h('p', { class: 'signed-out__help muted', text: t('signedOut.help') }),
      ),
    ),
  );
  document.title = `${t(message.title)} — ${t('app.name')}`;
  return { destroy() {} };
}
