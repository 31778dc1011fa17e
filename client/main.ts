import 'prosemirror-view/style/prosemirror.css';
import './styles.css';
import { ID_PATTERN } from '../shared/limits.ts';
import { h, replaceChildren } from './lib/dom.ts';
import { homeScreen } from './screens/home.ts';
import { declarationScreen, failurePanel } from './screens/declaration/index.ts';
import { agreementRoute } from './screens/status/routes.ts';

/**
 * Entry point: a small router on the path.
 *   /                 the declarations
 *   /d/<documentId>   one declaration, edited live
 *   /d/<documentId>/status, /d/<documentId>/versions   its approvals and versions
 * Links are ordinary links (a full page load), so each screen starts clean.
 */

function notFound(root: HTMLElement, title: string, detail: string): void {
  replaceChildren(
    root,
    h('header', { class: 'page-header page-header--home' }, h('div', { class: 'page-header__top container' }, h('a', { class: 'brand', text: 'Accord', attrs: { href: '/' } }))),
    h('main', { class: 'page-main container' }, failurePanel(title, detail)),
  );
  document.title = 'Not found — Accord';
}

function route(root: HTMLElement): void {
  const path = window.location.pathname;
  if (path === '/' || path === '/index.html') {
    homeScreen(root);
    return;
  }
  if (agreementRoute(root, path)) return;
  const match = /^\/d\/([^/]+)\/?$/.exec(path);
  if (match) {
    let id = '';
    try {
      id = decodeURIComponent(match[1] ?? '');
    } catch {
      // malformed escape: treated as an unknown id below
    }
    if (ID_PATTERN.test(id)) {
      declarationScreen(root, id);
      return;
    }
    notFound(root, 'This declaration does not exist.', 'The address does not name a declaration. Go back to the list of declarations.');
    return;
  }
  notFound(root, 'This page does not exist.', 'Go back to the list of declarations.');
}

const root = document.getElementById('app');
if (root) route(root);
