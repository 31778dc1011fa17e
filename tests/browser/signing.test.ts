import { describe, expect, it } from 'vitest';
import { DEMO, api } from '../helpers/auth.ts';
import { agreeEverything, cutVersion, readMatrix } from '../helpers/agreement.ts';
import { artifactPath, browserSuite, sessionCookie, signIn, type Member, type PersonOptions } from './helpers.ts';

/**
 * Issue 21, seen in a real browser: a head reads why a version cannot be
 * signed yet — ¶ numbers and delegations, in the interface language — where
 * the button is, before anyone confirms; the Status and Versions views carry
 * the account bar and name the declaration in the interface's language; a
 * Status row opens the declaration at its pair; a reservation's reason is
 * read in full without hovering (touch screens cannot).
 *
 * Screenshots: test-artifacts/signing-blockers-fr.png, status-account-vi.png, reservation-reason-phone.png.
 */

const DOC = 'vn-fr-2023';
const NBSP = '\u00A0';
const TITLE = {
  vi: 'Tuyên bố chung Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12',
  fr: 'Déclaration commune des 12es Assises de la coopération décentralisée franco-vietnamienne',
};

const suite = browserSuite();

async function person(email: string, options: PersonOptions = {}): Promise<Member> {
  const member = await signIn(suite.browser, suite.server, email, options);
  suite.people.push(member);
  return member;
}

