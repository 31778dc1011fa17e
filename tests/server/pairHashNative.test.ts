import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cellFromContent, hasMarks, plainCell, readPairContent } from '../../shared/canonicalText.ts';
import { pairHash } from '../../shared/hash.ts';
import { getPair, insertPair, readCell } from '../../shared/model/index.ts';
import { PairHashTracker, hashAllPairs, pairHashNative } from '../../server/approvals/pairHashTracker.ts';
import { seeded, type Random } from '../helpers/random.ts';

const plain = (vi: string, fr: string) => ({ vi: plainCell(vi), fr: plainCell(fr) });

/** Random formatted text typed into a real cell: words in NFC or NFD, bold and italic switched on and off over ranges. */
function typeRandomly(fragment: Y.XmlFragment, random: Random): void {
  const words = ['Hà Nội', 'Việt', 'phát triển', 'bền vững', 'Toulouse', 'été', '«\u00A0coopération\u00A0»', 'fin\u202F!', 'Đ', '😀', '"]', '\\'];
  const paragraph = fragment.get(0) as Y.XmlElement;
  if (paragraph.length === 0) paragraph.insert(0, [new Y.XmlText()]);
  const text = paragraph.get(0) as Y.XmlText;
  for (let i = 0; i < 12; i++) {
    const word = random.pick(words);
    const typed = random.chance(0.5) ? word.normalize('NFD') : word;
    const marks = { ...(random.chance(0.3) ? { strong: {} } : {}), ...(random.chance(0.3) ? { em: {} } : {}) };
    text.insert(random.int(text.length + 1), `${typed} `, marks);
    if (random.chance(0.3) && text.length > 2) {
      const at = random.int(text.length - 1);
      text.format(at, 1 + random.int(text.length - at - 1), { [random.pick(['strong', 'em'])]: random.chance(0.5) ? {} : null });
    }
  }
  if (random.chance(0.5)) fragment.insert(fragment.length, [new Y.XmlElement('paragraph')]);
}

// The server hashes pairs with Node's SHA-256, the browser with the shared pure-JS one:
// an approval recorded against one must not turn stale when compared with the other.
describe('pair hash on the server', () => {
  it('is the hash the browser computes, for any plain text', () => {
    const texts = [
      plain('', ''),
      plain('Hai bên', 'Les deux parties'),
      plain('Vie\u0302\u0323t Nam', 'e\u0301te\u0301 2023'), // NFD: hashed as NFC by both
      plain('a\u00a0b\u202fc', '« guillemets » ; 😀 \n second paragraph'),
      plain('"]', '\\'),
    ];
    for (const text of texts) expect(pairHashNative(text)).toBe(pairHash(text));
    expect(pairHashNative(plain('Vie\u0302\u0323t', ''))).toBe(pairHashNative(plain('Việt', '')));
  });

  it('is the hash the browser computes for random formatted content, as the cells hold it (seeded)', () => {
    let formatted = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const random = seeded(seed);
      const doc = new Y.Doc();
      const id = insertPair(doc, { vi: '', fr: '' });
      const tracker = new PairHashTracker(doc, () => {});
      try {
        typeRandomly(getPair(doc, id)!.cell('vi'), random);
        typeRandomly(getPair(doc, id)!.cell('fr'), random);
        // The browser: the page's reader and the pure-JS SHA-256; and the same cells read through Yjs's own toDelta().
        const browser = pairHash(readPairContent(doc, id)!);
        const viaDelta = pairHash({ vi: cellFromContent(readCell(getPair(doc, id)!.cell('vi'))), fr: cellFromContent(readCell(getPair(doc, id)!.cell('fr'))) });
        expect(tracker.get(id), `seed ${seed}`).toBe(browser);
        expect(viaDelta, `seed ${seed}`).toBe(browser);
        expect(hashAllPairs(doc).get(id), `seed ${seed}`).toBe(browser);
        if (hasMarks(readPairContent(doc, id)!.vi)) formatted++;
      } finally {
        tracker.dispose();
      }
    }
    expect(formatted).toBeGreaterThan(50); // the runs hashed are mostly formatted ones
  });

  it('tracks the hash the browser computes for the text as typed (NFD typed, NFC hashed), bold included', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'Vie\u0302\u0323t Nam', fr: 'e\u0301te\u0301' });
    const tracker = new PairHashTracker(doc, () => {});
    try {
      const expected = pairHash(plain('Việt Nam', 'été'));
      expect(tracker.get(id)).toBe(expected);
      expect(hashAllPairs(doc).get(id)).toBe(expected);
      const text = getPair(doc, id)!.cell('vi').get(0) as Y.XmlElement;
      (text.get(0) as Y.XmlText).insert(0, 'Ho\u0302\u0300 ');
      expect(tracker.get(id)).toBe(pairHash(plain('Hồ Việt Nam', 'été')));
      // Bolding a word is a change of the agreed text; the tracker hashes it as the browser does.
      (text.get(0) as Y.XmlText).format(0, 2, { strong: {} });
      const bold = pairHash(readPairContent(doc, id)!);
      expect(bold).not.toBe(pairHash(plain('Hồ Việt Nam', 'été')));
      expect(tracker.get(id)).toBe(bold);
      expect(hashAllPairs(doc).get(id)).toBe(bold);
    } finally {
      tracker.dispose();
    }
  });
});
