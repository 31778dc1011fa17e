import type { Role } from './roles.ts';

/**
 * The membership audit log: every change of who belongs to a declaration,
 * with which role, for which party — and every sign-in link issued for one of
 * its members — with who made it and when. Kept by the server
 * (server/store/sqliteMemberships.ts), shown on the admin page, to each
 * party's heads for their party, and by `accord audit --document`.
 */

export const AUDIT_ACTIONS = ['invited', 'role_changed', 'revoked', 'party_added', 'party_removed', 'link_issued'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who made a change: an account, or the operator at the command line (accountId null). */
export interface AuditActor {
  accountId: string | null;
  name: string;
}

/** One entry of the log, as stored and as the API presents it. */
export interface AuditEntry {
  /** Increasing with time: the order of the log. */
  seq: number;
  documentId: string;
  at: string;
  action: AuditAction;
  actor: AuditActor;
  /** The account whose membership changed (or who got a link); null for a party's addition or removal. */
  subject: { accountId: string; name: string } | null;
  /** The membership after the change (the removed one for a revocation, the one it held for a link). */
  role: Role | null;
  /** The party concerned: the membership's, or the party added or removed. */
  partyId: string | null;
  /** For a role change: the membership before. */
  previous: { role: Role; partyId: string | null } | null;
}
