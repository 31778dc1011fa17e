import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { limits } from '../../shared/limits.ts';
import { getPair, paragraphXmlText, readAllPairs } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

type Attack = (doc: Y.Doc) => void;
const cell = (doc: Y.Doc, lang: 'vi' | 'fr' = 'fr', pairId = 'digital') => getPair(doc, pairId)!.cell(lang);
const firstParagraph = (doc: Y.Doc, lang: 'vi' | 'fr' = 'fr') => cell(doc, lang).get(0) as Y.XmlElement;
/** Yjs's insert takes any content; the typings only the model's. */
const insertAny = (type: Y.XmlFragment | Y.XmlElement, index: number, content: unknown[]) => type.insert(index, content as Y.XmlElement[]);

/**
 * The structures the sync server used to accept because it checked what an
 * update writes but not where it lands: text no page shows, but that the
 * server's text identity counted — approved, signed and exported. Each is
 * built on a synced copy of the document and sent raw, as a drafter's Yjs
 * client can; each must be refused whole (4422) and change nothing.
 */
const ATTACKS: Array<[string, Attack]> = [
  ['a bare text node in a cell, beside its paragraphs (a hidden clause)', (doc) => cell(doc).insert(1, [new Y.XmlText('Hai bên KHÔNG đồng ý.')])],
  ['a bare text node as the first child of a cell', (doc) => cell(doc, 'vi').insert(0, [new Y.XmlText('Điều khoản ẩn. ')])],
  ['a paragraph nested in a paragraph', (doc) => {
    const inner = new Y.XmlElement('paragraph');
    firstParagraph(doc).insert(1, [inner]);
    inner.insert(0, [new Y.XmlText('clause cachée')]);
  }],
  ['a string (ContentAny) as a child of a cell', (doc) => insertAny(cell(doc), 1, ['clause cachée'])],
  ['a string (ContentAny) as a child of the title cell, which blanked the French title in every editor', (doc) => insertAny(cell(doc, 'fr', 'title'), 0, ['x'])],
  ['a string (ContentAny) as a child of a paragraph', (doc) => insertAny(firstParagraph(doc), 1, ['clause cachée'])],
  ['a Y.Map as a child of a cell', (doc) => insertAny(cell(doc), 1, [new Y.Map()])],
  ['a Y.Map as a child of a paragraph', (doc) => insertAny(firstParagraph(doc), 0, [new Y.Map()])],
  ['an attribute on a paragraph', (doc) => firstParagraph(doc).setAttribute('data-hidden', 'clause cachée')],
  ['an attribute on a text node', (doc) => paragraphXmlText(firstParagraph(doc))!.setAttribute('title', 'clause cachée')],
  ['an XmlHook (a map that claims to be a node) in a cell', (doc) => insertAny(cell(doc), 1, [new Y.XmlHook('paragraph')])],
  ['a Y.Text (not a text node) in a paragraph', (doc) => insertAny(firstParagraph(doc), 1, [new Y.Text('clause cachée')])],
  ['a cell (fragment) inside a cell', (doc) => insertAny(cell(doc), 1, [new Y.XmlFragment()])],
  ['a text node with text inside the order', (doc) => doc.getArray('order').insert(0, [new Y.XmlText('x') as unknown as string])],
  ['a pair map holding a list of items', (doc) => {
    const pair = getPair(doc, 'digital')!.map as unknown as Y.Array<unknown>;
    // A map's items are keyed; an item with no key sits in its list, which no reader looks at.
    Y.Array.prototype.insert.call(pair, 0, ['hidden']);
  }],
  ['a kind that is not one of the kinds', (doc) => getPair(doc, 'digital')!.map.set('kind', 'signed')],
  ['a pair stored under a key that is not a pair id', (doc) => doc.getMap('paragraphs').set('../../etc', new Y.Map())],
  ['a paragraph placed straight into the paragraphs map', (doc) => doc.getMap('paragraphs').set('p-evil', new Y.XmlElement('paragraph') as unknown as Y.Map<unknown>)],
  ['a deep chain of nested maps under an unused key of the paragraphs (3,000 levels, which froze the server)', (doc) => {
    let map = new Y.Map<unknown>();
    doc.getMap('paragraphs').set('unused', map);
    for (let i = 0; i < 3000; i++) {
      const next = new Y.Map<unknown>();
      map.set('k', next);
      map = next;
    }
  }],
];

/** The same attack padded with a legitimate paste, so that the update takes the large-update path (worker, slices). */
function padded(attack: Attack): Attack {
  return (doc) => {
    paragraphXmlText(firstParagraph(doc, 'vi'))!.insert(0, 'Văn bản dán vào. '.repeat(Math.ceil(limits.largeUpdateBytes / 15)));
    attack(doc);
  };
}

describe('structure outside the declaration’s tree (attack)', () => {
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

  /** Sends what `attack` writes on a copy of the document, raw, and returns how the connection was closed. */
  async function send(attack: Attack): Promise<{ code: number; reason: string; bytes: number }> {
    const hostile = new Y.Doc();
    Y.applyUpdate(hostile, Y.encodeStateAsUpdate(base));
    const vector = Y.encodeStateVector(hostile);
    attack(hostile);
    const update = Y.encodeStateAsUpdate(hostile, vector);
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    socket.ws.send(encodeUpdate(update));
    return { ...(await socket.closed), bytes: update.length };
  }

  const storedPairs = async () => (await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs;

  it.each(ATTACKS)('refuses %s with 4422 and keeps the document unchanged', async (_label, attack) => {
    const closed = await send(attack);
    expect(closed.code).toBe(CloseCode.ContentNotAllowed);
    expect(closed.reason).toMatch(/^content not allowed: /);
    expect(await storedPairs()).toEqual(before);
  });

  it.each(ATTACKS.slice(0, 6))('refuses %s inside a large update whole: the paste beside it is not applied either', async (_label, attack) => {
    const closed = await send(padded(attack));
    expect(closed.bytes).toBeGreaterThan(limits.largeUpdateBytes);
    expect(closed.code).toBe(CloseCode.ContentNotAllowed);
    expect(await storedPairs()).toEqual(before);
  });

  it('a client connected throughout never receives any of it, and a fresh client gets the document as it was', async () => {
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(witness.provider);
    const received: Uint8Array[] = [];
    witness.doc.on('update', (update: Uint8Array) => received.push(update));
    for (const [, attack] of ATTACKS.slice(0, 4)) await send(attack);
    // A legitimate edit after them is relayed: everything before it would have been, had it been accepted.
    const editor = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(editor.provider);
    paragraphXmlText(firstParagraph(editor.doc, 'fr'))!.insert(0, 'Nous, ');
    await waitFor(() => received.length > 0, 'the legitimate edit');
    expect(readAllPairs(witness.doc).find((p) => p.id === 'digital')!.fr.startsWith('Nous, ')).toBe(true);
    const fresh = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(fresh.provider);
    expect(readAllPairs(fresh.doc)).toEqual(readAllPairs(witness.doc));
    expect(received).toHaveLength(1);
    for (const client of [witness, editor, fresh]) client.provider.destroy();
  });
});
