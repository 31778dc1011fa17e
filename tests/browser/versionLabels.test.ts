import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAllPairContents } from '../../shared/canonicalText.ts';
import { deletePair, movePair, readOrder } from '../../shared/model/index.ts';
import { DEMO } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { artifactPath, browserSuite, forgetHttpErrors, sessionCookie } from './helpers.ts';

/**
 * The versions page as the secretariat uses it: a version cut with a name
 * and a note, shown with who cut it; a cut with nothing new asks first; the
 * comparison numbers each side in its own order and shows no pair id; and a
 * version's text restored into the draft after a confirmation.
 *
 * Screenshots: test-artifacts/version-labels.png, test-artifacts/version-compare-numbers.png.
 */

const DOC = 'vn-fr-2023';

describe('version names, duplicates, comparison numbers and restore in the browser', () => {
  const suite = browserSuite();

  it('cuts a named version with a note, asks before a duplicate, numbers both sides in their own order without ids, and restores the text', async () => {
    const { page, errors } = await suite.member(DEMO.secretariat);
    const dialogs: string[] = [];
    let answer = false;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    await page.goto(`${suite.server.url}/d/${DOC}/versions`);

    // The form: a name is needed.
    await page.locator('[data-testid="cut-version"]').click();
    await page.locator('[data-testid="cut-submit"]').click();
    await page.locator('[data-testid="cut-form-error"]:not([hidden])').waitFor();
    expect(await page.locator('[data-testid="version-item"]').count()).toBe(0);
    await page.locator('[data-testid="version-name-input"]').fill('Dự thảo sau phiên sáng');
    await page.locator('[data-testid="version-note-input"]').fill('Après la séance du matin.\nCòn chờ ý kiến phía Pháp.');
    await page.locator('[data-testid="cut-submit"]').click();
    const v1 = page.locator('[data-testid="version-item"][data-number="1"]');
    await v1.waitFor();
    expect(await v1.locator('[data-testid="version-name"]').innerText()).toBe('Dự thảo sau phiên sáng');
    expect(await v1.locator('[data-testid="version-note"]').innerText()).toContain('Après la séance du matin.');
    expect(await v1.locator('[data-testid="version-cut-by"]').innerText()).toMatch(/\S+/);
    expect(await page.locator('[data-testid="cut-form"]').count()).toBe(0);

    // Nothing changed since: the page asks; dismissed, nothing is cut.
    await page.locator('[data-testid="cut-version"]').click();
    await page.locator('[data-testid="version-name-input"]').fill('Bản sao');
    await page.locator('[data-testid="cut-submit"]').click();
    await waitFor(() => dialogs.length === 1, 'the page asks before a duplicate');
    expect(dialogs[0]).toContain('1');
    await page.locator('[data-testid="cut-submit"]:not([disabled])').waitFor();
    expect(await page.locator('[data-testid="version-item"]').count()).toBe(1);
    await page.locator('[data-testid="cut-cancel"]').click();
    forgetHttpErrors({ errors }, 409);
    await page.screenshot({ path: artifactPath('version-labels.png'), fullPage: true });

    // The draft moves on: "heritage" (¶ 7) to the top, "digital" (¶ 5) deleted, a word added to "environment".
    const drafter = connectProvider(suite.server.url.replace(/^http/, 'ws'), DOC, new Y.Doc(), { cookie: await sessionCookie(suite.server, DEMO.vnDrafter) });
    try {
      await synced(drafter.provider);
      const doc = drafter.doc;
      const v1Pairs = readAllPairContents(doc);
      const ids = readOrder(doc);
      expect(ids.indexOf('heritage')).toBe(6);
      expect(ids.indexOf('digital')).toBe(4);
      doc.transact(() => {
        movePair(doc, 'heritage', 0);
        deletePair(doc, 'digital');
        firstXmlText(doc, 'environment', 'vi').insert(0, 'Trước hết, ');
      });
      await page.locator('[data-testid="compare-draft"]').first().click();
      const change = (id: string) => page.locator(`[data-testid="pair-change"][data-pair-id="${id}"]`);
      await change('digital').waitFor();
      expect(await change('heritage').locator('.change__number').innerText()).toMatch(/¶\s1$/u);
      expect(await change('heritage').locator('.change__moved').innerText()).toMatch(/¶\s7$/u);
      expect(await change('digital').locator('.change__number').innerText()).toMatch(/¶\s5$/u);
      expect(await change('environment').locator('.change__number').innerText()).toMatch(/¶\s5$/u);
      // No internal id anywhere in the comparison's text: ¶ numbers and first words instead.
      const shown = await page.locator('[data-testid="diff-result"]').innerText();
      for (const id of ids) expect(shown, id).not.toMatch(new RegExp(`(^|[^\\p{L}-])${id}([^\\p{L}-]|$)`, 'u'));
      expect(await change('heritage').locator('[data-testid="change-words"]').innerText()).not.toBe('');
      await page.screenshot({ path: artifactPath('version-compare-numbers.png'), fullPage: true });

      // Restore version 1: asked first; dismissed, nothing changes.
      await page.locator('[data-testid="version-item"][data-number="1"] [data-testid="restore-version"]').click();
      await waitFor(() => dialogs.length === 2, 'the page asks before restoring');
      expect(readOrder(doc)[0]).toBe('heritage');
      answer = true;
      await page.locator('[data-testid="version-item"][data-number="1"] [data-testid="restore-version"]:not([disabled])').click();
      await waitFor(() => dialogs.length === 3, 'the page asks again');
      await page.locator('[data-testid="versions-done"]').filter({ hasText: /\S/u }).waitFor();
      // The drafter's page gets the restored text as an edit; the comparison shows nothing left to change.
      await waitFor(() => JSON.stringify(readAllPairContents(doc)) === JSON.stringify(v1Pairs), 'the restored text reaches the drafter');
      await page.locator('.changes-list__empty').waitFor();
    } finally {
      drafter.provider.destroy();
    }
  });
});
