import type { Role } from '../../shared/roles.ts';
import type { Account } from '../store/identityTypes.ts';
import type { Store } from '../store/types.ts';

/**
 * What the sign-in page shows before the person confirms: who the link signs
 * in as. Looking costs the link nothing, so whoever merely sees a link (a mail
 * log, a scanner that runs pages) learns this without anyone noticing, while
 * using it would show up as "already used" to its owner. Hence only what a
 * person needs to recognise herself: her name, her e-mail masked to its first
 * letter and domain, and her roles with their delegations — no declaration,
 * no id, nothing of the text.
 */
export interface SignInPreview {
  account: { name: string; email: string | null; locale: string | null; isSecretariat: boolean };
  roles: Array<{ role: Role; party: { vi: string; fr: string } | null }>;
  expiresAt: string;
  /** The session this browser already has: continuing ends it (its own person's data, shown in full). */
  signedInAs: { name: string; email: string | null; sameAccount: boolean } | null;
}

/** "vn-head@demo.accord" → "v•••@demo.accord": enough to tell one's own addresses apart, not to collect them. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

export async function signInPreview(
  store: Store,
  account: Account,
  expiresAt: string,
  current: Account | undefined,
): Promise<SignInPreview> {
  const roles: SignInPreview['roles'] = [];
  const seen = new Set<string>();
  for (const membership of await store.listMembershipsOf(account.id)) {
    const party = membership.partyId ? ((await store.getDocument(membership.documentId))?.parties.find((p) => p.id === membership.partyId)?.name ?? null) : null;
    const key = JSON.stringify([membership.role, party]);
    if (seen.has(key)) continue;
    seen.add(key);
    roles.push({ role: membership.role, party });
  }
  // In one order whatever order the store lists memberships in: by role, then delegation (none last).
  roles.sort((a, b) => a.role.localeCompare(b.role) || (a.party?.vi ?? '\uffff').localeCompare(b.party?.vi ?? '\uffff', 'vi'));
  return {
    account: { name: account.name, email: account.email && maskEmail(account.email), locale: account.locale, isSecretariat: account.isSecretariat },
    roles,
    expiresAt,
    signedInAs: current ? { name: current.name, email: current.email, sameAccount: current.id === account.id } : null,
  };
}
