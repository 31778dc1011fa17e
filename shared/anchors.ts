import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';

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
