import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { getPair, insertPair, mergeWithNext, readPairText, splitPair, type CellInput } from '../../shared/model/index.ts';
import { PARAGRAPH_SEPARATOR, cellPlainText, normalizeText } from '../../shared/text.ts';

const NBSP = '\u00A0';
const NNBSP = '\u202F';

/** The vi cell text of a new pair holding `vi`. */
function derived(vi: CellInput): string {
  const doc = new Y.Doc();
  const id = insertPair(doc, { vi });
  return cellPlainText(getPair(doc, id)!.cell('vi'));
}

/** A cell built by hand: paragraphs of (text, attributes) runs in one Y.XmlText each. */
function handBuiltCell(paragraphs: Array<Array<[string, Record<string, unknown>?]>>): Y.XmlFragment {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('cell');
  doc.transact(() => {
    for (const runs of paragraphs) {
      const element = new Y.XmlElement('paragraph');
      fragment.push([element]);
      if (runs.length === 0) continue;
      const text = new Y.XmlText();
      element.push([text]);
      for (const [chunk, attrs] of runs) text.insert(text.length, chunk, attrs ?? {});
    }
  });
  return fragment;
}

describe('normalizeText', () => {
  it('turns NFD into NFC and is idempotent', () => {
    const nfc = 'Việt Nam – Hà Nội, Đà Nẵng, Thừa Thiên Huế';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(normalizeText(nfd)).toBe(nfc);
    expect(normalizeText(nfc)).toBe(nfc);
    expect(normalizeText(normalizeText(nfd))).toBe(nfc);
  });

  it('keeps French typographic spaces and guillemets', () => {
    const fr = `«${NBSP}Coopération décentralisée${NBSP}»${NBSP}: l’article${NNBSP}1${NBSP}!`;
    expect(normalizeText(fr)).toBe(fr);
    expect(normalizeText(fr).length).toBe(fr.length);
  });
});

