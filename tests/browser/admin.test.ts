import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEMO } from '../helpers/auth.ts';
import {
  artifactPath,
  eventually,
  followLink,
  forgetHttpErrors,
  openBrowserContext,
  openDeclaration,
  sessionCookie,
  signIn,
  browserSuite,
} from './helpers.ts';
import { api } from '../helpers/auth.ts';

/**
 * The secretariat's admin page, driven like a person would: invite someone
 * through the form, hand over the link it shows, and that link signs the
 * person in — in another browser — with the role chosen. Refused input is
 * worded in the interface language from the server's code, and changes nothing.
 */

const DOC = 'vn-fr-2023';
const OTHER_DOC = 'hanoi-toulouse-2023';

const suite = browserSuite();
const { people } = suite;

const panel = (page: Page, documentId: string): Locator => page.locator(`[data-testid="admin-document"][data-document-id="${documentId}"]`);
const memberNames = (section: Locator): Promise<string[]> => section.locator('[data-testid="member"] .members__name > span:nth-child(2)').allTextContents();

/** Fills and sends the invite form of a declaration's panel. */
async function invite(section: Locator, person: { name: string; email: string; role: string; party: string }): Promise<void> {
  const form = section.locator('[data-testid="invite-form"]');
  await form.locator('[data-testid="invite-name"]').fill(person.name);
  await form.locator('[data-testid="invite-email"]').fill(person.email);
  await form.locator('[data-testid="invite-role"]').selectOption(person.role);
  if (person.party !== '') await form.locator('[data-testid="invite-party"]').selectOption(person.party);
  await form.locator('[data-testid="invite-submit"]').click();
}

