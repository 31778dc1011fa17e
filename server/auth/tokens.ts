import { createHash, randomBytes } from 'node:crypto';

/** A new secret token (256 bits, URL-safe). Shown once; only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Tokens are 43 URL-safe characters; anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
