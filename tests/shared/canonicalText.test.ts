import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  canonicalCell,
  cellFromContent,
  cellText,
  plainCell,
  readCellRuns,
  readPairContent,
  type CanonicalCell,
} from '../../shared/canonicalText.ts';
import { pairHash } from '../../shared/hash.ts';
import { getPair, insertPair, readCell, readPairText } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { seeded } from '../helpers/random.ts';

/** A version and pair hashes written by the code before formatting was part of the agreed text. */
const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../fixtures/version-v1.json'), 'utf8')) as { content: string; hash: string; pairHashes: Record<string, string> };

const bold = { strong: {} };
const italic = { em: {} };

/** A fresh cell with one empty paragraph and its text node, as an editor has it. */
function emptyCell(): { doc: Y.Doc; id: string; fragment: Y.XmlFragment; text: Y.XmlText } {
  const doc = new Y.Doc();
  const id = insertPair(doc, { vi: '', fr: 'Les deux parties' });
  const fragment = getPair(doc, id)!.cell('vi');
  const paragraph = fragment.get(0) as Y.XmlElement;
  paragraph.insert(0, [new Y.XmlText()]);
  return { doc, id, fragment, text: paragraph.get(0) as Y.XmlText };
}

const hashOf = (cell: { doc: Y.Doc; id: string }) => pairHash(readPairContent(cell.doc, cell.id)!);

