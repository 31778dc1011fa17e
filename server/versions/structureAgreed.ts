import { structureHash, structureOf } from '../../shared/agreedStructure.ts';
import type { VersionPair } from '../../shared/diff.ts';
import { ErrorCode, type PartySummary } from '../../shared/protocol.ts';
import { HttpError } from '../errors.ts';
import type { Store } from '../store/types.ts';

/**
 * The sign-off's second condition (the first: every pair agreed by every
 * required party with the version's exact text): every party the version was
 * cut for agreed the structure it holds — its pairs, in its order, of its
 * kinds. The version's recorded parties, never today's: it is their
 * signatures that need it (a party added since does not sign the version).
 * Without it a version could be signed after an agreed clause was deleted,
 * moved or turned into preamble, each pair still agreed. Stored data from
 * before structure approvals has none: such a document's structure is simply
 * not agreed yet.
 */
export async function partiesWithoutAgreedStructure(
  store: Store,
  documentId: string,
  requiredParties: ReadonlyArray<PartySummary>,
  pairs: ReadonlyArray<VersionPair>,
): Promise<PartySummary[]> {
  const hash = structureHash(structureOf(pairs));
  const approvals = await store.listStructureApprovals(documentId);
  return requiredParties.filter((party) => !approvals.some((a) => a.partyId === party.id && a.hash === hash));
}

/** The refusal of a signature while some parties have not agreed the version's structure. */
export function structureNotAgreed(number: number, parties: PartySummary[]): HttpError {
  const names = parties.map((p) => `${p.name.fr} (${p.id})`).join(', ');
  return new HttpError(
    409,
    ErrorCode.StructureNotAgreed,
    `Version ${number} cannot be signed until every party has agreed the order and kinds of its pairs; not yet agreed by: ${names}.`,
    { n: number, parties: parties.map((p) => p.name) },
  );
}
