import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { cellDoc } from '../../client/screens/declaration/staticCell.ts';
import { cellText, readCellRuns } from '../../shared/canonicalText.ts';
import { cellSchema } from '../../shared/editor/schema.ts';
import { walkCell } from '../../shared/model/cellWalk.ts';
import { getPair, insertPair, paragraphXmlText, paragraphsMap, readCell } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { seeded, type Random } from '../helpers/random.ts';

/**
 * Every reader of a cell goes through one walk (shared/model/cellWalk.ts):
 * the page's static cell, the canonical runs that are hashed, the plain text
 * identity and the model's reading. On a cell holding what no page shows, none
 * of them may count it: the hidden clause of issue 19 was hashed, signed and
 * exported while no screen displayed it.
 */

function cellWith(vi: string): { doc: Y.Doc; fragment: Y.XmlFragment } {
  const doc = new Y.Doc();
  const id = insertPair(doc, { kind: 'operative', vi, fr: '' }, null);
  return { doc, fragment: getPair(doc, id)!.cell('vi') };
}

/** What each reader says the cell's text is (paragraphs joined by "\n"). */
function readings(fragment: Y.XmlFragment) {
  const shown = cellDoc(fragment);
  const paragraphs: string[] = [];
  shown.forEach((paragraph) => paragraphs.push(paragraph.textContent));
  return {
    staticCell: paragraphs.join('\n').normalize('NFC'),
    plainText: cellPlainText(fragment),
    canonical: cellText(readCellRuns(fragment)),
    model: readCell(fragment)
      .map((runs) => runs.map((r) => r.text).join(''))
      .join('\n')
      .normalize('NFC'),
  };
}

const same = (text: string) => ({ staticCell: text, plainText: text, canonical: text, model: text });

/** Shapes no page shows, added to a cell reading "Hai bên nhất trí", and what every reader must say then (what the editor shows). */
const oddShapes: Array<[string, (fragment: Y.XmlFragment) => void, string]> = [
  ['a bare text node beside the paragraphs (the hidden clause)', (f) => f.insert(1, [new Y.XmlText(' HIDDEN CLAUSE')]), 'Hai bên nhất trí'],
  ['a bare text node before the paragraphs', (f) => f.insert(0, [new Y.XmlText('HIDDEN ')]), 'Hai bên nhất trí'],
  ['an element of another name', (f) => {
    const heading = new Y.XmlElement('heading');
    heading.insert(0, [new Y.XmlText('HIDDEN')]);
    f.insert(1, [heading]);
  }, 'Hai bên nhất trí'],
  // The editor cannot build the outer paragraph: it shows none of it.
  ['a paragraph nested in a paragraph', (f) => {
    const inner = new Y.XmlElement('paragraph');
    inner.insert(0, [new Y.XmlText('HIDDEN')]);
    (f.get(0) as Y.XmlElement).insert(1, [inner]);
  }, ''],
  ['an unknown element in a paragraph', (f) => {
    const inner = new Y.XmlElement('script');
    inner.insert(0, [new Y.XmlText('HIDDEN')]);
    (f.get(0) as Y.XmlElement).insert(1, [inner]);
  }, 'Hai bên nhất trí'],
  // Shown by the editor as text of the paragraph (a Y.XmlText is one kind of Y.Text): so counted.
  ['a plain Y.Text in a paragraph', (f) => (f.get(0) as unknown as Y.Array<unknown>).insert(1, [new Y.Text(' và thêm')]), 'Hai bên nhất trí và thêm'],
  ['a string value in the fragment', (f) => (f as unknown as Y.Array<unknown>).insert(1, ['HIDDEN']), 'Hai bên nhất trí'],
  ['a map in the fragment', (f) => {
    const map = new Y.Map<string>();
    (f as unknown as Y.Array<unknown>).insert(1, [map]);
    map.set('text', 'HIDDEN');
  }, 'Hai bên nhất trí'],
  // The editor cannot build a text node holding an embed, nor one under a formatting it has no mark for: it shows none of it.
  ['an embed in the text', (f) => paragraphXmlText(f.get(0) as Y.XmlElement)!.insertEmbed(3, { text: 'HIDDEN' }), ''],
  ['a formatting the schema has no mark for', (f) => paragraphXmlText(f.get(0) as Y.XmlElement)!.format(0, 3, { underline: {} }), ''],
  ['the same formatting switched off only', (f) => paragraphXmlText(f.get(0) as Y.XmlElement)!.format(0, 3, { underline: null }), 'Hai bên nhất trí'],
];

/**
 * The editor's own document of a cell: y-prosemirror's conversion, on a copy
 * (it deletes from the doc what it cannot build). Undefined where it throws
 * (a page then shows no editor for the cell at all).
 */