describe('signing, the agreement views and reservations people can read', () => {
  it('a head reads in French which ¶ and which delegations a version waits for, before any confirmation; once all is agreed it signs', async () => {
    const { server } = suite;
    const secretariat = api(server.url, await sessionCookie(server, DEMO.secretariat));
    const { number, pairCount } = await cutVersion(secretariat, DOC);

    const head = await person(DEMO.frHead, { locale: 'fr-FR' });
    const asked: string[] = [];
    head.page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await head.page.goto(`${server.url}/d/${DOC}/versions`);
    const item = head.page.locator(`[data-testid="version-item"][data-number="${number}"]`);
    const blockers = item.locator('[data-testid="sign-blockers"]');
    await blockers.waitFor();
    expect(await item.locator('[data-testid="sign-version"]').isDisabled()).toBe(true);
    expect(await blockers.locator('.sign-blockers__title').textContent()).toBe('Cette version ne peut pas encore être signée.');
    const lines = await blockers.locator('[data-testid="sign-blocker-pair"]').allTextContents();
    expect(lines).toHaveLength(pairCount);
    expect(lines[0]).toBe(`¶${NBSP}1${NBSP}: pas encore approuvé par Partie vietnamienne, Partie française`);
    expect(await blockers.locator('[data-testid="sign-blocker-structure"]').textContent()).toBe(
      `L’ordre et la nature de ses paires ne sont pas encore approuvés par${NBSP}: Partie vietnamienne, Partie française.`,
    );
    // People's words only: no pair ids, no party codes.
    const pairIds = (await readMatrix(server.url, await sessionCookie(server, DEMO.observer), DOC)).pairs.map((p) => p.pairId);
    const shown = (await blockers.textContent()) ?? '';
    for (const id of pairIds) expect(shown).not.toContain(id);
    expect(shown).not.toMatch(/\((vn|fr)\)/);
    await item.screenshot({ path: artifactPath('signing-blockers-fr.png') });

    // Both heads agree every pair and the structure; back on the page, the version can be signed.
    await agreeEverything(server.url, DOC, [await sessionCookie(server, DEMO.vnHead), await sessionCookie(server, DEMO.frHead)], await sessionCookie(server, DEMO.observer));
    await head.page.reload();
    const button = item.locator('[data-testid="sign-version"]:not([disabled])');
    await button.waitFor();
    expect(await item.locator('[data-testid="sign-blockers"]').count()).toBe(0);
    await button.click();
    await item.locator('[data-testid="signature"][data-party="fr"].is-signed').waitFor();
    expect(asked).toEqual([`Signer la version ${number} (Partie française)\u202F? Une signature ne peut pas être retirée.`]);
  });

  it('Status and Versions carry the account bar and the title in the interface’s language; a Status row opens the declaration at its pair', async () => {
    const { server } = suite;
    const vnHead = await person(DEMO.vnHead, { locale: 'vi-VN' });
    const page = vnHead.page;
    await page.goto(`${server.url}/d/${DOC}/status`);
    await page.locator('[data-testid="matrix-row"]').first().waitFor();
    const bar = page.locator('header [data-testid="account"]');
    expect(await bar.locator('[data-testid="account-name"]').textContent()).toBe(vnHead.name);
    expect(await bar.locator('[data-testid="language-select"]').inputValue()).toBe('vi');
    expect(await bar.locator('[data-testid="sign-out"]').isVisible()).toBe(true);
    await page.waitForFunction((title) => document.title === `Tình trạng — ${title} — Accord`, TITLE.vi);
    await page.screenshot({ path: artifactPath('status-account-vi.png') });

    await page.goto(`${server.url}/d/${DOC}/versions`);
    await page.locator('[data-testid="version-item"]').first().waitFor();
    expect(await page.locator('header [data-testid="account"] [data-testid="sign-out"]').isVisible()).toBe(true);
    await page.waitForFunction((title) => document.title === `Phiên bản — ${title} — Accord`, TITLE.vi);

    // In English, the declaration's French title (as on the declaration page).
    const observer = await person(DEMO.observer, { locale: 'en-GB' });
    await observer.page.goto(`${server.url}/d/${DOC}/status`);
    await observer.page.locator('[data-testid="matrix-row"]').first().waitFor();
    await observer.page.waitForFunction((title) => document.title === `Status — ${title} — Accord`, TITLE.fr);
    // The bar's language chooser works here too: the view comes back in French.
    await observer.page.locator('header [data-testid="language-select"]').selectOption('fr');
    await observer.page.waitForFunction((title) => document.title === `État — ${title} — Accord`, TITLE.fr);
    await expect.poll(() => observer.page.locator('[data-testid="status-progress"]').textContent()).toMatch(/paires sur \d+ approuvées/);

    // The sixth row opens the declaration scrolled to ¶ 6, marked.
    await page.goto(`${server.url}/d/${DOC}/status`);
    const sixth = page.locator('[data-testid="matrix-row"]').nth(5);
    await sixth.locator('[data-testid="matrix-pair-link"]').waitFor();
    const pairId = await sixth.getAttribute('data-pair-id');
    await sixth.locator('[data-testid="matrix-pair-link"]').click();
    await page.waitForURL(`${server.url}/d/${DOC}#p6`);
    const linked = page.locator('[data-testid="pair-row"][data-linked="true"]');
    await linked.waitFor();
    expect(await linked.getAttribute('data-pair-id')).toBe(pairId);
    expect(await linked.locator('[data-testid="pair-number"]').textContent()).toBe('6');
    await expect.poll(() => linked.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.top >= 0 && box.top < window.innerHeight;
    })).toBe(true);
  });

  it('a reservation’s whole reason is read in the row and on the Status page of a phone, without hovering', async () => {
    const { server } = suite;
    const vnHead = await sessionCookie(server, DEMO.vnHead);
    const reason =
      'Chờ ý kiến chính thức của Bộ Ngoại giao và Ủy ban nhân dân thành phố về cách diễn đạt cam kết tài chính trong đoạn này, đặc biệt là tỷ lệ đóng góp của mỗi bên và thời hạn giải ngân cho giai đoạn 2024–2026.';
    const pair = (await readMatrix(server.url, vnHead, DOC)).pairs[3]!;
    const res = await api(server.url, vnHead)(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'reserved', reason, hash: pair.hash } });
    expect(res.status).toBe(200);

    const reader = await person(DEMO.vnDrafter, { locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = reader.page;
    const fullyShown = async (selector: string): Promise<void> => {
      const el = page.locator(selector);
      await el.waitFor();
      // Not cut with an ellipsis: the text wraps inside the chip, on several lines (read again if a live change rebuilt it meanwhile).
      const seen = () =>
        el
          .evaluate((node) => ({
            text: node.textContent,
            fits: node.scrollWidth <= node.clientWidth && getComputedStyle(node).whiteSpace !== 'nowrap',
            lines: node.getBoundingClientRect().height > 40,
          }))
          .catch(() => undefined);
      await expect.poll(seen).toEqual({ text: `Bảo lưu: ${reason}`, fits: true, lines: true });
    };
    await page.goto(`${server.url}/d/${DOC}/status`);
    await fullyShown(`[data-testid="matrix-row"][data-pair-id="${pair.pairId}"] td[data-party="vn"] [data-testid="chip-reason"]`);
    // The matrix is rebuilt on every live change: scroll to whichever row element is there now.
    await expect.poll(() => page.locator(`[data-testid="matrix-row"][data-pair-id="${pair.pairId}"]`).scrollIntoViewIfNeeded().then(() => true, () => false)).toBe(true);
    await page.screenshot({ path: artifactPath('reservation-reason-phone.png') });

    // The declaration page, opened at that ¶ (a row out of view is not laid out: its chip has no size).
    await page.goto(`${server.url}/d/${DOC}#p4`);
    await page.locator(`[data-testid="pair-row"][data-pair-id="${pair.pairId}"][data-linked="true"]`).waitFor();
    await fullyShown(`[data-testid="pair-row"][data-pair-id="${pair.pairId}"] [data-testid="approval-chip"][data-party="vn"] [data-testid="chip-reason"]`);
  });
});
