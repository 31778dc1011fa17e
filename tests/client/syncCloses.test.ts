import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../client/i18n/index.ts';
import { describeFatalClose } from '../../client/screens/declaration/session.ts';
import { CloseCode, FATAL_CLOSE_CODES } from '../../shared/protocol.ts';

describe('the declaration page when the server closes its connection for good', () => {
  afterEach(() => setLocale('en', { remember: false }));

  it('says that an edit put content where a declaration has none (4422), and that another page took its client id (4409), in the interface language', () => {
    for (const code of [CloseCode.ContentNotAllowed, CloseCode.ClientIdTaken]) expect(FATAL_CLOSE_CODES.has(code)).toBe(true);
    const content = { code: CloseCode.ContentNotAllowed, reason: 'content not allowed: a cell holds paragraphs only, not a text node' };
    const taken = { code: CloseCode.ClientIdTaken, reason: "client id taken: writes under another member's client id" };
    expect(describeFatalClose(content)).toMatch(/^The server refused an edit from this page: .*\(4422\)\. Nothing of it was saved\. Reload the page/);
    expect(describeFatalClose(taken)).toMatch(/\(4409\); your latest edits were not saved\. Copy any text you typed since, then reload the page\.$/);
    setLocale('fr', { remember: false });
    expect(describeFatalClose(content)).toMatch(/^Le serveur a refusé une modification de cette page/);
    expect(describeFatalClose(taken)).toMatch(/^La page d’un autre membre écrit sous l’identifiant de connexion de cette page \(4409\)/);
    setLocale('vi', { remember: false });
    expect(describeFatalClose(content)).toMatch(/^Máy chủ đã từ chối một chỉnh sửa từ trang này/);
    expect(describeFatalClose(taken)).toMatch(/\(4409\); các chỉnh sửa mới nhất của bạn chưa được lưu/);
  });
});
