import { h, replaceChildren } from '../../lib/dom.ts';
import { addParty } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import { memberColor } from '../../lib/identity.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { t } from '../../i18n/index.ts';
import { errorLine, field, input, onSubmit, submitButton, valueOf } from './form.ts';

/**
 * The parties (delegations) of one declaration: the list, each with the
 * colour its members wear, and a form to add one.
 */
export interface PartiesSection {
  element: HTMLElement;
  /** Shows the document's parties (after it changed). */
  render(document: DocumentSummary): void;
}

export function partiesSection(ctx: AppContext, document: DocumentSummary, onChanged: (document: DocumentSummary) => void): PartiesSection {
  const list = h('ul', { class: 'party-list', attrs: { 'data-testid': 'party-list' } });
  const render = (doc: DocumentSummary): void => {
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
    onChanged(updated);
  });

  render(document);
  return {
    element: h(
      'section',
      { class: 'admin-section' },
      h('h3', { class: 'admin-section__title', text: t('admin.parties.title') }),
      list,
      // Folded once there are parties: adding one is rare after the start.
      h('details', { class: 'admin-details', attrs: { open: document.parties.length === 0 } }, h('summary', { text: t('admin.parties.addTitle') }), form),
    ),
    render,
  };
}
