import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { DEMO } from '../helpers/auth.ts';
import { connectProvider, synced } from '../helpers/clients.ts';
import { getPair, paragraphXmlText } from '../../shared/model/index.ts';
import { MessageType, SYNC_PATH } from '../../shared/protocol.ts';
import {
  artifactPath,
  cell,
  cellText,
  eventually,
  openDeclaration,
  placeCaret,
  row,
  sessionCookie,
  shownOrder,
  signIn,
  startServer,
  storedPairs,
  waitForConnectionState,
  type Member,
  browserSuite,
} from './helpers.ts';

/**
 * Two delegations at their own computers, on the real server and in real
 * Chromium: what one drafter does in the declaration, the other sees live.
 * Lan drafts for the Vietnamese side, Julien for the French side; each signs
 * in with their own single-use link.
 */

const DOC = 'vn-fr-2023';
const DEMO_ORDER = ['title', 'preamble-1', 'preamble-2', 'environment', 'digital', 'urbanisation', 'heritage', 'closing'];

const suite = browserSuite();
const { people: drafters } = suite;

/** The colours of the two delegations (first and second party of the declaration). */
const VN_COLOR = 'rgb(176, 65, 62)'; // #b0413e
const FR_COLOR = 'rgb(31, 111, 235)'; // #1f6feb

async function twoDrafters(): Promise<[Member, Member]> {
  const [lan, julien] = await Promise.all([signIn(suite.browser, suite.server, DEMO.vnDrafter), signIn(suite.browser, suite.server, DEMO.frDrafter)]);
  drafters.push(lan, julien);
  expect([lan.name, julien.name]).toEqual(['Lê Thị Lan', 'Julien Martin']);
  await Promise.all([openDeclaration(lan.page, suite.server.url, DOC), openDeclaration(julien.page, suite.server.url, DOC)]);
  return [lan, julien];
}

/** The client IDs of the awareness states in a y-websocket message (none if it is another kind of message). */
function awarenessClients(payload: string | Buffer): number[] {
  if (typeof payload === 'string') return [];
  const message = decoding.createDecoder(new Uint8Array(payload));
  if (decoding.readVarUint(message) !== MessageType.Awareness) return [];
  const update = decoding.createDecoder(decoding.readVarUint8Array(message));
  const ids: number[] = [];
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    ids.push(decoding.readVarUint(update));
    decoding.readVarUint(update); // clock
    decoding.readVarString(update); // state
  }
  return ids;
}

/** The text of the remote cursor labels shown in one cell of one pair. */
function remoteCursorNames(drafter: Member, pairId: string, lang: 'vi' | 'fr'): Promise<string[]> {
  return cell(drafter.page, pairId, lang)
    .locator('.ProseMirror-yjs-cursor')
    .evaluateAll((cursors) => cursors.map((c) => (c.textContent ?? '').replace(/\u2060/g, '').trim()));
}

/** The background colour of the first remote cursor label in a cell. */
function remoteCursorColor(drafter: Member, pairId: string, lang: 'vi' | 'fr'): Promise<string> {
  return cell(drafter.page, pairId, lang)
    .locator('.ProseMirror-yjs-cursor > div')
    .first()
    .evaluate((label) => getComputedStyle(label).backgroundColor);
}

