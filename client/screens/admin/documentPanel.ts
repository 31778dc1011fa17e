import { h, replaceChildren } from '../../lib/dom.ts';
import type { AppContext } from '../../lib/context.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { auditList } from '../../components/auditList.ts';
import { copyLink } from '../../components/copyLink.ts';
import { t } from '../../i18n/index.ts';
import { inviteForm } from './inviteForm.ts';
import { membersSection } from './membersSection.ts';
import { partiesSection } from './partiesSection.ts';

/**
 * One declaration on the admin page: its parties, its members, the invite
 * form, the last sign-in link produced (to copy and send) and the log of
 * membership changes.
 */
export function documentPanel(ctx: AppContext, document: DocumentSummary): HTMLElement {
  const linkArea = h('div', { class: 'admin-link-area', attrs: { 'aria-live': 'polite' } });
  const showLink = (member: { name: string }, url: string): void => {
    replaceChildren(linkArea, copyLink(t('admin.link.for', { name: member.name }), url));
    linkArea.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };

  let current = document;
  const audit = auditList(document.id, () => current.parties, { title: t('audit.title'), onSignedOut: () => ctx.signedOut('ended') });
  const members = membersSection(ctx, document, showLink, () => void audit.reload());
  const invite = inviteForm(ctx, document, (member, url) => {
    // An account that existed gets no link from a per-declaration secretariat: say so instead of showing one.
    if (url === null) replaceChildren(linkArea, h('p', { class: 'admin-link-area__note', text: t('admin.invite.addedNoLink', { name: member.name }), attrs: { 'data-testid': 'added-no-link' } }));
    else showLink(member, url);
    void members.reload().catch(() => undefined); // a failed refresh shows stale rows, not a wrong state
    void audit.reload();
  });
  const parties = partiesSection(
    ctx,
    document,
    (updated, change) => {
      current = updated;
      void audit.reload();
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
    audit.element,
  );
}
