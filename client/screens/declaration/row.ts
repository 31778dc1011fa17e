import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { EditorView } from 'prosemirror-view';
import { TextSelection, type Plugin } from 'prosemirror-state';
import { h, replaceChildren } from '../../lib/dom.ts';
import { LANGS, PAIR_KINDS, type Lang, type PairHandle, type PairKind } from '../../../shared/model/index.ts';
import { cellAttributes, cellLabel, createCellEditor, type CellEditor, type ScrollMargin } from './cellEditor.ts';
import { createStaticCell, type StaticCell } from './staticCell.ts';
import type { CellHistories } from './cellHistory.ts';
import { t, type MessageKey } from '../../i18n/index.ts';
import type { RemoteUser } from './presence.ts';

/**
 * One row of the declaration: a paragraph pair with its number, its kind, the
 * Vietnamese editor on the left and the French one on the right (one grid row,
 * so both cells always share the same height), and its actions. For people
 * who may not edit, the kind is plain text and the actions are not there.
 *
 * A row is live (two ProseMirror editors) or static (the same text, rendered
 * once, no editor: see lazyRows.ts for why and when). A static row becomes
 * live as soon as someone reaches for it: the pointer over it, a click or a
 * Tab into one of its cells.
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
  scrollMargin?: ScrollMargin;
  extension?: RowExtension;
  /** The undo histories of the page's cells: they outlive the editors (cellHistory.ts). */
  histories: CellHistories;
  /** An editor of the row is about to be destroyed (the row goes static or away). */
  onEditorGone?(view: EditorView): void;
  /** Opens the pair's history (who changed what) under the row; for every reader. */
  onHistory?(row: Row): void;
}

export interface Row {
  readonly id: string;
  /** The pair's Y.Map: when it is replaced, the row is rebuilt. */
  readonly map: Y.Map<unknown>;
  readonly element: HTMLElement;
  /** Whether the row has its editors now. */
  readonly live: boolean;
  /** The editor of a cell, if the row is live. */
  editor(lang: Lang): CellEditor | undefined;
  /** Creates the editors (nothing if they exist). */
  goLive(): void;
  /**
   * Replaces the editors by static text, unless one of them is in use (has
   * the focus or an input method composition). Returns whether it is static.
   */
  goStatic(): boolean;
  /** Makes the row live and puts the focus in a cell (at the start, or at a point of the screen). */
  focusCell(lang: Lang, at?: { x: number; y: number }): EditorView | undefined;
  /** Under both cells: where the approvals of the pair are shown. */
  readonly slot: HTMLElement;
  /** Its 1-based number now. */
  readonly number: number;
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
  // Editors choose the kind with a <select>, only while the row is live: a select in each of 200
  // rows is a form field that Chromium's autofill inspects after the page loads, laying out one by
  // one the rows content-visibility had skipped (~0.35 s of the load, docs/benchmarks.md). Static
  // rows, and readers, show the kind as text in the same box. The select is made the first time
  // the row goes live: most rows of a long declaration never do (1,000 elements fewer to make in
  // the 200-pair page's load).
  let kindSelect: HTMLSelectElement | null = null;
  const makeKindSelect = (): HTMLSelectElement => {
    const select = h(
      'select',
      {
        class: 'row__kind',
        attrs: { 'data-testid': 'pair-kind', 'aria-label': t('row.kind') },
        on: { change: () => actions.setKind(id, select.value as PairKind) },
      },
      ...PAIR_KINDS.map((kind) => h('option', { text: t(KIND_LABEL[kind]), attrs: { value: kind } })),
    );
    select.value = currentKind();
    return select;
  };
  const kindText = options.editable
    ? h('span', { class: 'row__kind row__kind--static' })
    : h('span', { class: 'row__kind row__kind--text', attrs: { 'data-testid': 'pair-kind-label' } });
  const people = h('div', { class: 'row__people', attrs: { 'aria-hidden': 'true' } });
  // Under the number: what a feature extension shows (e.g. comment counts).
  const metaSlot = h('div', { class: 'row__meta-slot' });
  const historyButton = options.onHistory
    ? h('button', {
        class: 'row__history',
        text: '◷',
        attrs: { type: 'button', 'data-testid': 'pair-history-open', 'aria-label': t('history.row'), title: t('history.row') },
        on: { click: () => options.onHistory?.(row) },
      })
    : null;

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
    h('div', { class: 'row__meta' }, numberEl, kindText, historyButton, people, metaSlot),
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
  const editors: Partial<Record<Lang, CellEditor>> = {};
  const statics: Partial<Record<Lang, StaticCell>> = {};

