import { limits } from '../../shared/limits.ts';
import type { PresenceUser } from '../../shared/protocol.ts';
import { AwarenessStateTooLargeError, type AwarenessEntry } from './messages.ts';

/**
 * Who may say what in a document's awareness (presence and cursors). Awareness
 * is written by clients, so without this any connection could move someone
 * else's cursor or show itself under another member's name:
 *
 * - A client id belongs to the first connection that announces a state for it,
 *   until that connection leaves; entries for ids owned by another connection
 *   are dropped, as are those for ids the document gives another member's
 *   account, for the life of the document and across restarts (its page
 *   announced it, or wrote under it: clientIdPolicy.ts), so nobody can take a
 *   page's id while it reconnects. (Standard y-websocket clients echo every
 *   awareness update they receive, so such entries are normal traffic, not an
 *   attack to punish; only newer ones are logged, as forgeries.)
 * - A page reconnecting announces its id again with the clock it left with:
 *   shown again at once (under the next clock), not after its next change.
 * - The `user` field of every state is replaced by the connection's signed-in
 *   identity, so the name and colour next to a cursor are that member's.
 * - States are bounded (limits.maxAwarenessStateBytes), as is the number of ids
 *   one connection may own (limits.maxAwarenessClientsPerConnection).
 */

export interface AwarenessSender {
  /** The connection the update came from. */
  connection: unknown;
  /** What others are shown as this connection's `user`. */
  presence: PresenceUser;
  /** How many client ids the connection owns already. */
  owned: number;
}

export interface AwarenessRoomView {
  /** The connection owning each client id announced so far (and not released). */
  owners: ReadonlyMap<number, unknown>;
  /** The server's own awareness client id, never a client's. */
  serverClientId: number;
  /** The clock the room holds for a client id (0 if none): an entry is only applied with a newer one. */
  clockOf(clientId: number): number;
  /** The account a client id of the document belongs to (see clientIdPolicy.ts), if any. */
  accountOf?(clientId: number): string | undefined;
}

export interface AdmittedAwareness {
  /** The entries to apply, their states stamped with the sender's identity. */
  entries: AwarenessEntry[];
  /** Client ids the sender now owns. */
  claimed: number[];
  /**
   * Client ids of another member's account the sender announced a state for
   * newer than the room holds: not an echo of what it was sent (echoes carry
   * clocks the room has), so a forgery, for the security log.
   */
  forged: number[];
}

/**
 * Filters and stamps the entries of one awareness update. Throws
 * AwarenessStateTooLargeError when a stamped state is larger than allowed.
 */
export function admitAwareness(entries: readonly AwarenessEntry[], sender: AwarenessSender, room: AwarenessRoomView): AdmittedAwareness {
  const admitted: AwarenessEntry[] = [];
  const claimed: number[] = [];
  const forged: number[] = [];
  for (const entry of entries) {
    const { clientId, clock, state } = entry;
    if (clientId === room.serverClientId) continue;
    const account = room.accountOf?.(clientId);
    if (account !== undefined && account !== sender.presence.accountId) {
      if (state !== null && clock > room.clockOf(clientId)) forged.push(clientId);
      continue; // another member's page
    }
    const owner = room.owners.get(clientId) ?? (claimed.includes(clientId) ? sender.connection : undefined);
    if (owner !== undefined && owner !== sender.connection) continue; // someone else's presence
    if (state === null) {
      if (owner === sender.connection) admitted.push(entry); // leaving: only one's own
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) continue; // not a presence state
    let admittedClock = clock;
    if (owner === undefined) {
      if (clock <= room.clockOf(clientId)) {
        // A page coming back announces its state with the clock it left with, which
        // the room already holds: shown again under a newer clock (which the page
        // adopts, as the room's update reaches it too). Any other stale entry (an
        // echo of a state the room already replaced) claims nothing.
        const returning = account === sender.presence.accountId && sender.owned === 0 && claimed.length === 0;
        if (!returning) continue;
        admittedClock = room.clockOf(clientId) + 1;
      }
      if (sender.owned + claimed.length >= limits.maxAwarenessClientsPerConnection) continue;
      claimed.push(clientId);
    }
    const stamped = { ...(state as Record<string, unknown>), user: sender.presence };
    const bytes = Buffer.byteLength(JSON.stringify(stamped));
    if (bytes > limits.maxAwarenessStateBytes) throw new AwarenessStateTooLargeError(bytes);
    admitted.push({ clientId, clock: admittedClock, state: stamped });
  }
  return { entries: admitted, claimed, forged };
}
