import { newId } from '../../shared/ids.ts';
import { isRole, type Role } from '../../shared/roles.ts';
import { hashToken, newToken } from '../auth/tokens.ts';
import { conflict, documentNotFound, invalidInput, HttpError } from '../errors.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { Account, Membership } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';

/** How long a sign-in link stays valid. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** Where sign-in links point (followed once; the server then sets the session cookie). */
export const SIGN_IN_PATH = '/signin';

export function signInUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${SIGN_IN_PATH}/${token}`;
}

/** Creates a single-use sign-in token for an account; returns the token (shown once). */
export async function issueSignInToken(store: Store, accountId: string, ttlMs = INVITE_TTL_MS): Promise<string> {
  const token = newToken();
  await store.createInvite(hashToken(token), accountId, new Date(Date.now() + ttlMs));
  return token;
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
  if (!isRole(role)) throw invalidInput(`Unknown role "${String(role)}": use secretariat, head, drafter or observer.`);
  const document = await store.getDocument(documentId);
  if (!document) throw documentNotFound(documentId);
  if (role === 'secretariat' && partyId !== null) throw invalidInput('The secretariat speaks for no party: leave the party empty.');
  if ((role === 'head' || role === 'drafter') && partyId === null) throw invalidInput(`A ${role} belongs to a party: choose one.`);
  if (partyId !== null && !document.parties.some((p) => p.id === partyId)) {
    throw invalidInput(`Declaration "${documentId}" has no party "${partyId}" (parties: ${document.parties.map((p) => p.id).join(', ') || 'none'}).`);
  }
  if (role === 'head' && partyId !== null) {
    const heads = (await store.listMemberships(documentId)).filter((m) => m.role === 'head' && m.partyId === partyId);
    if (heads.length > 0) {
      throw conflict(`Party "${partyId}" already has a head; revoke or change that membership first.`);
    }
  }
}

export interface InviteRequest {
  documentId: string;
  name: string;
  email: string | null;
  role: Role;
  partyId: string | null;
}

/**
 * Invites a person to a document with a role: creates the account if needed,
 * sets the membership, and returns a single-use sign-in token.
 */
export async function inviteMember(store: Store, request: InviteRequest): Promise<{ account: Account; membership: Membership; token: string }> {
  await checkRoleAndParty(store, request.documentId, request.role, request.partyId);
  const account = await ensureAccount(store, { name: request.name, email: request.email });
  const existing = await store.getMembership(request.documentId, account.id);
  if (existing && existing.role === 'head' && request.role === 'head') throw conflict(`${account.name} is already a head of this declaration.`);
  const membership = await store.setMembership({
    documentId: request.documentId,
    accountId: account.id,
    role: request.role,
    partyId: request.partyId,
  });
  const token = await issueSignInToken(store, account.id);
  return { account, membership, token };
}

/** Removes a member from a document. */
export async function revokeMember(store: Store, documentId: string, accountId: string): Promise<void> {
  if (!(await store.getDocument(documentId))) throw documentNotFound(documentId);
  if (!(await store.removeMembership(documentId, accountId))) {
    throw new HttpError(404, ErrorCode.NotFound, `Account "${accountId}" is not a member of declaration "${documentId}".`);
  }
}
