import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { artifactPath, openDeclaration, sessionCookie, signIn, browserSuite } from './helpers.ts';

/**
 * Regression test for "write active content straight into the Y.Doc": a
 * client bypasses the editor and sends a <script> node, an <img onerror>, a
 * javascript: link mark and a javascript: attribute. The server refuses each
 * update, and a real page opened afterwards renders no active content.
 */
describe('hostile content written into the CRDT', () => {
  const suite = browserSuite();

  it('never reaches a page as active content', async () => {
    const cookie = await sessionCookie(suite.server, 'vn-drafter@demo.accord');
    const wsUrl = suite.server.url.replace(/^http/, 'ws');
    const client = connectProvider(wsUrl, 'vn-fr-2023', new Y.Doc(), { cookie });
    await synced(client.provider);
    const attacks: Array<(doc: Y.Doc) => void> = [
      (doc) => getPair(doc, 'environment')!.cell('vi').insert(0, [new Y.XmlElement('script')]),
      (doc) => {
        const img = new Y.XmlElement('img');
        getPair(doc, 'environment')!.cell('fr').insert(0, [img]);
        img.setAttribute('src', 'x');
        img.setAttribute('onerror', 'window.__pwned = true');
      },
      (doc) => ((getPair(doc, 'environment')!.cell('fr').get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 10, { link: { href: 'javascript:window.__pwned=true' } }),
      (doc) => (getPair(doc, 'environment')!.cell('vi').get(0) as Y.XmlElement).setAttribute('onclick', 'window.__pwned = true'),
    ];
    for (const attack of attacks) {
      const hostile = new Y.Doc();
      Y.applyUpdate(hostile, Y.encodeStateAsUpdate(client.doc));
      const vector = Y.encodeStateVector(hostile);
      attack(hostile);
      const socket = rawSyncSocket(wsUrl, 'vn-fr-2023', { cookie });
      await socket.opened;
      await waitFor(() => socket.messages.length > 0, 'sync step 1');
      socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(hostile, vector)));
      expect((await socket.closed).code).toBe(CloseCode.ContentNotAllowed);
    }
    client.provider.destroy();

    const reader = await signIn(suite.browser, suite.server, 'fr-drafter@demo.accord');
    suite.people.push(reader);
    await openDeclaration(reader.page, suite.server.url, 'vn-fr-2023');
    const row = reader.page.locator('[data-testid="pair-row"][data-pair-id="environment"]');
    await row.scrollIntoViewIfNeeded();
    expect(await row.locator('script, img, a[href], [onclick], [onerror]').count()).toBe(0);
    await row.locator('[data-testid="cell-fr"]').click();
    expect(await reader.page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned ?? false)).toBe(false);
    expect(await row.locator('[data-testid="cell-vi"]').innerText()).toMatch(/^Ý thức rõ/);
    await reader.page.screenshot({ path: artifactPath('hostile-content.png') });
    expect(reader.errors).toEqual([]);
  });
});