describe('collaborative editing of a declaration', () => {
  it('shows the declaration as aligned Vietnamese / French rows, connected', async () => {
    const [lan] = await twoDrafters();
    const page = lan.page;
    expect(await shownOrder(page)).toEqual(DEMO_ORDER);
    expect(await page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('connected');
    expect(await page.locator('[data-testid="connection-state"]').textContent()).toContain('Connected');
    expect(await page.locator('[data-testid="title-vi"]').textContent()).toContain('Tuyên bố chung');
    expect(await page.locator('[data-testid="title-fr"]').textContent()).toContain('Déclaration commune');
    // Each row: number, Vietnamese editor on the left, French on the right, with lang set.
    const environment = row(page, 'environment');
    expect(await environment.locator('[data-testid="pair-number"]').textContent()).toBe('4');
    expect(await cell(page, 'environment', 'vi').getAttribute('lang')).toBe('vi');
    expect(await cell(page, 'environment', 'fr').getAttribute('lang')).toBe('fr');
    const vi = await cell(page, 'environment', 'vi').boundingBox();
    const fr = await cell(page, 'environment', 'fr').boundingBox();
    expect(vi && fr && vi.x < fr.x && Math.abs(vi.y - fr.y) < 2).toBe(true);
    expect(await cellText(page, 'environment', 'vi')).toContain('Ý thức rõ về những thay đổi môi trường');
    // Rows stay aligned: each row starts where the previous one ends, whatever the text lengths.
    const boxes = await page.locator('[data-testid="pair-row"]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 1; i < boxes.length; i++) expect(Math.abs(boxes[i]!.top - boxes[i - 1]!.bottom)).toBeLessThan(1.5);
  });

  it('marks the pair list ready once the stored text is shown, in editable rows where the person looks', async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    const page = lan.page;
    await page.goto(`${suite.server.url}/d/${DOC}`);
    await page.waitForSelector('[data-testid="pair-list"][data-ready="true"]');
    // Read in one go at the moment the signal is there: every stored pair has its row with its text; the rows
    // in view have both cells editable, the ones further down are static text that takes the focus (and
    // becomes an editor) when reached (lazyRows.ts).
    const shown = await page.$$eval('[data-testid="pair-row"]', (rows) =>
      rows.map((r) => ({
        id: r.getAttribute('data-pair-id'),
        inView: r.getBoundingClientRect().top < window.innerHeight,
        cells: [...r.querySelectorAll<HTMLElement>('[data-testid^="cell-"]')].map((c) =>
          c.getAttribute('contenteditable') === 'true' ? 'editable' : c.dataset.static === 'true' && c.tabIndex === 0 ? 'static' : 'neither',
        ),
        text: [...r.querySelectorAll<HTMLElement>('[data-testid^="cell-"]')].map((c) => c.textContent),
      })),
    );
    const stored = await storedPairs(suite.server.url, await sessionCookie(suite.server, DEMO.secretariat), DOC);
    expect(shown.map((r) => r.id)).toEqual(stored.map((p) => p.id));
    expect(shown.map((r) => r.text)).toEqual(stored.map((p) => [p.vi, p.fr]));
    expect(shown.filter((r) => r.inView).length).toBeGreaterThan(0);
    for (const r of shown) expect(r.cells, `cells of ${r.id}`).toEqual(r.inView ? ['editable', 'editable'] : [r.cells[0], r.cells[0]]);
    expect(shown.flatMap((r) => r.cells)).not.toContain('neither');
    expect(await page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('connected');
  });

  it("two drafters see each other's edits and cursors in the same pair", async () => {
    const [lan, julien] = await twoDrafters();
    const pair = 'environment';
    const viAddition = ' Hai bên nhất trí hành động ngay.';
    const frAddition = ' Les deux parties conviennent d’agir sans tarder.';

    // At the same time: Lan types at the end of the Vietnamese cell, Julien at the end of the French one.
    await Promise.all([placeCaret(lan.page, pair, 'vi', 'end'), placeCaret(julien.page, pair, 'fr', 'end')]);
    await Promise.all([lan.page.keyboard.type(viAddition, { delay: 15 }), julien.page.keyboard.type(frAddition, { delay: 15 })]);

    for (const drafter of [lan, julien]) {
      await eventually(() => cellText(drafter.page, pair, 'vi'), (t) => t.endsWith(viAddition), `${drafter.name} to see the Vietnamese addition`);
      await eventually(() => cellText(drafter.page, pair, 'fr'), (t) => t.endsWith(frAddition), `${drafter.name} to see the French addition`);
    }
    // Each sees the other's cursor, with their name, in the cell they are typing in.
    await eventually(() => remoteCursorNames(julien, pair, 'vi'), (names) => names.includes(lan.name), "Lan's cursor on Julien's page");
    await eventually(() => remoteCursorNames(lan, pair, 'fr'), (names) => names.includes(julien.name), "Julien's cursor on Lan's page");
    expect(await remoteCursorNames(lan, pair, 'vi'), 'no cursor of its own').toEqual([]);
    // Cursors wear the colour of the person's delegation (first party, second party).
    expect(await remoteCursorColor(julien, pair, 'vi')).toBe(VN_COLOR);
    expect(await remoteCursorColor(lan, pair, 'fr')).toBe(FR_COLOR);
    // …and each is listed among the people present, with where they are.
    await eventually(() => lan.page.locator('[data-testid="presence-list"]').textContent(), (t) => !!t?.includes(julien.name), 'Julien in the presence list');
    await eventually(() => julien.page.locator('[data-testid="presence-list"]').textContent(), (t) => !!t?.includes(`${lan.name}¶4 VI`), 'Lan in the presence list, in ¶4 VI');

    // Now both in the same cell at the same time: Lan at the start of the French text, Julien at its end.
    await placeCaret(lan.page, pair, 'fr', 'start');
    await placeCaret(julien.page, pair, 'fr', 'end');
    const lanPrefix = 'Texte révisé. ';
    const julienSuffix = ' (Accord du 16 avril.)';
    await Promise.all([lan.page.keyboard.type(lanPrefix, { delay: 15 }), julien.page.keyboard.type(julienSuffix, { delay: 15 })]);

    const expectedFr = await eventually(
      () => cellText(lan.page, pair, 'fr'),
      (t) => t.startsWith(lanPrefix) && t.endsWith(frAddition + julienSuffix),
      "both drafters' French edits on Lan's page",
    );
    await eventually(() => cellText(julien.page, pair, 'fr'), (t) => t === expectedFr, "Julien's page to converge on the same French text");
    await eventually(() => remoteCursorNames(julien, pair, 'fr'), (names) => names.includes(lan.name), "Lan's cursor in the French cell on Julien's page");
    await eventually(() => remoteCursorNames(lan, pair, 'fr'), (names) => names.includes(julien.name), "Julien's cursor in the French cell on Lan's page");

    // Bold via the toolbar reaches the other page as bold.
    await julien.page.keyboard.press('Shift+Home');
    await julien.page.locator('[data-testid="bold"]').click();
    await eventually(
      () => cell(lan.page, pair, 'fr').locator('strong').allTextContents(),
      (texts) => texts.some((t) => t.includes('Accord du 16 avril')),
      'the bold text on Lan\'s page',
    );

    for (const drafter of [lan, julien]) {
      expect(await drafter.page.locator('[data-testid="connection-state"]').getAttribute('data-state')).toBe('connected');
    }
    // The server has stored what both typed.
    const cookie = await sessionCookie(suite.server, DEMO.vnHead);
    const stored = await eventually(
      async () => (await storedPairs(suite.server.url, cookie, DOC)).find((p) => p.id === pair),
      (p) => !!p && p.vi.endsWith(viAddition) && p.fr === expectedFr,
      'the server to store both edits',
    );
    expect(stored?.fr).toBe(expectedFr);

    for (const drafter of [lan, julien]) await row(drafter.page, pair).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await lan.page.screenshot({ path: artifactPath('collaborative-editing.png') });
    await julien.page.screenshot({ path: artifactPath('collaborative-editing-second-drafter.png') });
  });

  it("a page sends the server its own cursor, never back the others' cursors it receives", async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    // The client IDs of the awareness states in what Lan's page sends and receives on the sync connection.
    const sent: number[] = [];
    const received: number[] = [];
    lan.page.on('websocket', (ws) => {
      if (!new URL(ws.url()).pathname.startsWith(SYNC_PATH)) return;
      ws.on('framesent', ({ payload }) => sent.push(...awarenessClients(payload)));
      ws.on('framereceived', ({ payload }) => received.push(...awarenessClients(payload)));
    });
    await openDeclaration(lan.page, suite.server.url, DOC);

    // Julien, from another program, moves his cursor in the French text of a pair, five times.
    const julien = connectProvider(suite.server.url.replace(/^http/, 'ws'), DOC, new Y.Doc(), { cookie: await sessionCookie(suite.server, DEMO.frDrafter) });
    try {
      await synced(julien.provider);
      julien.provider.awareness.setLocalStateField('user', { name: 'Julien Martin', color: '#1f6feb' });
      const text = paragraphXmlText(getPair(julien.doc, 'environment')!.cell('fr').get(0) as Y.XmlElement)!;
      for (let at = 1; at <= 5; at++) {
        const cursor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, at));
        julien.provider.awareness.setLocalStateField('cursor', { anchor: cursor, head: cursor });
        await new Promise((resolve) => setTimeout(resolve, 50)); // a person's pace, not a burst
      }
      const julienId = julien.doc.clientID;
      await eventually(async () => received.filter((id) => id === julienId).length, (n) => n >= 1, "Julien's cursor moves on Lan's page");
      await eventually(() => remoteCursorNames(lan, 'environment', 'fr'), (names) => names.includes('Julien Martin'), "Julien's cursor shown on Lan's page");

      // Lan's own cursor goes out; Julien's never comes back from her page.
      await placeCaret(lan.page, 'digital', 'vi', 'end');
      await eventually(async () => sent.filter((id) => id !== julienId).length, (n) => n > 0, "Lan's cursor sent");
      expect(sent.filter((id) => id === julienId)).toEqual([]);
    } finally {
      julien.provider.destroy();
    }
  });

  it('a pair added, moved and deleted on one page shows on the other, without recreating other editors', async () => {
    const [lan, julien] = await twoDrafters();
    // Tag Julien's editor of an untouched pair: it must survive every change below.
    await cell(julien.page, 'digital', 'vi').evaluate((el) => el.setAttribute('data-survivor', 'yes'));
    const before = await shownOrder(lan.page);

    // Lan adds a pair after "environment" and writes in it.
    await row(lan.page, 'environment').locator('[data-testid="add-after"]').click();
    const withNew = await eventually(() => shownOrder(julien.page), (ids) => ids.length === before.length + 1, 'the new row on Julien\'s page');
    const at = before.indexOf('environment') + 1;
    const newId = withNew[at]!;
    expect(withNew.filter((id) => id !== newId)).toEqual(before);
    expect(await shownOrder(lan.page)).toEqual(withNew);
    await lan.page.keyboard.type('Hai bên thúc đẩy hợp tác văn hóa.');
    await eventually(() => cellText(julien.page, newId, 'vi'), (t) => t === 'Hai bên thúc đẩy hợp tác văn hóa.', 'the new text on Julien\'s page');
    expect(await row(julien.page, newId).locator('[data-testid="pair-number"]').textContent()).toBe(String(at + 1));

    // Lan moves it up: Julien sees it one place earlier, renumbered.
    await row(lan.page, newId).locator('[data-testid="move-up"]').click();
    await eventually(() => shownOrder(julien.page), (ids) => ids.indexOf(newId) === at - 1, 'the moved row on Julien\'s page');
    expect(await row(julien.page, newId).locator('[data-testid="pair-number"]').textContent()).toBe(String(at));
    expect(await row(julien.page, 'environment').locator('[data-testid="pair-number"]').textContent()).toBe(String(at + 1));

    // Julien moves "environment" down: Lan sees it.
    await row(julien.page, 'environment').locator('[data-testid="move-down"]').click();
    const moved = await eventually(() => shownOrder(lan.page), (ids) => ids.indexOf('environment') === at + 1, 'the row Julien moved, on Lan\'s page');
    expect(await shownOrder(julien.page)).toEqual(moved);

    // Lan deletes the new pair; it has text, so she is asked to confirm.
    let asked = '';
    lan.page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await row(lan.page, newId).locator('[data-testid="delete-pair"]').click();
    expect(asked).toContain('Delete paragraph');
    const after = await eventually(() => shownOrder(julien.page), (ids) => !ids.includes(newId), 'the deleted row gone from Julien\'s page');
    expect(after.length).toBe(before.length);
    expect(await shownOrder(lan.page)).toEqual(after);
    const numbers = await julien.page.locator('[data-testid="pair-number"]').allTextContents();
    expect(numbers).toEqual(after.map((_, i) => String(i + 1)));

    // Julien's editor of the untouched pair is the very same element: never recreated.
    expect(await cell(julien.page, 'digital', 'vi').getAttribute('data-survivor')).toBe('yes');
    // An empty pair is deleted without asking.
    await row(julien.page, 'closing').locator('[data-testid="add-after"]').click();
    const withEmpty = await eventually(() => shownOrder(lan.page), (ids) => ids.length === after.length + 1, 'the empty row on Lan\'s page');
    let askedAgain = false;
    julien.page.once('dialog', (dialog) => {
      askedAgain = true;
      void dialog.dismiss();
    });
    await row(julien.page, withEmpty.at(-1)!).locator('[data-testid="delete-pair"]').click();
    await eventually(() => shownOrder(lan.page), (ids) => ids.length === after.length, 'the empty row gone from Lan\'s page');
    expect(askedAgain).toBe(false);
  });

  it('a drafter who loses the connection keeps editing, and the edits reach the server on reconnect', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'accord-offline-'));
    let own = await startServer({ dataDir });
    try {
      const port = new URL(own.url).port;
      const lan = await signIn(suite.browser, own, DEMO.vnDrafter);
      drafters.push(lan);
      await openDeclaration(lan.page, own.url, DOC);

      await own.stop();
      await waitForConnectionState(lan.page, 'offline');
      expect(await lan.page.locator('[data-testid="connection-state"]').textContent()).toContain(
        'Offline — your edits are kept and will be sent on reconnect',
      );
      const addition = ' Bản nháp soạn khi mất kết nối.';
      await placeCaret(lan.page, 'closing', 'vi', 'end');
      await lan.page.keyboard.type(addition);
      expect(await cellText(lan.page, 'closing', 'vi')).toMatch(/Bản nháp soạn khi mất kết nối\.$/);
      await lan.page.screenshot({ path: artifactPath('offline.png') });

      own = await startServer({ dataDir, env: { PORT: port } });
      await waitForConnectionState(lan.page, 'connected', 20_000);
      const cookie = await sessionCookie(own, DEMO.vnHead);
      await eventually(
        async () => (await storedPairs(own.url, cookie, DOC)).find((p) => p.id === 'closing')?.vi ?? '',
        (vi) => vi.endsWith(addition),
        'the server to receive the offline edit',
      );
      // The connection errors logged while the server was down are expected. The page is closed
      // first: once this server stops again below, it would log more of them, late.
      await lan.context.close();
      lan.errors.length = 0;
    } finally {
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a drafter who closes the page right after her last keystroke loses none of it', async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    await openDeclaration(lan.page, suite.server.url, DOC);
    const addition = ' Hai bên ký kết.';
    await placeCaret(lan.page, 'heritage', 'vi', 'end');
    await lan.page.keyboard.type(addition);
    // Closed at once, without waiting for a frame (a page sends its edits after the frame that shows them).
    await lan.page.close();
    const cookie = await sessionCookie(suite.server, DEMO.vnHead);
    await eventually(
      async () => (await storedPairs(suite.server.url, cookie, DOC)).find((p) => p.id === 'heritage')?.vi ?? '',
      (vi) => vi.endsWith(addition),
      'the server to store the last keystroke',
    );
  });

  it("a drafter who keeps typing still sees the others' words as they come, not only once she stops", async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    await openDeclaration(lan.page, suite.server.url, DOC);
    const julien = connectProvider(suite.server.url.replace(/^http/, 'ws'), DOC, new Y.Doc(), { cookie: await sessionCookie(suite.server, DEMO.frDrafter) });
    await synced(julien.provider);
    try {
      await placeCaret(lan.page, 'heritage', 'vi', 'end');
      // Lan types without a pause for about 4 s (a page holds others' changes while its person types).
      const lanTyping = lan.page.keyboard.type(' Hai bên cam kết bảo tồn di sản văn hoá chung của hai dân tộc.', { delay: 60 });
      let lanDone = false;
      void lanTyping.then(() => (lanDone = true));
      await lan.page.waitForTimeout(500);
      const words = ' Julien ajoute une phrase.';
      const text = paragraphXmlText(getPair(julien.doc, 'digital')!.cell('fr').get(0) as Y.XmlElement)!;
      text.insert(text.length, words);
      await eventually(() => cellText(lan.page, 'digital', 'fr'), (t) => t.endsWith(words), "Julien's words on Lan's page");
      expect(lanDone, "Julien's words shown while Lan was still typing").toBe(false);
      await lanTyping;
      await eventually(() => cellText(lan.page, 'heritage', 'vi'), (t) => t.endsWith('của hai dân tộc.'), "Lan's sentence in her cell");
    } finally {
      julien.provider.destroy();
    }
  });

  it("the toolbar's undo and redo follow the cell, and typing rewrites no button whose state stays", async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    await openDeclaration(lan.page, suite.server.url, DOC);
    const undoButton = lan.page.locator('[data-testid="undo"]');
    const redoButton = lan.page.locator('[data-testid="redo"]');
    // Nothing to act on before a cell has the focus.
    expect(await undoButton.isDisabled()).toBe(true);
    expect(await redoButton.isDisabled()).toBe(true);

    await placeCaret(lan.page, 'digital', 'vi', 'end');
    await lan.page.keyboard.type(' Một');
    expect(await undoButton.isEnabled()).toBe(true);
    expect(await redoButton.isDisabled()).toBe(true);

    // From here on typing changes nothing the buttons show: none of them may be written to
    // (each write restyles and repaints the sticky header, on every keystroke and caret move).
    await lan.page.evaluate(`(() => {
      window.__toolbarWrites = [];
      new MutationObserver((records) => {
        for (const r of records) window.__toolbarWrites.push(r.target.getAttribute('data-testid') + ' ' + r.attributeName);
      }).observe(document.querySelector('[data-testid="toolbar"]'), { subtree: true, attributes: true });
    })()`);
    await lan.page.keyboard.type(' hai ba', { delay: 20 });
    await lan.page.keyboard.press('ArrowLeft');
    await lan.page.keyboard.press('ArrowRight');
    await eventually(() => cellText(lan.page, 'digital', 'vi'), (t) => t.endsWith(' Một hai ba'), 'the typed words in the cell');
    expect(await lan.page.evaluate('window.__toolbarWrites')).toEqual([]);

    await undoButton.click();
    await eventually(() => redoButton.isEnabled(), (enabled) => enabled, 'redo enabled after an undo');
    await redoButton.click();
    await eventually(() => cellText(lan.page, 'digital', 'vi'), (t) => t.endsWith(' Một hai ba'), 'the words back after redo');
    expect(await redoButton.isDisabled()).toBe(true);
  });

  it('fits a phone\'s width: the declaration page does not scroll sideways, and its view tabs are on the screen', async () => {
    const claire = await signIn(suite.browser, suite.server, DEMO.frHead, { viewport: { width: 390, height: 844 } });
    drafters.push(claire);
    const page = claire.page;
    await page.goto(`${suite.server.url}/d/vn-fr-2023`);
    await page.locator('[data-testid="pair-list"][data-ready="true"]').waitFor();
    // The header's last row (progress, then the Text / Status / Versions tabs) ran 43 px past the screen's edge.
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(sideways).toBe(0);
    for (const tab of await page.locator('.view-tabs__tab').all()) {
      const box = (await tab.boundingBox())!;
      expect(box.x + box.width, await tab.textContent() ?? '').toBeLessThanOrEqual(390);
    }
  });

  it('an unknown declaration shows a clear message and no editors', async () => {
    const lan = await signIn(suite.browser, suite.server, DEMO.vnDrafter);
    drafters.push(lan);
    // The page asks the server for a missing document: the 404 in the console is expected.
    await lan.page.goto(`${suite.server.url}/d/no-such-declaration`);
    const message = lan.page.locator('[data-testid="fatal-error"]');
    await message.waitFor();
    expect(await message.textContent()).toContain('This declaration does not exist');
    expect(await message.textContent()).toContain('no-such-declaration');
    expect(await lan.page.locator('[data-testid="pair-row"]').count()).toBe(0);
    expect(await lan.page.locator('.ProseMirror').count()).toBe(0);
    lan.errors.length = 0;
  });
});
