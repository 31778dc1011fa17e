import { h, replaceChildren } from '../../lib/dom.ts';
import { ApiError, getDocument, isSignedOut, listDocuments } from '../../lib/api.ts';
import type { AppContext, Screen } from '../../lib/context.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { accountBar } from '../../components/accountBar.ts';
import { failurePanel, retryButton } from '../../components/failurePanel.ts';
import { pageHeader } from '../../components/pageHeader.ts';
import { t } from '../../i18n/index.ts';
import { createDocumentForm } from './createDocumentForm.ts';
import { documentPanel } from './documentPanel.ts';

/**
 * The admin page (`/admin`): for each declaration the person may manage
 * (the server says so in `me.actions`), its parties and members; for the
 * global secretariat, a form to create a declaration.
 */

/** The declarations whose members this person may manage, asked of the server one by one. */
async function managedDocuments(signal: AbortSignal): Promise<DocumentSummary[]> {
  const mine = await listDocuments(signal);
  const details = await Promise.all(mine.map((d) => getDocument(d.id, signal)));
  return details.filter((d) => d.me.actions.includes('manage_members')).map((d) => d.document);
}

export function adminScreen(root: HTMLElement, ctx: AppContext): Screen {
  const abort = new AbortController();
  const panels = h('div', { class: 'admin-panels', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: t('admin.loading') }));
  const main = h(
    'main',
    { class: 'page-main container admin', attrs: { 'data-testid': 'admin' } },
    h('h1', { class: 'home__title', text: t('admin.title') }),
    h('p', { class: 'home__lede', text: t('admin.lede') }),
    panels,
  );
  replaceChildren(root, pageHeader(accountBar(ctx, { current: 'admin' }), { wide: true }), main);
  document.title = `${t('admin.title')} — ${t('app.name')}`;

  const addPanel = (doc: DocumentSummary, first = false): void => {
    const panel = documentPanel(ctx, doc);
    if (first) panels.prepend(panel);
    else panels.append(panel);
  };

  managedDocuments(abort.signal).then(
    (documents) => {
      panels.removeAttribute('aria-busy');
      replaceChildren(panels);
      if (ctx.me.account.isSecretariat) {
        main.insertBefore(
          createDocumentForm(ctx, (doc) => {
            addPanel(doc, true);
            panels.firstElementChild?.scrollIntoView({ block: 'start', behavior: 'smooth' });
          }),
          panels,
        );
      } else if (documents.length === 0) {
        replaceChildren(panels, failurePanel(t('admin.forbidden.title'), t('admin.forbidden.detail')));
        return;
      }
      for (const doc of documents) addPanel(doc);
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      if (isSignedOut(error)) return ctx.signedOut('ended');
      panels.removeAttribute('aria-busy');
      replaceChildren(panels, failurePanel(t('admin.loadFailed'), error instanceof ApiError ? error.message : t('error.network'), retryButton()));
    },
  );
  return { destroy: () => abort.abort() };
}
