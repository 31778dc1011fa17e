import { Router } from 'express';
import { addParty, removeParty } from '../commands/documents.ts';
import { inviteMember, issueLinkFor, revokeMember, signInUrl } from '../commands/members.ts';
import { forbidden, HttpError } from '../errors.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import { auditEntryVisible, auditScopeOf } from '../policies/accountPolicy.ts';
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
    const access = await authorize(store, req.account, documentId, 'manage_members');
    const body = parse(InviteBody, req.body);
    const { account, membership, token, existingAccount } = await inviteMember(store, { documentId, ...body }, { account: access.account });
    await membershipChanged(documentId, account.id);
    // No link for an account that existed, unless the global secretariat asks: it would sign the inviter in as that person everywhere.
    res.status(201).json({ member: presentMember(membership, account, true), existingAccount, signInUrl: token === null ? null : signInUrl(baseUrlOf(req), token) });
  });

  router.delete('/documents/:documentId/members/:accountId', async (req, res) => {
    const { documentId, accountId } = parse(MemberParams, req.params);
    const access = await authorize(store, req.account, documentId, 'manage_members');
    if (accountId === access.account.id) {
      throw new HttpError(409, ErrorCode.CannotRevokeSelf, 'You cannot revoke yourself; ask another member of the secretariat.');
    }
    await revokeMember(store, documentId, accountId, { account: access.account });
    await membershipChanged(documentId, accountId);
    res.json({ ok: true });
  });

  router.post('/documents/:documentId/members/:accountId/link', async (req, res) => {
    const { documentId, accountId } = parse(MemberParams, req.params);
    const access = await authorize(store, req.account, documentId, 'manage_members');
    res.status(201).json({ signInUrl: signInUrl(baseUrlOf(req), await issueLinkFor(store, documentId, accountId, { account: access.account })) });
  });

  router.post('/documents/:documentId/parties', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'manage_members');
    const party = parse(AddPartyBody, req.body);
    res.status(201).json({ document: await addParty(store, documentId, party, { account: access.account }) });
  });

  // Only a party nothing refers to (commands/documents.ts); its members lose access at once.
  router.delete('/documents/:documentId/parties/:partyId', async (req, res) => {
    const { documentId, partyId } = parse(PartyParams, req.params);
    const access = await authorize(store, req.account, documentId, 'manage_members');
    const { document, revokedAccountIds } = await removeParty(store, documentId, partyId, { account: access.account });
    for (const accountId of revokedAccountIds) await membershipChanged(documentId, accountId);
    res.json({ document, revokedAccountIds });
  });

  // The membership log: all of it for the secretariat, a head's own party's entries for a head (accountPolicy.ts).
  router.get('/documents/:documentId/audit', async (req, res) => {
    const { documentId } = parse(DocumentParams, req.params);
    const access = await authorize(store, req.account, documentId, 'read');
    const scope = auditScopeOf(access.member);
    if (!scope) throw forbidden('read the membership log (the secretariat and each party’s head do)');
    const entries = (await store.listAudit(documentId)).filter((entry) => auditEntryVisible(scope, entry));
    res.json({ scope: scope.all ? 'all' : 'party', partyId: scope.all ? null : scope.partyId, entries });
  });

  return router;
}
