import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import { CloseCode, READ_ONLY_REASON, REVOKED_REASON, SyncMessageType } from '../../shared/protocol.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionContext } from './hooks.ts';
import { admitAwareness } from './awarenessPolicy.ts';
import {
  type AwarenessEntry,
  AwarenessStateTooLargeError,
  MalformedMessageError,
  encodeAwareness,
  encodeAwarenessEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep1FromStateVector,
  encodeSyncStep2,
  encodeSyncHeader,
  encodeSyncStep2Update,
  encodeUpdate,
  isEmptyStateVector,
  parseMessage,
  type DecodedUpdate,
} from './messages.ts';
import { ContentNotAllowedError } from './contentPolicy.ts';
import { ClientClaims, clientsWritten } from './clientClaims.ts';
import { StructureGate, boundedPieces, clockGuard } from './structure/gate.ts';
import { encodeUpdateFrame, isHeavy, largeUpdatePayload } from './updateFrames.ts';
import { reportForeignStructure } from './structure/loadReport.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import { encodeIntegratedState } from './integratedState.ts';
import type { PreparedUpdate, UpdatePreparer } from './ingest/preparer.ts';
import { bringsNothingNew, continuesKnown, covers, knownState, scanRow, summaryFromScans, type KnownState, type RowScan, type StoredSummary } from './ingest/storedRows.ts';
import { RoomPersistence } from './persistence.ts';
import { batchTrace, type BatchTrace } from '../diagnostics/batchTrace.ts';
import { StorageUnavailableError } from '../store/storageError.ts';
import type { SyncSocket } from './socket.ts';

/**
 * Origin of the transactions that load the stored rows, and the updates
 * accepted during the load: already stored (and broadcast), so neither stored
 * again nor broadcast.
 */
const LOADING = Symbol('loading');

/** Records one stored and broadcast batch in the ACCORD_BATCH_TRACE summary. */
function traceBatch(trace: BatchTrace, entries: BatchEntry[], writeStart: number, writeDone: number): void {
  const applied = entries.map((e) => e.traced!);
  trace.done({
    firstApplied: Math.min(...applied.map((t) => t.applied)),
    committed: Math.min(...applied.map((t) => t.committed)),
    updates: entries.length,
    writeStart,
    writeDone,
    broadcastDone: performance.now(),
    batchesInWrite: new Set(applied.map((t) => t.committed)).size,
  });
}

/** An update to store and broadcast; `alone`: a large one, stored as a row of its own (see takeQueued). */
interface BatchEntry {
  update: Uint8Array;
  origin: unknown;
  alone?: boolean;
  /** With ACCORD_BATCH_TRACE: when it was applied, and handed to the write chain. */
  traced?: { applied: number; committed: number };
}

interface Member {
  context: ConnectionContext;
  /** Awareness client ids this connection owns (see awarenessPolicy.ts), released when it leaves. */
  awarenessIds: Set<number>;
  /** While a large update of this connection is being applied: its later frames, handled after it in order. */
  held?: Uint8Array[];
  /** False while loading, until the server's sync step 1 (its state vector) has been sent. */
  greeted: boolean;
  /** Client ids this connection claimed for its account (see clientIdPolicy.ts): a page claims one. */
  claimedIds: Set<number>;
}

/** A member's update kept for later during a load, with the connection it came from. */
type HeldUpdate = { update: Uint8Array; origin: SyncSocket; live: boolean };

