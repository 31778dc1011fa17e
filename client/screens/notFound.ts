import { h, replaceChildren } from '../lib/dom.ts';
import type { AppContext, Screen } from '../lib/context.ts';
import { accountBar } from '../components/accountBar.ts';
import { failurePanel } from '../components/failurePanel.ts';
import { pageHeader } from '../components/pageHeader.ts';
import { t } from '../i18n/index.ts';

/** An address that names no page (or no valid declaration id). */
export function notFoundScreen(root: HTMLElement, ctx: AppContext, what: 'page' | 'declaration'): Screen {
  const title = what === 'page' ? t('notFound.page.title') : t('notFound.declaration.title');
  const detail = what === 'page' ? t('notFound.page.detail') : t('notFound.declaration.detail');
  replaceChildren(root, pageHeader(accountBar(ctx)), h('main', { class: 'page-main container' }, failurePanel(title, detail)));
  document.title = `${title} — ${t('app.name')}`;
  return { destroy() {} };
}
