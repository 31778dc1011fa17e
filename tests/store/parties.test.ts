import { describe, expect, it } from 'vitest';
import { plainCell } from '../../shared/canonicalText.ts';
import { STORE_DOC, storesClosedAfterEach, textUpdate } from '../helpers/store.ts';

/** Parties in the store: removal, and what may still arrive for a party once it is gone (approvals of pairs, of the structure). */
describe('the store’s parties', () => {
  const open = storesClosedAfterEach('accord-parties');
  const DOC = {
    ...STORE_DOC,
    parties: [
      { id: 'vn', name: { vi: 'Việt Nam', fr: 'Viêt Nam' } },
      { id: 'eu', name: { vi: 'EU', fr: 'UE' } },
      { id: 'fr', name: { vi: 'Pháp', fr: 'France' } },
    ],
  };

  it('stores no approval for a party removed while the approval was on its way, and puts a party added later after the last one', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const head = await store.createAccount({ id: 'eu-head', name: 'Ursula Weber', email: null, isSecretariat: false });
    await store.setMembership({ documentId: DOC.id, accountId: head.id, partyId: 'eu', role: 'head' });
    expect(await store.removeParty(DOC.id, 'eu')).toEqual({ removed: true, revokedAccountIds: ['eu-head'] });
    const approval = { documentId: DOC.id, pairId: 'p', partyId: 'eu', status: 'agreed' as const, reason: null, hash: 'a'.repeat(64), text: { vi: plainCell(''), fr: plainCell('') }, accountId: head.id, createdAt: new Date().toISOString() };
    expect(await store.setApproval(approval)).toBe(false);
    expect(await store.listApprovals(DOC.id)).toEqual([]);
    expect(await store.setApproval({ ...approval, partyId: 'vn' })).toBe(true);
    // A party added after a removal comes after the last one (not at the count of parties, which fr holds).
    await store.addParty(DOC.id, { id: 'ab', name: { vi: 'AB', fr: 'AB' } });
    expect((await store.getDocument(DOC.id))!.parties.map((p) => p.id)).toEqual(['vn', 'fr', 'ab']);
  });

  it('stores no structure approval for a party removed meanwhile, and refuses to remove a party that agreed the structure until it is withdrawn', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const head = await store.createAccount({ id: 'eu-head', name: 'Ursula Weber', email: null, isSecretariat: false });
    const structure = { documentId: DOC.id, partyId: 'eu', hash: 'b'.repeat(64), structure: [{ id: 'p', kind: 'operative' }], accountId: head.id, createdAt: new Date().toISOString() };
    expect(await store.setStructureApproval(structure)).toBe(true);
    expect(await store.removeParty(DOC.id, 'eu')).toEqual({ removed: false, reason: 'has_structure_approval' });
    expect((await store.getDocument(DOC.id))!.parties.map((p) => p.id)).toEqual(['vn', 'eu', 'fr']);
    expect(await store.removeStructureApproval(DOC.id, 'eu')).toBe(true);
    expect(await store.removeParty(DOC.id, 'eu')).toEqual({ removed: true, revokedAccountIds: [] });
    expect(await store.setStructureApproval(structure)).toBe(false);
    expect(await store.listStructureApprovals(DOC.id)).toEqual([]);
    expect(await store.setStructureApproval({ ...structure, partyId: 'vn' })).toBe(true);
    expect((await store.listStructureApprovals(DOC.id)).map((a) => a.partyId)).toEqual(['vn']);
  });
});
