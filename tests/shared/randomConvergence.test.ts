import * as Y from 'yjs';
import { describe, expect, it, vi } from 'vitest';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { cellSchema } from '../../shared/editor/schema.ts';
import { ModelError } from '../../shared/errors.ts';
import {
  LANGS,
  PAIR_KINDS,
  deletePair,
  getPair,
  insertPair,
  mergeWithNext,
  movePair,
  paragraphsMap,
  readAllPairs,
  readCell,
  readOrder,
  readPairText,
  runsLength,
  setPairKind,
  splitPair,
  type CellContent,
  type CellInput,
} from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { mulberry32 } from './helpers.ts';

// Deterministic pair ids, so that a failing seed replays exactly.
const ids = vi.hoisted(() => ({ next: 0 }));
vi.mock('../../shared/ids.ts', () => ({
  newId: (prefix = '') => `${prefix}${(ids.next++).toString(36).padStart(6, '0')}`,
}));

const SEEDS = Array.from({ length: 40 }, (_, i) => (0x9e3779b1 ^ (i * 7919 + 17)) >>> 0);
const OPS_PER_SEED = 60;
const DOCS = 3;
const REMOTE = Symbol('remote');

const WORDS = [
  'Hà Nội',
  'Toulouse',
  'hợp tác',
  'coopération',
  'Việt Nam'.normalize('NFD'),
  'Phía',
  'Partie',
  '«\u00A0',
  '\u00A0»',
  'article\u202F1',
  'đ',
  'é',
  ' ',
  'x',
];

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T | undefined => (items.length ? items[int(rng, items.length)] : undefined);

function words(rng: Rng): string {
  const n = 1 + int(rng, 3);
  return Array.from({ length: n }, () => pick(rng, WORDS)!).join(rng() < 0.5 ? ' ' : '');
}

function randomCell(rng: Rng): CellInput | undefined {
  const r = rng();
  if (r < 0.1) return undefined;
  if (r < 0.4) return words(rng);
  if (r < 0.5) return `${words(rng)}\n${words(rng)}`;
  const paragraphs: CellContent = [];
  for (let p = 0; p < 1 + int(rng, 2); p++) {
    paragraphs.push(
      Array.from({ length: int(rng, 3) }, () => ({ text: words(rng), marks: { strong: rng() < 0.4, em: rng() < 0.4 } })),
    );
  }
  return paragraphs;
}

/** Length of a cell's stored text, paragraphs counting one separator. */
function storedLength(fragment: Y.XmlFragment): number {
  const cell = readCell(fragment);
  return cell.reduce((n, p) => n + runsLength(p), 0) + Math.max(0, cell.length - 1);
}

/** An edit as the editor makes it: typing, deleting or formatting inside one paragraph. */
function editText(doc: Y.Doc, rng: Rng): void {
  const id = pick(rng, readOrder(doc));
  if (id === undefined) return;
  const fragment = getPair(doc, id)!.cell(pick(rng, LANGS)!);
  const paragraphs = fragment.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
  const paragraph = pick(rng, paragraphs);
  if (!paragraph) return;
  doc.transact(() => {
    if (rng() < 0.1) {
      // Enter at the end of the cell: a new empty paragraph.
      fragment.insert(fragment.length, [new Y.XmlElement('paragraph')]);
      return;
    }
    let text = paragraph.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
    if (!text) {
      // y-prosemirror creates the text node on the first keystroke in an empty paragraph.
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
    }
    const r = rng();
    const at = int(rng, text.length + 1);
    if (r < 0.6 || text.length === 0) {
      const attrs = rng() < 0.3 ? { strong: {} } : rng() < 0.3 ? { em: {} } : {};
      text.insert(at, words(rng), attrs);
    } else if (r < 0.85) {
      text.delete(at, Math.min(int(rng, 5) + 1, text.length - at));
    } else {
      const mark = rng() < 0.5 ? 'strong' : 'em';
      text.format(at, Math.min(int(rng, 6) + 1, text.length - at), { [mark]: rng() < 0.7 ? {} : null });
    }
  });
}

