import type Database from 'better-sqlite3';
import type { InviteRefusal } from './identityTypes.ts';

type InviteState = { accountId: string; expiresAt: string } | { refused: InviteRefusal };

/**
 * Sign-in links and sessions beyond one row at a time: looking at a link
 * without using it, using it, ending every session of an account, and which
 * of the sessions live connections were opened with still hold. On the
 * store's main connection (SqliteStore delegates here).
 */
export class SqliteSessions {
  private readonly selectInvite;
  private readonly markUsed;
  private readonly deleteSessions;
  private readonly deleteUnusedInvites;
  private readonly liveSession;

  constructor(private readonly db: Database.Database) {
    this.selectInvite = db.prepare<[string], { account_id: string; expires_at: string; used_at: string | null }>(
      'SELECT account_id, expires_at, used_at FROM invites WHERE token_hash = ?',
    );
    this.markUsed = db.prepare('UPDATE invites SET used_at = ? WHERE token_hash = ?');
    this.deleteSessions = db.prepare<[string], { token_hash: string }>('DELETE FROM sessions WHERE account_id = ? RETURNING token_hash');
    this.deleteUnusedInvites = db.prepare('DELETE FROM invites WHERE account_id = ? AND used_at IS NULL');
    this.liveSession = db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM sessions WHERE token_hash = ? AND expires_at > ?');
  }

  /** Whether a link can be used now, and whose it is; reads only (a link scanner's GET must use nothing up). */
  peekInvite(tokenHash: string, now: Date): InviteState {
    const row = this.selectInvite.get(tokenHash);
    if (!row) return { refused: 'unknown' };
    if (row.used_at) return { refused: 'used' };
    if (new Date(row.expires_at) <= now) return { refused: 'expired' };
    return { accountId: row.account_id, expiresAt: row.expires_at };
  }

  /** Marks a link used, atomically (of two concurrent uses, one wins), and returns its account. */
  consumeInvite(tokenHash: string, now: Date): { accountId: string } | { refused: InviteRefusal } {
    return this.db.transaction((): { accountId: string } | { refused: InviteRefusal } => {
      const state = this.peekInvite(tokenHash, now);
      if ('refused' in state) return state;
      this.markUsed.run(now.toISOString(), tokenHash);
      return { accountId: state.accountId };
    }).immediate();
  }

  /**
   * "Sign out everywhere": deletes every session of the account and the
   * sign-in links it has not used yet (a leaked link is as good as a session),
   * in one transaction; returns the ended sessions' ids to close their
   * connections.
   */
  endAllSessions(accountId: string): { sessionIds: string[]; voidedLinks: number } {
    return this.db.transaction(() => {
      const sessionIds = this.deleteSessions.all(accountId).map((row) => row.token_hash);
      return { sessionIds, voidedLinks: this.deleteUnusedInvites.run(accountId).changes };
    }).immediate();
  }

  /** Those of these session ids that are still valid (the others were ended elsewhere, e.g. by the CLI, or expired). */
  liveSessions(sessionIds: Iterable<string>, now: Date): Set<string> {
    const at = now.toISOString();
    const live = new Set<string>();
    for (const id of sessionIds) if (this.liveSession.get(id, at)) live.add(id);
    return live;
  }
}
