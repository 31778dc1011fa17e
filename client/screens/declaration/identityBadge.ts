import { h } from '../../lib/dom.ts';
import { delegationLabel, roleLabel } from '../../lib/identity.ts';
import type { DocumentMe } from '../../lib/api.ts';
import type { PartySummary } from '../../../shared/protocol.ts';
import { getLocale, t } from '../../i18n/index.ts';

/**
 * Who the person is on this declaration, in the header: their colour, name,
 * delegation and role, and a "read-only" badge when their role may not edit.
 */
export interface IdentityBadge {
  element: HTMLElement;
  /** Adds the server's own words to the read-only explanation (its permission-denied reason). */
  explainReadOnly(serverReason: string): void;
}

export function identityBadge(me: DocumentMe, parties: readonly PartySummary[], color: string, readOnly: boolean): IdentityBadge {
  // The secretariat speaks for no delegation, and its role says so: "No delegation" would only add noise.
  const party =
    me.role === 'secretariat'
      ? null
      : h('span', { class: 'me__party', text: delegationLabel(parties, me.partyId, getLocale()), attrs: { 'data-testid': 'me-party' } });
  const badge = readOnly
    ? h('span', { class: 'me__read-only', text: t('identity.readOnly'), attrs: { 'data-testid': 'read-only-badge', title: t('identity.readOnly.detail') } })
    : null;
  const element = h(
    'div',
    { class: 'me', attrs: { 'data-testid': 'me' } },
    h('span', { class: 'me__swatch', attrs: { 'aria-hidden': 'true' } }),
    h(
      'span',
      { class: 'me__who' },
      h('span', { class: 'me__name', text: me.name, attrs: { 'data-testid': 'me-name' } }),
      h(
        'span',
        { class: 'me__what' },
        party,
        party ? h('span', { class: 'sep', text: '·', attrs: { 'aria-hidden': 'true' } }) : null,
        h('span', { class: 'me__role', text: roleLabel(me.role), attrs: { 'data-testid': 'me-role' } }),
      ),
    ),
    badge,
  );
  element.style.setProperty('--user-color', color);
  return {
    element,
    explainReadOnly(reason) {
      badge?.setAttribute('title', t('identity.readOnly.server', { detail: t('identity.readOnly.detail'), reason }));
      badge?.setAttribute('data-server-reason', reason);
    },
  };
}
