import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ySyncPluginKey, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { cellHistories } from '../../client/screens/declaration/cellHistory.ts';
import { cellDoc } from '../../client/screens/declaration/staticCell.ts';
import { cellSchema } from '../../shared/editor/schema.ts';
import { getPair, insertPair, paragraphXmlText } from '../../shared/model/index.ts';

/** The parts of the lazy editors that need no browser: the static text's content and the cell histories. */

function cellWith(vi: string): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const doc = new Y.Doc();
  const id = insertPair(doc, { kind: 'operative', vi, fr: '' }, null);
  return { doc, fragment: getPair(doc, id)!.cell('vi') };
}

describe('the static text of a cell', () => {
  it('is the document an editor of the cell shows: paragraphs, bold, italic, empty paragraphs', () => {
    const { fragment } = cellWith('Hai bên nhất trí');
    const text = paragraphXmlText(fragment.get(0) as Y.XmlElement)!;
    text.format(0, 3, { strong: {} });
    text.format(2, 6, { em: {} });
    const second = new Y.XmlElement('paragraph');
    const third = new Y.XmlElement('paragraph');
    third.insert(0, [new Y.XmlText('tăng cường hợp tác')]);
    fragment.insert(1, [second, third]);
    expect(cellDoc(fragment).toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, cellSchema).toJSON());
    expect(cellDoc(fragment).childCount).toBe(3);
  });

  it('leaves out what the schema cannot hold, as the editor does, without changing the shared text', () => {
    const { doc, fragment } = cellWith('Ý thức rõ');
    const second = new Y.XmlElement('paragraph');
    second.insert(0, [new Y.XmlText('vai trò')]);
    fragment.insert(0, [new Y.XmlElement('script')]);
    fragment.insert(2, [second]);
    (fragment.get(1) as Y.XmlElement).setAttribute('onclick', 'alert(1)');
    // No mark of the schema: the editor cannot build that text node and drops it (shared/model/cellWalk.ts).
    paragraphXmlText(fragment.get(1) as Y.XmlElement)!.format(0, 2, { link: { href: 'javascript:alert(1)' } });
    const before = Y.encodeStateAsUpdate(doc);
    const shown = cellDoc(fragment);
    expect(shown.toJSON()).toEqual({ type: 'doc', content: [{ type: 'paragraph' }, { type: 'paragraph', content: [{ type: 'text', text: 'vai trò' }] }] });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });
});

describe('cell histories', () => {
  /** An edit as an editor makes it (y-prosemirror's origin), so the history records it. */
  const type = (doc: Y.Doc, fragment: Y.XmlFragment, words: string): void =>
    doc.transact(() => paragraphXmlText(fragment.get(0) as Y.XmlElement)!.insert(0, words), ySyncPluginKey);

  it('keeps what can be undone when the editor goes, and gives it to the next editor', () => {
    const { doc, fragment } = cellWith('văn bản');
    const histories = cellHistories();
    const first = histories.borrow(fragment);
    type(doc, fragment, 'thêm ');
    histories.release(fragment);
    const second = histories.borrow(fragment);
    expect(second).toBe(first);
    second.undo();
    expect(fragment.toString()).toContain('>văn bản<');
  });

  it('forgets a history with nothing in it when the editor goes, and any history when the cell goes', () => {
    const { doc, fragment } = cellWith('văn bản');
    const histories = cellHistories();
    const unused = histories.borrow(fragment);
    histories.release(fragment);
    const next = histories.borrow(fragment);
    expect(next).not.toBe(unused);
    type(doc, fragment, 'thêm ');
    histories.drop(fragment);
    expect(histories.borrow(fragment)).not.toBe(next);
  });
});
