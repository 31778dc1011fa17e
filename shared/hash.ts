import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalCell, cellText, hasMarks, type CanonicalCell, type PairContent, type RunInput } from './canonicalText.ts';

/**
 * Hashes of the agreed text (docs/DESIGN.md decision 2, with formatting), the same
 * in the browser and on the server (a synchronous SHA-256 that also works on
 * plain-http pages, where Web Crypto is unavailable).
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** Both languages of a pair, in any form `canonicalCell` accepts. */
export interface PairInput {
  vi: ReadonlyArray<ReadonlyArray<RunInput>>;
  fr: ReadonlyArray<ReadonlyArray<RunInput>>;
}

/**
 * The hash an approval is bound to: both languages of a pair, bold and
 * italic included, in canonical form (so "ab"+"c" and "a"+"bc" cannot
 * collide, and runs split differently hash the same).
 */
export function pairHash(content: PairInput): string {
  return sha256Hex(pairHashInput(content));
}

/** The string `pairHash` hashes (for a server that hashes it with a native SHA-256: same input, same hash). */
export function pairHashInput(content: PairInput): string {
  return canonicalPairHashInput({ vi: canonicalCell(content.vi), fr: canonicalCell(content.fr) });
}

/** A cell's runs for the hash: `[text, ...marks]` each. */
const encodeCell = (cell: CanonicalCell) => cell.map((paragraph) => paragraph.map((run) => (run.marks ? [run.text, ...run.marks] : [run.text])));

/**
 * `pairHashInput` of a pair already canonical, as `readPairContent` gives it,
 * without normalising it again: the server hashes a pair after every turn
 * someone typed in it.
 *
 * Two forms. A pair without any bold or italic is hashed as its plain text,
 * `accord-pair-v1`, exactly as before formatting was part of the agreed text:
 * approvals recorded then of such a pair still hold, and a version cut then
 * still matches them. A pair with formatting is hashed with its runs,
 * `accord-pair-v2`; the two tags keep the forms apart, so adding or removing
 * one bold word always changes the hash, and removing it again gives back
 * the plain hash.
 */
export function canonicalPairHashInput(content: PairContent): string {
  if (!hasMarks(content.vi) && !hasMarks(content.fr)) return JSON.stringify(['accord-pair-v1', cellText(content.vi), cellText(content.fr)]);
  return JSON.stringify(['accord-pair-v2', encodeCell(content.vi), encodeCell(content.fr)]);
}