describe('the admin page', () => {
  it('the secretariat invites a member; the link shown signs that person in with the right role', async () => {
    const ha = await signIn(suite.browser, suite.server, DEMO.secretariat);
    people.push(ha);
    await ha.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    const page = ha.page;
    await page.locator('[data-testid="admin-link"]').click();
    await page.waitForURL(/\/admin$/);
    const section = panel(page, DOC);
    await section.locator('[data-testid="member"]').first().waitFor();
    expect(await page.locator('[data-testid="admin-document"]').count()).toBe(2);
    const before = await memberNames(section);
    expect(before).toHaveLength(6);

    // Bad input: the server's own words next to the form, and nothing changes.
    await invite(section, { name: 'Phạm Quốc Bảo', email: 'bao@example.org', role: 'drafter', party: '' });
    const error = section.locator('[data-testid="invite-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('A drafter speaks for a party: choose one.');
    await invite(section, { name: 'Phạm Quốc Bảo', email: 'not an email', role: 'drafter', party: 'vn' });
    await eventually(() => error.textContent(), (text) => text === 'This is not valid: the email address. Nothing was changed.', 'the email refusal');
    expect(await memberNames(section)).toEqual(before);
    // The typed name is kept, so the person only corrects what was refused.
    expect(await section.locator('[data-testid="invite-name"]').inputValue()).toBe('Phạm Quốc Bảo');
    // The secretariat speaks for no delegation: no delegation field for that role.
    await section.locator('[data-testid="invite-role"]').selectOption('secretariat');
    expect(await section.locator('[data-testid="invite-party"]').isVisible()).toBe(false);

    // A good invitation: the link appears with a Copy button; the table gains the member.
    await invite(section, { name: 'Phạm Quốc Bảo', email: 'bao@example.org', role: 'drafter', party: 'vn' });
    const linkBox = section.locator('[data-testid="link-box"]');
    await linkBox.waitFor();
    expect(await error.isHidden()).toBe(true);
    expect(await linkBox.textContent()).toContain('Sign-in link for Phạm Quốc Bảo');
    const link = await linkBox.locator('[data-testid="sign-in-url"]').inputValue();
    expect(link).toMatch(new RegExp(`^${suite.server.url}/signin/[A-Za-z0-9_-]+$`));
    await linkBox.locator('[data-testid="copy-link"]').click();
    await linkBox.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await eventually(() => memberNames(section), (names) => names.includes('Phạm Quốc Bảo'), 'the new member in the table');
    const bao = section.locator('[data-testid="member"]', { hasText: 'Phạm Quốc Bảo' });
    expect(await bao.locator('[data-testid="member-role"]').textContent()).toBe('Drafter');
    expect(await bao.locator('[data-testid="member-party"]').textContent()).toBe('Partie vietnamienne');
    expect(await bao.locator('.members__email').textContent()).toBe('bao@example.org');
    await page.screenshot({ path: artifactPath('admin.png'), fullPage: true });

    // In another browser, the link signs Bảo in: his declaration, his role, his delegation.
    const other = await openBrowserContext(suite.browser);
    people.push({ ...other, name: 'Phạm Quốc Bảo' });
    expect(await followLink(other.page, link)).toBe('Phạm Quốc Bảo');
    const cards = other.page.locator('[data-testid="document-item"]');
    await cards.first().waitFor();
    expect(await cards.evaluateAll((items) => items.map((i) => i.getAttribute('data-document-id')))).toEqual([DOC]);
    expect(await cards.first().locator('[data-testid="document-role"]').textContent()).toBe('Drafter');
    expect(await cards.first().locator('[data-testid="document-party"]').textContent()).toBe('Partie vietnamienne');
    expect(await other.page.locator('[data-testid="admin-link"]').count()).toBe(0);
    await openDeclaration(other.page, suite.server.url, DOC);
    expect(await other.page.locator('[data-testid="me-role"]').textContent()).toBe('Drafter');
    expect(await other.page.locator('[data-testid="me-party"]').textContent()).toBe('Partie vietnamienne');
    expect(await other.page.locator('[data-testid="bold"]').count()).toBe(1);
    // He is a member of this declaration only.
    await other.page.goto(`${suite.server.url}/d/${OTHER_DOC}`);
    await other.page.locator('[data-testid="fatal-error"]').waitFor();
    expect(await other.page.locator('[data-testid="fatal-error"]').textContent()).toContain('You are not a member of this declaration');
    expect(await other.page.locator('.ProseMirror').count()).toBe(0);

    // "New link" gives a fresh link; the one already used now says so.
    await bao.locator('[data-testid="new-link"]').click();
    await eventually(() => linkBox.locator('[data-testid="sign-in-url"]').inputValue(), (url) => url !== link && /\/signin\//.test(url), 'a fresh link');
    const third = await openBrowserContext(suite.browser);
    people.push({ ...third, name: 'a second browser' });
    await third.page.goto(link);
    await third.page.locator('[data-testid="signed-out"][data-reason="used"]').waitFor();
    forgetHttpErrors(third, 401, 410); // /api/me without a session, the used link

    // Revoking asks first, then removes him; his page no longer opens the declaration.
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await bao.locator('[data-testid="revoke"]').click();
    await eventually(() => memberNames(section), (names) => !names.includes('Phạm Quốc Bảo'), 'Bảo gone from the table');
    expect(asked).toContain('Remove Phạm Quốc Bảo from');
    expect(await memberNames(section)).toEqual(before);
    // The secretariat cannot revoke herself: the button is not offered.
    expect(await section.locator('[data-testid="member"]', { hasText: 'Nguyễn Thu Hà' }).locator('[data-testid="revoke"]').count()).toBe(0);
    await other.page.goto(`${suite.server.url}/d/${DOC}`);
    await other.page.locator('[data-testid="fatal-error"]').waitFor();
    expect(await other.page.locator('[data-testid="fatal-error"]').textContent()).toContain('You are not a member of this declaration');
    forgetHttpErrors(other, 403); // the refused declarations
    forgetHttpErrors(ha, 400); // the refused invitations
  });

  it('adds a delegation and creates a declaration; a refused one changes nothing', async () => {
    const ha = await signIn(suite.browser, suite.server, DEMO.secretariat);
    people.push(ha);
    const page = ha.page;
    await page.goto(`${suite.server.url}/admin`);
    const section = panel(page, OTHER_DOC);
    await section.locator('[data-testid="party"]').first().waitFor();
    const parties = (): Promise<string[]> => section.locator('[data-testid="party"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-party-id') ?? ''));
    expect(await parties()).toEqual(['hanoi', 'toulouse']);

    await section.locator('summary').click();
    const form = section.locator('[data-testid="party-form"]');
    const addParty = async (id: string, vi: string, fr: string): Promise<void> => {
      await form.locator('[data-testid="party-id"]').fill(id);
      await form.locator('[data-testid="party-name-vi"]').fill(vi);
      await form.locator('[data-testid="party-name-fr"]').fill(fr);
      await form.locator('[data-testid="add-party"]').click();
    };
    await addParty('hanoi', 'Thành phố Hà Nội', 'Ville de Hà Nội');
    const error = section.locator('[data-testid="party-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBe('This declaration already has a party with the id “hanoi”.');
    expect(await parties()).toEqual(['hanoi', 'toulouse']);

    await addParty('yenbai', 'Tỉnh Yên Bái', 'Province de Yên Bái');
    await eventually(parties, (ids) => ids.length === 3, 'the new delegation in the list');
    expect(await parties()).toEqual(['hanoi', 'toulouse', 'yenbai']);
    // The invite form offers it at once.
    expect(await section.locator('[data-testid="invite-party"] option').allTextContents()).toContain('Province de Yên Bái');

    // A new declaration (global secretariat only).
    const create = page.locator('[data-testid="create-document-form"]');
    await create.locator('[data-testid="new-document-id"]').fill('bad id!');
    await create.locator('[data-testid="new-document-title-vi"]').fill('Thỏa thuận hợp tác Yên Bái – Val-de-Marne');
    await create.locator('[data-testid="new-document-title-fr"]').fill('Accord de coopération Yên Bái – Val-de-Marne');
    await create.locator('[data-testid="create-document"]').click();
    await page.locator('[data-testid="create-document-error"]').waitFor();
    expect(await page.locator('[data-testid="create-document-error"]').textContent()).toContain('id');
    expect(await page.locator('[data-testid="admin-document"]').count()).toBe(2);
    await create.locator('[data-testid="new-document-id"]').fill('yenbai-vdm');
    await create.locator('[data-testid="create-document"]').click();
    await panel(page, 'yenbai-vdm').waitFor();
    expect(await page.locator('[data-testid="admin-document"]').count()).toBe(3);
    expect(await panel(page, 'yenbai-vdm').locator('h2').textContent()).toBe('Thỏa thuận hợp tác Yên Bái – Val-de-Marne');
    // A fresh declaration has no delegation yet: its add form is open.
    expect(await panel(page, 'yenbai-vdm').locator('[data-testid="party-form"]').isVisible()).toBe(true);

    // The drafters' admin link is absent, and the page itself refuses them.
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    people.push(lan);
    expect(await lan.page.locator('[data-testid="admin-link"]').count()).toBe(0);
    await lan.page.goto(`${suite.server.url}/admin`);
    await lan.page.locator('[data-testid="fatal-error"]').waitFor();
    expect(await lan.page.locator('[data-testid="fatal-error"]').textContent()).toContain('This page is for the secretariat');
    forgetHttpErrors(ha, 400, 409); // the refused delegation and declaration
  });

  it('says in French that a declaration with that id already exists, and creates nothing', async () => {
    const ha = await signIn(suite.browser, suite.server, DEMO.secretariat, { locale: 'fr-FR' });
    people.push(ha);
    const page = ha.page;
    await page.goto(`${suite.server.url}/admin`);
    await panel(page, DOC).waitFor();
    const count = await page.locator('[data-testid="admin-document"]').count();
    const create = page.locator('[data-testid="create-document-form"]');
    await create.locator('[data-testid="new-document-id"]').fill(DOC);
    await create.locator('[data-testid="new-document-title-vi"]').fill('Tuyên bố chung');
    await create.locator('[data-testid="new-document-title-fr"]').fill('Déclaration commune');
    await create.locator('[data-testid="create-document"]').click();
    const error = page.locator('[data-testid="create-document-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBe(`Une déclaration avec l’identifiant «\u00A0${DOC}\u00A0» existe déjà\u00A0: choisissez un autre identifiant.`);
    expect(await page.locator('[data-testid="admin-document"]').count()).toBe(count);
    await create.screenshot({ path: artifactPath('admin-document-exists-fr.png') });
    forgetHttpErrors(ha, 409);
  });

  it('lines up the inputs of a form row: same top, same height, whether or not a field has a hint under it', async () => {
    // The compare form's `.field` (versions page) once leaked into these forms: a field with a hint made the
    // others' labels and inputs stretch, 10 px taller and lower than the one beside them.
    const ha = await signIn(suite.browser, suite.server, DEMO.secretariat);
    people.push(ha);
    const page = ha.page;
    await page.goto(`${suite.server.url}/admin`);
    await panel(page, OTHER_DOC).locator('summary').click();
    const rows = [
      { scope: page, ids: ['new-document-id', 'new-document-title-vi', 'new-document-title-fr'] },
      { scope: panel(page, OTHER_DOC), ids: ['party-id', 'party-name-vi', 'party-name-fr'] },
    ];
    for (const { scope, ids } of rows) {
      const boxes = await Promise.all(ids.map(async (id) => (await scope.locator(`[data-testid="${id}"]`).boundingBox())!));
      for (const box of boxes.slice(1)) {
        expect(Math.abs(box.y - boxes[0]!.y), `${ids.join(', ')}: tops`).toBeLessThanOrEqual(1);
        expect(Math.abs(box.height - boxes[0]!.height), `${ids.join(', ')}: heights`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('removes a delegation only once asked, naming the members who lose access; one whose head approved is refused, in the page’s language', async () => {
    const secretariat = api(suite.server.url, await sessionCookie(suite.server, DEMO.secretariat));
    expect((await secretariat(`/api/documents/${DOC}/parties`, { method: 'POST', json: { id: 'eu', name: { vi: 'Liên minh châu Âu', fr: 'Union européenne' } } })).status).toBe(201);
    const invited = await secretariat(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Ursula Weber', email: 'ursula@example.org', role: 'drafter', partyId: 'eu' } });
    expect(invited.status).toBe(201);
    // The Vietnamese head approves one paragraph: his delegation is referred to.
    const vnHead = api(suite.server.url, await sessionCookie(suite.server, DEMO.vnHead));
    const digital = (await vnHead(`/api/documents/${DOC}/approvals`)).body.pairs.find((p: { pairId: string }) => p.pairId === 'digital');
    expect((await vnHead(`/api/documents/${DOC}/pairs/digital/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: digital.hash } })).status).toBe(200);

    const ha = await signIn(suite.browser, suite.server, DEMO.secretariat);
    people.push(ha);
    const page = ha.page;
    await page.goto(`${suite.server.url}/admin`);
    const section = panel(page, DOC);
    await section.locator('[data-testid="member"]', { hasText: 'Ursula Weber' }).waitFor();
    const parties = (): Promise<string[]> => section.locator('[data-testid="party"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-party-id') ?? ''));
    expect(await parties()).toEqual(['vn', 'fr', 'eu']);
    const eu = section.locator('[data-testid="party"][data-party-id="eu"]');

    // Asked first; "Cancel" removes nothing.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await eu.locator('[data-testid="remove-party"]').click();
    await eventually(async () => asked.length, (n) => n === 1, 'the confirmation');
    expect(asked[0]).toContain('Remove the delegation Union européenne from');
    expect(asked[0]).toContain('Its members lose access to the declaration: Ursula Weber.');
    expect(asked[0]).toContain('Versions already cut keep the delegations they were cut for');
    expect(await parties()).toEqual(['vn', 'fr', 'eu']);
    expect((await secretariat(`/api/documents/${DOC}`)).body.document.parties.map((p: { id: string }) => p.id)).toEqual(['vn', 'fr', 'eu']);

    // "OK" removes it, and its member with it.
    page.once('dialog', (dialog) => void dialog.accept());
    await eu.locator('[data-testid="remove-party"]').click();
    await eventually(parties, (ids) => ids.join() === 'vn,fr', 'the delegation gone from the list');
    await eventually(() => memberNames(section), (names) => !names.includes('Ursula Weber'), 'its member gone from the table');
    expect(await section.locator('[data-testid="invite-party"] option').allTextContents()).not.toContain('Union européenne');
    await page.screenshot({ path: artifactPath('admin-remove-party.png'), fullPage: true });

    // A delegation whose head approved: refused, with the reason in the interface language, nothing changes.
    const refusal = section.locator('[data-testid="party-remove-error"]');
    page.once('dialog', (dialog) => void dialog.accept());
    await section.locator('[data-testid="party"][data-party-id="vn"] [data-testid="remove-party"]').click();
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('The head of Partie vietnamienne has approved or reserved paragraphs: they must be withdrawn before the delegation can be removed.');
    expect(await parties()).toEqual(['vn', 'fr']);
    await secretariat('/api/me', { method: 'PATCH', json: { locale: 'fr' } });
    await page.reload();
    await section.locator('[data-testid="party"]').first().waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await section.locator('[data-testid="party"][data-party-id="vn"] [data-testid="remove-party"]').click();
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Le chef de Partie vietnamienne a approuvé ou réservé des paragraphes\u00A0: il faut les retirer avant de pouvoir retirer la délégation.');
    await secretariat('/api/me', { method: 'PATCH', json: { locale: null } });
    forgetHttpErrors(ha, 409); // the refused removals
  });
});
