import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { cellSchema } from '../../shared/editor/schema.ts';
import {
  deletePair,
  getPair,
  insertPair,
  mergeWithNext,
  movePair,
  orderArray,
  paragraphsMap,
  readAllPairs,
  readOrder,
  readPairText,
  setPairKind,
  splitPair,
  type Lang,
} from '../../shared/model/index.ts';
import { cloneDoc, syncAll, texts } from './helpers.ts';

const IDS = ['a', 'b', 'c', 'd', 'e'];

/** Two (or more) docs that share pairs a..e, as after a first sync. */
function replicas(count = 2): Y.Doc[] {
  const origin = new Y.Doc();
  origin.clientID = 1;
  for (const id of IDS) insertPair(origin, { id, vi: `${id} vi`, fr: `${id} fr` });
  return Array.from({ length: count }, (_, i) => cloneDoc(origin, 10 + i));
}

/** Both docs agree, and every pair appears exactly once. */
function expectConverged(docs: Y.Doc[], expectedIds?: string[]): string[] {
  const order = readOrder(docs[0]!);
  for (const doc of docs) {
    expect(readOrder(doc)).toEqual(order);
    expect(readAllPairs(doc)).toEqual(readAllPairs(docs[0]!));
  }
  expect(new Set(order).size).toBe(order.length);
  // Every pair whose content exists is visible exactly once: no lost, no ghost row.
  expect([...paragraphsMap(docs[0]!).keys()].sort()).toEqual([...order].sort());
  if (expectedIds) expect([...order].sort()).toEqual([...expectedIds].sort());
  return order;
}

/** Types into the XmlText of paragraph `p` of a cell, at `index`. */
function typeInto(doc: Y.Doc, id: string, lang: Lang, index: number, text: string, p = 0): void {
  const paragraph = getPair(doc, id)!.cell(lang).get(p) as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(index, text);
}

