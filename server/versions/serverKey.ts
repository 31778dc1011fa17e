import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The server's Ed25519 key, kept in DATA_DIR (created on first start, readable by the owner only). */
export interface ServerKey {
  publicKey: KeyObject;
  publicKeyPem: string;
  /** SHA-256 fingerprint of the public key (hex), shown beside signatures. */
  fingerprint: string;
  sign(data: Buffer): string;
  verify(data: Buffer, signature: string): boolean;
}

export const SERVER_KEY_FILE = 'server-ed25519.pem';

export function loadServerKey(dataDir: string): ServerKey {
  const file = path.join(dataDir, SERVER_KEY_FILE);
  if (!fs.existsSync(file)) {
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
