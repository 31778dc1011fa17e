import type { ApprovalView } from './approvals.ts';
import type { ThreadView } from './comments.ts';
import type { Role } from './roles.ts';

/**
 * The wire protocol of Accord in one module: the sync endpoint, its message
 * types and close codes, and the socket.io events with their payloads.
 */

/**
 * Document sync speaks the standard y-websocket protocol at
 * `ws(s)://HOST/sync/<documentId>`: give `y-websocket`'s WebsocketProvider the
 * server URL `ws(s)://HOST/sync` and the document id as the room name.
 */
export const SYNC_PATH = '/sync';

/** The socket.io endpoint path (socket.io's default). */
export const SOCKET_IO_PATH = '/socket.io';

/** Top-level y-websocket message types (first varint of every frame). */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const;

/** Sub-types of a Sync message (y-protocols/sync). */
export const SyncMessageType = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;

/**
 * WebSocket close codes the sync endpoint uses. 4000–4999 are reserved by
 * RFC 6455 for applications; the client stops reconnecting on the 44xx ones.
 */
export const CloseCode = {
  /**
   * A frame larger than limits.maxSyncMessageBytes, or an awareness state
   * larger than limits.maxAwarenessStateBytes (the standard code).
   */
  MessageTooLarge: 1009,
  /** The server is shutting down or restarting; reconnect later. */
  ServiceRestart: 1012,
  /** A frame that is not a valid y-websocket message (bad varints, truncated update, unknown type). */
  MalformedMessage: 4400,
  /** No valid session (sign-in needed). */
  Unauthorized: 4401,
  /** Signed in, but not allowed on this document. */
  Forbidden: 4403,
  /** The document id names no document. */
  DocumentNotFound: 4404,
  /**
   * An update writes content outside the declaration model (a node or mark the
   * schema does not have, an attribute, an embed, an unknown top-level type).
   */
  ContentNotAllowed: 4422,
  /**
   * An update writes under a Yjs client id that belongs to another member's
   * page (see server/collaboration/clientIdPolicy.ts). A page that gets it
   * holds edits the server did not take: it must reload.
   */
  ClientIdTaken: 4409,
  /**
   * Too many messages: more than limits.maxMessagesPerSecond, or more messages
   * or bytes than allowed before authentication completed. Reconnecting is fine.
   */
  TooManyMessages: 4429,
  /** Authentication did not complete within limits.authTimeoutMs. */
  AuthenticationTimeout: 4408,
  /** Too many connections to this document or from this address; try again later (standard code). */
  TryAgainLater: 1013,
  /** The server could not store an update: the room is closed so nothing unsaved is acknowledged. */
  StorageFailure: 4500,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.MalformedMessage,
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.DocumentNotFound,
  CloseCode.ContentNotAllowed,
  CloseCode.ClientIdTaken,
]);

/**
 * The awareness `user` field as every client sees it: the server overwrites
 * whatever a connection puts there with its signed-in account, so a cursor
 * labelled with a name is that person's. `name` and `color` are what
 * y-prosemirror draws (color is #rrggbb).
 */
export interface PresenceUser {
  name: string;
  color: string;
  accountId: string;
  role: Role;
  /** The delegation the member speaks for; null for the secretariat. */
  partyId: string | null;
}

/** Close reason of a sync connection whose member was removed from the declaration (with CloseCode.Forbidden). */
export const REVOKED_REASON = 'membership revoked';
/** Reason of a refusal to someone who is not a member of the declaration (with CloseCode.Forbidden). */
export const NOT_MEMBER_REASON = 'not a member of this declaration';

/** Reason sent (y-protocols auth message) when a read-only connection tries to write. */
export const READ_ONLY_REASON = 'read-only: this connection may read the document but not change it';

