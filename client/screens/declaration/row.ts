import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { EditorView } from 'prosemirror-view';
import type { Plugin } from 'prosemirror-state';
import { h, replaceChildren } from '../../lib/dom.ts';
import { LANGS, PAIR_KINDS, type Lang, type PairHandle, type PairKind } from '../../../shared/model/index.ts';
import { createCellEditor, type CellEditor } from './cellEditor.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import type { RemoteUser } from './presence.ts';

/**
 * One row of the declaration: a paragraph pair with its number, its kind, the
 * Vietnamese editor on the left and the French one on the right (one grid row,
 * so both cells always share the same height), and its actions. For people
 * who may not edit, the kind is plain text and the actions are not there.
 */

/** The catalogue key of each paragraph kind's name. */
export const KIND_LABEL: Record<PairKind, MessageKey> = {
  title: 'kind.title',
  preamble: 'kind.preamble',
  operative: 'kind.operative',
  closing: 'kind.closing',
};

export interface RowActions {
  addAfter(id: string): void;
  remove(id: string): void;
  move(id: string, delta: -1 | 1): void;
  setKind(id: string, kind: PairKind): void;
}

/** What a feature adds to every row (e.g. comments): editor plugins and a slot under the number. */
export interface RowExtension {
  plugins?(lang: Lang): Plugin[];
  /** Fills the row's slot; returns what to do when the row goes. */
  mount?(slot: HTMLElement): () => void;
}

export interface RowOptions {
  pair: PairHandle;
  /** The awareness each cell's editor draws remote cursors from (see cursorRouting.ts). */
  awareness(lang: Lang): Awareness;
  actions: RowActions;
  /** False for people whose role does not let them edit the text. */
  editable: boolean;
  onActivity(view: EditorView): void;
  scrollMargin?: { top: number; right: number; bottom: number; left: number };
  extension?: RowExtension;
}

export interface Row {
  readonly id: string;
  /** The pair's Y.Map: when it is replaced, the row is rebuilt. */
  readonly map: Y.Map<unknown>;
  readonly element: HTMLElement;
  readonly editors: Record<Lang, CellEditor>;
  /** Under both cells: where the approvals of the pair are shown. */
  readonly slot: HTMLElement;
  /** Sets the 1-based number and whether it is the first / last row. */
  place(number: number, isFirst: boolean, isLast: boolean): void;
  /** Shows who else has their cursor in this pair. */
  showPeople(users: RemoteUser[]): void;
  destroy(): void;
}

function iconButton(testid: string, label: string, glyph: string, onClick: () => void): HTMLButtonElement {
  return h('button', {
    class: `row-action row-action--${testid}`,
    text: glyph,
    attrs: { type: 'button', 'data-testid': testid, 'aria-label': label, title: label },
    on: { click: onClick },
  });
}

export function createRow(options: RowOptions): Row {
  const { pair, actions } = options;
  const id = pair.id;
  let number = 0;

  const numberEl = h('span', { class: 'row__number', attrs: { 'data-testid': 'pair-number' } });
  // Editors choose the kind; readers just see it.
  const kindSelect = options.editable
    ? h(
        'select',
        {
          class: 'row__kind',
          attrs: { 'data-testid': 'pair-kind', 'aria-label': t('row.kind') },
          on: { change: () => actions.setKind(id, kindSelect!.value as PairKind) },
        },
        ...PAIR_KINDS.map((kind) => h('option', { text: t(KIND_LABEL[kind]), attrs: { value: kind } })),
      )
    : null;
  const kindText = options.editable ? null : h('span', { class: 'row__kind row__kind--text', attrs: { 'data-testid': 'pair-kind-label' } });
  const people = h('div', { class: 'row__people', attrs: { 'aria-hidden': 'true' } });
  // Under the number: what a feature extension shows (e.g. comment counts).
  const metaSlot = h('div', { class: 'row__meta-slot' });

  const buttons = options.editable
    ? {
        moveUp: iconButton('move-up', t('row.moveUp'), '↑', () => actions.move(id, -1)),
        moveDown: iconButton('move-down', t('row.moveDown'), '↓', () => actions.move(id, 1)),
        addAfter: iconButton('add-after', t('row.addAfter'), '+', () => actions.addAfter(id)),
        remove: iconButton('delete-pair', t('row.delete'), '×', () => actions.remove(id)),
      }
    : null;

  const cells = {} as Record<Lang, HTMLElement>;
  for (const lang of LANGS) {
    cells[lang] = h('div', { class: `cell cell--${lang}`, attrs: { lang } });
  }

  const element = h(
    'section',
    { class: 'row', attrs: { 'data-testid': 'pair-row', 'data-pair-id': id } },
    h('div', { class: 'row__meta' }, numberEl, kindSelect ?? kindText, people, metaSlot),
    cells.vi,
    cells.fr,
    buttons
      ? h(
          'div',
          { class: 'row__actions', attrs: { role: 'group', 'aria-label': t('row.actions') } },
          buttons.moveUp,
          buttons.moveDown,
          buttons.addAfter,
          buttons.remove,
        )
      : null,
  );

  const slot = h('div', { class: 'row__slot' });
  element.append(slot);

  const describe = (): string => t('row.paragraph', { number: number });
  let shownPeople = '';
  const editors = {} as Record<Lang, CellEditor>;
  for (const lang of LANGS) {
    editors[lang] = createCellEditor(cells[lang], {
      fragment: pair.cell(lang),
      awareness: options.awareness(lang),
      lang,
      editable: options.editable,
      describe,
      onActivity: options.onActivity,
      ...(options.scrollMargin ? { scrollMargin: options.scrollMargin } : {}),
      ...(options.extension?.plugins ? { plugins: options.extension.plugins(lang) } : {}),
    });
  }
  const unmount = options.extension?.mount?.(metaSlot);

  const renderKind = (): void => {
    const raw = pair.map.get('kind');
    const kind: PairKind = (PAIR_KINDS as readonly unknown[]).includes(raw) ? (raw as PairKind) : 'operative';
    element.dataset.kind = kind;
    if (kindSelect && kindSelect.value !== kind) kindSelect.value = kind;
    if (kindText) kindText.textContent = t(KIND_LABEL[kind]);
  };
  const onMapChange = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.has('kind')) renderKind();
  };
  pair.map.observe(onMapChange);
  renderKind();

  return {
    id,
    map: pair.map,
    element,
    editors,
    slot,
    place(n, isFirst, isLast) {
      if (n !== number) {
        number = n;
        numberEl.textContent = String(n);
        element.setAttribute('aria-label', describe());
        for (const lang of LANGS) editors[lang].relabel();
      }
      if (buttons) {
        buttons.moveUp.disabled = isFirst;
        buttons.moveDown.disabled = isLast;
      }
    },
    showPeople(users) {
      // Called for every row on every presence change (each keystroke of anyone): touch the DOM only when this row's people changed.
      const key = users.map((u) => `${u.clientId} ${u.color} ${u.name}`).join('\n');
      if (key === shownPeople) return;
      shownPeople = key;
      replaceChildren(
        people,
        ...users.map((u) => {
          const dot = h('span', { class: 'row__person', attrs: { title: u.name } });
          dot.style.setProperty('--user-color', u.color);
          return dot;
        }),
      );
      element.classList.toggle('has-people', users.length > 0);
    },
    destroy() {
      unmount?.();
      pair.map.unobserve(onMapChange);
      for (const lang of LANGS) editors[lang].destroy();
      element.remove();
    },
  };
}
