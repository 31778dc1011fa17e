/**
 * Every numeric limit of Accord in one place, read by the server's transports,
 * the validation schemas and the client alike (so they can never disagree).
 */
export const limits = {
  /** Largest single WebSocket frame the sync endpoint accepts, in bytes. */
  maxSyncMessageBytes: 4 * 1024 * 1024,
  /** Largest JSON body any REST route accepts. */
  maxJsonBodyBytes: 256 * 1024,
  /** Failed sign-in attempts (unknown, used or expired links) per address per window (429 with Retry-After beyond). */
  signInFailuresPerAddress: 30,
  signInWindowMs: 15 * 60_000,
  /** REST writes (POST, PUT, PATCH, DELETE) per session per window (429 with Retry-After beyond). */
  restWritesPerSession: 120,
  restWritesWindowMs: 10_000,
  /** Largest socket.io packet. */
  maxSocketIoPayloadBytes: 256 * 1024,
  /**
   * Largest awareness state (one client's presence: name, colour, cursor) in
   * bytes of JSON; 1009 beyond. A real one is a few hundred bytes.
   */
  maxAwarenessStateBytes: 8 * 1024,
  /**
   * Awareness client ids one sync connection may own (a page has one); states
   * for further ids are dropped.
   */
  maxAwarenessClientsPerConnection: 4,
  /** Longest document id accepted anywhere (ids are short slugs). */
  maxDocumentIdLength: 64,
  /** Longest pair id accepted anywhere. */
  maxPairIdLength: 64,
  /**
   * Messages buffered for a connection between its upgrade and its joining
   * the document's room (authentication runs before the upgrade; the room
   * may still be loading).
   */
  maxQueuedMessagesBeforeAuth: 64,
  /** Bytes buffered for a connection between its upgrade and its joining the room. */
  maxBytesBeforeAuth: 1024 * 1024,
  /**
   * Time a connection has to be authenticated (answered HTTP 408 before the
   * upgrade) and then to join the room (closed 4408 after it).
   */
  authTimeoutMs: 10_000,
  /** The Retry-After (seconds) of a sync upgrade refused for a limit or a restart (HTTP 429/503). */
  syncRetryAfterSeconds: 5,
  /**
   * Sync messages one connection may send per second (4429 beyond). Typing is a
   * few dozen; a script making one transaction per pair stays well below.
   */
  maxMessagesPerSecond: 1000,
  /**
   * socket.io events one connection may send per second; beyond, each is
   * answered "rate_limited" and does nothing. A page sends one join per
   * declaration it opens; a join makes the server tell every follower.
   */
  maxSocketEventsPerSecond: 20,
  /**
   * How often the server looks up again the sessions its live connections were
   * opened with, and closes those of sessions ended by another process (the
   * CLI's sign-out-everywhere) or expired; and reads the membership log for
   * changes another process made (`accord revoke`). A session ended or a
   * membership changed through the server applies to its connections at once.
   */
  sessionSweepMs: 2_000,
  /** Open sync connections on one document (upgrade answered HTTP 503 beyond). */
  maxConnectionsPerDocument: 2000,
  /**
   * Open (or authenticating) sync connections from one network address
   * (upgrade answered HTTP 429 beyond; a hotel NAT holds many delegates).
   */
  maxConnectionsPerAddress: 1000,
  /** Declarations one member may have open at once over sync (upgrade answered HTTP 429 beyond). */
  maxOpenDocumentsPerMember: 20,
  /**
   * When a document's stored update log holds more rows than this, the store
   * replaces it by one merged update (compaction).
   */
  compactAfterUpdates: 500,
  /**
   * A document update larger than this (bytes) — from a client, or a stored
   * row being loaded — is decoded and checked in a worker thread and applied a
   * slice at a time, so a large paste, a whole document pushed at once or the
   * opening of a large document never stalls the other documents' rooms.
   */
  largeUpdateBytes: 64 * 1024,
  /**
   * An update with more structs or deleted ranges than this goes the way of a
   * large one (worker, slices) however few bytes it has: what an update costs
   * to apply grows with its structs, not its bytes (tens of thousands fit in
   * 64 KiB).
   */
  largeUpdateStructs: 2000,
  /**
   * Updates held back for one connection because they build on structs the
   * server does not have yet (see structure/waitingUpdates.ts), and their
   * bytes; beyond, the connection is closed (1013) and its handshake resends.
   */
  maxWaitingUpdatesPerConnection: 256,
  maxWaitingBytesPerConnection: 4 * 1024 * 1024,
  /**
   * Items an insertion may find inserted concurrently at its place (Yjs
   * scans each of them to integrate it: 2,000 at one place cost 50 ms,
   * quadratic beyond); 4422 beyond. A few people typing at one place make a few.
   */
  maxConcurrentAtOnePlace: 500,
  /**
   * Client ids one sync connection may claim for its account (see
   * clientIdPolicy.ts; 4409 beyond): a page has one; a script pushing a
   * history written by several may need more. Each claim is a stored row.
   */
  maxClientIdsPerConnection: 64,
  /**
   * For this long after the server starts, a page's sync step 2 may carry
   * another account's structs the server lacks (a power loss took the last
   * milliseconds before the restart; the pages present resend them), while
   * that account is not connected. See clientIdPolicy.ts.
   */
  recoveryWindowMs: 60_000,
  /** Applying one update for longer than this is logged at warn, with the member and document. */
  updateStallWarnMs: 50,
  /** Structs per piece of a large update (each piece is applied whole). */
  largeUpdatePieceStructs: 50,
  /** Longest a room applies pieces of a large update before letting other work run, in ms. */
  largeUpdateSliceMs: 10,
  /**
   * The same while a room loads a large stored document (slices also end
   * with each part of ~100 pieces the worker sends). Was 25: the room already
   * answers sync requests and relays edits from its stored rows meanwhile, so
   * a faster load seemed to weigh more than a shorter pause. But a load
   * promotes everything it builds, and where fresh memory is slow (12 µs per
   * page on the 2026-12-01 bench machine) a scavenge inside a slice takes
   * 20–50 ms: 25 ms slices stalled the loop 70–124 ms after a restart
   * (median ~90), 12 ms slices 41–108 (median 64), the load no slower (~1 s).
   */
  loadSliceMs: 12,
  /** Longest the approval hash tracker re-hashes changed pairs before letting other work run, in ms. */
  pairHashSliceMs: 10,
  /** Shortest time between two `pairs:hashes` pushes of one document, in ms (the changes meanwhile go in one). */
  hashPushIntervalMs: 200,
  /** Longest comment body, in characters. */
  maxCommentLength: 5000,
  /** Longest quoted text a thread keeps. */
  maxQuoteLength: 2000,
  /** Longest encoded anchor (a Yjs relative position, base64). */
  maxAnchorLength: 200,
  /** Longest name of a version, in characters (after trimming). */
  maxVersionNameLength: 120,
  /** Longest note of a version, in characters (after trimming). */
  maxVersionNoteLength: 1000,
} as const;

/** The limits the live endpoints (sync and socket.io) enforce (tests and deployments may lower them). */
export type SyncLimits = Record<
    | 'maxQueuedMessagesBeforeAuth'
  | 'maxBytesBeforeAuth'
  | 'authTimeoutMs'
  | 'maxMessagesPerSecond'
  | 'maxSocketEventsPerSecond'
  | 'maxConnectionsPerDocument'
  | 'maxConnectionsPerAddress'
  | 'maxOpenDocumentsPerMember'
  | 'compactAfterUpdates',
  number
>;

/** Ids of documents and pairs: short, URL-safe, no path tricks. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