describe('the agreed text: canonical runs', () => {
  it('reads the same runs and hash however Yjs split them: typed in one go, formatted afterwards, typed letter by letter, in two text nodes', () => {
    const oneGo = emptyCell();
    oneGo.text.insert(0, 'Hai bên ');
    oneGo.text.insert(8, 'nhất trí', bold);
    oneGo.text.insert(16, ' tăng cường', {}); // {}: not the bold before it (Yjs carries it on otherwise)

    const formattedAfter = emptyCell();
    formattedAfter.text.insert(0, 'Hai bên nhất trí tăng cường');
    formattedAfter.text.format(8, 8, bold);

    const letters = emptyCell();
    [...'Hai bên nhất trí tăng cường'].forEach((ch, i) => letters.text.insert(i, ch, i >= 8 && i < 16 ? bold : {}));

    // Bold switched on wider, then off again at the edges; and the text in two nodes of the paragraph.
    const reworked = emptyCell();
    reworked.text.insert(0, 'Hai bên nhất trí');
    reworked.text.format(4, 12, bold);
    reworked.text.format(4, 4, { strong: null });
    const second = new Y.XmlText();
    (reworked.fragment.get(0) as Y.XmlElement).insert(1, [second]);
    second.insert(0, ' tăng cường');

    const expected: CanonicalCell = [[{ text: 'Hai bên ' }, { text: 'nhất trí', marks: ['strong'] }, { text: ' tăng cường' }]];
    for (const cell of [oneGo, formattedAfter, letters, reworked]) {
      expect(readCellRuns(cell.fragment)).toEqual(expected);
      expect(hashOf(cell)).toBe(hashOf(oneGo));
    }
  });

  it('makes NFD and NFC of the same formatted text equal, a tone mark typed apart joining its letter', () => {
    const nfc = emptyCell();
    nfc.text.insert(0, 'Việt Nam', bold);
    const nfd = emptyCell();
    nfd.text.insert(0, 'Vie\u0302\u0323t Nam', bold);
    // The combining marks typed on their own, without the bold their letter has.
    const apart = emptyCell();
    apart.text.insert(0, 'Vie', bold);
    apart.text.insert(3, '\u0302\u0323');
    apart.text.insert(5, 't Nam', bold);
    expect(readCellRuns(nfd.fragment)).toEqual([[{ text: 'Việt Nam', marks: ['strong'] }]]);
    expect(readCellRuns(apart.fragment)).toEqual(readCellRuns(nfc.fragment));
    expect(hashOf(nfd)).toBe(hashOf(nfc));
    expect(hashOf(apart)).toBe(hashOf(nfc));
    expect(canonicalCell([[{ text: 'e' }, { text: '\u0301té', marks: ['em'] }]])).toEqual([[{ text: 'é' }, { text: 'té', marks: ['em'] }]]);
  });

  it('changes the hash when a word is bolded or italicised, and gives the plain hash back when the bold is removed', () => {
    const cell = emptyCell();
    cell.text.insert(0, 'Hai bên nhất trí');
    const plain = hashOf(cell);
    cell.text.format(4, 3, bold);
    const withBold = hashOf(cell);
    expect(withBold).not.toBe(plain);
    cell.text.format(4, 3, italic);
    const boldItalic = hashOf(cell);
    expect(boldItalic).not.toBe(withBold);
    cell.text.format(4, 3, { strong: null });
    const italicOnly = hashOf(cell);
    expect(new Set([plain, withBold, boldItalic, italicOnly]).size).toBe(4);
    cell.text.format(4, 3, { em: null });
    expect(hashOf(cell)).toBe(plain);
    // Bold on another word is another text.
    cell.text.format(0, 3, bold);
    expect(hashOf(cell)).not.toBe(withBold);
  });

  it('hashes a pair without formatting exactly as approvals and versions recorded before formatting counted (accord-pair-v1)', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'Hai bên\nĐiều 2', fr: 'Les parties\u00A0: «\u00A0oui\u00A0»' });
    const text = readPairText(doc, id)!;
    const v1 = createHash('sha256').update(JSON.stringify(['accord-pair-v1', text.vi, text.fr]), 'utf8').digest('hex');
    expect(pairHash(readPairContent(doc, id)!)).toBe(v1);
    // Hashes written by the code before this change (tests/fixtures/version-v1.json).
    const [title, p1] = (JSON.parse(fixture.content) as { pairs: Array<{ vi: string; fr: string }> }).pairs;
    expect(pairHash({ vi: plainCell(title!.vi), fr: plainCell(title!.fr) })).toBe(fixture.pairHashes.title);
    expect(pairHash({ vi: plainCell(p1!.vi.normalize('NFD')), fr: plainCell(p1!.fr) })).toBe(fixture.pairHashes.p1);
  });

  it('keeps marks in one order, drops empty runs and unknown marks, and keeps paragraphs apart', () => {
    expect(canonicalCell([[{ text: 'a', marks: ['em', 'strong', 'em'] }, { text: '' }, { text: 'b', marks: ['strong', 'em', 'link'] }]])).toEqual([
      [{ text: 'ab', marks: ['strong', 'em'] }],
    ]);
    expect(canonicalCell([])).toEqual([[]]);
    expect(plainCell('')).toEqual([[]]);
    expect(readCellRuns(new Y.Doc().getXmlFragment('x'))).toEqual([[]]);
    // A line break inside a run is a paragraph break: the same text as two paragraphs.
    expect(canonicalCell([[{ text: 'a\nb', marks: ['strong'] }]])).toEqual([[{ text: 'a', marks: ['strong'] }], [{ text: 'b', marks: ['strong'] }]]);
    const two = { vi: canonicalCell([[{ text: 'a' }], [{ text: 'b', marks: ['strong'] }]]), fr: plainCell('') };
    const one = { vi: canonicalCell([[{ text: 'a' }, { text: 'b', marks: ['strong'] }]]), fr: plainCell('') };
    expect(pairHash(two)).not.toBe(pairHash(one));
  });

  it('keeps the plain text identity: the text of the runs is cellPlainText, and the runs those of Yjs’s own delta (seeded)', () => {
    const pieces = ['Hà Nội', 'Vie\u0302\u0323t', 'e\u0301', '\u0301', '\u0323', ' ', '\u00A0', '\u202F', '«', '»', 'Toulouse', '\n', '😀', 'ᄀ', 'ᅡ', 'ᆨ'];
    for (let seed = 1; seed <= 300; seed++) {
      const random = seeded(seed);
      const cell = emptyCell();
      for (let i = 0; i < 10; i++) {
        const marks = { ...(random.chance(0.4) ? bold : {}), ...(random.chance(0.3) ? italic : {}) };
        cell.text.insert(random.int(cell.text.length + 1), random.pick(pieces), marks);
      }
      if (random.chance(0.3)) cell.fragment.insert(1, [new Y.XmlElement('paragraph')]);
      const runs = readCellRuns(cell.fragment);
      expect(cellText(runs), `seed ${seed}`).toBe(cellPlainText(cell.fragment));
      expect(runs, `seed ${seed}`).toEqual(cellFromContent(readCell(cell.fragment)));
      expect(canonicalCell(runs), `seed ${seed}`).toEqual(runs); // canonical is a fixed point
    }
  });
});
