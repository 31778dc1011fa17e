import type { AuditEntry } from '../../shared/audit.ts';
import type { Locale } from '../../shared/i18n.ts';
import type { DocumentSummary, PartySummary } from '../../shared/protocol.ts';
import type { Action, Role } from '../../shared/roles.ts';
import { request } from './http.ts';

/**
 * The REST API of the server, one typed function per route
 * (server/routes/*.ts). Errors are ApiError (lib/http.ts).
 */

export { ApiError, isSignedOut } from './http.ts';

/** The signed-in person (GET /api/me). */
export interface Account {
  id: string;
  name: string;
  email: string | null;
  /** The interface language they chose; null: follow the browser. */
  locale: Locale | null;
  /** Global secretariat: creates declarations and administers every one. */
  isSecretariat: boolean;
}

/** One of the person's roles, in one declaration. */
export interface Membership {
  documentId: string;
  accountId: string;
  partyId: string | null;
  role: Role;
  createdAt: string;
}

export interface Me {
  account: Account;
  memberships: Membership[];
}

/** A declaration in the person's list, with their role in it. */
export interface MyDocument extends DocumentSummary {
  me: { role: Role; partyId: string | null };
}

/** The person as one declaration sees them: role, delegation and what they may do. */
export interface DocumentMe {
  accountId: string;
  name: string;
  role: Role;
  partyId: string | null;
  actions: Action[];
}

/** A member as the members list shows them (the email only to the secretariat). */
export interface Member {
  accountId: string;
  name: string;
  email?: string | null;
  role: Role;
  partyId: string | null;
  since: string;
}

export interface Invitation {
  name: string;
  email: string | null;
  role: Role;
  partyId: string | null;
}

export interface NewDocument {
  id: string;
  title: { vi: string; fr: string };
  parties: PartySummary[];
}

const documentPath = (id: string): string => `/api/documents/${encodeURIComponent(id)}`;

export function getMe(signal?: AbortSignal): Promise<Me> {
  return request<Me>('GET', '/api/me', { signal });
}

/** Saves the interface language of the account (null: follow the browser). */
export async function saveLocale(locale: Locale | null): Promise<Account> {
  return (await request<{ account: Account }>('PATCH', '/api/me', { body: { locale } })).account;
}

export async function signOut(): Promise<void> {
  await request<{ ok: true }>('POST', '/api/session/logout');
}

export async function listDocuments(signal?: AbortSignal): Promise<MyDocument[]> {
  return (await request<{ documents: MyDocument[] }>('GET', '/api/documents', { signal })).documents;
}

export function getDocument(id: string, signal?: AbortSignal): Promise<{ document: DocumentSummary; me: DocumentMe }> {
  return request('GET', documentPath(id), { signal });
}

export async function createDocument(document: NewDocument): Promise<DocumentSummary> {
  return (await request<{ document: DocumentSummary }>('POST', '/api/documents', { body: document })).document;
}

export async function addParty(documentId: string, party: PartySummary): Promise<DocumentSummary> {
  return (await request<{ document: DocumentSummary }>('POST', `${documentPath(documentId)}/parties`, { body: party })).document;
}

/** Removes a delegation nothing refers to (the server refuses otherwise, with a code saying why); its members go with it. */
export async function removeParty(documentId: string, partyId: string): Promise<DocumentSummary> {
  return (await request<{ document: DocumentSummary }>('DELETE', `${documentPath(documentId)}/parties/${encodeURIComponent(partyId)}`)).document;
}

export async function listMembers(documentId: string, signal?: AbortSignal): Promise<Member[]> {
  return (await request<{ members: Member[] }>('GET', `${documentPath(documentId)}/members`, { signal })).members;
}

/**
 * Invites someone. `signInUrl` is null when the person already had an account
 * and the inviter is not global secretariat: they sign in with their own link.
 */
export function inviteMember(documentId: string, invitation: Invitation): Promise<{ member: Member; signInUrl: string | null; existingAccount: boolean }> {
  return request('POST', `${documentPath(documentId)}/members`, { body: invitation });
}

/** The membership log the person may read (all of it for the secretariat, their party's for a head), newest first. */
export async function listAudit(documentId: string, signal?: AbortSignal): Promise<AuditEntry[]> {
  return (await request<{ entries: AuditEntry[] }>('GET', `${documentPath(documentId)}/audit`, { signal })).entries;
}

export async function revokeMember(documentId: string, accountId: string): Promise<void> {
  await request<{ ok: true }>('DELETE', `${documentPath(documentId)}/members/${encodeURIComponent(accountId)}`);
}

/** A fresh single-use sign-in link for a member (the old ones stay valid until used or expired). */
export async function newSignInLink(documentId: string, accountId: string): Promise<string> {
  return (await request<{ signInUrl: string }>('POST', `${documentPath(documentId)}/members/${encodeURIComponent(accountId)}/link`)).signInUrl;
}

/** Who a sign-in link signs in as (GET /api/sign-in/:token; server/auth/signInPreview.ts says why so little). */
export interface SignInPreview {
  account: { name: string; email: string | null; locale: Locale | null; isSecretariat: boolean };
  roles: Array<{ role: Role; party: { vi: string; fr: string } | null }>;
  expiresAt: string;
  signedInAs: { name: string; email: string | null; sameAccount: boolean } | null;
}

const signInPath = (token: string): string => `/api/sign-in/${encodeURIComponent(token)}`;

/** Looks at a sign-in link without using it. */
export async function previewSignIn(token: string, signal?: AbortSignal): Promise<SignInPreview> {
  return (await request<{ signIn: SignInPreview }>('GET', signInPath(token), { signal })).signIn;
}

/** Uses a sign-in link: ends this browser's session, if any, and opens the link's. */
export async function useSignInLink(token: string): Promise<Account> {
  return (await request<{ account: Account }>('POST', signInPath(token))).account;
}

/** Ends every session of the person (every browser) and voids the sign-in links they have not used. */
export async function signOutEverywhere(): Promise<void> {
  await request<{ ok: true }>('POST', '/api/session/logout-everywhere');
}