/** Replaces a cell's content the way the editor's sync plugin does. */
function editorWrite(doc: Y.Doc, id: string, lang: Lang, paragraphs: string[]): void {
  const node = cellSchema.node(
    'doc',
    null,
    paragraphs.map((p) => cellSchema.node('paragraph', null, p ? [cellSchema.text(p)] : [])),
  );
  doc.transact(() => prosemirrorToYXmlFragment(node, getPair(doc, id)!.cell(lang)));
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

function allText(doc: Y.Doc): string {
  return readAllPairs(doc)
    .map((p) => `${p.vi}\n${p.fr}`)
    .join('\n');
}

describe('concurrent moves', () => {
  it('two docs moving the same pair to different places agree on one place', () => {
    const [x, y] = replicas();
    movePair(x!, 'b', 4);
    movePair(y!, 'b', 0);
    expect(readOrder(x!)).toEqual(['a', 'c', 'd', 'e', 'b']);
    expect(readOrder(y!)).toEqual(['b', 'a', 'c', 'd', 'e']);
    syncAll(x!, y!);
    const order = expectConverged([x!, y!], IDS);
    expect([['a', 'c', 'd', 'e', 'b'], ['b', 'a', 'c', 'd', 'e']]).toContainEqual(order);
    // The raw order may hold "b" twice; the next move collapses it.
    movePair(x!, 'b', 2);
    syncAll(x!, y!);
    expect(readOrder(x!)).toEqual(['a', 'c', 'b', 'd', 'e']);
    expect(orderArray(x!).toArray().filter((id) => id === 'b')).toHaveLength(1);
    expectConverged([x!, y!], IDS);
  });

  it('three docs moving the same pair and a neighbour converge', () => {
    const [x, y, z] = replicas(3);
    movePair(x!, 'c', 0);
    movePair(y!, 'c', 4);
    movePair(z!, 'd', 0);
    movePair(z!, 'c', 3);
    syncAll(x!, y!, z!);
    expectConverged([x!, y!, z!], IDS);
  });

  it('a move and a delete of the same pair: the pair is gone on both, no ghost row', () => {
    const [x, y] = replicas();
    movePair(x!, 'c', 0);
    deletePair(y!, 'c');
    syncAll(x!, y!);
    expectConverged([x!, y!], ['a', 'b', 'd', 'e']);
    for (const doc of [x!, y!]) {
      expect(getPair(doc, 'c')).toBeUndefined();
      expect(readAllPairs(doc).some((p) => p.id === 'c')).toBe(false);
    }
    // Later operations ignore the stale id left in the raw order.
    movePair(x!, 'e', 0);
    insertPair(y!, { id: 'n' }, null);
    syncAll(x!, y!);
    expectConverged([x!, y!]);
    expect(readOrder(x!)[0]).toMatch(/^[ne]$/);
  });

  it('a move and a delete of the same pair, applied in either order, agree', () => {
    for (const xFirst of [true, false]) {
      const [x, y] = replicas();
      movePair(x!, 'a', 3);
      deletePair(y!, 'a');
      const ux = Y.encodeStateAsUpdate(x!);
      const uy = Y.encodeStateAsUpdate(y!);
      const third = new Y.Doc();
      for (const u of xFirst ? [ux, uy] : [uy, ux]) Y.applyUpdate(third, u);
      syncAll(x!, y!);
      expectConverged([x!, y!, third], ['b', 'c', 'd', 'e']);
    }
  });
});

describe('concurrent inserts and deletes', () => {
  it('two inserts after the same pair are both kept, in the same order on both docs', () => {
    const [x, y] = replicas();
    insertPair(x!, { id: 'x1', vi: 'từ x', fr: 'de x' }, 'b');
    insertPair(y!, { id: 'y1', vi: 'từ y', fr: 'de y' }, 'b');
    syncAll(x!, y!);
    const order = expectConverged([x!, y!], [...IDS, 'x1', 'y1']);
    expect(order.slice(0, 2)).toEqual(['a', 'b']);
    expect(order.slice(2, 4).sort()).toEqual(['x1', 'y1']);
    expect(order.slice(4)).toEqual(['c', 'd', 'e']);
  });

  it('inserts at the start and at the end from two docs are all kept', () => {
    const [x, y] = replicas();
    insertPair(x!, { id: 'x0' }, null);
    insertPair(y!, { id: 'y0' }, null);
    insertPair(x!, { id: 'xz' });
    insertPair(y!, { id: 'yz' });
    syncAll(x!, y!);
    const order = expectConverged([x!, y!], [...IDS, 'x0', 'y0', 'xz', 'yz']);
    expect(order.slice(0, 2).sort()).toEqual(['x0', 'y0']);
    expect(order.slice(-2).sort()).toEqual(['xz', 'yz']);
  });

  it('an insert after a pair that is concurrently deleted is kept', () => {
    const [x, y] = replicas();
    insertPair(x!, { id: 'n', vi: 'mới', fr: 'nouveau' }, 'c');
    deletePair(y!, 'c');
    syncAll(x!, y!);
    expect(expectConverged([x!, y!])).toEqual(['a', 'b', 'n', 'd', 'e']);
  });

  it('the same pair deleted by both docs is simply gone', () => {
    const [x, y] = replicas();
    deletePair(x!, 'd');
    deletePair(y!, 'd');
    syncAll(x!, y!);
    expect(expectConverged([x!, y!])).toEqual(['a', 'b', 'c', 'e']);
  });

  it('a kind change and a move of the same pair both apply', () => {
    const [x, y] = replicas();
    setPairKind(x!, 'b', 'closing');
    movePair(y!, 'b', 4);
    syncAll(x!, y!);
    expect(expectConverged([x!, y!])).toEqual(['a', 'c', 'd', 'e', 'b']);
    expect(readPairText(x!, 'b')?.kind).toBe('closing');
  });

  it('a text edit and a move of the same pair both apply (the content is not recreated)', () => {
    const [x, y] = replicas();
    typeInto(x!, 'b', 'fr', 1, ' modifié');
    movePair(y!, 'b', 3);
    syncAll(x!, y!);
    expect(expectConverged([x!, y!])).toEqual(['a', 'c', 'd', 'b', 'e']);
    expect(readPairText(y!, 'b')?.fr).toBe('b modifié fr');
  });
});

describe('concurrent split and edit', () => {
  const vi = 'Hai bên nhất trí tăng cường hợp tác';
  const fr = 'Les deux parties conviennent de renforcer la coopération';

  function splitReplicas(): Y.Doc[] {
    const origin = new Y.Doc();
    origin.clientID = 1;
    insertPair(origin, { id: 'a', vi: 'trước', fr: 'avant' });
    insertPair(origin, { id: 'p', vi, fr });
    insertPair(origin, { id: 'z', vi: 'sau', fr: 'après' });
    return [cloneDoc(origin, 10), cloneDoc(origin, 11)];
  }

  it('an edit before the cut stays in the first pair', () => {
    const [x, y] = splitReplicas();
    const cut = vi.indexOf('tăng');
    const next = splitPair(x!, 'p', { vi: cut });
    typeInto(y!, 'p', 'vi', 3, ' [A]');
    syncAll(x!, y!);
    expect(expectConverged([x!, y!])).toEqual(['a', 'p', next, 'z']);
    expect(readPairText(x!, 'p')?.vi).toBe('Hai [A] bên nhất trí ');
    expect(readPairText(x!, next)?.vi).toBe('tăng cường hợp tác');
    expect(readPairText(x!, 'p')?.fr).toBe(fr);
  });

  it('an edit after the cut is neither lost nor duplicated', () => {
    const [x, y] = splitReplicas();
    const cut = fr.indexOf('renforcer');
    const next = splitPair(x!, 'p', { fr: cut });
    typeInto(y!, 'p', 'fr', fr.indexOf('la coopération'), '[B] ');
    syncAll(x!, y!);
    expectConverged([x!, y!]);
    const all = allText(x!);
    expect(occurrences(all, '[B]')).toBe(1);
    expect(occurrences(all, 'renforcer')).toBe(1);
    expect(occurrences(all, 'coopération')).toBe(1);
    expect(readPairText(x!, next)?.fr.startsWith('renforcer')).toBe(true);
  });

  it('an edit in the other language is untouched by the split', () => {
    const [x, y] = splitReplicas();
    const next = splitPair(x!, 'p', { vi: 7 });
    typeInto(y!, 'p', 'fr', fr.length, '.');
    syncAll(x!, y!);
    expectConverged([x!, y!]);
    expect(readPairText(x!, 'p')).toMatchObject({ vi: 'Hai bên', fr: `${fr}.` });
    expect(readPairText(x!, next)).toMatchObject({ vi: ' nhất trí tăng cường hợp tác', fr: '' });
  });

  it('two docs splitting the same pair converge', () => {
    const [x, y] = splitReplicas();
    splitPair(x!, 'p', { vi: 3, fr: 3 });
    splitPair(y!, 'p', { vi: 10, fr: 20 });
    syncAll(x!, y!);
    const order = expectConverged([x!, y!]);
    expect(order).toHaveLength(5);
    expect(order[0]).toBe('a');
    expect(order[1]).toBe('p');
    expect(order[4]).toBe('z');
  });

  it('a split and a merge of the same pair converge', () => {
    const [x, y] = splitReplicas();
    splitPair(x!, 'p', { vi: 3, fr: 3 });
    mergeWithNext(y!, 'p');
    syncAll(x!, y!);
    expectConverged([x!, y!]);
  });
});

describe('cells typed into by two editors at once', () => {
  /**
   * Two editors typing into the same empty paragraph each create a Y.XmlText
   * in it (y-prosemirror does so), so the paragraph holds two text nodes.
   */
  function twoTextNodes(): { docs: Y.Doc[]; whole: string } {
    const origin = new Y.Doc();
    origin.clientID = 1;
    insertPair(origin, { id: 'p', vi: '', fr: '' });
    insertPair(origin, { id: 'q', vi: 'Toulouse', fr: 'Toulouse' });
    const x = cloneDoc(origin, 10);
    const y = cloneDoc(origin, 11);
    editorWrite(x, 'p', 'vi', ['Hà Nội']);
    editorWrite(y, 'p', 'vi', ['Huế']);
    syncAll(x, y);
    const paragraph = getPair(x, 'p')!.cell('vi').get(0) as Y.XmlElement;
    expect(paragraph.length).toBe(2);
    const whole = readPairText(x, 'p')!.vi;
    expect([...whole].sort().join('')).toBe([...'Hà NộiHuế'].sort().join(''));
    return { docs: [x, y], whole };
  }

  it('the text of such a paragraph is both nodes', () => {
    const { docs } = twoTextNodes();
    expectConverged(docs);
  });

  it('splitting inside such a paragraph cuts the text once, without duplicating it', () => {
    for (let at = 0; at <= 'Hà NộiHuế'.length; at++) {
      const { docs, whole } = twoTextNodes();
      const next = splitPair(docs[0]!, 'p', { vi: at });
      expect([readPairText(docs[0]!, 'p')?.vi, readPairText(docs[0]!, next)?.vi], `split at ${at}`).toEqual([
        whole.slice(0, at),
        whole.slice(at),
      ]);
      syncAll(...docs);
      expectConverged(docs);
    }
  });

  it('merging the next pair into such a paragraph appends at its end', () => {
    const { docs, whole } = twoTextNodes();
    mergeWithNext(docs[0]!, 'p');
    expect(readPairText(docs[0]!, 'p')?.vi).toBe(`${whole} Toulouse`);
    syncAll(...docs);
    expectConverged(docs);
    const node = yXmlFragmentToProseMirrorRootNode(getPair(cloneDoc(docs[0]!, 99), 'p')!.cell('vi'), cellSchema);
    expect(node.textContent).toBe(`${whole} Toulouse`);
  });

  it('typing into an empty cell while the pair is merged with the next keeps the typing', () => {
    const origin = new Y.Doc();
    origin.clientID = 1;
    insertPair(origin, { id: 'p', vi: '', fr: 'Hanoï' });
    insertPair(origin, { id: 'q', vi: 'Toulouse', fr: 'Toulouse' });
    const x = cloneDoc(origin, 10);
    const y = cloneDoc(origin, 11);
    mergeWithNext(x, 'p');
    editorWrite(y, 'p', 'vi', ['Hà Nội']);
    syncAll(x, y);
    expectConverged([x, y]);
    const vi = readPairText(x, 'p')!.vi;
    expect(occurrences(vi, 'Hà Nội')).toBe(1);
    expect(occurrences(vi, 'Toulouse')).toBe(1);
    expect(readPairText(x, 'p')!.fr).toBe('Hanoï Toulouse');
  });
});

describe('all replicas see the same texts', () => {
  it('after a mixed burst of operations on three docs', () => {
    const [x, y, z] = replicas(3);
    insertPair(x!, { id: 'n1', vi: 'mới', fr: 'nouveau' }, 'a');
    splitPair(y!, 'c', { vi: 1, fr: 2 });
    mergeWithNext(z!, 'd');
    movePair(x!, 'e', 0);
    deletePair(y!, 'b');
    setPairKind(z!, 'a', 'title');
    syncAll(x!, y!, z!);
    expectConverged([x!, y!, z!]);
    expect(texts(x!)).toEqual(texts(z!));
  });
});
