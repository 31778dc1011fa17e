import { afterEach, describe, expect, it } from 'vitest';
import { catalogues, setLocale } from '../../client/i18n/index.ts';
import { errorMessage } from '../../client/lib/agreementApi.ts';
import { errorText } from '../../client/lib/errorText.ts';
import { ApiError } from '../../client/lib/http.ts';
import { ERROR_CODES, ErrorCode } from '../../shared/protocol.ts';
import { LOCALES } from '../../shared/i18n.ts';

const NBSP = '\u00A0';

describe('the server’s refusals in the interface language', () => {
  afterEach(() => setLocale('en', { remember: false }));

  it('has a sentence in Vietnamese, French and English for every error code the server can send', () => {
    expect(ERROR_CODES.length).toBeGreaterThan(40);
    for (const locale of LOCALES) {
      const catalogue = catalogues[locale] as Record<string, string>;
      for (const code of ERROR_CODES) expect(catalogue[`error.code.${code}`], `${locale}: ${code}`).toBeTruthy();
    }
  });

  it('words “already exists” from the code and the id, never the server’s English', () => {
    setLocale('fr', { remember: false });
    expect(errorText(ErrorCode.DocumentExists, { id: 'hn-tls' })).toBe(`Une déclaration avec l’identifiant «${NBSP}hn-tls${NBSP}» existe déjà${NBSP}: choisissez un autre identifiant.`);
    setLocale('vi', { remember: false });
    expect(errorText(ErrorCode.DocumentExists, { id: 'hn-tls' })).toBe('Đã có bản tuyên bố mang mã “hn-tls”: hãy chọn mã khác.');
  });

  it('names the pairs a signature waits for by ¶ number and party name in the interface language', () => {
    const refusal = new ApiError(409, ErrorCode.PairsNotAgreed, 'Version 2 cannot be signed … preamble-1 (fr), digital (fr)', {
      n: 2,
      pairs: [
        { number: 2, party: { vi: 'Phía Pháp', fr: 'Partie française' } },
        { number: 5, party: { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' } },
      ],
      more: 3,
    });
    expect(errorMessage(refusal)).toBe('Version 2 cannot be signed yet: every party must first agree each of its pairs. Not yet agreed: ¶ 2 (Partie française), ¶ 5 (Partie vietnamienne) and 3 more.');
    setLocale('vi', { remember: false });
    expect(errorMessage(refusal)).toBe('Chưa thể ký phiên bản 2: mỗi bên phải chấp thuận từng cặp đoạn trước. Chưa chấp thuận: ¶ 2 (Phía Pháp), ¶ 5 (Phía Việt Nam) và 3 mục khác.');
    expect(errorMessage(refusal)).not.toMatch(/preamble-1|digital|\(fr\)/);
  });

  it('words the parties a structure waits for by name, and a refusal without its field without a placeholder', () => {
    setLocale('fr', { remember: false });
    const structure = new ApiError(409, ErrorCode.StructureNotAgreed, 'x', { n: 1, parties: [{ vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' }] });
    expect(errorMessage(structure)).toMatch(/Pas encore approuvé par\u00A0: Partie vietnamienne\.$/);
    expect(errorText(ErrorCode.InvalidInput, {})).not.toContain('{');
  });
});
