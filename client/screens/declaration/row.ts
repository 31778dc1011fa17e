import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { EditorView } from 'prosemirror-view';
import type { Plugin } from 'prosemirror-state';
import { h, replaceChildren } from '../../lib/dom.ts';
import { LANGS, PAIR_KINDS, type Lang, type PairHandle, type PairKind } from '../../../shared/model/index.ts';
import { createCellEditor, type CellEditor } from './cellEditor.ts';
import type { RemoteUser } from './presence.ts';

/**
 * One row of the declaration: a paragraph pair with its number, its kind, the
 * Vietnamese editor on the left and the French one on the right (one grid row,
 * so both cells always share the same height), and its actions.
 */

export const KIND_LABEL: Record<PairKind, string> = {
  title: 'Title',
  preamble: 'Preamble',
  operative: 'Operative',
  closing: 'Closing',
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
  awareness: Awareness;
  actions: RowActions;
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
  const kindSelect = h(
    'select',
    {
      class: 'row__kind',
      attrs: { 'data-testid': 'pair-kind', 'aria-label': 'Kind of paragraph' },
      on: {
        change: () => actions.setKind(id, kindSelect.value as PairKind),
      },
    },
    ...PAIR_KINDS.map((kind) => h('option', { text: KIND_LABEL[kind], attrs: { value: kind } })),
  );
  const people = h('div', { class: 'row__people', attrs: { 'aria-hidden': 'true' } });
  const slot = h('div', { class: 'row__slot' });

  const moveUp = iconButton('move-up', 'Move up', '↑', () => actions.move(id, -1));
  const moveDown = iconButton('move-down', 'Move down', '↓', () => actions.move(id, 1));
  const addAfter = iconButton('add-after', 'Add a paragraph after this one', '+', () => actions.addAfter(id));
  const remove = iconButton('delete-pair', 'Delete this paragraph', '×', () => actions.remove(id));

  const cells = {} as Record<Lang, HTMLElement>;
  for (const lang of LANGS) {
    cells[lang] = h('div', { class: `cell cell--${lang}`, attrs: { lang } });
  }

  const element = h(
    'section',
    { class: 'row', attrs: { 'data-testid': 'pair-row', 'data-pair-id': id } },
    h('div', { class: 'row__meta' }, numberEl, kindSelect, people, slot),
    cells.vi,
    cells.fr,
    h('div', { class: 'row__actions', attrs: { role: 'group', 'aria-label': 'Paragraph actions' } }, moveUp, moveDown, addAfter, remove),
  );

  const describe = (): string => `Paragraph ${number}`;
  const editors = {} as Record<Lang, CellEditor>;
  for (const lang of LANGS) {
    editors[lang] = createCellEditor(cells[lang], {
      fragment: pair.cell(lang),
      awareness: options.awareness,
      lang,
      describe,
      onActivity: options.onActivity,
      ...(options.scrollMargin ? { scrollMargin: options.scrollMargin } : {}),
      ...(options.extension?.plugins ? { plugins: options.extension.plugins(lang) } : {}),
    });
  }
  const unmount = options.extension?.mount?.(slot);

  const renderKind = (): void => {
    const raw = pair.map.get('kind');
    const kind: PairKind = (PAIR_KINDS as readonly unknown[]).includes(raw) ? (raw as PairKind) : 'operative';
    element.dataset.kind = kind;
    if (kindSelect.value !== kind) kindSelect.value = kind;
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
    place(n, isFirst, isLast) {
      if (n !== number) {
        number = n;
        numberEl.textContent = String(n);
        element.setAttribute('aria-label', describe());
        for (const lang of LANGS) editors[lang].relabel();
      }
      moveUp.disabled = isFirst;
      moveDown.disabled = isLast;
    },
    showPeople(users) {
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
