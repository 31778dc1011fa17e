import { readAllPairContents } from '../../shared/canonicalText.ts';
import type { VersionPair } from '../../shared/diff.ts';
import { pairHash } from '../../shared/hash.ts';
import { ErrorCode } from '../../shared/protocol.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { HttpError } from '../errors.ts';
import type { DocumentAccess } from '../policies/access.ts';
import type { StoredSignature, StoredVersion } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { parseVersionContent, serializeVersion, signaturePayload, versionHash, type VersionContent } from './canonical.ts';
import type { ServerKey } from './serverKey.ts';
import { partiesWithoutAgreedStructure, structureNotAgreed } from './structureAgreed.ts';
import type { VersionSummary } from '../../shared/versions.ts';

export type { VersionSummary };

export interface VerificationReport {
  ok: boolean;
  documentId: string;
  keyFingerprint: string;
  versions: Array<{ number: number; ok: boolean; problems: string[] }>;
}

const versionNotFound = (documentId: string, number: number) =>
  new HttpError(404, ErrorCode.NotFound, `Declaration "${documentId}" has no version ${number}.`);

/**
 * Versions: immutable numbered snapshots of the whole text, each hashed over
 * its canonical serialisation and chained to the previous one, signed by each
 * party's head with the server's Ed25519 key once every pair is agreed.
 */
export class VersionService {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncServer,
    private readonly key: ServerKey,
  ) {}

  /** A version's content, its pairs in canonical form whatever its format. */
  static parse(version: StoredVersion): VersionContent {
    return parseVersionContent(version.content);
  }

  /** Cuts the next version of the live text. */
  async cut(access: DocumentAccess): Promise<StoredVersion> {
    const documentId = access.document.id;
    // Stored before the version that quotes it: a crash cannot leave a version of lost text.
    const pairs = (await this.sync.readStored(documentId, readAllPairContents)) ?? [];
    const previous = (await this.store.listVersions(documentId)).at(-1);
    const content: VersionContent = {
      format: 'accord-version-v2',
      documentId,
      number: (previous?.number ?? 0) + 1,
      createdAt: new Date().toISOString(),
      title: access.document.title,
      pairs: pairs.map((p) => ({ id: p.id, kind: p.kind, vi: p.vi, fr: p.fr })),
      prevHash: previous?.hash ?? null,
    };
    const serialized = serializeVersion(content);
    const version: StoredVersion = {
      documentId,
      number: content.number,
      createdAt: content.createdAt,
      createdBy: access.account.id,
      content: serialized,
      hash: versionHash(serialized),
      prevHash: content.prevHash,
    };
    await this.store.insertVersion(version);
    return version;
  }

  async list(documentId: string): Promise<VersionSummary[]> {
    const document = await this.store.getDocument(documentId);
    const signatures = await this.store.listSignatures(documentId);
    const names = new Map<string, string>();
    for (const id of new Set(signatures.map((s) => s.accountId))) names.set(id, (await this.store.getAccount(id))?.name ?? '—');
    return (await this.store.listVersions(documentId)).map((v) => {
      const signed = signatures.filter((s) => s.version === v.number).map((s) => ({ ...s, byName: names.get(s.accountId) ?? '—' }));
      return {
        number: v.number,
        createdAt: v.createdAt,
        createdBy: v.createdBy,
        hash: v.hash,
        prevHash: v.prevHash,
        pairCount: VersionService.parse(v).pairs.length,
        signatures: signed,
        signedOff: !!document && document.parties.length > 0 && document.parties.every((p) => signed.some((s) => s.partyId === p.id)),
      };
    });
  }

  async get(documentId: string, number: number): Promise<StoredVersion> {
    const version = await this.store.getVersion(documentId, number);
    if (!version) throw versionNotFound(documentId, number);
    return version;
  }

  /** The pairs of a version, or of the live draft. */
  async pairsOf(documentId: string, which: number | 'draft'): Promise<VersionPair[]> {
    if (which === 'draft') return (await this.sync.readStored(documentId, readAllPairContents)) ?? [];
    return VersionService.parse(await this.get(documentId, which)).pairs;
  }

  /**
   * A party head signs a version: only if every pair of that version is agreed
   * by every party, bound to exactly the version's text, and every party agreed
   * the version's structure (structureAgreed.ts).
   */
  async sign(access: DocumentAccess, number: number): Promise<StoredSignature> {
    const documentId = access.document.id;
    const partyId = access.member!.partyId!;
    const version = await this.get(documentId, number);
    const existing = (await this.store.listSignatures(documentId)).find((s) => s.version === number && s.partyId === partyId);
    if (existing) throw new HttpError(409, ErrorCode.Conflict, `Your party already signed version ${number}; a signature cannot be changed.`);
    const approvals = await this.store.listApprovals(documentId);
    const missing: string[] = [];
    for (const pair of VersionService.parse(version).pairs) {
      const hash = pairHash(pair);
      for (const party of access.document.parties) {
        const ok = approvals.some((a) => a.pairId === pair.id && a.partyId === party.id && a.status === 'agreed' && a.hash === hash);
        if (!ok) missing.push(`${pair.id} (${party.id})`);
      }
    }
    if (missing.length > 0) {
      throw new HttpError(
        409,
        ErrorCode.Conflict,
        `Version ${number} cannot be signed until every pair is agreed by every party; not yet agreed: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}.`,
      );
    }
    const structureMissing = await partiesWithoutAgreedStructure(this.store, access.document, VersionService.parse(version).pairs);
    if (structureMissing.length > 0) throw structureNotAgreed(number, structureMissing);
    const signedAt = new Date().toISOString();
    const payload = signaturePayload({ documentId, version: number, hash: version.hash, partyId, accountId: access.account.id, signedAt });
    const signature: StoredSignature = { documentId, version: number, partyId, accountId: access.account.id, signedAt, signature: this.key.sign(payload) };
    await this.store.insertSignature(signature);
    return signature;
  }

  /** Checks the whole chain and every signature; names every problem found. */
  verify(documentId: string): Promise<VerificationReport> {
    return verifyChain(this.store, this.key, documentId);
  }
}

