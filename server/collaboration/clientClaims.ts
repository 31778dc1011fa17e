import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { limits } from '../../shared/limits.ts';
import { judgeClientIds, type ClientIdVerdict } from './clientIdPolicy.ts';
import type { DecodedUpdate } from './messages.ts';

/** Where a document's client-id claims are kept (see clientIdPolicy.ts). */
export interface ClaimStore {
  /** Records that `clientId` of the document belongs to `accountId`; the first claim stands. */
  claimClientId(documentId: string, clientId: number, accountId: string): Promise<void>;
}

/**
 * The account each client id of a document belongs to: read with the
 * document, claimed in memory at once and kept in the store behind it. A
 * claim lost with a crash before it reached the store is made again by the
 * page's next announcement or keystroke.
 */
export class ClientClaims {
  constructor(
    private readonly documentId: string,
    private readonly owners: Map<number, string> = new Map(),
    private readonly store?: ClaimStore,
    private readonly logger?: Logger,
  ) {}

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /**
   * Judges who may write under the client ids an update brings new structs
   * for (clientIdPolicy.ts) and, when it may, claims the unclaimed ones for
   * it (adding them to `writer.claimedIds`, the connection's claims).
   */
  admit(clients: number[], writer: { accountId: string; live: boolean; claimedIds: Set<number> }, connected: (accountId: string) => boolean): ClientIdVerdict {
    if (clients.length === 0) return { claims: [] };
    const verdict = judgeClientIds(clients, { accountId: writer.accountId, live: writer.live, claimedByConnection: writer.claimedIds.size }, {
      ownerOf: (clientId) => this.ownerOf(clientId),
      connected,
      recovering: performance.now() < limits.recoveryWindowMs,
    });
    if ('claims' in verdict) for (const clientId of verdict.claims) this.claimFor(clientId, writer);
    return verdict;
  }

  /** Claims an id for a connection's account (its page announced it), when nobody has. */
  claimFor(clientId: number, writer: { accountId: string; claimedIds: Set<number> }): void {
    if (this.owners.has(clientId)) return;
    this.claim(clientId, writer.accountId);
    writer.claimedIds.add(clientId);
  }

  claim(clientId: number, accountId: string): void {
    if (this.owners.has(clientId)) return;
    this.owners.set(clientId, accountId);
    this.store?.claimClientId(this.documentId, clientId, accountId).catch((error: unknown) => {
      this.logger?.warn({ documentId: this.documentId, clientId, err: error }, 'could not keep a client id claim; it is made again by the next update');
    });
  }
}

/** The client ids under which an update brings structs beyond `stateOf` (what the document holds of each). */
export function clientsWritten(decoded: DecodedUpdate, stateOf: (client: number) => number): number[] {
  const ends = new Map<number, number>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    const end = struct.id.clock + struct.length;
    if (end > (ends.get(struct.id.client) ?? 0)) ends.set(struct.id.client, end);
  }
  return [...ends].filter(([client, end]) => end > stateOf(client)).map(([client]) => client);
}
