import { Router, type Response } from 'express';
import { sessionCookie } from '../auth/cookies.ts';
import { closeSession, openSession } from '../auth/sessions.ts';
import { hashToken } from '../auth/tokens.ts';
import { signInPreview } from '../auth/signInPreview.ts';
import { SIGN_IN_PATH } from '../commands/members.ts';
import { signInLinkRefused } from '../errors.ts';
import type { InviteRefusal } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';
import { presentAccount } from './presenters.ts';
import { SignInParams } from './schemas.ts';

/**
 * Sign-in links. Opening one (GET) uses nothing up: it is the client's page,
 * which says who the link signs in as, warns when this browser is signed in
 * as someone else, and asks; only its POST (same origin: the app's
 * sameOriginForStateChanges) uses the link and opens the session. So a mail
 * scanner that follows links, or a head tricked into opening another member's
 * link, changes nothing.
 */
export function signInRouter(store: Store, sessionsEnded: (sessionIds: string[]) => Promise<void>): { pages: Router; api: Router } {
  // The token is in the URL: no page or request it leads to may pass it on in a Referer, nor keep it in a cache.
  const secretUrl = (res: Response) => res.setHeader('Referrer-Policy', 'no-referrer').setHeader('Cache-Control', 'no-store');
  const tokenHashOf = (params: unknown): string => {
    const parsed = SignInParams.safeParse(params);
    if (!parsed.success) throw signInLinkRefused('unknown'); // not a token at all: no lookup
    return hashToken(parsed.data.token);
  };
  /** The account of a usable link (looked at or used), or the refusal that says why not. */
  const accountOf = async <T extends { accountId: string }>(invite: T | { refused: InviteRefusal }) => {
    if ('refused' in invite) throw signInLinkRefused(invite.refused);
    const account = await store.getAccount(invite.accountId);
    if (!account) throw signInLinkRefused('unknown');
    return { account, invite };
  };

  const pages = Router();
  pages.get(`${SIGN_IN_PATH}/:token`, (_req, res, next) => {
    secretUrl(res);
    next(); // the client's page (app.ts clientRoutes)
  });

  const api = Router();
  api.get('/sign-in/:token', async (req, res) => {
    secretUrl(res);
    const { account, invite } = await accountOf(await store.peekInvite(tokenHashOf(req.params), new Date()));
    res.json({ signIn: await signInPreview(store, account, invite.expiresAt, req.account) });
  });

  api.post('/sign-in/:token', async (req, res) => {
    secretUrl(res);
    const { account } = await accountOf(await store.consumeInvite(tokenHashOf(req.params), new Date()));
    // The session this browser had ends here, with its live connections: the person asked to be someone else.
    const previous = await closeSession(store, req);
    if (previous) await sessionsEnded([previous]);
    res.setHeader('Set-Cookie', sessionCookie(await openSession(store, account.id), req.secure));
    res.json({ account: presentAccount(account, true) });
  });

  return { pages, api };
}
