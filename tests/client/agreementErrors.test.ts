import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../client/i18n/index.ts';
import { errorMessage } from '../../client/lib/agreementApi.ts';
import { ApiError } from '../../client/lib/http.ts';
import { ErrorCode } from '../../shared/protocol.ts';

describe('the agreement pages’ refusals', () => {
  afterEach(() => setLocale('en', { remember: false }));

  it('words a broken chain, a signature the version does not need and one given already in the interface language, from their codes', () => {
    const broken = new ApiError(409, ErrorCode.ChainBroken, 'The chain of versions and signatures of "x" does not end where its signed head says');
    const notRequired = new ApiError(409, ErrorCode.PartyNotRequired, 'Version 1 was cut for "vn", "fr"');
    expect(errorMessage(broken)).toMatch(/^The record of versions and signatures of this declaration has been altered outside Accord/);
    expect(errorMessage(notRequired)).toBe('This version was cut before your delegation joined: your delegation signs the versions cut since.');
    setLocale('fr', { remember: false });
    expect(errorMessage(broken)).toMatch(/^Le registre des versions et des signatures de cette déclaration a été modifié hors d’Accord/);
    setLocale('vi', { remember: false });
    expect(errorMessage(notRequired)).toBe('Phiên bản này được lập trước khi đoàn của bạn tham gia: đoàn của bạn ký các phiên bản lập sau đó.');
    // Every refusal is worded from its code and params, not the server's English.
    expect(errorMessage(new ApiError(409, ErrorCode.AlreadySigned, 'Your party already signed version 2.', { n: 2 }))).toBe('Đoàn của bạn đã ký phiên bản 2; chữ ký không thể thay đổi.');
    // A code this page does not know (a newer server): the server's own words.
    expect(errorMessage(new ApiError(409, 'something_new', 'Something new happened.'))).toBe('Something new happened.');
  });
});
