import type { Account, Membership } from '../store/identityTypes.ts';

/** An account as the API shows it; the email only to itself and the secretariat. */
export function presentAccount(account: Account, withEmail: boolean) {
  return {
    id: account.id,
    name: account.name,
    locale: account.locale,
    isSecretariat: account.isSecretariat,
    ...(withEmail ? { email: account.email } : {}),
  };
}

/** A member of a document as the API shows it. */
export function presentMember(membership: Membership, account: Account | undefined, withEmail: boolean) {
  return {
    accountId: membership.accountId,
    name: account?.name ?? '(deleted account)',
    ...(withEmail ? { email: account?.email ?? null } : {}),
    role: membership.role,
    partyId: membership.partyId,
    since: membership.createdAt,
  };
}
