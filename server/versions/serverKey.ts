import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_KEY_FILE_NAME, type Config } from '../config.ts';
import type { Store } from '../store/types.ts';

/**
 * The server's Ed25519 key (ACCORD_KEY_FILE, by default DATA_DIR/server-ed25519.pem;
 * created on first start, readable by the owner only). Everything the chain of
 * versions trusts is signed with it: version seals, heads' signatures, chain heads.
 */
export interface ServerKey {
  publicKey: KeyObject;
  publicKeyPem: string;
  /** SHA-256 fingerprint of the public key (hex), shown beside signatures. */
  fingerprint: string;
  sign(data: Buffer): string;
  verify(data: Buffer, signature: string): boolean;
}

/**
 * Loads the key from `file`; creates it there (and its folder, owner-only)
 * when `create` is set and there is none yet.
 */
export function loadServerKey(file: string, options: { create: boolean } = { create: true }): ServerKey {
  if (!fs.existsSync(file)) {
    if (!options.create) throw new Error(`There is no server key at ${file} (ACCORD_KEY_FILE): nothing can be verified without the key that signed it.`);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey,
    publicKeyPem,
    fingerprint: createHash('sha256').update(der).digest('hex'),
    sign: (data) => sign(null, data, privateKey).toString('base64'),
    verify: (data, signature) => {
      try {
        return verify(null, data, publicKey, Buffer.from(signature, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/**
 * The server's key at start-up. A fresh key is made only where making one
 * loses nothing: never when ACCORD_KEY_FILE points at an empty place while
 * DATA_DIR still holds the old key (the operator meant to move it), nor when
 * the store already holds versions (a new key would make every seal and
 * signature so far fail to verify).
 */
export function openServerKey(config: Pick<Config, 'dataDir' | 'keyFile' | 'keyFileSet'>, storeHasVersions: boolean): ServerKey {
  if (!fs.existsSync(config.keyFile)) {
    const oldPlace = path.join(config.dataDir, DEFAULT_KEY_FILE_NAME);
    if (config.keyFileSet && fs.existsSync(oldPlace)) {
      throw new Error(
        `ACCORD_KEY_FILE is ${config.keyFile}, which does not exist, but DATA_DIR holds the server key ${oldPlace}. ` +
          `Move it there (mv ${oldPlace} ${config.keyFile}, and its .chain-heads.json beside it) and start again: a new key would make every signature so far fail to verify.`,
      );
    }
    if (storeHasVersions) {
      throw new Error(
        `The server key ${config.keyFile} is missing, but the store holds versions sealed and signed with a key. ` +
          'Restore the key file (or set ACCORD_KEY_FILE to where it is) and start again: a new key would make every signature so far fail to verify.',
      );
    }
  }
  return loadServerKey(config.keyFile, { create: true });
}

/** Whether any declaration has a version (then a missing key must not be replaced by a new one). */
export async function storeHasVersions(store: Store): Promise<boolean> {
  for (const document of await store.listDocuments()) if ((await store.listVersions(document.id)).length > 0) return true;
  return false;
}