function randomOperation(doc: Y.Doc, rng: Rng, log: string[]): void {
  const order = readOrder(doc);
  const id = pick(rng, order) ?? 'none';
  const r = rng();
  const run = (name: string, fn: () => unknown) => {
    log.push(name);
    try {
      fn();
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      log.push(`  -> ${error.reason}`);
    }
  };
  if (r < 0.14 || order.length < 2) {
    const after = rng() < 0.2 ? null : rng() < 0.3 ? undefined : id;
    run(`insert after ${String(after)}`, () => insertPair(doc, { kind: pick(rng, PAIR_KINDS), vi: randomCell(rng), fr: randomCell(rng) }, after));
  } else if (r < 0.24) {
    run(`delete ${id}`, () => deletePair(doc, id));
  } else if (r < 0.38) {
    // Mostly valid indexes, sometimes one past the end (rejected).
    const to = int(rng, order.length + (rng() < 0.1 ? 2 : 0));
    run(`move ${id} to ${to}`, () => movePair(doc, id, to));
  } else if (r < 0.5) {
    const pair = getPair(doc, id);
    const at: Partial<Record<'vi' | 'fr', number>> = {};
    for (const lang of LANGS) {
      if (pair && rng() < 0.7) at[lang] = int(rng, storedLength(pair.cell(lang)) + 1 + (rng() < 0.05 ? 3 : 0));
    }
    run(`split ${id} at ${JSON.stringify(at)}`, () => splitPair(doc, id, at));
  } else if (r < 0.6) {
    run(`merge ${id}`, () => mergeWithNext(doc, id));
  } else if (r < 0.66) {
    const kind = pick(rng, PAIR_KINDS)!;
    run(`kind ${id} ${kind}`, () => setPairKind(doc, id, kind));
  } else {
    log.push(`edit text`);
    editText(doc, rng);
  }
}

/** Three replicas, each queueing its local updates for the two others. */
function network(seed: number) {
  const docs = Array.from({ length: DOCS }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = (seed >>> 8) * 8 + i + 1;
    return doc;
  });
  const inbox: Uint8Array[][] = docs.map(() => []);
  docs.forEach((doc, from) => {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      docs.forEach((_, to) => to !== from && inbox[to]!.push(update));
    });
  });
  const shuffle = <T>(items: T[], rng: Rng) => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(rng, i + 1);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  };
  /** Delivers a random batch of pending updates to one doc, in random order. */
  const deliverSome = (rng: Rng) => {
    const to = int(rng, DOCS);
    const pending = inbox[to]!;
    if (!pending.length) return;
    shuffle(pending, rng);
    const batch = pending.splice(0, 1 + int(rng, pending.length));
    for (const update of batch) Y.applyUpdate(docs[to]!, update, REMOTE);
  };
  const deliverAll = (rng: Rng) => {
    docs.forEach((doc, to) => {
      const batch = shuffle(inbox[to]!.splice(0), rng);
      for (const update of batch) Y.applyUpdate(doc, update, REMOTE);
    });
  };
  return { docs, inbox, deliverSome, deliverAll };
}

describe('random concurrent editing on three replicas converges', () => {
  it.each(SEEDS.map((seed, i) => [i, seed]))('seed #%i (%i)', (_, seed) => {
    ids.next = 0;
    const rng = mulberry32(seed);
    const { docs, inbox, deliverSome, deliverAll } = network(seed);
    const log: string[] = [];

    // A shared starting point, as when a declaration is opened by three people.
    for (let i = 0; i < 4; i++) insertPair(docs[0]!, { id: `s${i}`, vi: words(rng), fr: words(rng) });
    deliverAll(rng);

    for (let step = 0; step < OPS_PER_SEED; step++) {
      const d = int(rng, DOCS);
      log.push(`#${step} doc${d}:`);
      randomOperation(docs[d]!, rng, log);
      // Updates travel late, in batches and out of order.
      while (rng() < 0.45) deliverSome(rng);
    }
    deliverAll(rng);
    expect(inbox.every((pending) => pending.length === 0)).toBe(true);

    const context = `seed ${seed}\n${log.join('\n')}`;
    const reference = readAllPairs(docs[0]!);
    const order = readOrder(docs[0]!);
    for (const doc of docs) {
      expect(doc.store.pendingStructs, context).toBeNull();
      expect(doc.store.pendingDs, context).toBeNull();
      expect(readOrder(doc), context).toEqual(order);
      expect(readAllPairs(doc), context).toEqual(reference);
    }
    expect(new Set(order).size, context).toBe(order.length);
    expect(reference.map((p) => p.id), context).toEqual(order);
    // Every pair with content is visible once: no content orphaned outside the order.
    expect([...paragraphsMap(docs[0]!).keys()].sort(), context).toEqual([...order].sort());

    // Every cell is still text the editor can bind, and its text is NFC.
    const reader = new Y.Doc();
    reader.clientID = 1;
    Y.applyUpdate(reader, Y.encodeStateAsUpdate(docs[0]!));
    for (const id of readOrder(reader)) {
      const pair = getPair(reader, id)!;
      const text = readPairText(reader, id)!;
      for (const lang of LANGS) {
        const node = yXmlFragmentToProseMirrorRootNode(pair.cell(lang), cellSchema);
        expect(() => node.check(), context).not.toThrow();
        expect(node.childCount, context).toBeGreaterThan(0);
        expect(node.textBetween(0, node.content.size, '\n').normalize('NFC'), context).toBe(text[lang]);
        expect(cellPlainText(pair.cell(lang)), context).toBe(text[lang]);
        expect(text[lang], context).toBe(text[lang].normalize('NFC'));
      }
    }
  });
});