function editorText(fragment: Y.XmlFragment): string | undefined {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(fragment.doc!));
  const pairs = paragraphsMap(copy);
  const [pairId] = [...pairs.keys()];
  try {
    const node = yXmlFragmentToProseMirrorRootNode(pairs.get(pairId!)!.get('vi') as Y.XmlFragment, cellSchema);
    const paragraphs: string[] = [];
    node.forEach((p) => paragraphs.push(p.textContent));
    return paragraphs.join('\n').normalize('NFC');
  } catch {
    return undefined;
  }
}

describe('one walk of a cell for the page, the hash and the text', () => {
  it.each(oddShapes)('counts nothing hidden of %s in any reader: what is hashed is what the editor shows', (_label, add, shown) => {
    const { fragment } = cellWith('Hai bên nhất trí');
    add(fragment);
    expect(readings(fragment)).toEqual(same(shown));
    const editor = editorText(fragment);
    if (editor !== undefined) expect(editor).toBe(shown);
  });

  it('reads paragraphs, several text nodes in one paragraph, marks on and off, deletions and NFD alike', () => {
    const { fragment } = cellWith('Hai bên');
    const first = fragment.get(0) as Y.XmlElement;
    // Two pages typing into one empty paragraph make two text nodes.
    first.insert(1, [new Y.XmlText(' nhất trí')]);
    const text = paragraphXmlText(first)!;
    text.format(0, 3, { strong: {} });
    text.format(1, 2, { em: {} });
    text.format(2, 1, { strong: null });
    const empty = new Y.XmlElement('paragraph');
    const nfd = new Y.XmlElement('paragraph');
    nfd.insert(0, [new Y.XmlText('tăng cường hợp tác đô thị'.normalize('NFD'))]);
    fragment.insert(1, [empty, nfd]);
    (nfd.get(0) as Y.XmlText).delete(0, 6); // "tăng " in NFD: the breve is a character of its own
    const expected = 'Hai bên nhất trí\n\ncường hợp tác đô thị';
    expect(readings(fragment)).toEqual(same(expected));
    expect(readCellRuns(fragment)[0]).toEqual([
      { text: 'H', marks: ['strong'] },
      { text: 'a', marks: ['strong', 'em'] },
      { text: 'i', marks: ['em'] },
      { text: ' bên nhất trí' },
    ]);
    // As y-prosemirror builds the editor's document from it.
    expect(cellDoc(fragment).toJSON()).toEqual(yXmlFragmentToProseMirrorRootNode(fragment, cellSchema).toJSON());
  });

  it('reads an empty fragment as no paragraph; the canonical form keeps one empty paragraph', () => {
    const { fragment } = cellWith('x');
    fragment.delete(0, fragment.length);
    expect(walkCell(fragment)).toEqual([]);
    expect(readings(fragment)).toEqual(same(''));
    expect(readCellRuns(fragment)).toEqual([[]]);
  });

  /**
   * Random cells: paragraphs of one to three text nodes, bold and italic
   * switched on and off, deletions, NFD, and now and then one of the shapes
   * above anywhere. Every reader says what y-prosemirror's editor shows.
   */
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i: on random cells, odd shapes among them, every reader says what the editor shows', (seed) => {
    const random = seeded(seed);
    for (let round = 0; round < 25; round++) {
      const { fragment } = cellWith('');
      randomCell(random, fragment);
      const shown = editorText(fragment);
      const read = readings(fragment);
      expect(read, `seed ${seed}, round ${round}: ${fragment.toString()}`).toEqual(same(read.plainText));
      if (shown !== undefined) expect(read.plainText, `seed ${seed}, round ${round}: ${fragment.toString()}`).toBe(shown);
    }
  });
});

const WORDS = ['Hai bên', 'nhất trí', 'tăng cường', 'hợp tác', 'les deux parties', 'conviennent', 'đô thị', ' '];

function randomCell(random: Random, fragment: Y.XmlFragment): void {
  fragment.delete(0, fragment.length);
  const paragraphs = 1 + random.int(4);
  for (let p = 0; p < paragraphs; p++) {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const texts = random.int(4);
    for (let t = 0; t < texts; t++) {
      const word = random.pick(WORDS);
      const text = new Y.XmlText(random.chance(0.3) ? word.normalize('NFD') : word);
      paragraph.insert(paragraph.length, [text]);
      for (let f = random.int(4); f > 0 && text.length > 0; f--) {
        const at = random.int(text.length);
        const length = 1 + random.int(text.length - at);
        text.format(at, length, { [random.pick(['strong', 'em'])]: random.chance(0.7) ? {} : null });
      }
      if (random.chance(0.3) && text.length > 1) text.delete(random.int(text.length - 1), 1);
    }
  }
  // The shapes write into the first paragraph's first text, at its first 3 characters.
  const first = paragraphXmlText(fragment.get(0) as Y.XmlElement);
  if (first && first.length >= 3 && random.chance(0.4)) {
    const [, add] = random.pick(oddShapes);
    add(fragment);
  }
}
