import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from 'prosemirror-model';
import {
  prosemirrorJSONToYXmlFragment,
  prosemirrorToYXmlFragment,
  yXmlFragmentToProseMirrorRootNode,
  yXmlFragmentToProsemirrorJSON,
} from 'y-prosemirror';
import { cellSchema } from '../../shared/editor/schema.ts';
import { getPair, insertPair, mergeWithNext, readCell, readPairText, splitPair, type CellContent } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';

/**
 * Binds a cell the way the editor does and returns the ProseMirror doc,
 * checking that y-prosemirror accepted it untouched: it deletes Y content it
 * cannot map to the schema, so any update emitted here means a wrong shape.
 */
function bind(fragment: Y.XmlFragment): PMNode {
  const doc = fragment.doc!;
  let updates = 0;
  const count = () => updates++;
  doc.on('update', count);
  const node = yXmlFragmentToProseMirrorRootNode(fragment, cellSchema);
  doc.off('update', count);
  expect(updates, 'y-prosemirror had to repair the Y content').toBe(0);
  expect(() => node.check()).not.toThrow();
  expect(node.type).toBe(cellSchema.topNodeType);
  return node;
}

/** The paragraphs of a ProseMirror doc as runs with mark names. */
function pmRuns(node: PMNode): Array<Array<{ text: string; marks: string[] }>> {
  const out: Array<Array<{ text: string; marks: string[] }>> = [];
  node.forEach((paragraph) => {
    expect(paragraph.type.name).toBe('paragraph');
    const runs: Array<{ text: string; marks: string[] }> = [];
    paragraph.forEach((child) => {
      expect(child.isText).toBe(true);
      runs.push({ text: child.text!, marks: child.marks.map((m) => m.type.name).sort() });
    });
    out.push(runs);
  });
  return out;
}

const content: CellContent = [
  [{ text: 'Les parties ' }, { text: 'conviennent', marks: { strong: true } }, { text: ' de ', marks: { strong: true, em: true } }, { text: 'coopérer', marks: { em: true } }],
  [],
  [{ text: '«\u00A0Article\u202F2\u00A0»', marks: { strong: true } }],
];

