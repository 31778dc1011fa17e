import type { Action, DocumentPolicySettings, MemberRole, Role } from '../../shared/roles.ts';
import { ACTIONS } from '../../shared/roles.ts';

/**
 * Permissions as pure predicates, in one place: the REST routes, the socket.io
 * events and the sync connection all ask `can()`. The page is told the result
 * (`allowedActions`) and offers nothing else.
 */

type Rule = (member: MemberRole, settings: DocumentPolicySettings) => boolean;

const always: Rule = () => true;
const roleIn =
  (...roles: Role[]): Rule =>
  (member) =>
    roles.includes(member.role);
const or =
  (...rules: Rule[]): Rule =>
  (member, settings) =>
    rules.some((rule) => rule(member, settings));
const observerIfAllowed: Rule = (member, settings) => member.role === 'observer' && settings.observersMayComment;

/** The rule of every action: one table, read by HTTP, socket.io and sync alike. */
const RULES: Record<Action, Rule> = {
  read: always,
  edit_text: roleIn('secretariat', 'head', 'drafter'),
  comment: or(roleIn('secretariat', 'head', 'drafter'), observerIfAllowed),
  // Approving and signing speak for a delegation: only its head, never the secretariat.
  approve: (m) => m.role === 'head' && m.partyId !== null,
  sign: (m) => m.role === 'head' && m.partyId !== null,
  manage_members: roleIn('secretariat'),
  cut_versions: roleIn('secretariat'),
  // Restoring rewrites the draft for every party at once: the secretariat's, never one delegation's.
  restore_versions: roleIn('secretariat'),
  export: always,
};

/**
 * May this member do this action on this document? A non-member (undefined)
 * may do nothing.
 */
export function can(member: MemberRole | undefined, action: Action, settings: DocumentPolicySettings): boolean {
  if (!member) return false;
  return RULES[action](member, settings);
}

/** Every action the member may do: what the page offers. */
export function allowedActions(member: MemberRole | undefined, settings: DocumentPolicySettings): Action[] {
  return ACTIONS.filter((action) => can(member, action, settings));
}

export type { Action, MemberRole, Role };