/**
 * Checks a document's whole version chain and every signature, and names every
 * problem found. Needs only the store and the server key (the CLI runs it).
 */
export async function verifyChain(store: Store, key: ServerKey, documentId: string): Promise<VerificationReport> {
  const versions = await store.listVersions(documentId);
  const signatures = await store.listSignatures(documentId);
  let previousHash: string | null = null;
  const report: VerificationReport['versions'] = [];
  for (const version of versions) {
    const problems: string[] = [];
    let content: VersionContent | undefined;
    let canonical: string | undefined;
    try {
      content = parseVersionContent(version.content);
      canonical = serializeVersion(content);
    } catch {
      problems.push('its stored text is not readable (tampered)');
    }
    if (content && canonical !== undefined) {
      if (canonical !== version.content || versionHash(canonical) !== version.hash) problems.push('its text does not match its hash (tampered)');
      if (content.number !== version.number || content.documentId !== documentId) problems.push('its number or document does not match its record');
      if (content.prevHash !== version.prevHash) problems.push('its recorded predecessor differs from the one it was hashed with');
    }
    if (version.prevHash !== previousHash) problems.push(`it is not chained to version ${version.number - 1}'s hash`);
    for (const s of signatures.filter((x) => x.version === version.number)) {
      const payload = signaturePayload({ documentId, version: version.number, hash: version.hash, partyId: s.partyId, accountId: s.accountId, signedAt: s.signedAt });
      if (!key.verify(payload, s.signature)) problems.push(`the signature of party "${s.partyId}" does not verify`);
    }
    report.push({ number: version.number, ok: problems.length === 0, problems });
    previousHash = version.hash;
  }
  return { ok: report.every((v) => v.ok), documentId, keyFingerprint: key.fingerprint, versions: report };
}
