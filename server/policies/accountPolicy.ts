import type { AuditEntry } from '../../shared/audit.ts';
import type { MemberRole, Role } from '../../shared/roles.ts';

/**
 * Who may become whom, and who holds which seat: pure predicates over
 * accounts and memberships (issue 20). A sign-in link opens a session for the
 * whole account, in every declaration it belongs to, so issuing one is acting
 * as that person everywhere: an administrator of one declaration may do it
 * only for people who exist nowhere else.
 */

/** Who asks for a sign-in link: the global secretariat (or the operator's command line), or an account and the declarations it administers. */
export interface LinkIssuer {
  isSecretariat: boolean;
  /** The declarations where it holds a secretariat membership. */
  administers: ReadonlySet<string>;
}

/** Whom the link would sign in. */
export interface LinkTarget {
  /** A global secretariat account administers every declaration: no per-declaration secretariat may become it. */
  isSecretariat: boolean;
  /** Every declaration it is a member of. */
  documentIds: readonly string[];
}

/** The command line: the operator of the server, who may issue any link. */
export const OPERATOR_ISSUER: LinkIssuer = { isSecretariat: true, administers: new Set() };

/** May this issuer get a sign-in link for this account? */
export function mayIssueSignInLink(issuer: LinkIssuer, target: LinkTarget): boolean {
  if (issuer.isSecretariat) return true;
  if (target.isSecretariat) return false;
  return target.documentIds.every((id) => issuer.administers.has(id));
}

/**
 * Does an invitation come with a sign-in link? For an account created by it,
 * yes (its only membership is the one the inviter administers); for an
 * account that already existed, only from the global secretariat — anyone
 * else adds the membership, and the person signs in with their own link.
 */
export function invitationIssuesLink(issuer: LinkIssuer, accountIsNew: boolean): boolean {
  return accountIsNew || issuer.isSecretariat;
}

/** What an account already is in the declaration it is invited to. */
export interface SeatHolder {
  /** Global secretariat: secretariat of every declaration, always. */
  isSecretariat: boolean;
  /** Its membership there, if any. */
  currentRole: Role | undefined;
}

/**
 * May this account take this membership? Roles are separated: whoever
 * administers the declaration (a global secretariat account, or a member of
 * its secretariat) holds no seat of a party in it — no head, drafter or
 * observer of a party, who read that party's internal comments and speak
 * for it — so the secretariat cannot invite itself into a delegation. A
 * global secretariat account takes no other role at all (a membership never
 * lowers what it may do).
 */
export function mayHoldMembership(holder: SeatHolder, next: MemberRole): boolean {
  if (holder.isSecretariat) return next.role === 'secretariat';
  if (holder.currentRole === 'secretariat') return next.partyId === null;
  return true;
}

/** How much of a declaration's membership log a member may read: all of it, one party's entries, or none. */
export type AuditScope = { all: true } | { all: false; partyId: string } | undefined;

export function auditScopeOf(member: MemberRole | undefined): AuditScope {
  if (member?.role === 'secretariat') return { all: true };
  if (member?.role === 'head' && member.partyId !== null) return { all: false, partyId: member.partyId };
  return undefined;
}

/** Is the entry about this party: its membership there before or after, or the party itself? */
export function auditEntryVisible(scope: AuditScope, entry: Pick<AuditEntry, 'partyId' | 'previous'>): boolean {
  if (!scope) return false;
  if (scope.all) return true;
  return entry.partyId === scope.partyId || entry.previous?.partyId === scope.partyId;
}
