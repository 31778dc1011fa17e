const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A short random id (e.g. for a paragraph pair). Uses getRandomValues, which
 * browsers offer on plain-http pages too (randomUUID needs a secure context).
 */
export function newId(prefix = '', length = 12): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = prefix;
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}
