import { Router } from 'express';
import { clearedSessionCookie } from '../auth/cookies.ts';
import { closeSession } from '../auth/sessions.ts';
import { unauthorized } from '../errors.ts';
import type { Store } from '../store/types.ts';
import { parse } from './context.ts';
import { UpdateMeBody } from './schemas.ts';
import { presentAccount } from './presenters.ts';

/** Signing out (here, or everywhere), and the signed-in person. Signing in: signIn.ts. */
export function sessionRouter(store: Store, sessionsEnded: (sessionIds: string[]) => Promise<void>): Router {
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
    if (sessionId) await sessionsEnded([sessionId]);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.json({ ok: true });
  });

  // Every session of the account (other browsers, a lost phone) and its unused sign-in links; their live connections close at once.
  api.post('/session/logout-everywhere', async (req, res) => {
    if (!req.account) throw unauthorized();
    const { sessionIds, voidedLinks } = await store.endAllSessions(req.account.id);
    await sessionsEnded(sessionIds);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.json({ ok: true, endedSessions: sessionIds.length, voidedLinks });
  });

  return api;
}
