import { cellText, readAllPairContents } from '../../shared/canonicalText.ts';
import type { VersionPair } from '../../shared/diff.ts';
import { pairHash } from '../../shared/hash.ts';
import { restoreText, type RestoreSummary } from '../../shared/restoreText.ts';
import { ErrorCode, type PartySummary } from '../../shared/protocol.ts';
import type { SigningReadiness, VersionSummary } from '../../shared/versions.ts';
import type { SyncServer } from '../collaboration/syncServer.ts';
import { HttpError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DocumentAccess } from '../policies/access.ts';
import { ChainConflict, type ChainHead, type StoredSignature, type StoredVersion, type VersionLabel } from '../store/agreementTypes.ts';
import type { Store } from '../store/types.ts';
import { canonicalParties, CURRENT_VERSION_FORMAT, parseVersionContent, serializeVersion, versionHash, type VersionContent, type VersionContentV3 } from './canonical.ts';
import { entryLink, headPayload, signaturePayload, versionSealPayload } from './chain.ts';
import type { ChainHeadFile } from './chainHeadFile.ts';
import type { ServerKey } from './serverKey.ts';
import { partiesWithoutAgreedStructure, structureNotAgreed } from './structureAgreed.ts';
import { verifyChain, type VerificationReport } from './verify.ts';

export type { VersionSummary, VerificationReport };
export { verifyChain };

const versionNotFound = (documentId: string, number: number) =>
  new HttpError(404, ErrorCode.VersionNotFound, `Declaration "${documentId}" has no version ${number}.`, { n: number });

const chainBroken = (documentId: string) =>
  new HttpError(
    409,
    ErrorCode.ChainBroken,
    `The chain of versions and signatures of "${documentId}" does not end where its signed head says: rows were deleted or added outside Accord. Nothing more is recorded until it is repaired; run \`accord verify --document ${documentId}\`.`,
  );

/** A pair of a version one of its parties has not agreed with the version's text. */
interface MissingAgreement {
  number: number;
  pairId: string;
  /** The pair's first words, for the English message (logs, the CLI): never its id. */
  words: string;
  party: PartySummary;
}

/** At most this many pairs are named in a refusal (the page names them all before, from readiness()). */
const NAMED_PAIRS = 10;

/** "¶ 1 “first words” (Partie vietnamienne, Partie française)", one entry per pair. */
function byPair(missing: MissingAgreement[]): string {
  const groups = new Map<number, { words: string; parties: string[] }>();
  for (const m of missing) {
    const group = groups.get(m.number) ?? { words: m.words, parties: [] };
    group.parties.push(m.party.name.fr);
    groups.set(m.number, group);
  }
  return [...groups].map(([n, g]) => `¶ ${n} “${g.words}” (${g.parties.join(', ')})`).join(', ');
}

/** The refusal of a signature while pairs are not agreed: English for logs, ¶ numbers and party names for the page. */
function pairsNotAgreed(number: number, missing: MissingAgreement[]): HttpError {
  const named = missing.slice(0, NAMED_PAIRS);
  const more = missing.length - named.length;
  return new HttpError(
    409,
    ErrorCode.PairsNotAgreed,
    `Version ${number} cannot be signed until every pair is agreed by every party; not yet agreed: ${byPair(named)}${more > 0 ? ` and ${more} more` : ''}.`,
    { n: number, pairs: named.map((m) => ({ number: m.number, party: m.party.name })), more },
  );
}


/** What a cut is given besides the text: its name and note, and whether a copy of the last version is meant. */
export interface CutOptions {
  name?: string | null;
  note?: string | null;
  allowDuplicate?: boolean;
}

