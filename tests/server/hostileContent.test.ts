import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, readAllPairs } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/**
 * Regression tests for the attack "write content the editor never would,
 * straight into the Y.Doc": each update is built on a synced copy of the
 * document and sent raw; the server must refuse it and keep the text.
 */
describe('hostile content inside the CRDT', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;
  let base: Y.Doc;
  let before: ReturnType<typeof readAllPairs>;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await signInAs(server, DEMO.vnDrafter);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(client.provider);
    base = client.doc;
    before = readAllPairs(base);
    client.provider.disconnect();
  });
  afterAll(async () => {
    await server.close();
  });

  const paragraph = (doc: Y.Doc, pairId = 'digital', lang: 'vi' | 'fr' = 'fr') => getPair(doc, pairId)!.cell(lang).get(0) as Y.XmlElement;

  const attacks: Array<[string, (doc: Y.Doc) => void]> = [
    ['a <script> node', (doc) => getPair(doc, 'digital')!.cell('fr').insert(0, [new Y.XmlElement('script')])],
    ['an image node with an onerror attribute', (doc) => {
      const img = new Y.XmlElement('img');
      getPair(doc, 'digital')!.cell('vi').insert(1, [img]);
      img.setAttribute('onerror', 'alert(1)');
    }],
    ['a javascript: href attribute on a paragraph', (doc) => paragraph(doc).setAttribute('href', 'javascript:alert(1)')],
    ['a link mark with a data: href', (doc) => (paragraph(doc).get(0) as Y.XmlText).format(0, 5, { link: { href: 'data:text/html,<script>alert(1)</script>' } })],
    ['a bold mark with attributes', (doc) => (paragraph(doc).get(0) as Y.XmlText).format(0, 5, { strong: { onclick: 'x' } })],
    ['an embed inside the text', (doc) => (paragraph(doc).get(0) as Y.XmlText).insertEmbed(0, { image: 'javascript:alert(1)' })],
    ['an unknown top-level type', (doc) => doc.getMap('approvals').set('vn', 'agreed')],
    ['a pair kind that is an object', (doc) => getPair(doc, 'digital')!.map.set('kind', { $ne: 1 } as unknown as string)],
    ['an extra key in a pair', (doc) => getPair(doc, 'digital')!.map.set('approvedBy', 'head')],
    ['a sub-document', (doc) => getPair(doc, 'digital')!.map.set('vi', new Y.Doc() as unknown as Y.XmlFragment)],
  ];

  it.each(attacks)('refuses %s with 4422 and keeps the document unchanged', async (_label, attack) => {
    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(base));
    const vector = Y.encodeStateVector(hostile);
    attack(hostile);
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    socket.ws.send(encodeUpdate(Y.encodeStateAsUpdate(hostile, vector)));
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.ContentNotAllowed);
    expect(closed.reason).toMatch(/^content not allowed: /);
    expect((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(before);
  });

  it('still accepts everything the editor and the model write: text, bold, italic, new pairs, kinds', async () => {
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(client.provider);
    const { insertPair, setPairKind, movePair } = await import('../../shared/model/index.ts');
    const text = paragraph(client.doc).get(0) as Y.XmlText;
    text.insert(0, 'Nouveau ', { strong: {} });
    text.format(0, 3, { em: {} });
    text.format(0, 3, { em: null });
    const id = insertPair(client.doc, { kind: 'closing', vi: [[{ text: 'đậm', marks: { strong: true } }]], fr: 'gras' }, 'closing');
    setPairKind(client.doc, id, 'operative');
    movePair(client.doc, id, 0);
    const expected = readAllPairs(client.doc);
    await waitFor(async () => JSON.stringify((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs) === JSON.stringify(expected), 'the edits on the server');
    expect(client.provider.wsconnected).toBe(true);
    client.provider.destroy();
  });
});
