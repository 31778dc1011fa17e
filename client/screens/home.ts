import { h, replaceChildren } from '../lib/dom.ts';
import { ApiError, listDocuments } from '../lib/api.ts';
import type { DocumentSummary } from '../../shared/protocol.ts';

/** The home page (`/`): every declaration, each a link to its page. */

function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

function documentCard(doc: DocumentSummary): HTMLElement {
  const created = formatDate(doc.createdAt);
  return h(
    'li',
    { class: 'doc-card', attrs: { 'data-testid': 'document-item', 'data-document-id': doc.id } },
    h(
      'a',
      { class: 'doc-card__link', attrs: { href: `/d/${encodeURIComponent(doc.id)}` } },
      h('span', { class: 'doc-card__vi', text: doc.title.vi, attrs: { lang: 'vi' } }),
      h('span', { class: 'doc-card__fr', text: doc.title.fr, attrs: { lang: 'fr' } }),
    ),
    h(
      'p',
      { class: 'doc-card__meta' },
      doc.parties.map((p) => p.name.fr).join(' · '),
      created ? h('span', { class: 'doc-card__date', text: `Created ${created}` }) : null,
    ),
  );
}

export function homeScreen(root: HTMLElement): { destroy(): void } {
  const content = h('div', { class: 'home__content', attrs: { 'aria-busy': 'true' } }, h('p', { class: 'muted', text: 'Loading the declarations…' }));
  replaceChildren(
    root,
    h(
      'header',
      { class: 'page-header page-header--home' },
      h('div', { class: 'page-header__top container' }, h('a', { class: 'brand', text: 'Accord', attrs: { href: '/' } })),
    ),
    h(
      'main',
      { class: 'page-main container home' },
      h('h1', { class: 'home__title', text: 'Declarations' }),
      h('p', { class: 'home__lede', text: 'Joint declarations drafted side by side in Vietnamese and French. Open one to edit it with the other delegation, live.' }),
      content,
    ),
  );
  document.title = 'Declarations — Accord';

  const abort = new AbortController();
  listDocuments(abort.signal).then(
    (documents) => {
      content.removeAttribute('aria-busy');
      if (documents.length === 0) {
        replaceChildren(content, h('p', { class: 'muted', text: 'There are no declarations yet.' }));
        return;
      }
      replaceChildren(content, h('ul', { class: 'doc-list', attrs: { 'data-testid': 'document-list' } }, ...documents.map(documentCard)));
    },
    (error: unknown) => {
      if (abort.signal.aborted) return;
      content.removeAttribute('aria-busy');
      const message = error instanceof ApiError ? error.message : 'The declarations could not be loaded.';
      replaceChildren(
        content,
        h(
          'div',
          { class: 'failure', attrs: { role: 'alert' } },
          h('p', { class: 'failure__detail', text: message }),
          h('button', { class: 'button', text: 'Try again', attrs: { type: 'button' }, on: { click: () => location.reload() } }),
        ),
      );
    },
  );
  return { destroy: () => abort.abort() };
}
