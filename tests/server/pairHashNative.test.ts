import { describe, expect, it } from 'vitest';
import { pairHash } from '../../shared/hash.ts';
import { pairHashNative } from '../../server/approvals/pairHashTracker.ts';

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
});
