import type { AuditActor, AuditEntry } from '../../shared/audit.ts';
import type { Role } from '../../shared/roles.ts';

/** A person who can sign in. */
export interface Account {
  id: string;
  name: string;
  email: string | null;
  /** Interface language chosen by the person (null: follow the browser). */
  locale: string | null;
  /** Global secretariat: may create documents and administer every one. */
  isSecretariat: boolean;
  createdAt: string;
}

/** An account's role in one document, for one party (none for the secretariat). */
export interface Membership {
  documentId: string;
  accountId: string;
  partyId: string | null;
  role: Role;
  createdAt: string;
}

/** Memberships changed since a point of the audit log, each with its last entry's sequence. */
export interface MembershipChanges {
  seq: number;
  changed: Array<{ documentId: string; accountId: string; seq: number }>;
}

/** Why a sign-in token was refused. */
export type InviteRefusal = 'unknown' | 'used' | 'expired';

/**
 * Accounts, memberships, invitations and sessions. Tokens are never stored:
 * only their SHA-256 hashes.
 */
export interface IdentityStore {
  createAccount(account: { id: string; name: string; email: string | null; isSecretariat: boolean }): Promise<Account>;
  getAccount(id: string): Promise<Account | undefined>;
  findAccountByEmail(email: string): Promise<Account | undefined>;
  listAccounts(): Promise<Account[]>;
  setAccountLocale(id: string, locale: string | null): Promise<void>;

  /*
   * A change made with an actor (`by`) is written to the membership audit log
   * in the same transaction; without one (seeding, fixtures) it is not logged.
   */
  addParty(documentId: string, party: { id: string; name: { vi: string; fr: string } }, by?: AuditActor): Promise<void>;
  setMembership(membership: Omit<Membership, 'createdAt'>, by?: AuditActor): Promise<Membership>;
  removeMembership(documentId: string, accountId: string, by?: AuditActor): Promise<boolean>;
  getMembership(documentId: string, accountId: string): Promise<Membership | undefined>;
  listMemberships(documentId: string): Promise<Membership[]>;
  listMembershipsOf(accountId: string): Promise<Membership[]>;

  /** With `by`, logs the link in every declaration the account belongs to. */
  createInvite(tokenHash: string, accountId: string, expiresAt: Date, by?: AuditActor): Promise<void>;
  /** The membership audit log of a declaration, newest first. */
  listAudit(documentId: string): Promise<AuditEntry[]>;
  /** Where the membership log ends, and the memberships changed after entry `after` (none without it). */
  membershipChangesSince(after: number | undefined): Promise<MembershipChanges>;
  /** Marks an invite used, atomically, and returns its account; or why it cannot be used. */
  consumeInvite(tokenHash: string, now: Date): Promise<{ accountId: string } | { refused: InviteRefusal }>;
  /** Whose an invite is and until when, if it can be used now; changes nothing (a GET of the link uses nothing up). */
  peekInvite(tokenHash: string, now: Date): Promise<{ accountId: string; expiresAt: string } | { refused: InviteRefusal }>;

  createSession(tokenHash: string, accountId: string, expiresAt: Date): Promise<void>;
  getSessionAccount(tokenHash: string, now: Date): Promise<Account | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Ends every session of an account and voids its unused sign-in links; returns the ended sessions' ids. */
  endAllSessions(accountId: string): Promise<{ sessionIds: string[]; voidedLinks: number }>;
  /** Those of these session ids (token hashes) that are still valid at `now`. */
  liveSessions(sessionIds: Iterable<string>, now: Date): Promise<Set<string>>;
}