/** Stable error codes of the REST API and socket.io acknowledgements. */
export const ErrorCode = {
  NotFound: 'not_found',
  DocumentNotFound: 'document_not_found',
  PairNotFound: 'pair_not_found',
  InvalidInput: 'invalid_input',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  Conflict: 'conflict',
  /** A sign-in link that was never issued (or was voided by "sign out everywhere") (404). */
  InvalidToken: 'invalid_token',
  /** A sign-in link that has been used already: each works once (410). */
  SignInLinkUsed: 'sign_in_link_used',
  /** A sign-in link past its 7 days (410). */
  SignInLinkExpired: 'sign_in_link_expired',
  Internal: 'internal_error',
  /** The server cannot write to its storage (disk full, read-only): nothing of the request was stored (503). */
  StorageUnavailable: 'storage_unavailable',
  /** Too many requests or events in a short time: nothing was done; try again in a moment (429). */
  RateLimited: 'rate_limited',
  /** The declaration has no party with that id (404). */
  PartyNotFound: 'party_not_found',
  /** A party that signed a version cannot be removed: its signatures stay part of the record (409). */
  PartyHasSignatures: 'party_has_signatures',
  /** A party whose head approved or reserved a pair cannot be removed (409). */
  PartyHasApprovals: 'party_has_approvals',
  /** A party whose head agreed the structure (order and kinds of the pairs) cannot be removed until it is withdrawn (409). */
  PartyHasStructureApproval: 'party_has_structure_approval',
  /** A party with internal comment threads cannot be removed: a party re-added with its id would read them (409). */
  PartyHasInternalComments: 'party_has_internal_comments',
  /** A head's party is not among those the version was cut for (it joined later): sign a later version (409). */
  PartyNotRequired: 'party_not_required',
  /**
   * The stored chain of versions and signatures does not end where its signed
   * head says (rows were deleted or added outside Accord): nothing more is
   * appended until `accord verify` has been run and the store repaired (409).
   */
  ChainBroken: 'chain_broken',
  /**
   * A version cannot be signed: a party has not agreed the structure it holds — which pairs, in
   * which order, of which kind (409; the message names the parties).
   */
  StructureNotAgreed: 'structure_not_agreed',
  /**
   * A version would hold the same text, title and parties as the last one: nothing is cut unless the
   * request says `allowDuplicate: true` (409; the page asks first).
   */
  VersionUnchanged: 'version_unchanged',
  /**
   * A sign-in link signs in the whole account: a secretariat of some declarations may get one only for
   * people who belong to no other declaration and are not global secretariat (403; issue 20).
   */
  SignInLinkRefused: 'sign_in_link_refused',
  /**
   * Roles are separated: whoever administers a declaration holds no seat of a party in it (head, drafter
   * or observer of a party), and a global secretariat account takes no other role (409; issue 20).
   */
  SecretariatHoldsNoSeat: 'secretariat_holds_no_seat',
  // Issue 21: every refusal a person can meet has a code of its own, the page words it from code + params.
  /** A declaration with that id exists already (409; params: id). */
  DocumentExists: 'document_exists',
  /** The declaration has a party with that id already (409; params: party). */
  PartyExists: 'party_exists',
  /** An id that is not 1–64 letters, digits, "-" or "_" (400; params: id). */
  InvalidId: 'invalid_id',
  /** Two parties of a new declaration have the same id (400). */
  DuplicatePartyIds: 'duplicate_party_ids',
  /** The declaration has no version with that number (404; params: n). */
  VersionNotFound: 'version_not_found',
  /** The head's party signed this version already: a signature is not changed (409; params: n). */
  AlreadySigned: 'already_signed',
  /**
   * A version cannot be signed: pairs not agreed by every party with the version's text (409;
   * params: n, pairs: [{ number (¶ in the version), party (its name, in both languages) }], more).
   */
  PairsNotAgreed: 'pairs_not_agreed',
  /** The pair's text changed since the page computed the hash approved (409). */
  TextChanged: 'text_changed',
  /** The party has no approval or reservation of that pair (404). */
  ApprovalNotFound: 'approval_not_found',
  /** The party has not agreed the structure (404). */
  StructureApprovalNotFound: 'structure_approval_not_found',
  /** The account is no member of the declaration (404). */
  MemberNotFound: 'member_not_found',
  /** Unknown role (400; params: role). */
  InvalidRole: 'invalid_role',
  /** The secretariat speaks for no party (400). */
  SecretariatHasNoParty: 'secretariat_has_no_party',
  /** A head or drafter belongs to a party (400; params: role). */
  RoleNeedsParty: 'role_needs_party',
  /** The party has a head already (409; params: party). */
  PartyHasHead: 'party_has_head',
  /** The person is already a head of this declaration (409; params: name). */
  AlreadyHead: 'already_head',
  /** The secretariat cannot revoke itself (409). */
  CannotRevokeSelf: 'cannot_revoke_self',
  /** No such comment thread (404). */
  ThreadNotFound: 'thread_not_found',
  /** No such comment (404). */
  CommentNotFound: 'comment_not_found',
  /** The comment was deleted (409). */
  CommentDeleted: 'comment_deleted',
  /** A comment's anchor selects nothing or cannot be resolved (400). */
  InvalidAnchor: 'invalid_anchor',
  /** A comment's quote is not the anchored text (400). */
  QuoteMismatch: 'quote_mismatch',
  /** A comment's body is longer than limits.maxCommentLength characters (after trimming): nothing was stored (400). */
  CommentTooLong: 'comment_too_long',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every code the server may send: the page has a sentence for each in every interface language (a test checks it). */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** One pair a refusal names, as people know it: its ¶ number and, where it matters, a party's name. */
export interface ErrorPair {
  number: number;
  party?: { vi: string; fr: string };
}

/**
 * What a page needs to word a refusal in its own language (never internal ids of pairs):
 * names, numbers, a field, an action, lists of pairs or of party names.
 */
export interface ErrorParams {
  [name: string]: string | number | ErrorPair[] | Array<{ vi: string; fr: string }> | undefined;
}

/** The JSON body of every REST error and failed acknowledgement. `message` is English, for logs and tools. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; params?: ErrorParams };
}

/** A party (delegation) of a document, as the API presents it. */
export interface PartySummary {
  id: string;
  name: { vi: string; fr: string };
}

/** A document, as the API presents it. */
export interface DocumentSummary {
  id: string;
  title: { vi: string; fr: string };
  parties: PartySummary[];
  /** Observers may comment on this document. */
  observersMayComment: boolean;
  createdAt: string;
}

/** socket.io: events the client sends, each with an acknowledgement. */
export interface ClientToServerEvents {
  'document:join': (payload: { documentId: string }, ack: (reply: JoinReply) => void) => void;
  'document:leave': (payload: { documentId: string }, ack: (reply: { ok: true } | ({ ok: false } & ErrorBody)) => void) => void;
}

export type JoinReply = { ok: true; document: DocumentSummary } | ({ ok: false } & ErrorBody);

/** socket.io: events the server pushes. */
export interface ServerToClientEvents {
  /** A comment thread was created or changed (sent only to members allowed to see it). */
  'thread:changed': (payload: { documentId: string; thread: ThreadView }) => void;
  /**
   * Pairs whose text changed: their new hashes (null: the pair was deleted). Approvals of other hashes are stale.
   * `structure`, when the order or kinds of the pairs changed (shared/agreedStructure.ts): the structure's new hash.
   */
  'pairs:hashes': (payload: { documentId: string; hashes: Record<string, string | null>; structure?: string }) => void;
  /** A head approved, reserved or withdrew: the pair's approvals now. */
  'approval:changed': (payload: { documentId: string; pairId: string; approvals: ApprovalView[] }) => void;
  /** A head agreed the structure or withdrew that agreement: every party's structure approval now. */
  'structureApproval:changed': (payload: { documentId: string; approvals: ApprovalView[] }) => void;
  /** Presence in a document room changed: how many connections follow it. */
  'document:presence': (payload: { documentId: string; followers: number }) => void;
}
