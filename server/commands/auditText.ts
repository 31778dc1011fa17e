import type { AuditEntry } from '../../shared/audit.ts';

/** The membership log as lines for the command line, newest first: time, what, whom, by whom. */
export function formatAudit(entries: AuditEntry[]): string {
  if (entries.length === 0) return 'No membership changes recorded.';
  return entries.map(formatEntry).join('\n');
}

const seat = (role: string | null, partyId: string | null): string => `${role ?? '-'}${partyId ? ` (${partyId})` : ''}`;

export function formatEntry(e: AuditEntry): string {
  const whom = e.subject ? `${e.subject.name} (${e.subject.accountId})` : '';
  const what = (() => {
    switch (e.action) {
      case 'invited':
        return `invited ${whom} as ${seat(e.role, e.partyId)}`;
      case 'role_changed':
        return `changed ${whom} from ${seat(e.previous?.role ?? null, e.previous?.partyId ?? null)} to ${seat(e.role, e.partyId)}`;
      case 'revoked':
        return `revoked ${whom}, ${seat(e.role, e.partyId)}`;
      case 'party_added':
        return `added party ${e.partyId}`;
      case 'party_removed':
        return `removed party ${e.partyId}`;
      case 'link_issued':
        return `issued a sign-in link for ${whom}, ${seat(e.role, e.partyId)}`;
    }
  })();
  const by = e.actor.accountId ? `${e.actor.name} (${e.actor.accountId})` : e.actor.name;
  return `${e.at}  ${what}  by ${by}`;
}
