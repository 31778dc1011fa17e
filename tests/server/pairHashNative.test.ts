import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pairHash } from '../../shared/hash.ts';
import { getPair, insertPair } from '../../shared/model/index.ts';
import { PairHashTracker, hashAllPairs, pairHashNative } from '../../server/approvals/pairHashTracker.ts';

// The server hashes pairs with Node's SHA-256, the browser with the shared pure-JS one:
// an approval recorded against one must not turn stale when compared with the other.
describe('pair hash on the server', () => {
  it('is the hash the browser computes, for any text', () => {
    const texts = [
      { vi: '', fr: '' },
      { vi: 'Hai bên', fr: 'Les deux parties' },
      { vi: 'Vie\u0302\u0323t Nam', fr: 'e\u0301te\u0301 2023' }, // NFD: hashed as NFC by both
      { vi: 'a\u00a0b\u202fc', fr: '« guillemets » ; 😀 \n second paragraph' },
      { vi: '"]', fr: '\\' },
    ];
    for (const text of texts) expect(pairHashNative(text)).toBe(pairHash(text));
    expect(pairHashNative({ vi: 'Vie\u0302\u0323t', fr: '' })).toBe(pairHashNative({ vi: 'Việt', fr: '' }));
  });

  it('tracks the hash the browser computes for the text as typed (NFD typed, NFC hashed)', () => {
    const doc = new Y.Doc();
    const id = insertPair(doc, { vi: 'Vie\u0302\u0323t Nam', fr: 'e\u0301te\u0301' });
    const tracker = new PairHashTracker(doc, () => {});
    try {
      const expected = pairHash({ vi: 'Việt Nam', fr: 'été' });
      expect(tracker.get(id)).toBe(expected);
      expect(hashAllPairs(doc).get(id)).toBe(expected);
      const text = getPair(doc, id)!.cell('vi').get(0) as Y.XmlElement;
      (text.get(0) as Y.XmlText).insert(0, 'Ho\u0302\u0300 ');
      expect(tracker.get(id)).toBe(pairHash({ vi: 'Hồ Việt Nam', fr: 'été' }));
    } finally {
      tracker.dispose();
    }
  });
});
