import { newId } from '../../shared/ids.ts';
import type { AuditActor } from '../../shared/audit.ts';
import { isRole, type Role } from '../../shared/roles.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { conflict, documentNotFound, HttpError } from '../errors.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { invitationIssuesLink, mayHoldMembership, mayIssueSignInLink, OPERATOR_ISSUER, type LinkIssuer } from '../policies/accountPolicy.ts';
import type { Account, Membership } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';

/** How long a sign-in link stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** Where sign-in links point (followed once; the server then sets the session cookie). */
export const SIGN_IN_PATH = '/signin';

export function signInUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${SIGN_IN_PATH}/${token}`;
}

/**
 * Who makes a membership change: a signed-in account (its rights to sign
 * people in are those of accountPolicy.ts), or the operator at the command
 * line, who runs the server and may do anything.
 */
export type Actor = { account: Account } | 'operator';

export const OPERATOR: Actor = 'operator';

/** How the audit log names the actor. */
export function auditActorOf(by: Actor): AuditActor {
  return by === 'operator' ? { accountId: null, name: 'operator (command line)' } : { accountId: by.account.id, name: by.account.name };
}

/** What the actor may do about sign-in links: the declarations it administers, as a secretariat member. */
async function linkIssuerOf(store: Store, by: Actor): Promise<LinkIssuer> {
  if (by === 'operator') return OPERATOR_ISSUER;
  if (by.account.isSecretariat) return { isSecretariat: true, administers: new Set() };
  const administers = (await store.listMembershipsOf(by.account.id)).filter((m) => m.role === 'secretariat').map((m) => m.documentId);
  return { isSecretariat: false, administers: new Set(administers) };
}

/**
 * Creates a single-use sign-in token for an account; returns the token (shown
 * once). With an actor, the link is logged in every declaration the account
 * belongs to. Only for callers that already decided the actor may (the
 * operator, seeding, or after mayIssueSignInLink: see issueLinkFor).
 */
export async function issueSignInToken(store: Store, accountId: string, ttlMs = INVITE_TTL_MS, by?: Actor): Promise<string> {
  const token = newToken();
  await store.createInvite(hashToken(token), accountId, new Date(Date.now() + ttlMs), by && auditActorOf(by));
  return token;
}

/**
 * A fresh sign-in link for a member of a document, asked by `by`: refused
 * (403) unless `by` may act as that person everywhere the person belongs.
 */
export async function issueLinkFor(store: Store, documentId: string, accountId: string, by: Actor): Promise<string> {
  if (!(await store.getMembership(documentId, accountId))) {
    throw new HttpError(404, ErrorCode.MemberNotFound, `Account "${accountId}" is not a member of declaration "${documentId}".`);
  }
  const account = (await store.getAccount(accountId))!;
  const target = { isSecretariat: account.isSecretariat, documentIds: (await store.listMembershipsOf(accountId)).map((m) => m.documentId) };
  if (!mayIssueSignInLink(await linkIssuerOf(store, by), target)) {
    throw new HttpError(
      403,
      ErrorCode.SignInLinkRefused,
      `${account.name} ${account.isSecretariat ? 'is global secretariat' : 'also belongs to declarations you do not administer'}: a sign-in link would sign you in as them there. They sign in with their own link; the global secretariat can send a new one.`,
      { name: account.name, reason: account.isSecretariat ? 'global' : 'elsewhere' },
    );
  }
  return issueSignInToken(store, accountId, INVITE_TTL_MS, by);
}

/** Finds the account with this email, or creates it. */
export async function ensureAccount(
  store: Store,
  person: { name: string; email: string | null; isSecretariat?: boolean },
): Promise<Account> {
  if (person.email) {
    const existing = await store.findAccountByEmail(person.email);
    if (existing) return existing;
  }
  return store.createAccount({ id: newId('a'), name: person.name, email: person.email, isSecretariat: person.isSecretariat ?? false });
}

/** Checks that a role and a party fit together in a document. */
async function checkRoleAndParty(store: Store, documentId: string, role: Role, partyId: string | null): Promise<void> {
  if (!isRole(role)) throw new HttpError(400, ErrorCode.InvalidRole, `Unknown role "${String(role)}": use secretariat, head, drafter or observer.`, { role: String(role) });
  const document = await store.getDocument(documentId);
  if (!document) throw documentNotFound(documentId);
  if (role === 'secretariat' && partyId !== null) throw new HttpError(400, ErrorCode.SecretariatHasNoParty, 'The secretariat speaks for no party: leave the party empty.');
  if ((role === 'head' || role === 'drafter') && partyId === null) throw new HttpError(400, ErrorCode.RoleNeedsParty, `A ${role} belongs to a party: choose one.`, { role });
  if (partyId !== null && !document.parties.some((p) => p.id === partyId)) {
    throw new HttpError(
      400,
      ErrorCode.PartyNotFound,
      `Declaration "${documentId}" has no party "${partyId}" (parties: ${document.parties.map((p) => p.id).join(', ') || 'none'}).`,
      { party: partyId },
    );
  }
  if (role === 'head' && partyId !== null) {
    const heads = (await store.listMemberships(documentId)).filter((m) => m.role === 'head' && m.partyId === partyId);
    if (heads.length > 0) {
      throw conflict(`Party "${partyId}" already has a head; revoke or change that membership first.`, ErrorCode.PartyHasHead, { party: partyId });
    }
  }
}

/** Refuses (409) a seat of a party to whoever administers the document (accountPolicy.mayHoldMembership). */
async function checkSeparation(store: Store, documentId: string, account: Account | undefined, request: { role: Role; partyId: string | null }): Promise<void> {
  if (!account) return;
  const current = await store.getMembership(documentId, account.id);
  if (mayHoldMembership({ isSecretariat: account.isSecretariat, currentRole: current?.role }, request)) return;
  const why = account.isSecretariat
    ? `${account.name} is global secretariat: they administer every declaration and take no other role in one`
    : `${account.name} is a member of the secretariat of this declaration, which holds no seat of a party`;
  throw new HttpError(409, ErrorCode.SecretariatHoldsNoSeat, `${why}. A party's seat is held by that delegation's own people.`, { name: account.name });
}

export interface InviteRequest {
  documentId: string;
  name: string;
  email: string | null;
  role: Role;
  partyId: string | null;
}

export interface Invitation {
  account: Account;
  membership: Membership;
  /** A single-use sign-in token, when the invitation may come with one (accountPolicy.invitationIssuesLink); else null. */
  token: string | null;
  /** The email named an account that existed already. */
  existingAccount: boolean;
}

/**
 * Invites a person to a document with a role: creates the account if needed,
 * sets the membership (logged), and returns a sign-in token when `by` may
 * have one for that person. Nothing changes when the invitation is refused.
 */
export async function inviteMember(store: Store, request: InviteRequest, by: Actor): Promise<Invitation> {
  await checkRoleAndParty(store, request.documentId, request.role, request.partyId);
  const existing = request.email ? await store.findAccountByEmail(request.email) : undefined;
  await checkSeparation(store, request.documentId, existing, request);
  if (existing && request.role === 'head' && (await store.getMembership(request.documentId, existing.id))?.role === 'head') {
    throw conflict(`${existing.name} is already a head of this declaration.`, ErrorCode.AlreadyHead, { name: existing.name });
  }
  const account = existing ?? (await ensureAccount(store, { name: request.name, email: request.email }));
  const membership = await store.setMembership(
    { documentId: request.documentId, accountId: account.id, role: request.role, partyId: request.partyId },
    auditActorOf(by),
  );
  const withLink = invitationIssuesLink(await linkIssuerOf(store, by), !existing);
  const token = withLink ? await issueSignInToken(store, account.id, INVITE_TTL_MS, by) : null;
  return { account, membership, token, existingAccount: existing !== undefined };
}

/** Removes a member from a document (logged). */
export async function revokeMember(store: Store, documentId: string, accountId: string, by: Actor): Promise<void> {
  if (!(await store.getDocument(documentId))) throw documentNotFound(documentId);
  if (!(await store.removeMembership(documentId, accountId, auditActorOf(by)))) {
    throw new HttpError(404, ErrorCode.MemberNotFound, `Account "${accountId}" is not a member of declaration "${documentId}".`);
  }
}
