import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deletePair, movePair, setPairKind } from '../../shared/model/index.ts';
import { DEMO } from '../helpers/auth.ts';
import { agreeEverything, agreeStructure, readMatrix } from '../helpers/agreement.ts';
import { connectProvider, synced } from '../helpers/clients.ts';
import { artifactPath, browserSuite, openDeclaration, sessionCookie, signIn, type Member } from './helpers.ts';

/**
 * The structure is agreed too, seen in a real browser (issue 19, point 4):
 * both heads agreed every pair and the structure; a drafter (a standard Yjs
 * client) deletes an agreed clause, turns an operative pair into preamble and
 * moves another. The French head, whose page is in French, sees the
 * structure stale on the declaration page and in the status matrix, the
 * progress no longer complete, the signature of a version cut since not offered,
 * why said in French; opens "Ce qui a changé" and reads the changes in ¶ numbers and
 * kinds; agrees the new structure there; once the Vietnamese head has too,
 * the progress reads all agreed again on both screens.
 *
 * Screenshots: test-artifacts/structure-changed.png, structure-status-stale.png, structure-status.png.
 */

const DOC = 'vn-fr-2023';
const NBSP = '\u00A0';

const suite = browserSuite();

async function person(email: string, locale?: string): Promise<Member> {
  const member = await signIn(suite.browser, suite.server, email, { locale });
  suite.people.push(member);
  return member;
}

