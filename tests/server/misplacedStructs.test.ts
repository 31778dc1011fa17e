import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ContentNotAllowedError } from '../../server/collaboration/contentPolicy.ts';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { docResolver } from '../../server/collaboration/structure/resolvers.ts';
import { checkUpdateStructure } from '../../server/collaboration/structure/updateStructure.ts';
import { ID_PATTERN } from '../../shared/limits.ts';
import { PAIR_KINDS, readAllPairs } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { mulberry32 } from '../helpers/random.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const SEEDS = [1, 7, 42, 1337, 20230415];
const SAMPLES = 1500;

type AnyType = Y.AbstractType<any>;

/**
 * Whether a doc holds only the declaration's tree, judged independently of
 * the server's table (shared/model/structure.ts): through Yjs's public
 * reading API, as a reader of the document would see it, and by the promise
 * itself — the text an editor shows (the text nodes' deltas) is the text
 * that is hashed (cellPlainText).
 */
function wellFormed(doc: Y.Doc): boolean {
  const live = (type: AnyType) => {
    for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
    for (const item of type._map.values()) if (!item.deleted) return true;
    return false;
  };
  for (const [name, type] of doc.share) if (name !== 'order' && name !== 'paragraphs' && live(type)) return false;
  const order = doc.getArray('order');
  if (hasMapItems(order) || !order.toArray().every((id) => typeof id === 'string' && ID_PATTERN.test(id))) return false;
  const paragraphs = doc.getMap('paragraphs');
  if (hasListItems(paragraphs)) return false;
  for (const [id, pair] of paragraphs.entries()) {
    if (!ID_PATTERN.test(id) || pair?.constructor !== Y.Map || hasListItems(pair as AnyType)) return false;
    for (const [key, value] of (pair as Y.Map<unknown>).entries()) {
      if (key === 'kind') {
        if (!(PAIR_KINDS as readonly unknown[]).includes(value)) return false;
      } else if (key === 'vi' || key === 'fr') {
        if (value?.constructor !== Y.XmlFragment || !cellWellFormed(value as Y.XmlFragment)) return false;
      } else return false;
    }
  }
  return true;
}

function hasListItems(type: AnyType): boolean {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
  return false;
}

function cellWellFormed(cell: Y.XmlFragment): boolean {
  if (hasMapItems(cell)) return false;
  const shown = cell
    .toArray()
    .map((paragraph) => (paragraph instanceof Y.XmlElement ? paragraph.toArray().map((text) => (text instanceof Y.XmlText ? (text.toDelta() as Array<{ insert: unknown }>).map((op) => String(op.insert)).join('') : '')).join('') : ''))
    .join('\n');
  if (shown.normalize('NFC') !== cellPlainText(cell)) return false;
  return cell.toArray().every((paragraph) => {
    if (paragraph.constructor !== Y.XmlElement || (paragraph as Y.XmlElement).nodeName !== 'paragraph') return false;
    if (Object.keys((paragraph as Y.XmlElement).getAttributes()).length > 0) return false;
    return (paragraph as Y.XmlElement).toArray().every((text) => {
      if (text.constructor !== Y.XmlText || Object.keys((text as Y.XmlText).getAttributes()).length > 0) return false;
      // Values a delta does not show (a number, an object) are in it all the same.
      for (let item = (text as Y.XmlText)._start; item !== null; item = item.right) {
        if (!item.deleted && !(item.content instanceof Y.ContentString) && !(item.content instanceof Y.ContentFormat)) return false;
      }
      return ((text as Y.XmlText).toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>).every(
        (op) => typeof op.insert === 'string' && Object.entries(op.attributes ?? {}).every(([mark, value]) => (mark === 'strong' || mark === 'em') && typeof value === 'object' && value !== null && Object.keys(value).length === 0),
      );
    });
  });
}

function hasMapItems(type: AnyType): boolean {
  for (const item of type._map.values()) if (!item.deleted) return true;
  return false;
}

/** Every shared type of the doc, each with the way to write into it. */
function typesOf(doc: Y.Doc): AnyType[] {
  const found: AnyType[] = [];
  const stack: AnyType[] = [doc.getArray('order'), doc.getMap('paragraphs')];
  while (stack.length > 0) {
    const type = stack.pop()!;
    found.push(type);
    for (let item = type._start; item !== null; item = item.right) if (!item.deleted && item.content instanceof Y.ContentType) stack.push(item.content.type);
    for (const item of type._map.values()) if (!item.deleted && item.content instanceof Y.ContentType) stack.push(item.content.type);
  }
  return found;
}

