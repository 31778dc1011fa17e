import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEMO, api } from '../helpers/auth.ts';
import { browserSuite, eventually, forgetHttpErrors, sessionCookie, signIn } from './helpers.ts';

/**
 * Issue 20 on the page: a per-declaration secretariat who invites someone who
 * already has an account is told so instead of being handed a link, and a
 * link asked for them is refused in words; the membership log shows on the
 * admin page, and a head sees their delegation's part on the status page.
 */

const DOC = 'vn-fr-2023';
const SMALL = 'small-agreement';

const suite = browserSuite();
const { people } = suite;

const panel = (page: Page, documentId: string): Locator => page.locator(`[data-testid="admin-document"][data-document-id="${documentId}"]`);

describe('accounts on the page', () => {
  it('tells a per-declaration secretariat that an existing account signs in with its own link, refuses it one, and logs the change', async () => {
    const global = api(suite.server.url, await sessionCookie(suite.server, DEMO.secretariat));
    expect(
      (await global('/api/documents', { method: 'POST', json: { id: SMALL, title: { vi: 'Thỏa thuận nhỏ', fr: 'Petit accord' }, parties: [{ id: 'a', name: { vi: 'Bên A', fr: 'Partie A' } }] } }))
        .status,
    ).toBe(201);
    const invited = await global(`/api/documents/${SMALL}/members`, { method: 'POST', json: { name: 'Thư ký nhỏ', email: 'small-sec@example.org', role: 'secretariat', partyId: null } });
    const sec = await signIn(suite.browser, suite.server, 'small-sec@example.org', { link: invited.body.signInUrl });
    people.push(sec);
    await sec.page.goto(`${suite.server.url}/admin`);
    const section = panel(sec.page, SMALL);
    await section.locator('[data-testid="member"]').first().waitFor();

    const form = section.locator('[data-testid="invite-form"]');
    await form.locator('[data-testid="invite-name"]').fill('Trần Minh Đức');
    await form.locator('[data-testid="invite-email"]').fill(DEMO.vnHead);
    await form.locator('[data-testid="invite-role"]').selectOption('observer');
    await form.locator('[data-testid="invite-submit"]').click();
    const note = section.locator('[data-testid="added-no-link"]');
    await note.waitFor();
    expect(await note.textContent()).toBe('Added Trần Minh Đức. This person already has an account: they sign in with their own link.');
    expect(await section.locator('[data-testid="sign-in-url"]').count()).toBe(0);

    // The log, newest first: the invitation, by this secretariat.
    const first = section.locator('[data-testid="audit-entry"]').first();
    await eventually(() => first.getAttribute('data-action'), (a) => a === 'invited', 'the invitation in the log');
    expect(await first.locator('.audit__what').textContent()).toBe('Trần Minh Đức invited as Observer');
    expect(await first.locator('.audit__by').textContent()).toBe('Thư ký nhỏ');

    // A link for the head is refused, in words; no link is shown.
    const headRow = section.locator('[data-testid="member"]', { hasText: 'Trần Minh Đức' });
    await headRow.locator('[data-testid="new-link"]').click();
    const error = section.locator('[data-testid="members-error"]');
    await error.waitFor();
    expect(await error.textContent()).toContain('No new sign-in link for Trần Minh Đức');
    expect(await section.locator('[data-testid="sign-in-url"]').count()).toBe(0);
    forgetHttpErrors(sec, 403);
  });

  it('shows a head the membership changes of their own delegation on the status page, and none of the other’s', async () => {
    const global = api(suite.server.url, await sessionCookie(suite.server, DEMO.secretariat));
    expect((await global(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Hùng', email: 'hung@vn.example', role: 'drafter', partyId: 'vn' } })).status).toBe(201);
    expect((await global(`/api/documents/${DOC}/members`, { method: 'POST', json: { name: 'Paul', email: 'paul@fr.example', role: 'drafter', partyId: 'fr' } })).status).toBe(201);
    const head = await signIn(suite.browser, suite.server, DEMO.vnHead);
    people.push(head);
    await head.page.goto(`${suite.server.url}/d/${DOC}/status`);
    const log = head.page.locator('[data-testid="audit-log"]');
    await log.locator('[data-testid="audit-entry"]').first().waitFor();
    const parties = await log.locator('[data-testid="audit-entry"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-party')));
    expect(parties.length).toBeGreaterThan(0);
    expect(new Set(parties)).toEqual(new Set(['vn']));
    const text = await log.innerText();
    expect(text).toContain('Hùng');
    expect(text).not.toContain('Paul');
  });
});