describe('the structure is agreed too, in the browser', () => {
  it('a drafter deletes, relabels and moves pairs after full agreement: the French head sees the structure stale, reads what changed in French, agrees, and all is agreed again', async () => {
    const { server } = suite;
    const heads = { vn: await sessionCookie(server, DEMO.vnHead), fr: await sessionCookie(server, DEMO.frHead) };
    await agreeEverything(server.url, DOC, [heads.vn, heads.fr], heads.vn);

    const frHead = await person(DEMO.frHead, 'fr-FR');
    await openDeclaration(frHead.page, server.url, DOC);
    const page = frHead.page;
    const strip = page.locator('[data-testid="structure-approvals"]');
    const chip = (party: string, status: string) => strip.locator(`[data-testid="approval-chip"][data-party="${party}"][data-status="${status}"]`);
    await chip('fr', 'agreed').waitFor();
    await chip('vn', 'agreed').waitFor();
    await page.locator('[data-testid="agreement-progress"][data-complete="true"]').waitFor();
    expect(await page.locator('[data-testid="agreement-progress"]').textContent()).toBe('8 paires sur 8 approuvées par toutes les parties');

    // The status matrix, in a second tab of the head's: the structure's row, agreed by both.
    const status = await frHead.context.newPage();
    status.on('pageerror', (error) => frHead.errors.push(`pageerror: ${error.stack ?? error.message}`));
    await status.goto(`${server.url}/d/${DOC}/status`);
    const structureCell = (party: string, state: string) => status.locator(`[data-testid="matrix-structure"] td[data-party="${party}"][data-status="${state}"]`);
    await structureCell('fr', 'agreed').waitFor();
    await status.locator('[data-testid="matrix-structure"][data-all-agreed="true"]').waitFor();

    // The drafter: ¶5 "digital" deleted, ¶4 "environment" operative → preamble, ¶7 "heritage" moved to ¶2.
    const drafter = connectProvider(server.url.replace(/^http/, 'ws'), DOC, new Y.Doc(), { cookie: await sessionCookie(server, DEMO.vnDrafter) });
    try {
      await synced(drafter.provider);
      drafter.doc.transact(() => {
        deletePair(drafter.doc, 'digital');
        setPairKind(drafter.doc, 'environment', 'preamble');
        movePair(drafter.doc, 'heritage', 1);
      });

      // Stale on the declaration page and in the matrix, neither reloaded; the progress not complete.
      await chip('fr', 'stale').waitFor();
      await chip('vn', 'stale').waitFor();
      expect(await chip('fr', 'stale').locator('.chip__status').textContent()).toBe('Périmé — structure modifiée');
      await page.locator('[data-testid="agreement-progress"][data-complete="false"]').waitFor();
      expect(await page.locator('[data-testid="structure-progress"]').textContent()).toBe('Structure non approuvée par toutes les parties');
      await structureCell('fr', 'stale').waitFor();
      await structureCell('vn', 'stale').waitFor();
      await status.locator('[data-testid="status-progress"][data-complete="false"]').waitFor();
      expect(await status.locator('[data-testid="status-structure"]').textContent()).toBe('Structure non approuvée par toutes les parties');
      await status.locator('[data-testid="matrix-structure"] [data-testid="structure-what-changed"]').first().waitFor();
      await status.screenshot({ path: artifactPath('structure-status-stale.png') });
      // The matrix lists the pairs in their new order.
      await status.waitForFunction(
        () => [...document.querySelectorAll('[data-testid="matrix-row"]')].map((r) => r.getAttribute('data-pair-id')).join(' ') === 'title heritage preamble-1 preamble-2 environment urbanisation closing',
      );
    } finally {
      drafter.provider.destroy();
    }

    // A version cut now cannot be signed: the page says why, in French, before the head tries.
    const cut = await fetch(`${server.url}/api/documents/${DOC}/versions`, {
      method: 'POST',
      headers: { cookie: await sessionCookie(server, DEMO.secretariat), origin: server.url, 'content-type': 'application/json' },
      body: '{}',
    });
    const number = ((await cut.json()) as { version: { number: number } }).version.number;
    const versions = await frHead.context.newPage();
    await versions.goto(`${server.url}/d/${DOC}/versions`);
    const item = versions.locator(`[data-testid="version-item"][data-number="${number}"]`);
    await item.locator('[data-testid="sign-blocker-structure"]').waitFor();
    expect(await item.locator('[data-testid="sign-version"]').isDisabled()).toBe(true);
    expect(await item.locator('[data-testid="sign-blocker-structure"]').textContent()).toBe(
      `L’ordre et la nature de ses paires ne sont pas encore approuvés par${NBSP}: Partie vietnamienne, Partie française.`,
    );
    expect(await item.locator('[data-testid="sign-blocker-pair"]').count()).toBe(0);
    await versions.close();
    // The browser logs the refused request.
    frHead.errors.splice(0, frHead.errors.length, ...frHead.errors.filter((e) => !/status of 409/.test(e)));

    // What changed, in words: ¶ numbers and kinds, in French, with the start of each pair's text.
    await strip.locator('[data-testid="approval-chip"][data-party="fr"] [data-testid="structure-what-changed"]').click();
    const panel = page.locator('[data-testid="structure-changes"][data-party="fr"]');
    await panel.locator('[data-testid="structure-change"]').first().waitFor();
    expect(await panel.locator('.changes__title').textContent()).toBe('Changements de structure depuis l’approbation (Partie française)');
    expect(await panel.locator('[data-testid="structure-change"] .structure-change__what').allTextContents()).toEqual([
      `¶${NBSP}5 (dispositif) supprimé`,
      `¶${NBSP}7 déplacé en ¶${NBSP}2`,
      `¶${NBSP}5${NBSP}: dispositif → préambule`,
    ]);
    expect(await panel.locator('[data-testid="structure-change"][data-change="removed"] q[lang="fr"]').textContent()).toMatch(/^Conscientes de la nécessité de s’adapter/);
    expect(await panel.locator('.changes__summary').textContent()).toContain('8 paires alors, 7 maintenant');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('structure-changed.png') });

    // The head agrees the new structure from the panel; the Vietnamese head agrees it too.
    await panel.locator('[data-testid="agree-new-structure"]').click();
    await chip('fr', 'agreed').waitFor();
    await structureCell('fr', 'agreed').waitFor();
    expect((await agreeStructure(server.url, heads.vn, DOC)).status).toBe(200);
    await chip('vn', 'agreed').waitFor();

    // All agreed again, on both screens.
    await page.locator('[data-testid="agreement-progress"][data-complete="true"]').waitFor();
    expect(await page.locator('[data-testid="agreement-progress"]').textContent()).toBe('7 paires sur 7 approuvées par toutes les parties');
    expect(await page.locator('[data-testid="structure-progress"]').isHidden()).toBe(true);
    await status.locator('[data-testid="matrix-structure"][data-all-agreed="true"]').waitFor();
    await status.locator('[data-testid="status-progress"][data-complete="true"]').waitFor();
    expect(await status.locator('[data-testid="status-structure"]').textContent()).toBe('Structure approuvée par toutes les parties');
    expect((await readMatrix(server.url, heads.fr, DOC)).progress).toEqual({ agreedByAll: 7, total: 7, structureAgreed: true, complete: true });
    await status.screenshot({ path: artifactPath('structure-status.png'), fullPage: true });
  });
});
