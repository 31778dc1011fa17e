import { h, replaceChildren } from '../../lib/dom.ts';
import { addParty, ApiError, isSignedOut, removeParty, type Member } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import { memberColor, partyName } from '../../lib/identity.ts';
import { ErrorCode, type DocumentSummary, type PartySummary } from '../../../shared/protocol.ts';
import { getLocale, t, type MessageKey } from '../../i18n/index.ts';
import { errorLine, field, input, onSubmit, submitButton, valueOf } from './form.ts';

/** Why the server refused a removal, in the interface language (its own message for anything else). */
const REMOVAL_REFUSALS: Partial<Record<string, MessageKey>> = {
  [ErrorCode.PartyHasSignatures]: 'admin.parties.refused.signatures',
  [ErrorCode.PartyHasApprovals]: 'admin.parties.refused.approvals',
  [ErrorCode.PartyHasStructureApproval]: 'admin.parties.refused.structureApproval',
  [ErrorCode.PartyHasInternalComments]: 'admin.parties.refused.internalComments',
  [ErrorCode.PartyNotFound]: 'admin.parties.refused.notFound',
};

/**
 * The parties (delegations) of one declaration: the list, each with the
 * colour its members wear and a Remove button (asked first, naming the
 * members who lose access with it), and a form to add one.
 */
export interface PartiesSection {
  element: HTMLElement;
  /** Shows the document's parties (after it changed). */
  render(document: DocumentSummary): void;
}

export function partiesSection(
  ctx: AppContext,
  document: DocumentSummary,
  onChanged: (document: DocumentSummary, change: 'added' | 'removed') => void,
  membersOf: (partyId: string) => Member[],
): PartiesSection {
  const list = h('ul', { class: 'party-list', attrs: { 'data-testid': 'party-list' } });
  const removeError = errorLine('party-remove-error');
  let current = document;

  const remove = async (party: PartySummary, button: HTMLButtonElement): Promise<void> => {
    const locale = getLocale();
    const members = membersOf(party.id).map((m) => m.name);
    const question = t('admin.parties.removeConfirm', {
      name: partyName(party, locale),
      title: current.title[locale === 'vi' ? 'vi' : 'fr'],
      members: members.length ? t('admin.parties.removeMembers', { names: members.join(', ') }) : '',
    });
    if (!window.confirm(question)) return;
    removeError.clear();
    button.disabled = true;
    try {
      onChanged(await removeParty(current.id, party.id), 'removed');
    } catch (cause) {
      if (isSignedOut(cause)) return ctx.signedOut('ended');
      const refusal = cause instanceof ApiError ? REMOVAL_REFUSALS[cause.code] : undefined;
      removeError.show(refusal ? t(refusal, { name: partyName(party, locale) }) : cause instanceof ApiError ? cause.message : t('error.unexpected'));
      button.disabled = false;
    }
  };

  const render = (doc: DocumentSummary): void => {
    current = doc;
    if (doc.parties.length === 0) {
      replaceChildren(list, h('li', { class: 'muted', text: t('admin.parties.none') }));
      return;
    }
    replaceChildren(
      list,
      ...doc.parties.map((party) => {
        const swatch = h('span', { class: 'party-list__swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.setProperty('--user-color', memberColor(doc.parties, 'drafter', party.id));
        return h(
          'li',
          { class: 'party-list__item', attrs: { 'data-testid': 'party', 'data-party-id': party.id } },
          swatch,
          h('span', { class: 'party-list__vi', text: party.name.vi, attrs: { lang: 'vi' } }),
          h('span', { class: 'party-list__fr', text: party.name.fr, attrs: { lang: 'fr' } }),
          h('code', { class: 'party-list__id', text: party.id }),
          h('button', {
            class: 'button button--danger button--small party-list__remove',
            text: t('admin.parties.remove'),
            attrs: { type: 'button', 'data-testid': 'remove-party', title: t('admin.parties.removeHint', { name: partyName(party, getLocale()) }) },
            on: { click: (event) => void remove(party, event.currentTarget as HTMLButtonElement) },
          }),
        );
      }),
    );
  };

  const id = input('party-id', 'text', { placeholder: t('admin.parties.idPlaceholder') });
  const nameVi = input('party-name-vi', 'text', { lang: 'vi' });
  const nameFr = input('party-name-fr', 'text', { lang: 'fr' });
  const error = errorLine('party-error');
  const form = h(
    'form',
    { class: 'admin-form admin-form--inline', attrs: { 'data-testid': 'party-form' } },
    h('div', { class: 'admin-form__fields' }, field(t('admin.parties.id'), id), field(t('admin.parties.nameVi'), nameVi), field(t('admin.parties.nameFr'), nameFr)),
    h('div', { class: 'admin-form__actions' }, submitButton(t('admin.parties.add'), 'add-party'), error.element),
  );
  onSubmit(form, ctx, error, async () => {
    const updated = await addParty(document.id, {
      id: valueOf(id),
      name: { vi: valueOf(nameVi).normalize('NFC'), fr: valueOf(nameFr).normalize('NFC') },
    });
    form.reset();
    onChanged(updated, 'added');
  });

  render(document);
  return {
    element: h(
      'section',
      { class: 'admin-section' },
      h('h3', { class: 'admin-section__title', text: t('admin.parties.title') }),
      list,
      removeError.element,
      // Folded once there are parties: adding one is rare after the start.
      h('details', { class: 'admin-details', attrs: { open: document.parties.length === 0 } }, h('summary', { text: t('admin.parties.addTitle') }), form),
    ),
    render,
  };
}
