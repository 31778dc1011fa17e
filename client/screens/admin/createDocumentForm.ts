import { h } from '../../lib/dom.ts';
import { createDocument } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { t } from '../../i18n/index.ts';
import { errorLine, field, input, onSubmit, submitButton, valueOf } from './form.ts';

/**
 * The global secretariat's "new declaration" form: an id and a title in each
 * language. Parties are added next, in the new declaration's panel.
 */
export function createDocumentForm(ctx: AppContext, onCreated: (document: DocumentSummary) => void): HTMLElement {
  const id = input('new-document-id', 'text', { placeholder: t('admin.document.idPlaceholder') });
  const titleVi = input('new-document-title-vi', 'text', { lang: 'vi' });
  const titleFr = input('new-document-title-fr', 'text', { lang: 'fr' });
  const error = errorLine('create-document-error');
  const form = h(
    'form',
    { class: 'admin-form admin-form--document', attrs: { 'data-testid': 'create-document-form' } },
    h('div', { class: 'admin-form__fields' }, field(t('admin.document.id'), id, t('admin.document.idHint')), field(t('admin.document.titleVi'), titleVi), field(t('admin.document.titleFr'), titleFr)),
    h('div', { class: 'admin-form__actions' }, submitButton(t('admin.document.create'), 'create-document'), error.element),
  );
  onSubmit(form, ctx, error, async () => {
    const document = await createDocument({ id: valueOf(id), title: { vi: valueOf(titleVi).normalize('NFC'), fr: valueOf(titleFr).normalize('NFC') }, parties: [] });
    form.reset();
    onCreated(document);
  });
  return h(
    'section',
    { class: 'admin-card admin-card--new' },
    h('h2', { class: 'admin-card__title', text: t('admin.document.new') }),
    h('p', { class: 'admin-card__lede muted', text: t('admin.document.newLede') }),
    form,
  );
}
