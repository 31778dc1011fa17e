import type { DocumentSummary } from '../../../shared/protocol.ts';
import { accountBar } from '../../components/accountBar.ts';
import type { AppContext } from '../../lib/context.ts';
import { h, replaceChildren } from '../../lib/dom.ts';
import { getLocale, t } from '../../i18n/index.ts';
import '../declaration/approvals/approvals.css';
import './agreementPage.css';

/**
 * The three views of a declaration — its text, the status of approvals, its
 * versions — as tabs, and the page frame the status and versions views share.
 */

export type AgreementView = 'text' | 'status' | 'versions';

export function viewPath(documentId: string, view: AgreementView): string {
  const base = `/d/${encodeURIComponent(documentId)}`;
  return view === 'text' ? base : `${base}/${view}`;
}

export function agreementNav(documentId: string, current: AgreementView): HTMLElement {
  const tab = (view: AgreementView, label: string): HTMLElement =>
    h('a', {
      class: 'view-tabs__tab',
      text: label,
      attrs: {
        href: viewPath(documentId, view),
        'data-testid': `view-${view}`,
        'aria-current': view === current ? 'page' : undefined,
      },
    });
  return h(
    'nav',
    { class: 'view-tabs', attrs: { 'aria-label': t('agreement.nav.label') } },
    tab('text', t('agreement.nav.text')),
    tab('status', t('agreement.nav.status')),
    tab('versions', t('agreement.nav.versions')),
  );
}

export interface AgreementPage {
  main: HTMLElement;
  /** Extra content at the right of the header (e.g. the live indicator). */
  aside: HTMLElement;
  showDocument(summary: DocumentSummary): void;
}

/** The declaration's title for the tab: Vietnamese in the Vietnamese interface, French otherwise (as the declaration page). */
export function tabTitle(summary: Pick<DocumentSummary, 'title'>): string {
  return summary.title[getLocale() === 'vi' ? 'vi' : 'fr'];
}

/** Header (brand, the declaration's titles, the person's account bar, the tabs) and an empty main. */
export function agreementPage(root: HTMLElement, ctx: AppContext, documentId: string, current: AgreementView, pageTitle: string): AgreementPage {
  const titleVi = h('h1', { class: 'doc-title__vi', text: documentId, attrs: { lang: 'vi' } });
  const titleFr = h('p', { class: 'doc-title__fr', attrs: { lang: 'fr' } });
  const aside = h('div', { class: 'agreement-header__live' });
  const main = h('main', { class: 'page-main container agreement-main' });
  replaceChildren(
    root,
    h(
      'header',
      { class: 'page-header page-header--agreement' },
      h(
        'div',
        { class: 'page-header__top container' },
        h('a', { class: 'brand', text: t('app.name'), attrs: { href: '/', title: t('agreement.nav.home') } }),
        h('div', { class: 'doc-title' }, titleVi, titleFr),
        h('div', { class: 'page-header__status agreement-header__side' }, aside, accountBar(ctx)),
      ),
      h('div', { class: 'page-header__bar container agreement-bar-row' }, agreementNav(documentId, current)),
    ),
    main,
  );
  document.title = `${pageTitle} — ${documentId} — ${t('app.name')}`;
  return {
    main,
    aside,
    showDocument(summary) {
      titleVi.textContent = summary.title.vi;
      titleFr.textContent = summary.title.fr;
      document.title = `${pageTitle} — ${tabTitle(summary)} — ${t('app.name')}`;
    },
  };
}
