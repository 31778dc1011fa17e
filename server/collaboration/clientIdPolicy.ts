import { limits } from '../../shared/limits.ts';

/**
 * Who may write structs under which Yjs client id. Yjs does not say who wrote
 * a struct: a member could send one under another page's client id and next
 * clock; when the real keystroke came with the same id, Yjs skipped it as
 * known, so everyone else read the forged text while that page showed its
 * own (docs/reliability.md). So each client id of a document belongs to the
 * account whose page first used it — announced it in awareness, which every
 * page does as it connects, or wrote a live update under it — kept in the
 * store with the document:
 *
 * - a live update (sync "update": what a page sends as its person types)
 *   may bring new structs only under ids unclaimed (it claims them) or
 *   claimed by the sender's account;
 * - a sync step 2 (a page's answer to the server's state vector) claims
 *   nothing, and may also bring another account's structs — that is how
 *   the pages present resend what a power loss took from the server's last
 *   milliseconds — but only while the room has just been loaded from the
 *   store and that account has no connection open on it (an owner that is
 *   here sends its own);
 * - structs the document already holds are never judged (resends of known
 *   text are most of what reconnecting pages send).
 */

export interface ClientIdWriter {
  accountId: string;
  /** A live update (claims unclaimed ids), or a sync step 2 (claims nothing). */
  live: boolean;
  /** Client ids this connection has claimed so far (bounded: a page has one). */
  claimedByConnection: number;
}

export interface ClientIdRoomView {
  /** The account a client id of the document belongs to, if any. */
  ownerOf(clientId: number): string | undefined;
  /** Whether the account has a connection open on the document. */
  connected(accountId: string): boolean;
  /** True while the room has just been loaded from the store (limits.recoveryWindowMs). */
  recovering: boolean;
}

export type ClientIdVerdict = { claims: number[] } | { refused: number; reason: string };

/** Judges the client ids under which an update brings structs the document lacks. */
export function judgeClientIds(clients: Iterable<number>, writer: ClientIdWriter, room: ClientIdRoomView): ClientIdVerdict {
  const claims: number[] = [];
  for (const clientId of clients) {
    const owner = room.ownerOf(clientId);
    if (owner === writer.accountId) continue;
    if (owner === undefined) {
      if (!writer.live) continue;
      if (writer.claimedByConnection + claims.length >= limits.maxClientIdsPerConnection) {
        return { refused: clientId, reason: 'more client ids than a page uses' };
      }
      claims.push(clientId);
      continue;
    }
    if (!writer.live && room.recovering && !room.connected(owner)) continue; // resending what the server lost
    return { refused: clientId, reason: "writes under another member's client id" };
  }
  return { claims };
}