/** Would a version of this text, title and parties hold what `previous` holds? */
function sameAsVersion(previous: StoredVersion, title: VersionContent['title'], parties: PartySummary[], pairs: VersionPair[]): boolean {
  const before = VersionService.parse(previous);
  const key = (t: VersionContent['title'], p: PartySummary[], ps: VersionPair[]) =>
    JSON.stringify([t.vi.normalize('NFC'), t.fr.normalize('NFC'), canonicalParties(p), ps.map((x) => [x.id, x.kind, x.vi, x.fr])]);
  return key(before.title, previous.requiredParties, before.pairs) === key(title, parties, pairs);
}

/** The first words of a pair, for naming it in a message (French, else Vietnamese). */
function firstWords(pair: VersionPair): string {
  const words = (cellText(pair.fr).trim() || cellText(pair.vi).trim()).split(/\s+/u);
  return words.length > 6 ? `${words.slice(0, 6).join(' ')}…` : words.join(' ');
}

/** The origin of a restore's transaction (the room stores and sends it to every connection). */
const RESTORE_ORIGIN = Symbol('restore');

/** How often an append is tried again when another one moved the chain head meanwhile. */
const APPEND_ATTEMPTS = 5;

/**
 * Versions: immutable numbered snapshots of the whole text, each hashed over
 * its canonical serialisation (which names the parties that must sign it),
 * chained to the previous one, sealed by the server key; signed by the head
 * of each of those parties once every pair is agreed. Versions and
 * signatures are the entries of the document's chain (chain.ts).
 */
export class VersionService {
  constructor(
    private readonly store: Store,
    private readonly sync: SyncServer,
    private readonly key: ServerKey,
    private readonly heads: ChainHeadFile,
    private readonly logger?: Logger,
  ) {}

  /** A version's content, its pairs in canonical form whatever its format. */
  static parse(version: StoredVersion): VersionContent {
    return parseVersionContent(version.content);
  }

  /**
   * Appends the entry `build` makes at the chain's next place, moving the
   * signed head in the store and then in the file beside the key. `build`
   * runs again if another append took that place meanwhile.
   */
  private async append<E extends { version: StoredVersion } | { signature: StoredSignature }>(
    documentId: string,
    build: (seq: number, prevLink: string | null) => Promise<E>,
  ): Promise<E> {
    for (let attempt = 1; ; attempt++) {
      const expected = await this.store.getChainHead(documentId);
      const seq = (expected?.seq ?? 0) + 1;
      const prevLink = expected?.link ?? null;
      const entry = await build(seq, prevLink);
      const link = entryLink(documentId, 'version' in entry ? { kind: 'version', seq, prevLink, version: entry.version } : { kind: 'signature', seq, prevLink, signature: entry.signature });
      const head: ChainHead = { documentId, seq, link, attestedAt: new Date().toISOString(), signature: this.key.sign(headPayload(documentId, seq, link)) };
      try {
        await this.store.appendToChain(entry, head, expected);
      } catch (error) {
        if (error instanceof ChainConflict && error.reason === 'moved' && attempt < APPEND_ATTEMPTS) continue;
        if (error instanceof ChainConflict) throw chainBroken(documentId);
        throw error;
      }
      try {
        this.heads.record(head);
      } catch (error) {
        // Stored: the file catches up at the next start (chainStartup.ts); until then only the database's head guards the end.
        this.logger?.error({ err: error, file: this.heads.file }, 'could not keep the chain head beside the key');
      }
      return entry;
    }
  }

