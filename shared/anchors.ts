import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { findInText, sameWords } from './find.ts';

/**
 * Comment anchors travel as Yjs relative positions, encoded to base64, so
 * they follow the text as anyone edits it, on every client and the server.
 */
export function encodeAnchorPosition(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

/** Decodes an anchor position; throws on anything that is not one. */
export function decodeAnchorPosition(encoded: string): Y.RelativePosition {
  return Y.decodeRelativePosition(fromBase64(encoded));
}

/** The anchor of a range [from, to) of one Y.XmlText: the end sticks to the character before it. */
export function anchorOfRange(text: Y.XmlText, from: number, to: number): { start: string; end: string } {
  return {
    start: encodeAnchorPosition(Y.createRelativePositionFromTypeIndex(text, from, 0)),
    end: encodeAnchorPosition(Y.createRelativePositionFromTypeIndex(text, to, -1)),
  };
}

/** True when the character a relative position sticks to has been deleted (or is not in the doc). */
function stuckToDeleted(doc: Y.Doc, position: Y.RelativePosition): boolean {
  if (!position.item) return false;
  try {
    return Y.getItem(doc.store, position.item).deleted;
  } catch {
    return false;
  }
}

/**
 * A thread's words retyped in place. Typing over selected words deletes the
 * characters the anchor sticks to, so its ends collapse onto the new words
 * (or onto the one letter the editor kept). When an end's character was
 * deleted and the range is no longer the quote, the range becomes the
 * occurrence of the quote (the same words, NFC or not: shared/find.ts) that
 * touches where the range is now, the nearest if several do. Otherwise the
 * range stays as it resolved (edits inside the words are followed as before).
 */
export function retypedRange(
  doc: Y.Doc,
  anchor: { start: Y.RelativePosition; end: Y.RelativePosition },
  chars: string,
  range: { from: number; to: number },
  quote: string | undefined,
): { from: number; to: number } {
  if (!quote) return range;
  if (!stuckToDeleted(doc, anchor.start) && !stuckToDeleted(doc, anchor.end)) return range;
  if (sameWords(chars.slice(range.from, range.to), quote)) return range;
  let best: { from: number; to: number } | undefined;
  let distance = Infinity;
  for (const m of findInText(chars, quote)) {
    if (m.from > range.to || m.to < range.from) continue;
    const d = Math.abs(m.from - range.from);
    if (d < distance) [best, distance] = [m, d];
  }
  return best ?? range;
}
