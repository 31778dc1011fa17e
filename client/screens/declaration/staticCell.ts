import * as Y from 'yjs';
import { DOMSerializer, Mark, type Node as PMNode } from 'prosemirror-model';
import { MARK_NAMES, cellSchema } from '../../../shared/editor/schema.ts';
import { walkCell } from '../../../shared/model/cellWalk.ts';

/**
 * The text of a cell that has no editor (lazyRows.ts): the same DOM a
 * ProseMirror view of the cell shows (same schema, same serializer, the
 * trailing <br> ProseMirror puts in an empty paragraph), in an element with
 * the editor's classes, so it looks the same and has the same height: when
 * the editor replaces it nothing moves. Kept up to date when the text changes
 * (others typing), at most once per frame.
 *
 * Reading only: y-prosemirror's own conversion deletes from the Y.Doc what
 * the schema cannot hold; here such content is just not shown (the editor
 * does its cleaning if the cell is ever opened).
 */

const serializer = DOMSerializer.fromSchema(cellSchema);

/** One Mark set per set of mark bits (bit i = MARK_NAMES[i]). */
const MARKS_OF_BITS: readonly (readonly Mark[])[] = Array.from({ length: 1 << MARK_NAMES.length }, (_, bits) =>
  Mark.setFrom(MARK_NAMES.filter((_, i) => bits & (1 << i)).map((name) => cellSchema.marks[name]!.create())),
);

/**
 * The cell as a ProseMirror doc of the cell schema, the way y-prosemirror
 * maps it, without changing the Y.Doc: read by the walk the server hashes
 * (shared/model/cellWalk.ts), so what this shows is what is agreed.
 */
export function cellDoc(fragment: Y.XmlFragment): PMNode {
  const paragraphs = walkCell(fragment).map((runs) =>
    cellSchema.node('paragraph', null, runs.map(({ text, bits }) => cellSchema.text(text, MARKS_OF_BITS[bits]))),
  );
  // A cell with no paragraph left (all deleted): the editor shows one empty paragraph (the schema needs one).
  return cellSchema.node('doc', null, paragraphs.length > 0 ? paragraphs : [cellSchema.node('paragraph')]);
}

/** Paragraphs of the cell as ProseMirror renders them. */
export function renderCellContent(fragment: Y.XmlFragment): DocumentFragment {
  const out = serializer.serializeFragment(cellDoc(fragment).content) as DocumentFragment;
  if (!out.firstChild) out.append(document.createElement('p'));
  // ProseMirror gives an empty paragraph a <br> so it keeps a line's height; so must we.
  for (const p of out.querySelectorAll('p')) {
    if (!p.firstChild) {
      const br = document.createElement('br');
      br.className = 'ProseMirror-trailingBreak';
      p.append(br);
    }
  }
  return out;
}

export function isEmptyFragment(fragment: Y.XmlFragment): boolean {
  if (fragment.length > 1) return false;
  const first = fragment.get(0);
  return !first || (first as Y.XmlElement).length === 0;
}

export interface StaticCell {
  readonly element: HTMLElement;
  /** Sets the accessible name (after renumbering). */
  relabel(label: string): void;
  destroy(): void;
}

export interface StaticCellOptions {
  fragment: Y.XmlFragment;
  /** The attributes the editor would have (lang, data-testid, aria-label, placeholder...). */
  attributes(): Record<string, string>;
}

export function createStaticCell(mount: HTMLElement, options: StaticCellOptions): StaticCell {
  const { fragment } = options;
  const element = document.createElement('div');
  let frame = 0;
  // Once: they do not change with the text. (Set again on every render and every renumbering,
  // they were ~8,000 attribute writes in the 200-pair page's load.)
  for (const [name, value] of Object.entries(options.attributes())) element.setAttribute(name, value);
  const render = (): void => {
    frame = 0;
    // The editor's classes (cellEditor.ts) and the styles ProseMirror gives its own element (.cell-static in rows.css).
    element.className = isEmptyFragment(fragment) ? 'cell-editor cell-static is-empty' : 'cell-editor cell-static';
    element.replaceChildren(renderCellContent(fragment));
  };
  const renderSoon = (): void => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  fragment.observeDeep(renderSoon);
  render();
  mount.append(element);
  return {
    element,
    relabel(label) {
      element.setAttribute('aria-label', label);
    },
    destroy() {
      fragment.unobserveDeep(renderSoon);
      if (frame) cancelAnimationFrame(frame);
      element.remove();
    },
  };
}
