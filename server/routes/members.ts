import { Router } from 'express';
import { addParty, removeParty } from '../commands/documents.ts';
import { inviteMember, issueSignInToken, revokeMember, signInUrl } from '../commands/members.ts';
import { HttpError } from '../errors.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { authorize, isAllowed } from '../policies/access.ts';
import type { Store } from '../store/types.ts';
import { baseUrlOf, parse } from './context.ts';
import { presentMember } from './presenters.ts';
import { AddPartyBody, DocumentParams, InviteBody, MemberParams, PartyParams } from './schemas.ts';

/** Told when an account's membership of a document changed, to apply it to open connections at once. */
export type MembershipChanged = (documentId: string, accountId: string) => Promise<void>;

/** Parties and members of a declaration: read by members, managed by the secretariat. */
export function membersRouter(store: Store, membershipChanged: MembershipChanged): Router {
  const router = Router();

  router.get('/documents/:documentId/members', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'read');
    const withEmail = isAllowed(access, 'manage_members');
    const members = [];
    for (const m of await store.listMemberships(documentId)) {
      members.push(presentMember(m, await store.getAccount(m.accountId), withEmail));
    }
    res.json({ members });
  });

  router.post('/documents/:documentId/members', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'manage_members');
    const body = parse(InviteBody, req.body);
    const { account, membership, token } = await inviteMember(store, { documentId, ...body });
    await membershipChanged(documentId, account.id);
    res.status(201).json({ member: presentMember(membership, account, true), signInUrl: signInUrl(baseUrlOf(req), token) });
  });

  router.delete('/documents/:documentId/members/:accountId', async (req, res) => {
    const { documentId, accountId } = parse(MemberParams, req.params);
    const access = await authorize(store, req.account, documentId, 'manage_members');
    if (accountId === access.account.id) {
      throw new HttpError(409, ErrorCode.Conflict, 'You cannot revoke yourself; ask another member of the secretariat.');
    }
    await revokeMember(store, documentId, accountId);
    await membershipChanged(documentId, accountId);
    res.json({ ok: true });
  });

  router.post('/documents/:documentId/members/:accountId/link', async (req, res) => {
    const { documentId, accountId } = parse(MemberParams, req.params);
    await authorize(store, req.account, documentId, 'manage_members');
    if (!(await store.getMembership(documentId, accountId))) {
      throw new HttpError(404, ErrorCode.NotFound, `Account "${accountId}" is not a member of declaration "${documentId}".`);
    }
    res.status(201).json({ signInUrl: signInUrl(baseUrlOf(req), await issueSignInToken(store, accountId)) });
  });

  router.post('/documents/:documentId/parties', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    await authorize(store, req.account, documentId, 'manage_members');
    const party = parse(AddPartyBody, req.body);
    res.status(201).json({ document: await addParty(store, documentId, party) });
  });

  // Only a party nothing refers to (commands/documents.ts); its members lose access at once.
  router.delete('/documents/:documentId/parties/:partyId', async (req, res) => {
    const { documentId, partyId } = parse(PartyParams, req.params);
    await authorize(store, req.account, documentId, 'manage_members');
    const { document, revokedAccountIds } = await removeParty(store, documentId, partyId);
    for (const accountId of revokedAccountIds) await membershipChanged(documentId, accountId);
    res.json({ document, revokedAccountIds });
  });

  return router;
}
