/**
 * Roles and actions: the vocabulary of permissions, shared so the page can
 * offer exactly what the server will allow.
 */

/** A member's role in one document. */
export const ROLES = ['secretariat', 'head', 'drafter', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Everything a member can ask to do with a document. */
export const ACTIONS = [
  'read',
  'edit_text',
  'comment',
  'approve',
  'sign',
  'manage_members',
  'cut_versions',
  /** Put a version's text back into the live draft, as a new edit. */
  'restore_versions',
  'export',
] as const;
export type Action = (typeof ACTIONS)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What a member of a document is, as permissions see it. */
export interface MemberRole {
  role: Role;
  /** The delegation the member speaks for; the secretariat has none. */
  partyId: string | null;
}

/** Per-document settings that permissions depend on. */
export interface DocumentPolicySettings {
  /** Observers may comment (DESIGN: "observer: comments if allowed"). */
  observersMayComment: boolean;
}
