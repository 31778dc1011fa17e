import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { normalizeText } from './text.ts';

/**
 * Hashes of the text identity (DESIGN.md decision 2), the same in the browser
 * and on the server (a synchronous SHA-256 that also works on plain-http pages,
 * where Web Crypto is unavailable).
 */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/**
 * The hash an approval is bound to: both languages of a pair, NFC, in a
 * canonical JSON form (so "ab"+"c" and "a"+"bc" cannot collide).
 */
export function pairHash(text: { vi: string; fr: string }): string {
  return sha256Hex(pairHashInput(text));
}

/** The string `pairHash` hashes (for a server that hashes it with a native SHA-256: same input, same hash). */
export function pairHashInput(text: { vi: string; fr: string }): string {
  return normalizedPairHashInput({ vi: normalizeText(text.vi), fr: normalizeText(text.fr) });
}

/**
 * `pairHashInput` of text already NFC, as `readPairText` gives it (NFC is
 * idempotent: same string), without normalizing it again: the server hashes a
 * pair after every turn someone typed in it.
 */
export function normalizedPairHashInput(text: { vi: string; fr: string }): string {
  return JSON.stringify(['accord-pair-v1', text.vi, text.fr]);
}
