import type { ExportModel } from './model.ts';

/**
 * The JSON export: the record itself, for people and programs that check it
 * without Accord — the version's canonical text (which its hash covers), its
 * seal, each head's signature with everything it covers, the chain head and
 * the server's public key. `accord verify --against FILE.json` checks it
 * against the store; anyone can check the signatures with the public key.
 */
export function renderJson(model: ExportModel): Buffer {
  const { version, signatures, head, publicKeyPem } = model.record;
  const body = {
    format: 'accord-export-v1',
    attestation: model.attestation,
    document: { id: model.documentId, title: model.title },
    version: version
      ? {
          number: version.number,
          createdAt: version.createdAt,
          hash: version.hash,
          prevHash: version.prevHash,
          seq: version.seq,
          prevLink: version.prevLink,
          seal: version.seal,
          requiredParties: version.requiredParties,
          signedOff: model.signedOff,
          // The exact string its SHA-256 is: hash it to check.
          content: version.content,
        }
      : null,
    draft: version ? null : { generatedAt: model.generatedAt, parties: model.parties, pairs: model.pairs.map(({ id, kind, vi, fr }) => ({ id, kind, vi, fr })) },
    signatures: signatures.map((s) => ({
      partyId: s.partyId,
      accountId: s.accountId,
      signerName: s.signerName,
      signedAt: s.signedAt,
      format: s.format,
      seq: s.seq,
      prevLink: s.prevLink,
      signature: s.signature,
    })),
    chainHead: head,
    key: { algorithm: 'Ed25519', fingerprint: model.attestation.keyFingerprint, publicKeyPem },
  };
  return Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
}
