import type { DocumentSummary } from '../../shared/protocol.ts';
import type { Action, MemberRole } from '../../shared/roles.ts';
import { documentNotFound, forbidden, notAMember, unauthorized } from '../errors.ts';
import type { Account, Membership } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';
import { allowedActions, can } from './documentPolicy.ts';

/** A signed-in account looking at one document. */
export interface DocumentAccess {
  account: Account;
  document: DocumentSummary;
  /** Their role there; a global secretariat account is secretariat of every document. */
  member: MemberRole | undefined;
}

/**
 * Loads what permissions need for (account, document). Undefined document
 * means it does not exist.
 */
export async function loadAccess(store: Store, account: Account, documentId: string): Promise<DocumentAccess | undefined> {
  const document = await store.getDocument(documentId);
  if (!document) return undefined;
  return { account, document, member: memberRoleOf(account, await store.getMembership(documentId, account.id)) };
}

/**
 * The role an account has in a document. A global secretariat account is
 * secretariat of every one whatever membership it holds there: a membership
 * never lowers its rights (one stored as drafter, as a self-invitation once
 * made, used to turn the global secretariat into a drafter of that document).
 */
export function memberRoleOf(account: Pick<Account, 'isSecretariat'>, membership: Pick<Membership, 'role' | 'partyId'> | undefined): MemberRole | undefined {
  if (account.isSecretariat) return { role: 'secretariat', partyId: null };
  return membership ? { role: membership.role, partyId: membership.partyId } : undefined;
}

/** May the account do this action on the document? */
export function isAllowed(access: DocumentAccess, action: Action): boolean {
  return can(access.member, action, access.document);
}

/** The actions the page may offer this account on this document. */
export function actionsOf(access: DocumentAccess): Action[] {
  return allowedActions(access.member, access.document);
}

const ACTION_WORDING: Record<Action, string> = {
  read: 'read this declaration',
  edit_text: 'edit the text',
  comment: 'comment',
  approve: 'approve paragraphs',
  sign: 'sign versions',
  manage_members: 'manage members',
  cut_versions: 'cut versions',
  restore_versions: 'restore the text of a version',
  export: 'export',
};

/**
 * The one gate of HTTP routes: throws 401 without an account, 403 when the
 * account is no member or its role does not allow the action, 404 when the
 * document does not exist. Returns the access for the route to use.
 */
export async function authorize(store: Store, account: Account | undefined, documentId: string, action: Action): Promise<DocumentAccess> {
  if (!account) throw unauthorized();
  const access = await loadAccess(store, account, documentId);
  if (!access) throw documentNotFound(documentId);
  if (!access.member) throw notAMember(documentId);
  if (!isAllowed(access, action)) throw forbidden(ACTION_WORDING[action]);
  return access;
}