  /**
   * Cuts the next version of the live text, for the parties the document has
   * now, with its name and note and who cut it (metadata: not hashed). The
   * same text, title and parties as the last version are refused with
   * VersionUnchanged unless `allowDuplicate`.
   */
  async cut(access: DocumentAccess, options: CutOptions = {}): Promise<StoredVersion> {
    const documentId = access.document.id;
    // Stored before the version that quotes it: a crash cannot leave a version of lost text.
    const pairs = (await this.sync.readStored(documentId, readAllPairContents)) ?? [];
    const parties = canonicalParties(access.document.parties);
    const partyId = access.member?.partyId ?? null;
    const label: VersionLabel = {
      name: options.name ?? null,
      note: options.note ?? null,
      cutBy: { name: access.account.name, party: access.document.parties.find((p) => p.id === partyId) ?? null },
    };
    const { version } = await this.append(documentId, async (seq, prevLink) => {
      const previous = (await this.store.listVersions(documentId)).at(-1);
      if (previous && !options.allowDuplicate && sameAsVersion(previous, access.document.title, parties, pairs)) {
        throw new HttpError(
          409,
          ErrorCode.VersionUnchanged,
          `Nothing changed since version ${previous.number}: its text, title and parties are the same. Send "allowDuplicate": true to cut a copy anyway.`,
          { n: previous.number },
        );
      }
      const content: VersionContentV3 = {
        format: CURRENT_VERSION_FORMAT,
        documentId,
        number: (previous?.number ?? 0) + 1,
        createdAt: new Date().toISOString(),
        title: access.document.title,
        parties,
        pairs: pairs.map((p) => ({ id: p.id, kind: p.kind, vi: p.vi, fr: p.fr })),
        prevHash: previous?.hash ?? null,
      };
      const serialized = serializeVersion(content);
      const hash = versionHash(serialized);
      const seal = this.key.sign(versionSealPayload({ documentId, seq, prevLink, number: content.number, hash, requiredParties: parties }));
      return {
        version: {
          documentId,
          number: content.number,
          createdAt: content.createdAt,
          createdBy: access.account.id,
          content: serialized,
          hash,
          prevHash: content.prevHash,
          seq,
          prevLink,
          seal,
          requiredParties: parties,
          label,
        },
      };
    });
    return version;
  }

  async list(documentId: string): Promise<VersionSummary[]> {
    const signatures = await this.store.listSignatures(documentId);
    return (await this.store.listVersions(documentId)).map((v) => {
      const signed = signatures
        .filter((s) => s.version === v.number)
        .map((s) => ({ documentId, version: s.version, partyId: s.partyId, accountId: s.accountId, byName: s.signerName || '—', signedAt: s.signedAt, signature: s.signature }));
      return {
        number: v.number,
        createdAt: v.createdAt,
        createdBy: v.createdBy,
        hash: v.hash,
        prevHash: v.prevHash,
        pairCount: VersionService.parse(v).pairs.length,
        requiredParties: v.requiredParties,
        signatures: signed,
        // The parties it was cut for, never today's: adding or removing a party changes only later versions.
        signedOff: v.requiredParties.length > 0 && v.requiredParties.every((p) => signed.some((s) => s.partyId === p.id)),
        name: v.label?.name ?? null,
        note: v.label?.note ?? null,
        cutBy: v.label?.cutBy ?? null,
      };
    });
  }

  async get(documentId: string, number: number): Promise<StoredVersion> {
    const version = await this.store.getVersion(documentId, number);
    if (!version) throw versionNotFound(documentId, number);
    return version;
  }

  /**
   * Puts a version's text back into the live draft (restoreText.ts): one new
   * edit of the room's doc, stored in the update log and sent to every page;
   * approvals of the pairs it changes go stale as after any edit. The
   * version itself, and the chain, are untouched.
   */
  async restore(access: DocumentAccess, number: number): Promise<RestoreSummary> {
    const documentId = access.document.id;
    const { pairs } = VersionService.parse(await this.get(documentId, number));
    const summary = await this.sync.editDocument(documentId, (doc) => restoreText(doc, pairs, RESTORE_ORIGIN));
    this.logger?.info({ documentId, version: number, by: access.account.id, ...summary }, 'version text restored into the draft');
    return summary!;
  }

  /** The pairs of a version, or of the live draft. */
  async pairsOf(documentId: string, which: number | 'draft'): Promise<VersionPair[]> {
    if (which === 'draft') return (await this.sync.readStored(documentId, readAllPairContents)) ?? [];
    return VersionService.parse(await this.get(documentId, which)).pairs;
  }

