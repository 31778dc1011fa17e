import type { ChainHead, StoredVersion } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { canonicalParties, parseVersionContent, recordsParties, serializeVersion, versionHash, type VersionContent } from './canonical.ts';
import { chainEntries, entryLink, headPayload, legacySignaturePayload, signaturePayload, versionSealPayload, type ChainEntry } from './chain.ts';
import type { ChainHeadFile } from './chainHeadFile.ts';
import type { ServerKey } from './serverKey.ts';

/** What `accord verify` and GET …/verify report: the chain as a whole, then each version with its signatures. */
export interface VerificationReport {
  ok: boolean;
  documentId: string;
  keyFingerprint: string;
  chain: {
    ok: boolean;
    /** Entries (versions and signatures) the store holds in the chain. */
    entries: number;
    /** The head the store's entries end with (null: no entry). */
    head: { seq: number; link: string } | null;
    problems: string[];
    /** Facts worth knowing that are not tampering (e.g. no head kept beside the key yet). */
    notes: string[];
  };
  versions: Array<{ number: number; ok: boolean; problems: string[] }>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The checks of one version's own record: its text, hash, number and the parties it was cut for. */
function versionRecordProblems(documentId: string, version: StoredVersion): { problems: string[]; format: VersionContent['format'] | undefined } {
  const problems: string[] = [];
  let content: VersionContent | undefined;
  let canonical: string | undefined;
  try {
    content = parseVersionContent(version.content);
    canonical = serializeVersion(content);
  } catch {
    problems.push('its stored text is not readable (tampered)');
  }
  if (!content || canonical === undefined) return { problems, format: undefined };
  if (canonical !== version.content || versionHash(canonical) !== version.hash) problems.push('its text does not match its hash (tampered)');
  if (content.number !== version.number || content.documentId !== documentId) problems.push('its number or document does not match its record');
  if (content.prevHash !== version.prevHash) problems.push('its recorded predecessor differs from the one it was hashed with');
  if (content.format === 'accord-version-v3' && !same(content.parties, canonicalParties(version.requiredParties))) {
    problems.push('the parties recorded for it differ from those it was cut for');
  }
  return { problems, format: content.format };
}

/**
 * Checks a document's whole chain — every version's text and hash, the order
 * and links of every version and signature, every seal and signature, and the
 * chain's end against its signed head (in the store and, when given, in the
 * file beside the key) — and names every problem found. Needs only the store,
 * the key and the head file: the CLI runs it without a server.
 */
export async function verifyChain(
  store: Store,
  key: ServerKey,
  documentId: string,
  headFile?: ChainHeadFile,
  options: { attestingLegacy?: boolean } = {},
): Promise<VerificationReport> {
  const versions = await store.listVersions(documentId);
  const signatures = await store.listSignatures(documentId);
  const storedHead = await store.getChainHead(documentId);
  const chainProblems: string[] = [];
  const notes: string[] = [];
  const perVersion = new Map<number, string[]>(versions.map((v) => [v.number, []]));
  const problem = (number: number, text: string) => {
    const list = perVersion.get(number);
    if (list) list.push(text);
    else chainProblems.push(`version ${number}: ${text}`);
  };
  const headSigned = (head: ChainHead) => key.verify(headPayload(documentId, head.seq, head.link), head.signature);
  const attested = storedHead && headSigned(storedHead) ? storedHead.seq : 0;
  // An entry made before seals carries no signature over its place in the chain: only an attested head holds it there
  // (or the check that comes before attesting it, at the first start after the upgrade: chainStartup.ts).
  // Entries from before seals all precede the first sealed one: an unsealed entry after it was made outside Accord.
  let sealedSeen = false;
  const legacyHeld = (seq: number) => !sealedSeen && (options.attestingLegacy === true || seq <= attested);

  let expectedSeq = 1;
  let link: string | null = null;
  const links = new Map<number, string>();
  const inChain = new Map<number, StoredVersion>();
  let lastVersion: StoredVersion | undefined;
  const entries: ChainEntry[] = chainEntries(versions, signatures);
  for (const entry of entries) {
    const number = entry.kind === 'version' ? entry.version.number : entry.signature.version;
    const what = entry.kind === 'version' ? 'it' : `the signature of party "${entry.signature.partyId}"`;
    if (entry.seq === null) {
      problem(number, `${what} has no place in the chain (added outside Accord)`);
      continue;
    }
    if (entry.seq > expectedSeq) chainProblems.push(entry.seq - expectedSeq === 1 ? `entry ${expectedSeq} of the chain is missing (deleted)` : `entries ${expectedSeq}–${entry.seq - 1} of the chain are missing (deleted)`);
    if (entry.seq < expectedSeq) chainProblems.push(`two entries claim place ${entry.seq} in the chain`);
    if (entry.prevLink !== link) problem(number, `${what} does not follow the entry before it in the chain (an earlier version or signature was deleted, altered or moved)`);

    if (entry.kind === 'version') {
      const v = entry.version;
      const record = versionRecordProblems(documentId, v);
      for (const p of record.problems) problem(v.number, p);
      const expectedNumber = (lastVersion?.number ?? 0) + 1;
      if (v.number !== expectedNumber) problem(v.number, `it is out of order: the chain has it where version ${expectedNumber} belongs`);
      if (v.prevHash !== (lastVersion?.hash ?? null)) problem(v.number, `it is not chained to version ${v.number - 1}'s hash`);
      if (v.seal !== null) {
        const sealed = key.verify(versionSealPayload({ documentId, seq: entry.seq, prevLink: entry.prevLink, number: v.number, hash: v.hash, requiredParties: v.requiredParties }), v.seal);
        if (!sealed) problem(v.number, 'its seal by the server key does not verify (its text, hash, parties or place in the chain were rewritten)');
      } else if (record.format === undefined || recordsParties(record.format) || !legacyHeld(entry.seq)) {
        problem(v.number, 'it carries no seal by the server key (added or rewritten outside Accord)');
      }
      if (v.seal !== null) sealedSeen = true;
      inChain.set(v.number, v);
      lastVersion = v;
    } else {
      const s = entry.signature;
      const version = inChain.get(s.version);
      if (!version) {
        problem(s.version, `${what} names a version that does not come before it in the chain`);
      } else {
        if (!version.requiredParties.some((p) => p.id === s.partyId)) problem(s.version, `party "${s.partyId}" signed it but is not among the parties it was cut for`);
        const payload =
          s.format === 'v2'
            ? signaturePayload({ documentId, seq: entry.seq, prevLink: entry.prevLink, version: s.version, hash: version.hash, partyId: s.partyId, accountId: s.accountId, signerName: s.signerName, signedAt: s.signedAt })
            : legacySignaturePayload({ documentId, version: s.version, hash: version.hash, partyId: s.partyId, accountId: s.accountId, signedAt: s.signedAt });
        if (!key.verify(payload, s.signature)) problem(s.version, `${what} does not verify`);
        else if (s.format === 'v1' && !legacyHeld(entry.seq)) problem(s.version, `${what} was made before the chain and is not held by its signed head (added outside Accord)`);
        if (s.format === 'v2') sealedSeen = true;
      }
    }
    link = entryLink(documentId, entry);
    links.set(entry.seq, link);
    expectedSeq = Math.max(expectedSeq, entry.seq + 1);
  }
  const lastSeq = expectedSeq - 1;

  if (storedHead) {
    if (!headSigned(storedHead)) chainProblems.push('its recorded head is not signed by the server key (forged)');
    else if (storedHead.seq > lastSeq) chainProblems.push(`the chain was cut: its signed head says ${storedHead.seq} entries, the store holds ${lastSeq} (the last versions or signatures were deleted)`);
    else if (storedHead.seq < lastSeq) chainProblems.push(`entries after its signed head (${storedHead.seq}) were added outside Accord`);
    else if (storedHead.link !== link) chainProblems.push('its last entry is not the one its signed head names (rewritten)');
  } else if (lastSeq > 0 && !options.attestingLegacy) {
    chainProblems.push('it has no signed chain head (the head was deleted, or the server has not started since the upgrade that brought chain heads)');
  }

  if (headFile) {
    let kept: ChainHead | undefined;
    try {
      kept = headFile.get(documentId);
    } catch (error) {
      chainProblems.push(`the chain heads file beside the key cannot be read: ${(error as Error).message}`);
    }
    if (kept) {
      if (!headSigned(kept)) chainProblems.push(`the head kept beside the key (${headFile.file}) is not signed by the server key (forged)`);
      else if (kept.seq > lastSeq) chainProblems.push(`the chain was cut or rolled back: the head kept beside the key says ${kept.seq} entries, the store holds ${lastSeq}`);
      else if (links.get(kept.seq) !== kept.link) chainProblems.push(`the chain was rewritten: its entry ${kept.seq} is not the one the head kept beside the key names`);
      else if (kept.seq < lastSeq) notes.push(`the head kept beside the key is at entry ${kept.seq} of ${lastSeq} (it catches up at the server's next start)`);
    } else if (lastSeq > 0) {
      notes.push(`no head of this declaration is kept beside the key (${headFile.file}) yet: only the database's own head guards against deletions`);
    }
  }

  const report = versions.map((v) => ({ number: v.number, ok: perVersion.get(v.number)!.length === 0, problems: perVersion.get(v.number)! }));
  const chainOk = chainProblems.length === 0;
  return {
    ok: chainOk && report.every((v) => v.ok),
    documentId,
    keyFingerprint: key.fingerprint,
    chain: { ok: chainOk, entries: links.size, head: link !== null ? { seq: lastSeq, link } : null, problems: chainProblems, notes },
    versions: report,
  };
}
