import type { AuditEntry } from '../../shared/audit.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import { h, replaceChildren } from '../lib/dom.ts';
import { ApiError, isSignedOut, listAudit } from '../lib/api.ts';
import { delegationLabel, roleLabel } from '../lib/identity.ts';
import { formatDateTime, getLocale, t } from '../i18n/index.ts';

/**
 * The membership log of a declaration as a list, newest first: when, what
 * (whom, which role and delegation) and by whom. The admin page shows all of
 * it; the status page shows a head their own delegation's part (the server
 * sends nothing else).
 */
export interface AuditList {
  element: HTMLElement;
  reload(): Promise<void>;
}

export function auditList(
  documentId: string,
  parties: () => readonly PartySummary[],
  options: { title: string; onSignedOut: () => void },
): AuditList {
  const body = h('tbody');
  const message = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true } });
  const seat = (role: Role | null, partyId: string | null): string =>
    role === null ? delegationLabel(parties(), partyId, getLocale()) : partyId === null ? roleLabel(role) : `${roleLabel(role)}, ${delegationLabel(parties(), partyId, getLocale())}`;
  const describe = (e: AuditEntry): string =>
    t(`audit.${e.action}`, {
      subject: e.subject?.name ?? '',
      seat: seat(e.role, e.partyId),
      previous: e.previous ? seat(e.previous.role, e.previous.partyId) : '',
      // A removed party is no longer among the document's: its id says which it was.
      party: parties().some((p) => p.id === e.partyId) ? delegationLabel(parties(), e.partyId, getLocale()) : (e.partyId ?? ''),
    });
  const row = (e: AuditEntry): HTMLElement =>
    h(
      'tr',
      { attrs: { 'data-testid': 'audit-entry', 'data-action': e.action, 'data-party': e.partyId ?? '' } },
      h('td', { class: 'audit__when', text: formatDateTime(e.at) }),
      h('td', { class: 'audit__what', text: describe(e) }),
      h('td', { class: 'audit__by', text: e.actor.accountId === null ? t('audit.operator') : e.actor.name }),
    );
  const placeholder = (text: string) => h('tr', {}, h('td', { class: 'muted', text, attrs: { colspan: 3 } }));

  async function reload(): Promise<void> {
    try {
      const entries = await listAudit(documentId);
      message.hidden = true;
      replaceChildren(body, ...(entries.length ? entries.map(row) : [placeholder(t('audit.none'))]));
    } catch (cause) {
      if (isSignedOut(cause)) return options.onSignedOut();
      message.textContent = cause instanceof ApiError ? cause.message : t('error.unexpected');
      message.hidden = false;
    }
  }

  replaceChildren(body, placeholder(t('audit.loading')));
  void reload();
  return {
    element: h(
      'section',
      { class: 'admin-section audit', attrs: { 'data-testid': 'audit-log' } },
      h('h3', { class: 'admin-section__title', text: options.title }),
      h('p', { class: 'muted', text: t('audit.lede') }),
      h(
        'div',
        { class: 'members__scroll' },
        h(
          'table',
          { class: 'members audit__table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { text: t('audit.when'), attrs: { scope: 'col' } }),
              h('th', { text: t('audit.what'), attrs: { scope: 'col' } }),
              h('th', { text: t('audit.by'), attrs: { scope: 'col' } }),
            ),
          ),
          body,
        ),
      ),
      message,
    ),
    reload,
  };
}
