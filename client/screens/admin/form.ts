import { h } from '../../lib/dom.ts';
import { ApiError, isSignedOut } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import { t } from '../../i18n/index.ts';

/**
 * Small building blocks of the admin forms: labelled fields, an error line
 * that shows the server's message as it is, and a submit wrapper that keeps
 * a form from being sent twice.
 */

/** A label above its control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h(
    'label',
    { class: 'field' },
    h('span', { class: 'field__label', text: label }),
    control,
    hint ? h('span', { class: 'field__hint', text: hint }) : null,
  );
}

/** A text input; `name` doubles as its test id. */
export function input(name: string, type: 'text' | 'email' = 'text', attrs: Record<string, string | boolean> = {}): HTMLInputElement {
  return h('input', { class: 'field__input', attrs: { type, name, autocomplete: 'off', spellcheck: 'false', 'data-testid': name, ...attrs } });
}

export interface ErrorLine {
  element: HTMLElement;
  show(message: string): void;
  clear(): void;
}

/** Where a form says what went wrong: the server's message verbatim. */
export function errorLine(testid: string): ErrorLine {
  const element = h('p', { class: 'form-error', attrs: { role: 'alert', 'data-testid': testid, hidden: true } });
  return {
    element,
    show(message) {
      element.textContent = message;
      element.hidden = false;
    },
    clear() {
      element.textContent = '';
      element.hidden = true;
    },
  };
}

/**
 * Runs `send` on submit with the form's buttons disabled; a refusal shows in
 * `error` and leaves the form as typed (so it can be corrected), an ended
 * session shows the signed-out page.
 */
export function onSubmit(form: HTMLFormElement, ctx: AppContext, error: ErrorLine, send: () => Promise<void>): void {
  form.noValidate = true; // the server validates; its messages are the ones shown
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    if (buttons.some((b) => b.disabled)) return;
    error.clear();
    for (const b of buttons) b.disabled = true;
    form.setAttribute('aria-busy', 'true');
    send()
      .catch((cause: unknown) => {
        if (isSignedOut(cause)) return ctx.signedOut('ended');
        error.show(cause instanceof ApiError ? cause.message : t('error.unexpected'));
      })
      .finally(() => {
        for (const b of buttons) b.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
}

/** A form's submit button. */
export function submitButton(text: string, testid: string): HTMLButtonElement {
  return h('button', { class: 'button', text, attrs: { type: 'submit', 'data-testid': testid } });
}

/** The trimmed value of an input. */
export function valueOf(control: HTMLInputElement | HTMLSelectElement): string {
  return control.value.trim();
}
