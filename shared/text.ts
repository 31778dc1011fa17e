import type * as Y from 'yjs';
import { paragraphString, walkCell } from './model/cellWalk.ts';

/**
 * The one text identity of Accord (docs/DESIGN.md decision 2): every hash, diff,
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
 * Plain, NFC-normalised text of one cell (one language of one pair), derived
 * from the Y.XmlFragment that y-prosemirror binds to the editor, by the walk
 * every reader of a cell uses (model/cellWalk.ts): what it holds is what a
 * page shows.
 */
export function cellPlainText(fragment: Y.XmlFragment): string {
  return normalizeText(walkCell(fragment).map(paragraphString).join(PARAGRAPH_SEPARATOR));
}
