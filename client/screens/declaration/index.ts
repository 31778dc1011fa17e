import { h, replaceChildren } from '../../lib/dom.ts';
import { ApiError, getDocument, isSignedOut } from '../../lib/api.ts';
import type { AppContext, Screen } from '../../lib/context.ts';
import { failurePanel, retryButton } from '../../components/failurePanel.ts';
import { pageHeader } from '../../components/pageHeader.ts';
import { t } from '../../i18n/index.ts';
import { declarationPage } from './page.ts';

/**
 * The declaration route (`/d/<documentId>`): asks the server who the person
 * is on this declaration (role, delegation, allowed actions) before building
 * anything, so the page never shows a control the role may not use — then
 * hands over to the page. Refusals become clear messages; an ended session
 * becomes the signed-out page.
 */
export function declarationScreen(root: HTMLElement, ctx: AppContext, documentId: string): Screen {
  const abort = new AbortController();
  let page: Screen | undefined;
  const main = h('main', { class: 'page-main container' }, h('p', { class: 'rows-status', attrs: { 'data-testid': 'rows-status' }, text: t('declaration.loading') }));
  replaceChildren(root, pageHeader(), main);
  document.title = `${t('declaration.loading')} — ${t('app.name')}`;

  const fail = (title: string, detail: string, retry = false): void => {
    replaceChildren(main, failurePanel(title, detail, retry ? retryButton() : undefined));
    document.title = `${title} — ${t('app.name')}`;
  };

  getDocument(documentId, abort.signal).then(
    ({ document, me }) => {
      if (abort.signal.aborted) return;
      page = declarationPage(root, { ctx, document, me });
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      if (isSignedOut(error)) return ctx.signedOut('ended');
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 404) fail(t('declaration.notFound.title'), t('declaration.notFound.detail', { id: documentId }));
      else if (status === 403) fail(t('declaration.forbidden.title'), t('declaration.forbidden.detail'));
      else fail(t('declaration.loadFailed.title'), error instanceof ApiError ? error.message : t('error.network'), true);
    },
  );

  return {
    destroy() {
      abort.abort();
      page?.destroy();
    },
  };
}