const CONTENTS: Array<[string, (random: () => number) => unknown]> = [
  ['a text node', () => new Y.XmlText('caché')],
  ['a paragraph', () => new Y.XmlElement('paragraph')],
  ['a paragraph with text', () => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('texte')]);
    return p;
  }],
  ['another element', () => new Y.XmlElement('div')],
  ['a map', () => new Y.Map()],
  ['an array', () => new Y.Array()],
  ['a Y.Text', () => new Y.Text('caché')],
  ['a fragment', () => new Y.XmlFragment()],
  ['a hook', () => new Y.XmlHook('paragraph')],
  ['a string', () => 'clause cachée'],
  ['an id', () => 'p-fresh'],
  ['a kind', (random) => PAIR_KINDS[Math.floor(random() * PAIR_KINDS.length)]],
  ['a number', () => 12],
  ['an object', () => ({ hidden: true })],
];
const KEYS = ['kind', 'vi', 'fr', 'p-new', 'x', '../x', 'data-x', 'strong'];

/** One random write into a random type, at a random place; a label saying what. */
function randomWrite(doc: Y.Doc, random: () => number): string {
  const types = typesOf(doc);
  const type = types[Math.floor(random() * types.length)]!;
  const [what, make] = CONTENTS[Math.floor(random() * CONTENTS.length)]!;
  const roll = random();
  const where = `${type.constructor.name}${type instanceof Y.XmlElement ? `<${type.nodeName}>` : ''}`;
  if (roll < 0.45) {
    const key = KEYS[Math.floor(random() * KEYS.length)]!;
    Y.Map.prototype.set.call(type as unknown as Y.Map<unknown>, key, make(random));
    return `${what} under "${key}" of ${where}`;
  }
  if (roll < 0.8 || !(type instanceof Y.XmlText)) {
    const length = type instanceof Y.XmlText ? 0 : (type as unknown as Y.Array<unknown>).length ?? 0;
    const index = Math.floor(random() * ((Number.isFinite(length) ? length : 0) + 1));
    Y.Array.prototype.insert.call(type as unknown as Y.Array<unknown>, Math.min(index, type._length), [make(random)]);
    return `${what} at ${index} in ${where}`;
  }
  const index = Math.floor(random() * (type.length + 1));
  if (random() < 0.5) {
    type.insert(index, 'mot ', random() < 0.5 ? { strong: {} } : { link: { href: 'x' } });
    return `text with a mark at ${index} in ${where}`;
  }
  type.insertEmbed(index, make(random) as object);
  return `${what} embedded at ${index} in ${where}`;
}

describe('random well-formed structs placed where the declaration has no room for them (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookie: string;
  let base: Y.Doc;

  beforeAll(async () => {
    server = await startTestServer();
    cookie = await signInAs(server, DEMO.vnDrafter);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(client.provider);
    base = client.doc;
    client.provider.disconnect();
  });
  afterAll(async () => {
    await server.close();
  });

  /** The seed's samples: each write on a copy of the document, the update it makes, and whether the copy is still only the tree. */
  function samples(seed: number, count: number) {
    const random = mulberry32(seed);
    const made: Array<{ label: string; update: Uint8Array; misplaced: boolean }> = [];
    while (made.length < count) {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
      const vector = Y.encodeStateVector(copy);
      let label: string;
      try {
        label = randomWrite(copy, random);
      } catch {
        continue; // a write Yjs itself does not take (e.g. a type put in two places)
      }
      const update = Y.encodeStateAsUpdate(copy, vector);
      if (Y.decodeUpdate(update).structs.length === 0) continue;
      made.push({ label, update, misplaced: !wellFormed(copy) });
    }
    return made;
  }

  it('the real server refuses misplaced ones sent raw (4422) and keeps the text', async () => {
    const before = (await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs;
    const chosen = samples(SEEDS[0]!, 200).filter((sample) => sample.misplaced).slice(0, 25);
    for (const { label, update } of chosen) {
      const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
      await socket.opened;
      await waitFor(() => socket.messages.length > 0, 'sync step 1');
      socket.ws.send(encodeUpdate(update));
      expect((await socket.closed).code, label).toBe(CloseCode.ContentNotAllowed);
    }
    expect((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(before);
    expect(readAllPairs(base)).toEqual(before);
  });

  it.each(SEEDS)('seed %i: the check refuses every misplaced struct and accepts every write that keeps the tree', (seed) => {
    const resolver = docResolver(base);
    let misplaced = 0;
    for (const { label, update, misplaced: isMisplaced } of samples(seed, SAMPLES)) {
      const check = () => checkUpdateStructure(Y.decodeUpdate(update), resolver);
      if (isMisplaced) {
        misplaced++;
        expect(check, label).toThrow(ContentNotAllowedError);
      } else {
        let verdict: unknown;
        try {
          verdict = check();
        } catch (error) {
          verdict = (error as Error).message;
        }
        expect(verdict, label).toEqual({ kind: 'fits' });
      }
    }
    // Most random writes misplace something; the rest are legitimate edits the check must let through.
    expect(misplaced).toBeGreaterThan(SAMPLES / 2);
    expect(misplaced).toBeLessThan(SAMPLES);
  });
});