  /**
   * A party head signs a version: only a party the version was cut for, only
   * if every pair of that version is agreed by every one of those parties and
   * each of them agreed the version's structure (structureAgreed.ts), bound to
   * exactly the version's text and to the chain before it.
   */
  async sign(access: DocumentAccess, number: number): Promise<StoredSignature> {
    const documentId = access.document.id;
    const partyId = access.member!.partyId!;
    const { signature } = await this.append(documentId, async (seq, prevLink) => {
      const version = await this.get(documentId, number);
      if (!version.requiredParties.some((p) => p.id === partyId)) {
        throw new HttpError(
          409,
          ErrorCode.PartyNotRequired,
          `Version ${number} was cut for ${version.requiredParties.map((p) => `"${p.id}"`).join(', ') || 'no party'}: your party "${partyId}" is not among them. Sign a version cut since it joined.`,
          { n: number },
        );
      }
      const existing = (await this.store.listSignatures(documentId)).find((s) => s.version === number && s.partyId === partyId);
      if (existing) throw new HttpError(409, ErrorCode.AlreadySigned, `Your party already signed version ${number}; a signature cannot be changed.`, { n: number });
      const { pairs } = VersionService.parse(version);
      const missing = await this.pairsNotAgreed(version, pairs);
      if (missing.length > 0) throw pairsNotAgreed(number, missing);
      const structureMissing = await partiesWithoutAgreedStructure(this.store, documentId, version.requiredParties, pairs);
      if (structureMissing.length > 0) throw structureNotAgreed(number, structureMissing);
      const signedAt = new Date().toISOString();
      const signerName = access.account.name;
      const payload = signaturePayload({ documentId, seq, prevLink, version: number, hash: version.hash, partyId, accountId: access.account.id, signerName, signedAt });
      return {
        signature: { documentId, version: number, partyId, accountId: access.account.id, signerName, signedAt, format: 'v2' as const, seq, prevLink, signature: this.key.sign(payload) },
      };
    });
    return signature;
  }

  /** The pairs of a version some party it was cut for has not agreed with exactly its text, in reading order. */
  private async pairsNotAgreed(version: StoredVersion, pairs: VersionPair[]): Promise<MissingAgreement[]> {
    const approvals = await this.store.listApprovals(version.documentId);
    const missing: MissingAgreement[] = [];
    pairs.forEach((pair, index) => {
      const hash = pairHash(pair);
      for (const party of version.requiredParties) {
        const ok = approvals.some((a) => a.pairId === pair.id && a.partyId === party.id && a.status === 'agreed' && a.hash === hash);
        if (!ok) missing.push({ number: index + 1, pairId: pair.id, words: firstWords(pair), party });
      }
    });
    return missing;
  }

  /**
   * What still keeps a version from being signed, before anyone tries: the pairs not agreed by
   * every party (¶ numbers in the version, party names) and the parties that have not agreed its
   * structure. Both empty: it can be signed.
   */
  async readiness(documentId: string, number: number): Promise<SigningReadiness> {
    const version = await this.get(documentId, number);
    const { pairs } = VersionService.parse(version);
    const missing = await this.pairsNotAgreed(version, pairs);
    const structure = await partiesWithoutAgreedStructure(this.store, documentId, version.requiredParties, pairs);
    return { pairs: missing.map((m) => ({ number: m.number, party: m.party.name })), structure: structure.map((p) => p.name) };
  }

  /** Checks the whole chain, its signed heads and every signature; names every problem found. */
  verify(documentId: string): Promise<VerificationReport> {
    return verifyChain(this.store, this.key, documentId, this.heads);
  }

  /** The document's chain head as the store has it (what exports carry). */
  head(documentId: string): Promise<ChainHead | undefined> {
    return this.store.getChainHead(documentId);
  }

  get keyFingerprint(): string {
    return this.key.fingerprint;
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }
}