/**
 * One document being edited: its Y.Doc, awareness, and connections. Transport
 * independent. An update is stored before it is broadcast, so whatever a
 * client has received from the server survives a crash of the server.
 *
 * Group commit: the updates applied during one turn of the event loop (every
 * frame read from the sockets in that turn), and any that arrive while the
 * previous write is under way, are stored as one merged row and then
 * broadcast as one frame per connection. A connection is
 * never sent back its own updates: when it sent some of the batch, it gets
 * the merge of the others.
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly members = new Map<SyncSocket, Member>();
  /** The connection owning each awareness client id (first announced, until it leaves). */
  private readonly awarenessOwners = new Map<number, SyncSocket>();
  /** Persist-then-broadcast steps run one after another, in update order. */
  private pending: Promise<void> = Promise.resolve();
  private failed = false;
  /** Updates applied to the doc in this turn of the event loop, not yet handed to `pending`. */
  private batch: BatchEntry[] = [];
  /** Updates handed to `pending` but not yet taken by a write: the next write takes them all. */
  private queued: BatchEntry[] = [];
  private batchTimer: NodeJS.Immediate | undefined;
  /**
   * The sync step 2 a client holding nothing gets: the whole document, encoded
   * once and shared by every joiner until the next update (encoding a large
   * document costs tens of milliseconds; a crowd arriving at once costs one).
   */
  private fullStateFrame: Uint8Array | undefined;
  private readonly preparer: UpdatePreparer | undefined;
  /** Where every member's update lands is checked before it is applied; updates building on what is not here yet wait there. */
  private readonly gate: StructureGate<SyncSocket>;
  /** The account each client id of the document belongs to (see clientIdPolicy.ts). */
  private readonly claims: ClientClaims;
  private closed = false;
  private retryScheduled = false;
  /**
   * While a large stored document is being loaded (applied in slices): the
   * room is usable all the same. Its stored rows answer sync requests (a
   * joiner holding nothing gets them as they are; any other state vector, what
   * it lacks, read from the rows by the reader worker), and an update a client
   * sends is checked (the content policy needs no doc), stored, broadcast, and
   * kept in `backlog` to be applied once the rows are.
   */
  private storedRows: Uint8Array[] | undefined;
  private backlog: Uint8Array[] = [];
  /** What the stored rows hold (state vector, deletions), from the reader worker; undefined when it could not say. */
  private storedSummary: Promise<StoredSummary | undefined> | undefined;
  /**
   * During the load, once the reader has summarised the stored rows: the
   * state vector sent in the server's sync step 1, and what the rows hold
   * (updates bringing nothing more are dropped, not stored again); `accepted`:
   * each client's clock in the rows and the updates accepted since (see continuesKnown).
   */
  private advertised: { summary: StoredSummary; known: KnownState; accepted: Map<number, number> } | undefined;
  /** Updates received during the load that must wait for the loaded doc (see receiveWhileLoading), in order. */
  private deferred: HeldUpdate[] = [];
  /**
   * Updates received during the load before the reader had summarised the stored rows: judged,
   * in order, as soon as it has (greetWaiting). Sent to `deferred` they waited for the whole load
   * (~1 s for a 1.6 MB document): a drafter's first keystroke after a restart reached nobody meanwhile.
   */
  private beforeSummary: HeldUpdate[] | undefined;
  private loading: Promise<void> | undefined;
  private readonly reader: UpdatePreparer | undefined;
  /** Resolves once the stored document is loaded, and every update accepted meanwhile applied (at once when there was nothing to load). */
  readonly ready: Promise<void>;

  constructor(
    readonly documentId: string,
    readonly doc: Y.Doc,
    private readonly persistence: RoomPersistence,
    private readonly logger: Logger,
    private readonly onStorageFailure: (room: Room) => void,
    options: {
      /** Stored rows to load into `doc` (empty when `doc` is already complete). */
      rows?: Uint8Array[];
      /** The scans kept with those rows (`rowScans[i]`: row i's, if any). */
      rowScans?: Array<RowScan | undefined>;
      /** Checks and cuts large updates off the event loop; without it they are applied at once. */
      preparer?: UpdatePreparer;
      /** Reads the stored rows off the event loop while they load (a worker of its own: the preparer is busy cutting them). */
      reader?: UpdatePreparer;
      /** The document's client-id claims, as the store keeps them. */
      claims?: ClientClaims;
      /**
       * Called once the stored rows are in `doc`, before the updates accepted
       * during the load are applied (so that an observer attached here sees those as changes).
       */
      onLoaded?: (room: Room) => void;
    } = {},
  ) {
    this.preparer = options.preparer;
    this.reader = options.reader;
    this.gate = new StructureGate(doc);
    this.claims = options.claims ?? new ClientClaims(documentId);
    const rows = options.rows ?? [];
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null); // the server itself has no cursor
    this.awareness.on('update', this.handleAwarenessUpdate);
    if (rows.length > 0) {
      this.storedRows = rows;
      const bytes = rows.reduce((sum, row) => sum + row.length, 0);
      if (this.reader && bytes >= limits.largeUpdateBytes) this.summariseStored(rows, options.rowScans ?? []);
      this.loading = this.load(rows, options.onLoaded).then(
        () => this.finishLoading(),
        (error: unknown) => {
          if (this.closed) return;
          this.failed = true;
          this.logger.error({ documentId, err: error }, 'could not load the stored document; closing the room');
          this.onStorageFailure(this);
        },
      );
    } else {
      options.onLoaded?.(this);
      doc.on('update', this.handleDocUpdate);
    }
    this.ready = this.loading ?? Promise.resolve();
  }

  /**
   * What the stored rows hold (see StoredSummary), for the load: from the
   * scans kept with them when only small rows lack one and no client's
   * structs have a gap (a copy of each row's delete set, no struct read);
   * else from the reader worker, whose scans of the large rows are then kept
   * with them for the next time.
   */
  private summariseStored(rows: Uint8Array[], known: Array<RowScan | undefined>): void {
    const unscanned = rows.reduce((sum, row, i) => (known[i] ? sum : sum + row.length), 0);
    const summary = unscanned < limits.largeUpdateBytes ? summaryFromScans(rows, rows.map((row, i) => known[i] ?? scanRow(row))) : undefined;
    if (summary) {
      this.advertise(summary);
      this.storedSummary = Promise.resolve(summary);
      return;
    }
    this.beforeSummary = [];
    this.storedSummary = this.reader!.summarise(rows, known).then(
      (summary) => {
        this.persistence.keepScans(rows, summary.scans);
        this.greetWaiting(summary);
        return summary;
      },
      (error: unknown) => {
        this.logger.warn({ documentId: this.documentId, err: error }, 'could not read the stored rows ahead of the load; sync waits for it');
        this.deferred.push(...this.takeBeforeSummary());
        return undefined;
      },
    );
  }

  /** Applies the stored rows, then the updates accepted meanwhile (more may come while those are applied). */
  private async load(rows: Uint8Array[], onLoaded: ((room: Room) => void) | undefined): Promise<void> {
    const options = { preparer: this.preparer, origin: LOADING, stop: () => this.closed };
    // Cutting a large row begins by posting it to the worker: the sync requests that came with the first
    // connections (queued while the rows were read) are answered from the stored rows before.
    if (this.preparer && rows.some((row) => row.length >= limits.largeUpdateBytes)) await new Promise((resolve) => setImmediate(resolve));
    if (this.closed) return;
    await RoomPersistence.applyRows(this.doc, rows, options);
    if (this.closed) return;
    onLoaded?.(this);
    for (let applied = 0; applied < this.backlog.length && !this.closed; ) {
      const next = this.backlog.slice(applied);
      applied += next.length;
      await RoomPersistence.applyRows(this.doc, next, options);
    }
  }

  get size(): number {
    return this.members.size;
  }

  /** Adds an authenticated connection and starts the sync handshake. */
  join(socket: SyncSocket, context: ConnectionContext): void {
    const member: Member = { context, awarenessIds: new Set(), greeted: false, claimedIds: new Set() };
    this.members.set(socket, member);
    // While loading, the handshake uses the stored rows' state vector (that of a half-loaded doc would ask the client for everything).
    if (!this.loading) this.greet(socket, member);
    else if (this.advertised) this.greet(socket, member, this.advertised.summary.stateVector);
  }

  /** The server's side of the handshake: its state vector, and the cursors present. */
  private greet(socket: SyncSocket, member: Member, stateVector?: Uint8Array): void {
    member.greeted = true;
    socket.send(stateVector ? encodeSyncStep1FromStateVector(stateVector) : encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) socket.send(encodeAwareness(this.awareness, states));
  }

  /** The stored rows' state vector is known (during the load): greets those who joined before. */
  private greetWaiting(summary: StoredSummary): void {
    if (!this.loading || this.closed) return;
    this.advertise(summary);
    for (const [socket, member] of this.members) if (!member.greeted) this.greet(socket, member, summary.stateVector);
    for (const { update, origin, live } of this.takeBeforeSummary()) if (this.members.has(origin)) this.receiveWhileLoading(update, origin, live);
  }

  /** From now on, during the load, the server's step 1 carries the rows' state vector, and updates are judged against what they hold. */
  private advertise(summary: StoredSummary): void {
    const known = knownState(summary);
    this.advertised = { summary, known, accepted: new Map(known.clocks) };
    this.gate.loading(this.storedRows!, known.clocks);
  }

  /** The updates that came before the stored rows were summarised, in order; from now on none wait there. */
  private takeBeforeSummary(): HeldUpdate[] {
    const early = this.beforeSummary ?? [];
    this.beforeSummary = undefined;
    return early;
  }

  /** Handles one frame from a member. Malformed frames close that connection only. */
  receive(socket: SyncSocket, data: Uint8Array): void {
    const member = this.members.get(socket);
    if (!member) return;
    if (member.held) {
      member.held.push(data);
      return;
    }
    const large = this.preparer && !member.context.readOnly && !this.failed ? largeUpdatePayload(data) : undefined;
    if (large) {
      member.held = [];
      const { payload, live } = large;
      void (this.loading ? this.ingestLargeWhileLoading(socket, member, payload, live) : this.ingestLarge(socket, member, payload, live));
      return;
    }
    let message;
    try {
      message = parseMessage(data);
    } catch (error) {
      this.refuse(socket, member, error);
      return;
    }
    switch (message.type) {
      case 'sync-step1': {
        if (this.loading) {
          this.answerWhileLoading(socket, message.stateVector);
          return;
        }
        // Encoded now, sent once everything it contains is stored (the current batch included).
        const reply = isEmptyStateVector(message.stateVector) ? this.fullState() : encodeSyncStep2(this.doc, message.stateVector);
        this.commitBatch();
        this.pending = this.pending.then(() => {
          if (!this.failed) socket.send(reply);
        });
        return;
      }
      case 'sync-update':
        if (member.context.readOnly) {
          if (this.loading) {
            // Whether it brings anything new is a question for the loaded doc.
            void this.ready.then(() => this.receive(socket, data));
            return;
          }
          // Every client answers the server's step 1 with its state; from a
          // reader that holds nothing new this is not a write attempt.
          if (!this.bringsNothingNew(message.update)) socket.send(encodePermissionDenied(READ_ONLY_REASON));
          return;
        }
        if (this.failed) return;
        if (this.preparer && isHeavy(message.decoded)) {
          // Few bytes but many structs: applied in slices like a large update (see limits.largeUpdateStructs).
          member.held = [];
          void (this.loading ? this.ingestLargeWhileLoading(socket, member, message.update, message.live) : this.ingestLarge(socket, member, message.update, message.live));
          return;
        }
        if (this.loading) {
          this.receiveWhileLoading(message.update, socket, message.live, message.decoded);
          return;
        }
        this.apply(message.update, socket, message.live, message.decoded);
        return;
      case 'awareness':
        this.receiveAwareness(socket, member, message.entries);
        return;
      case 'query-awareness':
        socket.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
        return;
    }
  }

  /** Applies the entries of an awareness update this connection may make, stamped with its identity. */
  private receiveAwareness(socket: SyncSocket, member: Member, entries: AwarenessEntry[]): void {
    let admitted;
    try {
      admitted = admitAwareness(
        entries,
        { connection: socket, presence: member.context.presence, owned: member.awarenessIds.size },
        {
          owners: this.awarenessOwners,
          serverClientId: this.awareness.clientID,
          clockOf: (id) => this.awareness.meta.get(id)?.clock ?? 0,
          accountOf: (id) => this.claims.ownerOf(id),
        },
      );
    } catch (error) {
      if (!(error instanceof AwarenessStateTooLargeError)) throw error;
      socket.close(CloseCode.MessageTooLarge, error.message.slice(0, 120));
      return;
    }
    if (admitted.forged.length > 0) this.logger.warn({ ...this.who(socket, member), clientIds: admitted.forged }, 'awareness refused: client id of another member');
    for (const id of admitted.claimed) {
      this.awarenessOwners.set(id, socket);
      member.awarenessIds.add(id);
      // A page announces its client id as it connects: from then on it writes under it alone.
      this.claims.claimFor(id, { accountId: member.context.user.id, claimedIds: member.claimedIds });
    }
    if (admitted.entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(admitted.entries), socket);
  }

  /**
   * During the load, an update (content checked by parseMessage): dropped
   * when the stored rows hold all of it (a reconnecting client answers the
   * server's step 1 with every deletion it knows of); accepted as it came
   * when it continues what the rows and the updates accepted since hold;
   * otherwise (out of order, or a forged id) applied once the doc is loaded,
   * where Yjs sorts it out like any update.
   */
  private receiveWhileLoading(update: Uint8Array, origin: SyncSocket, live: boolean, decoded: DecodedUpdate = Y.decodeUpdate(update)): void {
    if (this.beforeSummary) {
      this.beforeSummary.push({ update, origin, live });
      return;
    }
    if (this.advertised && bringsNothingNew(decoded, this.advertised.known)) return;
    const ends = this.advertised && continuesKnown(decoded, this.advertised.accepted);
    let admission: 'accept' | 'ask' | 'defer' = 'defer';
    try {
      // Where it lands: from the part loaded, what is known of the rest, or else the worker reads it in the stored rows.
      if (ends) admission = this.gate.admitWhileLoading(decoded, this.advertised!.accepted);
    } catch (error) {
      this.refuse(origin, this.members.get(origin), error);
      return;
    }
    const member = this.members.get(origin);
    if (admission === 'ask' && this.reader && member) {
      member.held = [];
      void this.ingestLargeWhileLoading(origin, member, update, live, decoded);
      return;
    }
    if (admission !== 'accept' || !ends) {
      this.deferred.push({ update, origin, live });
      return;
    }
    if (!this.mayWrite(origin, [...ends.keys()], live)) return;
    this.gate.acceptedWhileLoading(decoded);
    this.acceptWhileLoading(update, origin, ends);
  }

  /**
   * During the load: an update (checked by parseMessage, continuing what is
   * known, up to `ends`: see receiveWhileLoading) is stored and broadcast as
   * usual — the same batch, the same write — and kept to be applied once the
   * stored rows are; what is known now reaches `ends`.
   */
  private acceptWhileLoading(update: Uint8Array, origin: SyncSocket, ends: Map<number, number>, alone = false): void {
    for (const [client, clock] of ends) this.advertised!.accepted.set(client, clock);
    this.backlog.push(update);
    this.batch.push({ update, origin, ...(alone ? { alone } : {}) });
    this.batchTimer ??= setImmediate(() => this.commitBatch());
  }

  /**
   * During the load, a large update (e.g. a reconnecting client's answer to
   * the server's step 1, which carries every deletion it knows of): checked by
   * the reader worker (the preparer is busy cutting the stored rows), then
   * accepted whole like any other — stored as its own row, so that it is never
   * merged with others on the event loop — and cut when the backlog is applied.
   * One that does not continue what is known waits for the loaded doc, with
   * the connection's later frames (see receiveWhileLoading).
   */
  private async ingestLargeWhileLoading(socket: SyncSocket, member: Member, update: Uint8Array, live: boolean, decoded?: DecodedUpdate): Promise<void> {
    const before = this.advertised && new Map(this.advertised.accepted);
    let prepared: PreparedUpdate;
    try {
      const structure = before && this.gate.describe(before);
      prepared = await this.reader!.prepare(update, Number.MAX_SAFE_INTEGER, { known: this.advertised?.summary, accepted: before, ...(structure ? { structure } : {}) });
    } catch (error) {
      if (this.closed) return;
      member.held = undefined;
      this.refuse(socket, member, error);
      return;
    }
    if (this.closed || this.failed || !this.members.has(socket)) return;
    this.gate.learn(prepared.learned);
    const { pieces, ends } = prepared;
    // Where it lands is for the loaded doc to tell (or it builds on what is not here yet): checked again then.
    // Deletions too: what they cost can only be read in the loaded doc (see StructureGate.admitWhileLoading).
    const forLoadedDoc = Boolean(prepared.later || prepared.waits || prepared.deletes);
    // Another update of one of its clients accepted while the worker checked: it no longer continues them.
    const stillContinues = !forLoadedDoc && ends && before && [...ends.keys()].every((client) => this.advertised?.accepted.get(client) === before.get(client));
    if ((pieces.length > 0 || forLoadedDoc) && this.loading && !stillContinues) await this.ready;
    if (this.closed || this.failed || !this.members.has(socket)) return;
    if ((pieces.length > 0 || forLoadedDoc) && !this.loading) {
      // Loaded meanwhile (or waited for it): applied as usual, in slices when large.
      if (!decoded || isHeavy(decoded)) {
        void this.ingestLarge(socket, member, update, live);
        return;
      }
      this.apply(update, socket, live, decoded);
      this.releaseHeld(socket, member);
      return;
    }
    if (pieces.length > 0) {
      if (!this.mayWrite(socket, [...ends!.keys()], live)) return;
      if (decoded) this.gate.acceptedWhileLoading(decoded);
      // A large one is stored as a row of its own (never merged with others on the event loop).
      const alone = update.length >= limits.largeUpdateBytes;
      if (alone) this.commitBatch();
      this.acceptWhileLoading(pieces[0]!, socket, ends!, alone);
      if (alone) this.commitBatch();
    }
    this.releaseHeld(socket, member);
  }

  /**
   * During the load: answers a sync step 1 from the stored rows, without
   * waiting for the load. The rows are stored, so they are sent at once; the
   * updates accepted during the load once they are stored too.
   */
  private answerWhileLoading(socket: SyncSocket, stateVector: Uint8Array): void {
    const rows = this.storedRows!;
    const accepted = this.backlog.slice();
    this.commitBatch();
    const stored = this.pending;
    const sendAccepted = () => {
      if (this.failed || !this.members.has(socket)) return;
      for (const update of accepted) socket.send(encodeUpdate(update));
    };
    if (isEmptyStateVector(stateVector)) {
      // The rows are the document: in stored order (each builds on the ones before), the last as the step 2, so that the client counts itself synced with all of it.
      this.sendStep2(socket, rows);
      void stored.then(sendAccepted);
      return;
    }
    const held = Y.decodeStateVector(stateVector);
    const fromStore: Promise<Uint8Array[] | undefined> = (this.storedSummary ?? Promise.resolve(undefined)).then((summary) => {
      if (!summary) return undefined;
      // Usually a client reconnecting after a restart: it holds every stored struct, and lacks at most some deletions.
      if (covers(held, Y.decodeStateVector(summary.stateVector))) return summary.beyondStateVector;
      return this.reader!.diff(rows, stateVector);
    });
    void fromStore
      .catch((error: unknown) => {
        this.logger.warn({ documentId: this.documentId, err: error }, 'could not read the stored rows for a sync request; answering after the load');
        return undefined;
      })
      .then(async (updates) => {
        if (!updates) {
          // Answered from the loaded doc (which holds everything accepted so far).
          await this.ready;
          if (this.closed || !this.members.has(socket)) return;
          const reply = encodeSyncStep2(this.doc, stateVector);
          this.commitBatch();
          await this.pending;
          if (!this.failed && this.members.has(socket)) socket.send(reply);
          return;
        }
        await stored;
        if (this.failed || !this.members.has(socket)) return;
        this.sendStep2(socket, updates);
        sendAccepted();
      });
  }

  /** Sends updates in order, the last as the sync step 2. */
  private sendStep2(socket: SyncSocket, updates: Uint8Array[]): void {
    updates.forEach((update, i) => {
      const type = i === updates.length - 1 ? SyncMessageType.Step2 : SyncMessageType.Update;
      // A large stored row goes as it is, after the message's header, not copied into a message of its own.
      if (update.length >= limits.largeUpdateBytes) socket.sendParts([encodeSyncHeader(type, update.length), update]);
      else socket.send(type === SyncMessageType.Step2 ? encodeSyncStep2Update(update) : encodeUpdate(update));
    });
  }

  private finishLoading(): void {
    if (this.closed) return;
    const rows = this.storedRows!;
    const acceptedDuringLoad = this.backlog.length > 0;
    this.loading = undefined;
    this.storedRows = undefined;
    this.storedSummary = undefined;
    this.backlog = [];
    this.doc.on('update', this.handleDocUpdate);
    const session = this.gate.loaded();
    // Only tidies the worker's memory: a worker gone meanwhile (shutdown) has nothing left to forget.
    if (session !== undefined) this.reader?.forget(session).catch(() => undefined);
    void reportForeignStructure(this.doc, this.logger, this.documentId);
    // One row (compacted) is the encoded state: the first joiners holding nothing get it as is.
    if (rows.length === 1 && !acceptedDuringLoad) this.fullStateFrame = encodeSyncStep2Update(rows[0]!);
    const again = this.advertisedTooMuch();
    this.advertised = undefined;
    for (const [socket, member] of [...this.members]) {
      if (!member.greeted || again) this.greet(socket, member);
    }
    // Now applied like any update: stored and relayed as far as the doc integrates them.
    const deferred = [...this.takeBeforeSummary(), ...this.deferred];
    this.deferred = [];
    for (const { update, origin, live } of deferred) this.apply(update, origin, live);
  }

  /**
   * Applies a member's update to the doc (stored and relayed from its update
   * event) once the gate has checked where it lands; one that builds on what
   * the doc lacks waits there; one Yjs cannot apply closes that connection.
   */
  private apply(received: Uint8Array, origin: SyncSocket, live: boolean, decodedAsReceived?: DecodedUpdate): void {
    let admitted;
    try {
      admitted = this.gate.admit(origin, received, decodedAsReceived ?? Y.decodeUpdate(received), live);
    } catch (error) {
      this.refuse(origin, this.members.get(origin), error);
      return;
    }
    const { decision, update, decoded, ahead } = admitted;
    // Deleting clocks not written yet under another member's id: judged now, not once she has typed them.
    if (ahead.length > 0 && !this.mayWrite(origin, ahead, live)) {
      this.gate.drop(origin);
      return;
    }
    if (decision === 'held') return;
    if (decision === 'overflow') {
      this.closeForWaiting(origin);
      return;
    }
    const member = this.members.get(origin);
    // Too much for one turn, from a connection gone meanwhile (an update deferred during a load): its page resends it.
    if (decision === 'slice' && this.preparer && !member) return;
    if (decision === 'slice' && this.preparer && member) {
      // Too much work for one turn: in slices, like a large update (after the one under way, if any).
      if (member.held) member.held.push(encodeUpdateFrame(update, live));
      else {
        member.held = [];
        void this.ingestLarge(origin, member, update, live);
      }
      return;
    }
    if (!this.mayWrite(origin, clientsWritten(decoded, (client) => Y.getState(this.doc.store, client)), live)) return;
    const started = performance.now();
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      this.logger.warn({ ...this.who(origin), err: error }, 'update could not be applied');
      origin.close(CloseCode.MalformedMessage, 'malformed message: update could not be applied');
    }
    this.noteStall(origin, performance.now() - started, update.length);
  }

  /** Who is on a connection, for the security log: document, account, remote address. */
  private who(socket: SyncSocket, member = this.members.get(socket)): { documentId: string; user?: string; address?: string } {
    const context = member?.context;
    return { documentId: this.documentId, user: context?.user.id, address: context?.address };
  }

  /** Logs an update (or a slice of one) that held the event loop for longer than limits.updateStallWarnMs, with who sent it. */
  private noteStall(origin: SyncSocket, ms: number, bytes: number): void {
    if (ms <= limits.updateStallWarnMs) return;
    this.logger.warn({ ...this.who(origin), ms: Math.round(ms), bytes }, 'an update held the event loop');
  }

  /**
   * Whether a member may bring new structs under these client ids
   * (clientIdPolicy.ts), claiming the unclaimed ones for its account when
   * `live`. One that may not is closed with 4409 (its page holds edits the
   * server did not take: it must reload), and nothing of the update is applied.
   */
  private mayWrite(origin: SyncSocket, clients: number[], live: boolean): boolean {
    if (clients.length === 0) return true;
    const member = this.members.get(origin);
    if (!member) return false;
    const accountId = member.context.user.id;
    const verdict = this.claims.admit(clients, { accountId, live, claimedIds: member.claimedIds }, (account) =>
      [...this.members.values()].some((m) => m.context.user.id === account),
    );
    if ('refused' in verdict) {
      this.logger.warn({ ...this.who(origin), clientId: verdict.refused, reason: verdict.reason }, 'update refused: client id of another member');
      this.leave(origin);
      origin.close(CloseCode.ClientIdTaken, `client id taken: ${verdict.reason}`.slice(0, 120));
      return false;
    }
    return true;
  }

  /** A connection holding too many updates that wait for structs the server lacks: it reconnects, and its handshake sends them. */
  private closeForWaiting(socket: SyncSocket): void {
    this.logger.warn(this.who(socket), 'too many updates waiting for structs the server does not have');
    this.leave(socket);
    socket.close(CloseCode.TryAgainLater, 'too many updates waiting for text the server does not have');
  }

  /** The updates the gate held whose awaited struct has arrived: received again, in order, as if just sent. */
  private retryWaiting(): void {
    this.retryScheduled = false;
    if (this.closed) return;
    for (const { origin, update, live } of this.gate.takeReady()) this.receive(origin, encodeUpdateFrame(update, live));
  }

  /**
   * True when the state vector sent during the load named a struct the loaded
   * doc does not hold (only after a gap in the stored rows, which Yjs keeps
   * pending): those clients are greeted again, so that they send it.
   */
  private advertisedTooMuch(): boolean {
    if (!this.advertised) return false;
    for (const [client, clock] of this.advertised.known.clocks) if (Y.getState(this.doc.store, client) < clock) return true;
    return false;
  }

  /** Handles, in order, the frames a connection sent while they had to wait. */
  private releaseHeld(socket: SyncSocket, member: Member): void {
    const held = member.held ?? [];
    member.held = undefined;
    for (let i = 0; i < held.length; i++) {
      const again = member.held as Uint8Array[] | undefined; // set again by receive() when a held frame starts a large update
      if (again) {
        again.push(...held.slice(i));
        return;
      }
      this.receive(socket, held[i]!);
    }
  }

  /**
   * A large update: checked and cut into pieces by the worker, then applied a
   * slice of pieces per turn of the event loop (one transaction per slice, so
   * each slice is stored, then broadcast, as one row and one frame — stored
   * before broadcast as any update). The connection's later frames wait and
   * are handled after it, in order.
   */
  private async ingestLarge(socket: SyncSocket, member: Member, update: Uint8Array, live: boolean): Promise<void> {
    try {
      const structure = this.gate.describe();
      const { pieces, waits, later, writes, ahead } = await this.preparer!.prepare(update, limits.largeUpdatePieceStructs, { structure });
      if (this.closed || !this.members.has(socket)) return;
      if (later) throw new MalformedMessageError('where the update lands could not be read');
      if (ahead && !this.mayWrite(socket, ahead, live)) return;
      if (waits) {
        if (this.gate.hold(socket, update, Y.createID(waits.client, waits.clock), live) === 'overflow') {
          this.closeForWaiting(socket);
          return;
        }
        this.releaseHeld(socket, member);
        return;
      }
      const written = [...(writes ?? [])].filter(([client, end]) => end > Y.getState(this.doc.store, client)).map(([client]) => client);
      if (!this.mayWrite(socket, written, live)) return;
      const guard = { fits: clockGuard(this.doc, structure.stateVector), refusal: () => new MalformedMessageError('another connection wrote under the same client ids meanwhile') };
      const done = await applyInSlices(this.doc, boundedPieces(this.doc, pieces), socket, limits.largeUpdateSliceMs, {
        stop: () => this.closed || this.failed || !this.members.has(socket),
        guard,
        onSlice: (ms) => this.noteStall(socket, ms, update.length),
      });
      if (!done) return;
    } catch (error) {
      if (this.closed) return;
      member.held = undefined;
      this.refuse(socket, member, error);
      return;
    }
    this.releaseHeld(socket, member);
  }

  /** Closes a connection that sent something it may not (content outside the model) or cannot (garbage). */
  private refuse(socket: SyncSocket, member: Member | undefined, error: unknown): void {
    if (error instanceof AwarenessStateTooLargeError) {
      socket.close(CloseCode.MessageTooLarge, error.message.slice(0, 120));
      return;
    }
    if (error instanceof ContentNotAllowedError) {
      this.logger.warn({ ...this.who(socket, member), reason: error.message }, 'update refused: content not allowed');
      socket.close(CloseCode.ContentNotAllowed, `content not allowed: ${error.message}`.slice(0, 120));
      return;
    }
    const reason = error instanceof MalformedMessageError ? error.message : 'undecodable frame';
    this.logger.warn({ ...this.who(socket, member), reason }, 'malformed sync message');
    socket.close(CloseCode.MalformedMessage, `malformed message: ${reason}`.slice(0, 120));
  }

  /**
   * Applies a change of membership at once to every connection of an account:
   * a new context (e.g. now read-only), or null to close them (revoked).
   */
  reauthorize(accountId: string, context: ConnectionContext | null): void {
    for (const [socket, member] of [...this.members]) {
      if (member.context.user.id !== accountId) continue;
      if (context) {
        const { sessionId, address } = member.context;
        member.context = { ...context, ...(sessionId ? { sessionId } : {}), ...(address ? { address } : {}) };
        this.restampPresence(socket, member);
      } else {
        this.leave(socket);
        socket.close(CloseCode.Forbidden, REVOKED_REASON);
      }
    }
  }

  /**
   * Shows a member's new role (and colour) next to their cursors at once,
   * instead of at their page's next presence update (up to 15 s later): their
   * states are stamped again, with a newer clock, and sent to everyone.
   */
  private restampPresence(socket: SyncSocket, member: Member): void {
    const entries: AwarenessEntry[] = [];
    for (const clientId of member.awarenessIds) {
      const state = this.awareness.getStates().get(clientId);
      if (!state) continue;
      entries.push({ clientId, clock: (this.awareness.meta.get(clientId)?.clock ?? 0) + 1, state: { ...state, user: member.context.presence } });
    }
    if (entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(entries), socket);
  }

  /** Closes the connections opened with sessions that have just ended (sign-out, here or everywhere). */
  endSessions(sessionIds: ReadonlySet<string>): void {
    for (const [socket, member] of [...this.members]) {
      if (!member.context.sessionId || !sessionIds.has(member.context.sessionId)) continue;
      this.leave(socket);
      socket.close(CloseCode.Unauthorized, 'signed out');
    }
  }

  /** The sessions this room's connections were opened with (to find those ended elsewhere). */
  sessionIds(into: Set<string>): void {
    for (const member of this.members.values()) if (member.context.sessionId) into.add(member.context.sessionId);
  }

  /** True when an update holds no struct and no deletion the document does not already have. */
  private bringsNothingNew(update: Uint8Array): boolean {
    const known = { clocks: Y.decodeStateVector(Y.encodeStateVector(this.doc)), deletes: Y.createDeleteSetFromStructStore(this.doc.store) };
    return bringsNothingNew(Y.decodeUpdate(update), known);
  }

  /** Removes a connection and its cursors. */
  leave(socket: SyncSocket): void {
    const member = this.members.get(socket);
    if (!member) return;
    this.members.delete(socket);
    this.gate.drop(socket);
    for (const id of member.awarenessIds) this.awarenessOwners.delete(id);
    awarenessProtocol.removeAwarenessStates(this.awareness, [...member.awarenessIds], null);
  }

  /** Resolves when every accepted update so far is stored and broadcast (or storage has failed). */
  async flushed(): Promise<void> {
    await this.ready;
    this.commitBatch();
    return this.pending;
  }

  /**
   * Resolves once every update applied to the doc so far is stored; rejects when
   * the store refused one. For records that quote the text (versions,
   * approvals): they must never quote text a crash could lose.
   */
  async stored(): Promise<void> {
    await this.flushed();
    if (this.failed) throw new StorageUnavailableError('The server cannot store changes right now: the document could not be saved. Nothing of this change was saved; everything saved before is safe.');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes every connection (e.g. on shutdown) and releases the doc. */
  close(code: number, reason: string): void {
    this.closed = true;
    for (const socket of [...this.members.keys()]) {
      this.leave(socket);
      socket.close(code, reason);
    }
    this.doc.off('update', this.handleDocUpdate);
    if (this.batchTimer) clearImmediate(this.batchTimer);
    this.batch = []; // not stored, so never acknowledged: clients resend after reconnecting
    this.queued = [];
    this.deferred = [];
    this.beforeSummary = undefined;
    this.gate.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Sync step 2 with the whole document, from the cache when no update came since it was encoded. */
  private fullState(): Uint8Array {
    this.fullStateFrame ??= encodeSyncStep2Update(encodeIntegratedState(this.doc));
    return this.fullStateFrame;
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADING) return;
    this.fullStateFrame = undefined;
    if (this.gate.holding && !this.retryScheduled) {
      this.retryScheduled = true;
      queueMicrotask(() => this.retryWaiting());
    }
    this.batch.push(batchTrace ? { update, origin, traced: { applied: performance.now(), committed: 0 } } : { update, origin });
    this.batchTimer ??= setImmediate(() => this.commitBatch());
  };

  /** Hands the current batch to the persist-then-broadcast chain (one stored row, one frame per connection). */
  private commitBatch(): void {
    if (this.batchTimer) clearImmediate(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    if (batchTrace) for (const entry of this.batch) entry.traced!.committed = performance.now();
    this.queued.push(...this.batch);
    this.batch = [];
    // One write at a time (a commit takes ~0.05 ms on the event loop, so
    // nothing is gained by starting the next before this batch is broadcast).
    this.pending = this.pending
      .then(async () => {
        const stored = await this.writeQueued();
        if (!stored || this.failed) return;
        this.broadcastBatch(stored.entries, stored.merged);
        if (batchTrace) traceBatch(batchTrace, stored.entries, stored.writeStart, stored.writeDone);
      })
      // A step that throws stops the room: later steps must not run past a lost one.
      .catch((error: unknown) => this.stopStoring(error, 'could not store or relay an update'));
  }

  /** Stores nothing more (a later batch may build on the lost one) and has the room closed and reloaded from disk. */
  private stopStoring(error: unknown, what: string): void {
    if (this.failed) return;
    this.failed = true;
    this.logger.error({ documentId: this.documentId, err: error }, `${what}; closing the room`);
    this.onStorageFailure(this);
  }

  /**
   * Stores everything queued as one row; resolves with it once durable, or
   * with nothing (nothing queued, or storage failed: the room is then closed).
   */
  private async writeQueued(): Promise<{ entries: BatchEntry[]; merged: Uint8Array; writeStart: number; writeDone: number } | undefined> {
    // After a failure nothing more is stored: a later batch may build on the lost one.
    if (this.failed) return undefined;
    // Group commit across turns too: whatever was queued while the previous
    // write was on its way goes in this one (an earlier link may have taken all).
    const entries = this.takeQueued();
    if (entries.length === 0) return undefined;
    try {
      const writeStart = performance.now();
      const merged = entries.length === 1 ? entries[0]!.update : Y.mergeUpdates(entries.map((b) => b.update));
      await this.persistence.append(merged, this.loading ? undefined : this.doc);
      return { entries, merged, writeStart, writeDone: performance.now() };
    } catch (error) {
      this.stopStoring(error, 'could not store an update');
      return undefined;
    }
  }

  /**
   * The updates the next write stores: all those queued, except that a large
   * one (accepted whole during a load) is stored alone — merging it with
   * others would re-encode it on the event loop. It came as a batch of its
   * own, so every batch still has a write of its own to take it.
   */
  private takeQueued(): BatchEntry[] {
    let end = this.queued.findIndex((entry) => entry.alone);
    if (end === 0) end = 1;
    else if (end === -1) end = this.queued.length;
    return this.queued.splice(0, end);
  }

  /** Sends a stored batch: the merged update to everyone, except to the connections it came from. */
  private broadcastBatch(batch: Array<{ update: Uint8Array; origin: unknown }>, merged: Uint8Array): void {
    const origins = new Set(batch.map((b) => b.origin));
    const message = encodeUpdate(merged);
    for (const socket of this.members.keys()) {
      if (!origins.has(socket)) {
        socket.send(message);
        continue;
      }
      const others = batch.filter((b) => b.origin !== socket).map((b) => b.update);
      if (others.length > 0) socket.send(encodeUpdate(others.length === 1 ? others[0]! : Y.mergeUpdates(others)));
    }
  }

  private readonly handleAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
  ): void => {
    const changed = [...added, ...updated, ...removed];
    this.broadcast(encodeAwareness(this.awareness, changed), undefined);
  };

  private broadcast(message: Uint8Array, except: unknown): void {
    for (const socket of this.members.keys()) {
      if (socket !== except) socket.send(message);
    }
  }
}
