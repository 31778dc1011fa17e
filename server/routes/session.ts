import { Router } from 'express';
import { clearedSessionCookie, sessionCookie } from '../auth/cookies.ts';
import { closeSession, openSession } from '../auth/sessions.ts';
import { TOKEN_PATTERN, hashToken } from '../auth/tokens.ts';
import { SIGN_IN_PATH } from '../commands/members.ts';
import { unauthorized } from '../errors.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { UpdateMeBody } from './schemas.ts';
import { presentAccount } from './presenters.ts';

/**
 * Signing in (following a single-use link), out, and the signed-in person.
 * The sign-in route is a page, not API: it redirects to the home page, with
 * `?signin=<reason>` when the link cannot be used.
 */
export function sessionRouter(store: Store, sessionEnded: (sessionId: string) => Promise<void>): { pages: Router; api: Router } {
  const pages = Router();
  pages.get(`${SIGN_IN_PATH}/:token`, async (req, res) => {
    const token = req.params.token;
    const result = TOKEN_PATTERN.test(token) ? await store.consumeInvite(hashToken(token), new Date()) : { refused: 'unknown' as const };
    if ('refused' in result) return res.redirect(303, `/?signin=${result.refused}`);
    const session = await openSession(store, result.accountId);
    res.setHeader('Set-Cookie', sessionCookie(session, req.secure));
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(303, '/');
  });

  const api = Router();
  api.get('/me', async (req, res) => {
    if (!req.account) throw unauthorized();
    const memberships = await store.listMembershipsOf(req.account.id);
    res.json({ account: presentAccount(req.account, true), memberships });
  });

  api.patch('/me', async (req, res) => {
    if (!req.account) throw unauthorized();
    const { locale } = parse(UpdateMeBody, req.body);
    await store.setAccountLocale(req.account.id, locale);
    res.json({ account: presentAccount({ ...req.account, locale }, true) });
  });

  api.post('/session/logout', async (req, res) => {
    const sessionId = await closeSession(store, req);
    // Pages open with that session lose their live connections at once.
    if (sessionId) await sessionEnded(sessionId);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.json({ ok: true });
  });

  return { pages, api };
}