  const staticAttributes = (lang: Lang) => (): Record<string, string> => ({
    ...cellAttributes(lang, options.editable, cellLabel(describe(), lang)),
    'data-static': 'true',
    // Reachable with Tab like an editor; the focus moves into the editor it becomes. Readers' cells take no focus.
    ...(options.editable ? { tabindex: '0' } : { contenteditable: 'false' }),
  });

  const showStatic = (lang: Lang): void => {
    const cell = createStaticCell(cells[lang], { fragment: pair.cell(lang), attributes: staticAttributes(lang) });
    statics[lang] = cell;
    if (options.editable) {
      // A click on static text: the editor takes its place (same layout), with the caret where the click was.
      cell.element.addEventListener('mousedown', (event) => {
        if (event.button !== 0) return;
        event.preventDefault();
        wake();
        row.focusCell(lang, { x: event.clientX, y: event.clientY });
      });
      cell.element.addEventListener('focus', () => {
        wake();
        row.focusCell(lang);
      });
    }
  };
  const showEditor = (lang: Lang): void => {
    const fragment = pair.cell(lang);
    editors[lang] = createCellEditor(cells[lang], {
      fragment,
      awareness: options.awareness(lang),
      lang,
      editable: options.editable,
      describe,
      onActivity: options.onActivity,
      ...(options.editable ? { undoManager: options.histories.borrow(fragment) } : {}),
      ...(options.scrollMargin ? { scrollMargin: options.scrollMargin } : {}),
      ...(options.extension?.plugins ? { plugins: options.extension.plugins(lang) } : {}),
    });
  };
  const removeEditor = (lang: Lang): void => {
    const editor = editors[lang];
    if (!editor) return;
    options.onEditorGone?.(editor.view);
    editor.destroy();
    delete editors[lang];
    if (options.editable) options.histories.release(pair.cell(lang));
  };

  /** Someone reached for the row. */
  const wake = (): void => row.goLive();

  let live = false;
  for (const lang of LANGS) showStatic(lang);
  element.addEventListener('pointerenter', wake);

  const unmount = options.extension?.mount?.(metaSlot);

  function currentKind(): PairKind {
    const raw = pair.map.get('kind');
    return (PAIR_KINDS as readonly unknown[]).includes(raw) ? (raw as PairKind) : 'operative';
  }
  const renderKind = (): void => {
    const kind = currentKind();
    element.dataset.kind = kind;
    if (kindSelect && kindSelect.value !== kind) kindSelect.value = kind;
    kindText.textContent = t(KIND_LABEL[kind]);
  };
  const onMapChange = (event: Y.YMapEvent<unknown>): void => {
    if (event.keysChanged.has('kind')) renderKind();
  };
  pair.map.observe(onMapChange);
  renderKind();

  const row: Row = {
    id,
    map: pair.map,
    element,
    get live() {
      return live;
    },
    editor: (lang) => editors[lang],
    goLive() {
      if (live) return;
      live = true;
      if (options.editable) kindText.replaceWith((kindSelect ??= makeKindSelect()));
      for (const lang of LANGS) {
        statics[lang]?.destroy();
        delete statics[lang];
        showEditor(lang);
      }
    },
    goStatic() {
      if (!live) return true;
      // Never take the editor from under someone typing (or composing with an input method).
      if (LANGS.some((lang) => editors[lang]?.view.hasFocus() || editors[lang]?.view.composing)) return false;
      if (kindSelect && document.activeElement === kindSelect) return false;
      live = false;
      kindSelect?.replaceWith(kindText);
      for (const lang of LANGS) {
        removeEditor(lang);
        showStatic(lang);
      }
      return true;
    },
    focusCell(lang, at) {
      wake();
      const view = editors[lang]?.view;
      if (!view) return undefined;
      view.focus();
      const pos = at ? view.posAtCoords({ left: at.x, top: at.y })?.pos : undefined;
      if (pos !== undefined) view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, pos)));
      return view;
    },
    slot,
    get number() {
      return number;
    },
    place(n, isFirst, isLast) {
      if (n !== number) {
        number = n;
        numberEl.textContent = String(n);
        element.setAttribute('aria-label', describe());
        for (const lang of LANGS) {
          editors[lang]?.relabel();
          statics[lang]?.relabel(cellLabel(describe(), lang));
        }
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
      element.removeEventListener('pointerenter', wake);
      for (const lang of LANGS) {
        removeEditor(lang);
        statics[lang]?.destroy();
        // The pair is gone (or the page): so is what could be undone in it.
        if (options.editable) options.histories.drop(pair.cell(lang));
      }
      element.remove();
    },
  };
  return row;
}
