import { h, replaceChildren } from '../../lib/dom.ts';
import { inviteMember, type Member } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import { partyName, roleLabel } from '../../lib/identity.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import type { Role } from '../../../shared/roles.ts';
import { getLocale, t } from '../../i18n/index.ts';
import { errorLine, field, input, onSubmit, submitButton, valueOf } from './form.ts';
import { refusalMessage } from './refusals.ts';

/**
 * Invite someone to a declaration with a role: name, email, role and — for
 * heads and drafters, who speak for one — a delegation. The secretariat has
 * none, so the delegation field is not shown for it; observers may have one.
 */

/** Roles offered, most common first. */
const ROLE_CHOICES: Role[] = ['drafter', 'head', 'observer', 'secretariat'];

export interface InviteForm {
  element: HTMLElement;
  /** Offers the document's current parties (after one was added). */
  setParties(document: DocumentSummary): void;
}

/** `signInUrl` is null when the person already had an account (only the global secretariat gets links for those). */
export function inviteForm(ctx: AppContext, document: DocumentSummary, onInvited: (member: Member, signInUrl: string | null) => void): InviteForm {
  let parties = document.parties;
  const name = input('invite-name');
  const email = input('invite-email', 'email', { placeholder: t('admin.invite.emailPlaceholder') });
  const role = h(
    'select',
    { class: 'field__input', attrs: { name: 'invite-role', 'data-testid': 'invite-role' }, on: { change: () => renderParties() } },
    ...ROLE_CHOICES.map((r) => h('option', { text: roleLabel(r), attrs: { value: r } })),
  );
  const party = h('select', { class: 'field__input', attrs: { name: 'invite-party', 'data-testid': 'invite-party' } });
  const partyField = field(t('admin.invite.party'), party);
  const error = errorLine('invite-error');

  /** The delegation choices for the chosen role (kept when still offered). */
  function renderParties(): void {
    const chosenRole = role.value as Role;
    partyField.hidden = chosenRole === 'secretariat';
    const previous = party.value;
    const locale = getLocale();
    // Heads and drafters must choose (the server says so if they do not); observers may stay without.
    const empty = chosenRole === 'observer' ? t('admin.invite.noParty') : t('admin.invite.chooseParty');
    replaceChildren(
      party,
      h('option', { text: empty, attrs: { value: '' } }),
      ...parties.map((p) => h('option', { text: partyName(p, locale), attrs: { value: p.id } })),
    );
    if (parties.some((p) => p.id === previous)) party.value = previous;
  }

  const form = h(
    'form',
    { class: 'admin-form', attrs: { 'data-testid': 'invite-form' } },
    h(
      'div',
      { class: 'admin-form__fields' },
      field(t('admin.invite.name'), name),
      field(t('admin.invite.email'), email, t('admin.invite.emailHint')),
      field(t('admin.invite.role'), role),
      partyField,
    ),
    h('div', { class: 'admin-form__actions' }, submitButton(t('admin.invite.submit'), 'invite-submit'), error.element),
  );
  onSubmit(form, ctx, error, async () => {
    const chosenRole = role.value as Role;
    const invitation = {
      name: valueOf(name).normalize('NFC'),
      email: valueOf(email) || null,
      role: chosenRole,
      partyId: chosenRole === 'secretariat' ? null : valueOf(party) || null,
    };
    const { member, signInUrl } = await inviteMember(document.id, invitation).catch((cause: unknown) => {
      throw refusalMessage(cause, invitation.name);
    });
    form.reset();
    renderParties();
    onInvited(member, signInUrl);
  });

  renderParties();
  return {
    element: h('section', { class: 'admin-section' }, h('h3', { class: 'admin-section__title', text: t('admin.invite.title') }), form),
    setParties(doc) {
      parties = doc.parties;
      renderParties();
    },
  };
}
