import * as Y from 'yjs';
import { findInText, type FindOptions } from './find.ts';
import { getPair, LANGS, readOrder, type Lang } from './model/index.ts';

/**
 * Find and replace over a declaration's Y.Doc: every pair in reading order,
 * Vietnamese then French, paragraph by paragraph. Replacing edits the
 * paragraph's Y.XmlText as typing does (delete, then insert with the
 * formatting of the first replaced letter), so the edit syncs, is stored and
 * makes approvals stale like any other.
 */

export interface DocMatch {
  pairId: string;
  lang: Lang;
  /** Index of the paragraph among the cell's paragraphs. */
  paragraph: number;
  /** The Y.XmlText the match lies in. */
  text: Y.XmlText;
  /** Characters [from, to) of `text`. */
  from: number;
  to: number;
  /** Characters [from, to) counted from the start of the paragraph (its earlier text nodes included). */
  paragraphFrom: number;
  paragraphTo: number;
}

export interface DocFindOptions extends FindOptions {
  /** Only these languages (both by default). */
  langs?: readonly Lang[];
}

/** The characters of a Y.XmlText (toString() would add formatting tags). */
export function xmlTextChars(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as Array<{ insert: unknown }>) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

/**
 * Every match of `query` in the document, in reading order. Tone folding, when
 * asked, applies to the Vietnamese cells only: in French it would make "é" and
 * "e" the same letter.
 */
export function findInDoc(doc: Y.Doc, query: string, options: DocFindOptions = {}): DocMatch[] {
  const out: DocMatch[] = [];
  if (!query) return out;
  const langs = options.langs ?? LANGS;
  for (const pairId of readOrder(doc)) {
    const pair = getPair(doc, pairId);
    if (!pair) continue;
    for (const lang of langs) {
      const textOptions: FindOptions = { tones: lang === 'vi' && !!options.tones };
      let paragraph = -1;
      for (const element of pair.cell(lang).toArray()) {
        if (!(element instanceof Y.XmlElement) || element.nodeName !== 'paragraph') continue;
        paragraph++;
        let offset = 0;
        for (const child of element.toArray()) {
          if (!(child instanceof Y.XmlText)) continue;
          const chars = xmlTextChars(child);
          for (const m of findInText(chars, query, textOptions)) {
            out.push({ pairId, lang, paragraph, text: child, from: m.from, to: m.to, paragraphFrom: offset + m.from, paragraphTo: offset + m.to });
          }
          offset += chars.length;
        }
      }
    }
  }
  return out;
}

/** The formatting of the character at `index` of a Y.XmlText. */
function attributesAt(text: Y.XmlText, index: number): Record<string, unknown> {
  let at = 0;
  for (const op of text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1;
    if (index < at + length) return { ...(op.attributes ?? {}) };
    at += length;
  }
  return {};
}

/** Replaces one match's characters (inside a transaction of the caller's, or its own). */
function replaceIn(text: Y.XmlText, from: number, to: number, replacement: string): void {
  const attributes = attributesAt(text, from);
  text.delete(from, to - from);
  if (replacement) text.insert(from, replacement, attributes);
}

/**
 * Replaces one match, if its characters are still what it found (the text may
 * have changed since); returns whether it did.
 */
export function replaceMatch(doc: Y.Doc, match: DocMatch, query: string, replacement: string, options: FindOptions = {}, origin: unknown = null): boolean {
  const chars = xmlTextChars(match.text);
  const still = findInText(chars, query, { tones: match.lang === 'vi' && !!options.tones }).some((m) => m.from === match.from && m.to === match.to);
  if (!still || match.text.doc !== doc) return false;
  doc.transact(() => replaceIn(match.text, match.from, match.to, replacement.normalize('NFC')), origin);
  return true;
}

/** Replaces every match in one transaction (one update); returns how many. */
export function replaceAll(doc: Y.Doc, query: string, replacement: string, options: DocFindOptions = {}, origin: unknown = null): number {
  const matches = findInDoc(doc, query, options);
  if (matches.length === 0) return 0;
  const text = replacement.normalize('NFC');
  doc.transact(() => {
    // Last first in each text node, so earlier offsets still hold.
    for (let i = matches.length - 1; i >= 0; i--) {
      const m = matches[i]!;
      replaceIn(m.text, m.from, m.to, text);
    }
  }, origin);
  return matches.length;
}
