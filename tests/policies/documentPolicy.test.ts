import { describe, expect, it } from 'vitest';
import { allowedActions, can } from '../../server/policies/documentPolicy.ts';
import { ACTIONS, ROLES, type Action, type MemberRole, type Role } from '../../shared/roles.ts';

const Y = true;
const N = false;

/**
 * The whole permission table, role × action, as a person would read it.
 * Columns: read, edit_text, comment, approve, sign, manage_members, cut_versions, restore_versions, export.
 */
const TABLE: Record<Role, Record<Action, boolean>> = {
  secretariat: { read: Y, edit_text: Y, comment: Y, approve: N, sign: N, manage_members: Y, cut_versions: Y, restore_versions: Y, export: Y },
  head: { read: Y, edit_text: Y, comment: Y, approve: Y, sign: Y, manage_members: N, cut_versions: N, restore_versions: N, export: Y },
  drafter: { read: Y, edit_text: Y, comment: Y, approve: N, sign: N, manage_members: N, cut_versions: N, restore_versions: N, export: Y },
  observer: { read: Y, edit_text: N, comment: N, approve: N, sign: N, manage_members: N, cut_versions: N, restore_versions: N, export: Y },
};

const member = (role: Role): MemberRole => ({ role, partyId: role === 'secretariat' || role === 'observer' ? null : 'vn' });
const closed = { observersMayComment: false };

describe('document permissions', () => {
  it('covers every role and every action', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ROLES].sort());
    for (const role of ROLES) expect(Object.keys(TABLE[role]).sort()).toEqual([...ACTIONS].sort());
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const expected = TABLE[role][action];
      it(`${expected ? 'allows' : 'refuses'} ${action} to a ${role}`, () => {
        expect(can(member(role), action, closed)).toBe(expected);
      });
    }
  }

  it('refuses every action to a non-member', () => {
    for (const action of ACTIONS) expect(can(undefined, action, closed)).toBe(false);
  });

  it('lets observers comment only where the document allows it', () => {
    expect(can(member('observer'), 'comment', { observersMayComment: true })).toBe(true);
    expect(can(member('observer'), 'edit_text', { observersMayComment: true })).toBe(false);
  });

  it('never lets a head without a party approve or sign', () => {
    expect(can({ role: 'head', partyId: null }, 'approve', closed)).toBe(false);
    expect(can({ role: 'head', partyId: null }, 'sign', closed)).toBe(false);
  });

  it('lists exactly the allowed actions for the page', () => {
    expect(allowedActions(member('drafter'), closed)).toEqual(['read', 'edit_text', 'comment', 'export']);
    expect(allowedActions(undefined, closed)).toEqual([]);
  });
});
