import { h, replaceChildren } from '../../lib/dom.ts';
import type { AppContext } from '../../lib/context.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { copyLink } from '../../components/copyLink.ts';
import { t } from '../../i18n/index.ts';
import { inviteForm } from './inviteForm.ts';
import { membersSection } from './membersSection.ts';
import { partiesSection } from './partiesSection.ts';

/**
 * One declaration on the admin page: its parties, its members, the invite
 * form, and the last sign-in link produced (to copy and send).
 */
export function documentPanel(ctx: AppContext, document: DocumentSummary): HTMLElement {
  const linkArea = h('div', { class: 'admin-link-area', attrs: { 'aria-live': 'polite' } });
  const showLink = (member: { name: string }, url: string): void => {
    replaceChildren(linkArea, copyLink(t('admin.link.for', { name: member.name }), url));
    linkArea.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };

  const members = membersSection(ctx, document, showLink);
  const invite = inviteForm(ctx, document, (member, url) => {
    showLink(member, url);
    void members.reload().catch(() => undefined); // a failed refresh shows stale rows, not a wrong state
  });
  const parties = partiesSection(
    ctx,
    document,
    (updated, change) => {
      parties.render(updated);
      invite.setParties(updated);
      members.setDocument(updated);
      // A removed delegation's members were revoked with it.
      if (change === 'removed') void members.reload().catch(() => undefined);
    },
    (partyId) => members.membersOf(partyId),
  );

  return h(
    'section',
    { class: 'admin-card', attrs: { 'data-testid': 'admin-document', 'data-document-id': document.id } },
    h(
      'header',
      { class: 'admin-card__header' },
      h('h2', { class: 'admin-card__title', text: document.title.vi, attrs: { lang: 'vi' } }),
      h('p', { class: 'admin-card__subtitle', text: document.title.fr, attrs: { lang: 'fr' } }),
      h(
        'p',
        { class: 'admin-card__meta' },
        h('code', { text: document.id }),
        h('a', { text: t('admin.document.open'), attrs: { href: `/d/${encodeURIComponent(document.id)}` } }),
      ),
    ),
    parties.element,
    members.element,
    linkArea,
    invite.element,
  );
}