describe('cellPlainText', () => {
  it('reads the string inserts of each Y.XmlText, as toDelta() gives them (formatting and deletions left out; embeds: cellWalk.test.ts)', () => {
    const fragment = handBuiltCell([[['Điều ', {}], ['một', { strong: {} }], [' và hai', { em: {} }]], [['Article', {}]]]);
    const doc = fragment.doc!;
    const first = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const second = (fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText;
    doc.transact(() => {
      first.delete(2, 3);
      first.format(0, 4, { strong: null });
      second.insert(7, ' 1', { strong: {} });
    });
    const fromDelta = (text: Y.XmlText) =>
      (text.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
    expect(cellPlainText(fragment)).toBe(normalizeText(`${fromDelta(first)}\n${fromDelta(second)}`));
    expect(cellPlainText(fragment)).toBe('Đimột và hai\nArticle 1');
  });

  it('joins paragraphs with "\\n"', () => {
    expect(PARAGRAPH_SEPARATOR).toBe('\n');
    expect(derived('Điều 1\nĐiều 2\nĐiều 3')).toBe('Điều 1\nĐiều 2\nĐiều 3');
    expect(derived([[{ text: 'Un' }], [{ text: 'Deux' }]])).toBe('Un\nDeux');
  });

  it('keeps empty paragraphs as empty lines', () => {
    expect(derived('A\n\nB')).toBe('A\n\nB');
    expect(derived([[], []])).toBe('\n');
    expect(derived('')).toBe('');
    expect(derived([])).toBe('');
  });

  it('is empty for an empty fragment', () => {
    expect(cellPlainText(new Y.Doc().getXmlFragment('x'))).toBe('');
  });

  it('leaves formatting out of the text', () => {
    const fragment = handBuiltCell([
      [['Les parties '], ['conviennent', { strong: {} }], [' de ', { strong: {}, em: {} }], ['coopérer', { em: {} }]],
      [['Article 2', { strong: {} }]],
    ]);
    // toString() would show the tags; the text identity must not.
    expect(fragment.toString()).toContain('<strong>');
    expect(cellPlainText(fragment)).toBe('Les parties conviennent de coopérer\nArticle 2');
    expect(derived([[{ text: 'gras', marks: { strong: true } }, { text: ' et ' }, { text: 'italique', marks: { em: true } }]])).toBe(
      'gras et italique',
    );
  });

  it('derives the same text with or without formatting', () => {
    const plain = derived('Hai bên nhất trí');
    const formatted = derived([[{ text: 'Hai bên ' }, { text: 'nhất', marks: { strong: true } }, { text: ' trí', marks: { em: true } }]]);
    expect(formatted).toBe(plain);
  });

  it('makes NFD input compare equal to NFC, and returns NFC', () => {
    for (const word of ['Việt Nam', 'Hà Nội', 'Phía Việt Nam', 'Thành phố Hồ Chí Minh', 'Yên Bái', 'Liberté, Égalité']) {
      const nfc = word.normalize('NFC');
      const nfd = word.normalize('NFD');
      const fromNfd = derived(nfd);
      const fromNfc = derived(nfc);
      expect(fromNfd).toBe(fromNfc);
      expect(fromNfd).toBe(nfc);
      expect(fromNfd.normalize('NFC')).toBe(fromNfd);
    }
    expect('Việt Nam'.normalize('NFD')).not.toBe('Việt Nam'.normalize('NFC'));
  });

  it('normalises across runs: a base letter and its combining marks in different runs', () => {
    // "ệ" in NFD is e + U+0323 + U+0302; put the marks in a bold run.
    const fragment = handBuiltCell([[['Vie'], ['\u0323\u0302', { strong: {} }], ['t Nam']]]);
    expect(cellPlainText(fragment)).toBe('Việt Nam'.normalize('NFC'));
  });

  it('makes pairs typed in NFD and NFC read the same through readPairText', () => {
    const doc = new Y.Doc();
    const a = insertPair(doc, { vi: 'Hà Nội'.normalize('NFD'), fr: 'Hanoï'.normalize('NFD') });
    const b = insertPair(doc, { vi: 'Hà Nội'.normalize('NFC'), fr: 'Hanoï'.normalize('NFC') });
    const ta = readPairText(doc, a)!;
    const tb = readPairText(doc, b)!;
    expect([ta.vi, ta.fr]).toEqual([tb.vi, tb.fr]);
    expect(ta.vi).toBe('Hà Nội'.normalize('NFC'));
  });

  it('keeps U+00A0, U+202F and « » exactly as typed', () => {
    const fr = `«${NBSP}Nous, représentants des collectivités${NBSP}», déclarons${NNBSP}:`;
    const text = derived(fr);
    expect(text).toBe(fr);
    expect(text).toContain(NBSP);
    expect(text).toContain(NNBSP);
    expect(text).toContain('«');
    expect(text).toContain('»');
    expect([...text].filter((c) => c === NBSP).length).toBe(2);
    // Leading and trailing spaces, too, are not trimmed.
    expect(derived(`${NBSP} x ${NNBSP}`)).toBe(`${NBSP} x ${NNBSP}`);
  });

  it('concatenates several text nodes in one paragraph (left by concurrent typing)', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment('cell');
    const element = new Y.XmlElement('paragraph');
    fragment.push([element]);
    const first = new Y.XmlText();
    const second = new Y.XmlText();
    element.push([first, second]);
    first.insert(0, 'Hà ');
    second.insert(0, 'Nội', { em: {} });
    expect(cellPlainText(fragment)).toBe('Hà Nội');
  });

  it('follows edits of the cell: split and merge keep the identity of the text', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'Hà Nội'.normalize('NFD') + ' và Toulouse', fr: 'Hanoï et Toulouse' });
    const stored = 'Hà Nội'.normalize('NFD');
    const next = splitPair(doc, id, { vi: stored.length, fr: 'Hanoï'.length });
    expect(readPairText(doc, id)).toMatchObject({ vi: 'Hà Nội', fr: 'Hanoï' });
    expect(readPairText(doc, next)).toMatchObject({ vi: ' và Toulouse', fr: ' et Toulouse' });
    mergeWithNext(doc, id);
    expect(readPairText(doc, id)).toMatchObject({ vi: 'Hà Nội và Toulouse', fr: 'Hanoï et Toulouse' });
  });
});
