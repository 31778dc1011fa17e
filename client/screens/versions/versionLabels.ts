import { limits } from '../../../shared/limits.ts';
import { ErrorCode } from '../../../shared/protocol.ts';
import type { VersionSummary } from '../../../shared/versions.ts';
import { h } from '../../lib/dom.ts';
import { ApiError } from '../../lib/http.ts';
import { t } from '../../i18n/index.ts';
import { partyName } from '../declaration/approvals/statusChip.ts';
import './versionLabels.css';

/**
 * A version's name, note and who cut it (metadata beside the hashed text),
 * the form the secretariat cuts a version with, and the page's wording of
 * the refusals a cut or a restore can meet.
 */

/** The name, who cut it and the note, under a version's number. */
export function versionLabel(version: VersionSummary): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (version.name) out.push(h('p', { class: 'version__name', text: version.name, attrs: { 'data-testid': 'version-name' } }));
  if (version.cutBy) {
    const party = version.cutBy.party ? partyName(version.cutBy.party) : t('versionLabels.secretariat');
    out.push(h('p', { class: 'version__cut-by', text: t('versionLabels.cutByParty', { name: version.cutBy.name, party }), attrs: { 'data-testid': 'version-cut-by' } }));
  }
  if (version.note) {
    out.push(
      h(
        'p',
        { class: 'version__note-text', attrs: { 'data-testid': 'version-note' } },
        h('span', { class: 'version__note-label', text: t('versionLabels.note') }),
        h('span', { class: 'version__note-body', text: version.note }),
      ),
    );
  }
  return out;
}

export interface CutFormOptions {
  onSubmit(label: { name: string; note: string | null }): Promise<void>;
  onCancel(): void;
}

/** The secretariat's form: a name (required) and an optional note, then the cut. */
export function cutForm(options: CutFormOptions): { element: HTMLFormElement; focus(): void } {
  const name = h('input', {
    class: 'field__input',
    attrs: { type: 'text', name: 'version-name', required: true, maxlength: String(limits.maxVersionNameLength), autocomplete: 'off', 'data-testid': 'version-name-input' },
  });
  const note = h('textarea', {
    class: 'field__input cut-form__note',
    attrs: { name: 'version-note', rows: '2', maxlength: String(limits.maxVersionNoteLength), 'data-testid': 'version-note-input' },
  });
  const error = h('p', { class: 'form-error', attrs: { role: 'alert', hidden: true, 'data-testid': 'cut-form-error' } });
  const submit = h('button', { class: 'btn btn--primary btn--small', text: t('versionLabels.form.submit'), attrs: { type: 'submit', 'data-testid': 'cut-submit' } });
  const field = (label: string, control: HTMLElement, hint: string): HTMLElement =>
    h('label', { class: 'field' }, h('span', { class: 'field__label', text: label }), control, h('span', { class: 'field__hint', text: hint }));
  const element = h(
    'form',
    { class: 'cut-form', attrs: { 'data-testid': 'cut-form', 'aria-label': t('versionLabels.form.title'), novalidate: true } },
    field(t('versionLabels.form.name'), name, t('versionLabels.form.nameHint')),
    field(t('versionLabels.form.note'), note, t('versionLabels.form.noteHint')),
    error,
    h(
      'div',
      { class: 'cut-form__actions' },
      submit,
      h('button', { class: 'btn btn--secondary btn--small', text: t('versionLabels.form.cancel'), attrs: { type: 'button', 'data-testid': 'cut-cancel' }, on: { click: () => options.onCancel() } }),
    ),
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const label = { name: name.value.normalize('NFC').trim(), note: note.value.normalize('NFC').trim() || null };
    if (!label.name) {
      error.textContent = t('versionLabels.form.nameMissing');
      error.hidden = false;
      name.focus();
      return;
    }
    error.hidden = true;
    submit.disabled = true;
    void options.onSubmit(label).finally(() => (submit.disabled = false));
  });
  return { element, focus: () => name.focus() };
}

/** Whether a cut was refused because nothing changed since the last version (the page then asks). */
export const isUnchanged = (error: unknown): boolean => error instanceof ApiError && error.code === ErrorCode.VersionUnchanged;

/** A cut's refusal of its name or note, in the page's language; other errors as they are. */
export function cutError(error: unknown): unknown {
  if (error instanceof ApiError && error.code === ErrorCode.InvalidInput) {
    return new Error(t('versionLabels.invalid', { name: limits.maxVersionNameLength, note: limits.maxVersionNoteLength }));
  }
  return error;
}
