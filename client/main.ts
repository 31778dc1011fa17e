import 'prosemirror-view/style/prosemirror.css';
import './styles.css';
import { ID_PATTERN } from '../shared/limits.ts';
import { h, replaceChildren } from './lib/dom.ts';
import { ApiError, getMe, isSignedOut, saveLocale, type Me } from './lib/api.ts';
import type { AppContext, Screen, SignedOutReason } from './lib/context.ts';
import { initialLocale, setLocale, t } from './i18n/index.ts';
import { failurePanel, retryButton } from './components/failurePanel.ts';
import { pageHeader } from './components/pageHeader.ts';
import { adminScreen } from './screens/admin/index.ts';
import { declarationScreen } from './screens/declaration/index.ts';
import { agreementRoute } from './screens/status/routes.ts';
import { homeScreen, type SignInNotice } from './screens/home.ts';
import { notFoundScreen } from './screens/notFound.ts';
import { signedOutScreen } from './screens/signedOut.ts';
import { signInScreen } from './screens/signIn.ts';

/**
 * Entry point: find out who is here (GET /api/me), set the interface language,
 * then route on the path.
 *   /                 the person's declarations
 *   /d/<documentId>   one declaration, edited live
 *   /admin            parties and members (secretariat)
 *   /d/<documentId>/status, /d/<documentId>/versions   its approvals, versions and comparisons
 *   /signin/<token>   a sign-in link: says who it signs in as, asks, then signs in (before any /api/me)
 * Without a session every path shows the signed-out page. Links are ordinary
 * links (a full page load), so each screen starts clean.
 */

let current: Screen | undefined;

function mount(next: () => Screen): void {
  current?.destroy();
  current = next();
}

/** `?signin=used|expired|unknown`: the server refused the link just followed. */
function signInRefusal(): SignInNotice | undefined {
  const value = new URLSearchParams(window.location.search).get('signin');
  return value === 'used' || value === 'expired' || value === 'unknown' ? value : undefined;
}

function route(root: HTMLElement, ctx: AppContext, signinNotice?: SignInNotice): Screen {
  const path = window.location.pathname;
  if (path === '/' || path === '/index.html') return homeScreen(root, ctx, signinNotice ? { signinNotice } : {});
  if (path === '/admin' || path === '/admin/') return adminScreen(root, ctx);
  const agreementView = agreementRoute(root, path, ctx);
  if (agreementView) return agreementView;
  const match = /^\/d\/([^/]+)\/?$/.exec(path);
  if (!match) return notFoundScreen(root, ctx, 'page');
  let id = '';
  try {
    id = decodeURIComponent(match[1] ?? '');
  } catch {
    // malformed escape: treated as an unknown id below
  }
  return ID_PATTERN.test(id) ? declarationScreen(root, ctx, id) : notFoundScreen(root, ctx, 'declaration');
}

function showSignedOut(root: HTMLElement, reason: SignedOutReason): void {
  mount(() =>
    signedOutScreen(root, {
      reason,
      onLocale(locale) {
        setLocale(locale);
        showSignedOut(root, reason);
      },
    }),
  );
}

/** The server could not say who this is (down, unreachable): nothing else can be shown. */
function showUnreachable(root: HTMLElement, error: unknown): void {
  mount(() => {
    replaceChildren(
      root,
      pageHeader(),
      h(
        'main',
        { class: 'page-main container' },
        failurePanel(t('boot.failed.title'), error instanceof ApiError ? error.message : t('error.network'), retryButton()),
      ),
    );
    return { destroy() {} };
  });
}

async function boot(root: HTMLElement): Promise<void> {
  // A first guess (saved choice, else the browser) for whatever shows before we know the person.
  setLocale(initialLocale(), { remember: false });
  // A sign-in link's page asks before it signs in; it says itself who is signed in here (no 401 to log).
  const signInLink = /^\/signin\/([^/]+)\/?$/.exec(window.location.pathname);
  if (signInLink) return mount(() => signInScreen(root, signInLink[1] ?? ''));
  const refusal = signInRefusal();
  let me: Me;
  try {
    me = await getMe();
  } catch (error) {
    if (isSignedOut(error)) showSignedOut(root, refusal ?? 'none');
    else showUnreachable(root, error);
    return;
  }
  setLocale(initialLocale(me.account.locale), { remember: me.account.locale !== null });
  // The refusal is told once: a reload should not repeat it.
  if (refusal) history.replaceState(null, '', window.location.pathname);

  const ctx: AppContext = {
    me,
    rerender: () => mount(() => route(root, ctx)),
    signedOut: (reason) => showSignedOut(root, reason),
    async chooseLocale(locale) {
      setLocale(locale);
      try {
        ctx.me = { ...ctx.me, account: await saveLocale(locale) };
      } catch (error) {
        if (isSignedOut(error)) return ctx.signedOut('ended');
        // Otherwise the choice is kept in this browser (localStorage) and applies now.
      }
      ctx.rerender();
    },
  };
  mount(() => route(root, ctx, refusal));
}

const root = document.getElementById('app');
if (root) void boot(root);
