import { memberColor } from '../../shared/colors.ts';
import { ID_PATTERN } from '../../shared/limits.ts';
import { CloseCode, NOT_MEMBER_REASON } from '../../shared/protocol.ts';
import { TRUST_NO_PROXY, isCrossSite, type TrustProxy } from '../auth/origin.ts';
import { accountOfRequest, sessionIdOf } from '../auth/sessions.ts';
import { isAllowed, loadAccess, type DocumentAccess } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import { SyncRejection, type ConnectionContext, type SyncHooks } from './hooks.ts';

/**
 * Authentication of sync connections by the session cookie, with the same
 * permission predicates and the same answers as HTTP (policies/access.ts
 * authorize): without a session, 401 whether the document exists or not (an
 * anonymous client learns nothing of which ids exist); signed in, 404 for an
 * unknown document and 403 for another's. Members who may not edit the text
 * (observers) are connected read-only.
 */
export function sessionHooks(store: Store, trust: TrustProxy = TRUST_NO_PROXY): SyncHooks {
  return {
    async authenticate(request, documentId) {
      if (isCrossSite(request, trust)) throw new SyncRejection(CloseCode.Forbidden, 'cross-site connection refused');
      const account = await accountOfRequest(store, request);
      if (!account) throw new SyncRejection(CloseCode.Unauthorized, 'sign in first: no valid session');
      const access = ID_PATTERN.test(documentId) ? await loadAccess(store, account, documentId) : undefined;
      if (!access) throw new SyncRejection(CloseCode.DocumentNotFound, `document not found: ${documentId.slice(0, 64)}`);
      if (!access.member) throw new SyncRejection(CloseCode.Forbidden, NOT_MEMBER_REASON);
      const sessionId = sessionIdOf(request);
      return { ...connectionContextOf(access), ...(sessionId ? { sessionId } : {}) };
    },
  };
}

/** What a member's sync connection may do, from their access to the document. */
export function connectionContextOf(access: DocumentAccess): ConnectionContext {
  const { account, document } = access;
  const role = access.member?.role ?? 'observer';
  const partyId = access.member?.partyId ?? null;
  return {
    user: { id: account.id, name: account.name },
    presence: { name: account.name, color: memberColor(document.parties, role, partyId), accountId: account.id, role, partyId },
    readOnly: !isAllowed(access, 'edit_text'),
  };
}
