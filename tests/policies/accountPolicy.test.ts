import { describe, expect, it } from 'vitest';
import { memberRoleOf } from '../../server/policies/access.ts';
import { auditEntryVisible, auditScopeOf, invitationIssuesLink, mayHoldMembership, mayIssueSignInLink, OPERATOR_ISSUER, type LinkIssuer } from '../../server/policies/accountPolicy.ts';
import { ROLES, type Role } from '../../shared/roles.ts';

const Y = true;
const N = false;

const global: LinkIssuer = { isSecretariat: true, administers: new Set() };
/** Secretariat of "small" only. */
const small: LinkIssuer = { isSecretariat: false, administers: new Set(['small']) };

describe('who may get a sign-in link for whom', () => {
  // issuer × target → may issue
  const TABLE: Array<[string, LinkIssuer, { isSecretariat: boolean; documentIds: string[] }, boolean]> = [
    ['global secretariat, anyone', global, { isSecretariat: false, documentIds: ['big', 'small'] }, Y],
    ['global secretariat, another global secretariat', global, { isSecretariat: true, documentIds: [] }, Y],
    ['the command line, anyone', OPERATOR_ISSUER, { isSecretariat: true, documentIds: ['big'] }, Y],
    ['small secretariat, a member of small only', small, { isSecretariat: false, documentIds: ['small'] }, Y],
    ['small secretariat, a member of small and of big (takeover)', small, { isSecretariat: false, documentIds: ['small', 'big'] }, N],
    ['small secretariat, a member of big only', small, { isSecretariat: false, documentIds: ['big'] }, N],
    ['small secretariat, the global secretariat (takeover)', small, { isSecretariat: true, documentIds: ['small'] }, N],
    ['small secretariat, a global secretariat with no membership', small, { isSecretariat: true, documentIds: [] }, N],
  ];
  for (const [name, issuer, target, expected] of TABLE) {
    it(`${expected ? 'allows' : 'refuses'}: ${name}`, () => expect(mayIssueSignInLink(issuer, target)).toBe(expected));
  }

  it('sends a link with an invitation for a new account, and for an existing one only from the global secretariat', () => {
    expect(invitationIssuesLink(small, true)).toBe(Y);
    expect(invitationIssuesLink(small, false)).toBe(N);
    expect(invitationIssuesLink(global, false)).toBe(Y);
    expect(invitationIssuesLink(OPERATOR_ISSUER, false)).toBe(Y);
  });
});

describe('roles separated', () => {
  const seats: Array<{ role: Role; partyId: string | null }> = [
    { role: 'secretariat', partyId: null },
    { role: 'head', partyId: 'vn' },
    { role: 'drafter', partyId: 'vn' },
    { role: 'observer', partyId: 'vn' },
    { role: 'observer', partyId: null },
  ];
  // holder → for each seat above, may take it
  const TABLE: Array<[string, { isSecretariat: boolean; currentRole: Role | undefined }, boolean[]]> = [
    ['a new person', { isSecretariat: false, currentRole: undefined }, [Y, Y, Y, Y, Y]],
    ['a head of the declaration', { isSecretariat: false, currentRole: 'head' }, [Y, Y, Y, Y, Y]],
    ['its secretariat (self-invitation into a party)', { isSecretariat: false, currentRole: 'secretariat' }, [Y, N, N, N, Y]],
    ['the global secretariat', { isSecretariat: true, currentRole: undefined }, [Y, N, N, N, N]],
    ['the global secretariat, a member there', { isSecretariat: true, currentRole: 'secretariat' }, [Y, N, N, N, N]],
  ];
  for (const [name, holder, expected] of TABLE) {
    it(`seats of ${name}`, () => expect(seats.map((seat) => mayHoldMembership(holder, seat))).toEqual(expected));
  }

  it('never lowers a global secretariat account’s rights by its membership', () => {
    for (const role of ROLES) {
      expect(memberRoleOf({ isSecretariat: true }, { role, partyId: role === 'secretariat' ? null : 'vn' })).toEqual({ role: 'secretariat', partyId: null });
    }
    expect(memberRoleOf({ isSecretariat: true }, undefined)).toEqual({ role: 'secretariat', partyId: null });
    expect(memberRoleOf({ isSecretariat: false }, { role: 'drafter', partyId: 'vn' })).toEqual({ role: 'drafter', partyId: 'vn' });
    expect(memberRoleOf({ isSecretariat: false }, undefined)).toBeUndefined();
  });
});

describe('who reads the membership log', () => {
  const entry = (partyId: string | null, previousParty?: string | null) => ({ partyId, previous: previousParty === undefined ? null : { role: 'drafter' as const, partyId: previousParty } });
  it('gives the secretariat all of it, a head its party’s entries, nobody else any', () => {
    const all = auditScopeOf({ role: 'secretariat', partyId: null });
    const vnHead = auditScopeOf({ role: 'head', partyId: 'vn' });
    expect(auditEntryVisible(all, entry('fr'))).toBe(Y);
    expect(auditEntryVisible(all, entry(null))).toBe(Y);
    expect(auditEntryVisible(vnHead, entry('vn'))).toBe(Y);
    expect(auditEntryVisible(vnHead, entry('fr', 'vn'))).toBe(Y); // moved out of vn
    expect(auditEntryVisible(vnHead, entry('fr'))).toBe(N);
    expect(auditEntryVisible(vnHead, entry(null))).toBe(N);
    for (const member of [{ role: 'drafter' as const, partyId: 'vn' }, { role: 'observer' as const, partyId: 'vn' }, { role: 'head' as const, partyId: null }, undefined]) {
      expect(auditScopeOf(member)).toBeUndefined();
    }
  });
});
