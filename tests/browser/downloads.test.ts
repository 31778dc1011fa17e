import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { artifactPath, signIn, browserSuite } from './helpers.ts';

/**
 * Downloads from the page: a member opens the versions view, downloads the
 * draft and a cut version as PDF and DOCX through the "Download" menus, and
 * gets the right files (a PDF whose text is the declaration's, a DOCX).
 */
describe('downloading the declaration from the page', () => {
  const suite = browserSuite({ keepPeople: true });
  const { people } = suite;

  it('offers the draft and each version as PDF and DOCX, each side by side, in one language or one after the other', async () => {
    const secretariat = await signIn(suite.browser, suite.server, 'secretariat@demo.accord');
    people.push(secretariat);
    const { page } = secretariat;
    await page.goto(`${suite.server.url}/d/vn-fr-2023/versions`);
    await page.locator('[data-testid="cut-version"]').click();
    await page.locator('[data-testid="version-name-input"]').fill('Bản thảo 1');
    await page.locator('[data-testid="cut-submit"]').click();
    await page.locator('[data-testid="version-item"][data-number="1"]').waitFor();

    const download = async (version: string, testId: string) => {
      const menu = page.locator(`[data-testid="downloads"][data-version="${version}"]`);
      await menu.locator('summary').click();
      const [file] = await Promise.all([page.waitForEvent('download'), menu.locator(`[data-testid="${testId}"]`).click()]);
      const target = artifactPath(file.suggestedFilename());
      await file.saveAs(target);
      await menu.locator('summary').click(); // close it again
      return { name: file.suggestedFilename(), path: target };
    };

    const draft = await download('draft', 'download-pdf-parallel');
    expect(draft.name).toBe('vn-fr-2023-draft-parallel.pdf');
    const draftText = execFileSync('pdftotext', ['-raw', draft.path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(draftText).toContain('DRAFT / DỰ THẢO / PROJET');
    expect(draftText).toContain('Tuyên bố chung Hội nghị hợp tác');

    const french = await download('1', 'download-pdf-fr');
    expect(french.name).toBe('vn-fr-2023-v1-fr.pdf');
    const frenchText = execFileSync('pdftotext', [french.path, '-'], { encoding: 'utf8' });
    expect(frenchText).toContain('Phiên bản / Version 1');
    expect(frenchText).toContain('Pleinement conscientes des changements environnementaux');
    expect(frenchText).not.toContain('Ý thức rõ');

    const word = await download('1', 'download-docx-parallel');
    expect(word.name).toBe('vn-fr-2023-v1-parallel.docx');
    const xml = execFileSync('unzip', ['-p', word.path, 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('Ý thức rõ về những thay đổi môi trường');

    // Word in every layout the PDF has: one language, and one language after the other under a heading each.
    const frenchWord = await download('1', 'download-docx-fr');
    expect(frenchWord.name).toBe('vn-fr-2023-v1-fr.docx');
    const frenchXml = execFileSync('unzip', ['-p', frenchWord.path, 'word/document.xml'], { encoding: 'utf8' });
    expect(frenchXml).toContain('Pleinement conscientes des changements environnementaux');
    expect(frenchXml).not.toContain('Ý thức rõ');
    const sequential = await download('1', 'download-docx-sequential');
    expect(sequential.name).toBe('vn-fr-2023-v1-sequential.docx');
    const sequentialXml = execFileSync('unzip', ['-p', sequential.path, 'word/document.xml'], { encoding: 'utf8' });
    const at = (text: string) => sequentialXml.indexOf(text);
    expect(at('>Tiếng Việt<')).toBeGreaterThan(0);
    expect(at('Ý thức rõ')).toBeGreaterThan(at('>Tiếng Việt<'));
    expect(at('>Français<')).toBeGreaterThan(at('Ý thức rõ'));
    expect(at('Pleinement conscientes')).toBeGreaterThan(at('>Français<'));
    expect(await page.locator('[data-testid="downloads"][data-version="1"] [data-testid="download-docx-vi"]').count()).toBe(1);

    await page.locator('[data-testid="downloads"][data-version="1"] summary').click();
    await page.screenshot({ path: artifactPath('downloads.png') });
    expect(secretariat.errors).toEqual([]);
  });

  it('keeps the draft\'s Download menu apart from "Cut a version", centred on the same line', async () => {
    const secretariat = await signIn(suite.browser, suite.server, 'secretariat@demo.accord');
    people.push(secretariat);
    const { page } = secretariat;
    await page.goto(`${suite.server.url}/d/vn-fr-2023/versions`);
    const menu = (await page.locator('[data-testid="downloads"][data-version="draft"] summary').boundingBox())!;
    const cut = (await page.locator('[data-testid="cut-version"]').boundingBox())!;
    // Side by side, not touching (they did: two buttons glued together read as one control).
    expect(cut.x - (menu.x + menu.width)).toBeGreaterThanOrEqual(6);
    expect(Math.abs(cut.y + cut.height / 2 - (menu.y + menu.height / 2))).toBeLessThanOrEqual(1);
  });

  it('puts the versions page\'s tools under its description on a phone, not beside it in a narrow column', async () => {
    const secretariat = await signIn(suite.browser, suite.server, 'secretariat@demo.accord', { viewport: { width: 390, height: 844 } });
    people.push(secretariat);
    const { page } = secretariat;
    await page.goto(`${suite.server.url}/d/vn-fr-2023/versions`);
    const lede = (await page.locator('.versions .section-lede').boundingBox())!;
    const tools = (await page.locator('.versions__toolbar').boundingBox())!;
    expect(tools.y).toBeGreaterThanOrEqual(lede.y + lede.height);
    expect(lede.width).toBeGreaterThan(300);
  });
});