describe('the Y shape of a cell is the one y-prosemirror binds to the cell schema', () => {
  it('a cell written by insertPair becomes a valid ProseMirror doc with the right marks', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { fr: content, vi: 'Hai bên nhất trí' });
    const fr = bind(getPair(doc, id)!.cell('fr'));
    expect(fr.childCount).toBe(3);
    expect(pmRuns(fr)).toEqual([
      [
        { text: 'Les parties ', marks: [] },
        { text: 'conviennent', marks: ['strong'] },
        { text: ' de ', marks: ['em', 'strong'] },
        { text: 'coopérer', marks: ['em'] },
      ],
      [],
      [{ text: '«\u00A0Article\u202F2\u00A0»', marks: ['strong'] }],
    ]);
    expect(fr.textBetween(0, fr.content.size, '\n')).toBe(readPairText(doc, id)!.fr);
    const vi = bind(getPair(doc, id)!.cell('vi'));
    expect(pmRuns(vi)).toEqual([[{ text: 'Hai bên nhất trí', marks: [] }]]);
  });

  it('an empty cell is one empty paragraph (the schema needs paragraph+)', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc);
    for (const lang of ['vi', 'fr'] as const) {
      const node = bind(getPair(doc, id)!.cell(lang));
      expect(node.childCount).toBe(1);
      expect(node.firstChild!.childCount).toBe(0);
    }
  });

  it('the JSON y-prosemirror reads is valid ProseMirror JSON for the schema', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: [[{ text: 'nhất trí', marks: { em: true } }]], fr: '' });
    const json = yXmlFragmentToProsemirrorJSON(getPair(doc, id)!.cell('vi'));
    expect(json).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'nhất trí', marks: [{ type: 'em', attrs: {} }] }] }],
    });
    expect(() => cellSchema.nodeFromJSON(json).check()).not.toThrow();
  });

  it('cells left by split and merge still bind, with their marks', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { fr: content, vi: [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: { strong: true } }]] });
    const next = splitPair(doc, id, { fr: 'Les parties conv'.length, vi: 0 });
    expect(pmRuns(bind(getPair(doc, id)!.cell('fr')))).toEqual([[{ text: 'Les parties ', marks: [] }, { text: 'conv', marks: ['strong'] }]]);
    expect(pmRuns(bind(getPair(doc, next)!.cell('fr')))[0]).toEqual([
      { text: 'iennent', marks: ['strong'] },
      { text: ' de ', marks: ['em', 'strong'] },
      { text: 'coopérer', marks: ['em'] },
    ]);
    expect(pmRuns(bind(getPair(doc, id)!.cell('vi')))).toEqual([[]]);
    mergeWithNext(doc, id);
    for (const lang of ['vi', 'fr'] as const) bind(getPair(doc, id)!.cell(lang));
    expect(pmRuns(bind(getPair(doc, id)!.cell('vi')))).toEqual([[{ text: 'Hai bên ', marks: [] }, { text: 'nhất trí', marks: ['strong'] }]]);
  });

  it('content written by the editor (ProseMirror JSON) derives the same text and runs', () => {
    const json = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Phía ' },
            { type: 'text', text: 'Việt Nam'.normalize('NFD'), marks: [{ type: 'strong' }] },
            { type: 'text', text: ' và ' },
            { type: 'text', text: 'Pháp', marks: [{ type: 'em' }, { type: 'strong' }] },
          ],
        },
        { type: 'paragraph' },
        { type: 'paragraph', content: [{ type: 'text', text: `«\u00A0Hà Nội\u202F»` }] },
      ],
    };
    const ydoc = new Y.Doc();
    const fragment = ydoc.getXmlFragment('editor');
    prosemirrorJSONToYXmlFragment(cellSchema, json, fragment);
    expect(cellPlainText(fragment)).toBe(`Phía Việt Nam và Pháp\n\n«\u00A0Hà Nội\u202F»`.normalize('NFC'));
    expect(readCell(fragment)).toEqual([
      [
        { text: 'Phía ' },
        { text: 'Việt Nam'.normalize('NFD'), marks: { strong: true } },
        { text: ' và ' },
        { text: 'Pháp', marks: { strong: true, em: true } },
      ],
      [],
      [{ text: '«\u00A0Hà Nội\u202F»' }],
    ]);
  });

  it('the editor writing into a pair cell: readPairText sees the new text', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'cũ', fr: 'ancien' });
    const cell = getPair(doc, id)!.cell('fr');
    const node = cellSchema.node('doc', null, [
      cellSchema.node('paragraph', null, [cellSchema.text('Les parties '), cellSchema.text('conviennent', [cellSchema.marks.strong!.create()])]),
      cellSchema.node('paragraph', null, [cellSchema.text('Article 2', [cellSchema.marks.em!.create()])]),
    ]);
    // y-prosemirror diffs the editor doc into the existing fragment, as the sync plugin does.
    doc.transact(() => prosemirrorToYXmlFragment(node, cell));
    expect(readPairText(doc, id)).toEqual({ id, kind: 'operative', vi: 'cũ', fr: 'Les parties conviennent\nArticle 2' });
    expect(readCell(cell)).toEqual([
      [{ text: 'Les parties ' }, { text: 'conviennent', marks: { strong: true } }],
      [{ text: 'Article 2', marks: { em: true } }],
    ]);
    // And the round trip gives the editor doc back.
    expect(bind(cell).eq(node)).toBe(true);
  });

  it('insertPair and y-prosemirror produce the same Y structure for the same content', () => {
    const runs: CellContent = [[{ text: 'Un ' }, { text: 'deux', marks: { strong: true } }, { text: ' trois', marks: { em: true } }], []];
    const a = new Y.Doc();
    const id = insertPair(a, { vi: runs });
    const ours = getPair(a, id)!.cell('vi');
    const b = new Y.Doc();
    const theirs = b.getXmlFragment('editor');
    prosemirrorJSONToYXmlFragment(cellSchema, yXmlFragmentToProsemirrorJSON(ours), theirs);
    expect(theirs.toString()).toBe(ours.toString());
    expect(yXmlFragmentToProsemirrorJSON(theirs)).toEqual(yXmlFragmentToProsemirrorJSON(ours));
    const delta = (f: Y.XmlFragment) => f.toArray().map((p) => (p as Y.XmlElement).toArray().map((t) => (t as Y.XmlText).toDelta()));
    expect(delta(theirs)).toEqual(delta(ours));
  });
});
