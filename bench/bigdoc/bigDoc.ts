/**
 * The big document of issue 7 scenarios 2 and 3, built deterministically in
 * the shape of Accord's model (shared/model: `order` + `paragraphs`, each pair
 * a vi and a fr Y.XmlFragment of paragraphs): `pairs` pairs of ~1,500
 * characters per language (three paragraphs cut from the demo declaration's
 * text at seeded offsets), then a history of single-character edits typed by
 * several clients interleaved, inserting and deleting at random places, so
 * the encoded state carries the many small items a long editing session leaves.
 * The same bytes are seeded into every server.
 */
import * as Y from 'yjs';
import { insertPair, paragraphXmlText, paragraphsMap } from '../../shared/model/index.ts';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';

export interface BigDocOptions {
  pairs: number;
  /** Characters per language per pair (split into three paragraphs). */
  charsPerCell: number;
  /** Single-character edits after the first text. */
  edits: number;
  /** Distinct editing clients, interleaved. */
  editors: number;
  seed: number;
}

export const BIG_DOC: BigDocOptions = { pairs: 200, charsPerCell: 1500, edits: 50_000, editors: 6, seed: 7 };

/** Mulberry32: a small seeded PRNG, so every run builds the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A pair id of the model's id pattern. */
export const bigPairId = (i: number) => `p${String(i).padStart(5, '0')}`;

/** Builds the big document; returns the doc (caller destroys it) and its encoded state. */
export function buildBigDoc(options: BigDocOptions = BIG_DOC): { doc: Y.Doc; update: Uint8Array } {
  const random = prng(options.seed);
  const source = {
    vi: jointDeclaration.pairs.map((p) => p.vi).join(' ').replace(/\s+/g, ' '),
    fr: jointDeclaration.pairs.map((p) => p.fr).join(' ').replace(/\s+/g, ' '),
  };
  const slice = (text: string, length: number) => {
    const start = Math.floor(random() * (text.length - length));
    return text.slice(start, start + length);
  };
  const third = Math.floor(options.charsPerCell / 3);
  const cell = (lang: 'vi' | 'fr') => [slice(source[lang], third), slice(source[lang], third), slice(source[lang], options.charsPerCell - 2 * third)].join('\n');

  const doc = new Y.Doc({ gc: true });
  doc.clientID = 1;
  doc.transact(() => {
    for (let i = 0; i < options.pairs; i++) insertPair(doc, { id: bigPairId(i), kind: i === 0 ? 'title' : 'operative', vi: cell('vi'), fr: cell('fr') });
  });

  // Every paragraph's text, the places the edits land in.
  const texts: Y.XmlText[] = [];
  for (const pair of paragraphsMap(doc).values()) {
    for (const lang of ['vi', 'fr'] as const) {
      const fragment = pair.get(lang) as Y.XmlFragment;
      for (const element of fragment.toArray()) {
        const text = element instanceof Y.XmlElement ? paragraphXmlText(element) : undefined;
        if (text) texts.push(text);
      }
    }
  }
  const alphabet = 'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạéèẻẽẹ ';
  for (let e = 0; e < options.edits; e++) {
    doc.clientID = 100 + Math.floor(random() * options.editors);
    const text = texts[Math.floor(random() * texts.length)]!;
    const length = text.length;
    if (random() < 0.6 || length < 50) text.insert(Math.floor(random() * (length + 1)), alphabet[Math.floor(random() * alphabet.length)]!);
    else text.delete(Math.floor(random() * length), 1);
  }
  return { doc, update: Y.encodeStateAsUpdate(doc) };
}
