import * as Y from 'yjs';

/**
 * The one text identity of Accord (DESIGN.md decision 2): every hash, diff,
 * check and search works on the string this module derives. NFC so that
 * Vietnamese typed in NFD compares equal; whitespace such as U+00A0 and U+202F
 * is kept as it is, because French typography depends on it.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

/** Paragraphs within one cell are joined by this separator. */
export const PARAGRAPH_SEPARATOR = '\n';

/**
 * The characters of a Y.XmlText, without the formatting tags toString() adds:
 * the string inserts of toDelta(), read from the items themselves (the
 * server reads a pair after every turn someone typed in it; building the
 * delta and its attribute objects cost more than the reading).
 */
function xmlTextString(text: Y.XmlText): string {
  let out = '';
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) out += item.content.str;
  }
  return out;
}

/** Plain text of one paragraph element: its text runs concatenated. */
function paragraphText(element: Y.XmlElement): string {
  let out = '';
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) out += xmlTextString(child);
  }
  return out;
}

/**
 * Plain, NFC-normalised text of one cell (one language of one pair), derived
 * from the Y.XmlFragment that y-prosemirror binds to the editor.
 */
export function cellPlainText(fragment: Y.XmlFragment): string {
  const parts: string[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) parts.push(paragraphText(child));
    else if (child instanceof Y.XmlText) parts.push(xmlTextString(child));
  }
  return normalizeText(parts.join(PARAGRAPH_SEPARATOR));
}
