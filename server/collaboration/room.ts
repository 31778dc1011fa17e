import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import { CloseCode, MessageType, READ_ONLY_REASON, SyncMessageType } from '../../shared/protocol.ts';
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
  encodeSyncStep2,
  encodeSyncStep2Update,
  encodeUpdate,
  isEmptyStateVector,
  parseMessage,
} from './messages.ts';
import { ContentNotAllowedError } from './contentPolicy.ts';
import { applyInSlices } from './ingest/applyInSlices.ts';
import type { UpdatePreparer } from './ingest/preparer.ts';
import { RoomPersistence } from './persistence.ts';
import { StorageUnavailableError } from '../store/storageError.ts';
import type { SyncSocket } from './socket.ts';
import { batchTrace, type BatchRecord } from './batchTrace.ts';

/** Origin of the transactions that load the stored rows: not new, so neither stored again nor broadcast. */
const LOADING = Symbol('loading');

interface Member {
  context: ConnectionContext;
  /** Awareness client ids this connection owns (see awarenessPolicy.ts), released when it leaves. */
  awarenessIds: Set<number>;
  /** While a large update of this connection is being applied: its later frames, handled after it in order. */
  held?: Uint8Array[];
}

/** The payload of a sync step 2 / update frame when it is large enough for the worker, else undefined. */
function largeUpdatePayload(data: Uint8Array): Uint8Array | undefined {
  if (data.length < limits.largeUpdateBytes) return undefined;
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    const subtype = decoding.readVarUint(decoder);
    if (subtype !== SyncMessageType.Step2 && subtype !== SyncMessageType.Update) return undefined;
    const payload = decoding.readVarUint8Array(decoder);
    return payload.length >= limits.largeUpdateBytes && !decoding.hasContent(decoder) ? payload : undefined;
  } catch {
    return undefined; // parseMessage reports it
  }
}

/**
 * One document being edited: its Y.Doc, awareness, and connections. Transport
 * independent. An update is persisted before it is broadcast, so whatever a
 * client has received from the server is on disk.
 *
 * Group commit: the updates applied during one turn of the event loop (every
 * frame read from the sockets in that turn) are stored as one merged row and
 * then broadcast as one frame per connection; the rows of the turns that pass
 * while a write is on its way to disk are written together right after it, in
 * one transaction — one fsync — by the writer thread, without waiting for the
 * event loop (see updateLogWorker.mjs). A connection is
 * never sent back its own updates: when it sent some of the batch, it gets
 * the merge of the others.
 */
export class Room {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly members = new Map<SyncSocket, Member>();
  /** The connection owning each awareness client id (first announced, until it leaves). */
  private readonly awarenessOwners = new Map<number, SyncSocket>();
  /**
   * Resolves once everything committed so far is stored and broadcast (or
   * storage failed); sync step 2 replies chain on it.
   */
  private pending: Promise<void> = Promise.resolve();
  private failed = false;
  /** Updates applied to the doc in this turn of the event loop, not yet committed. */
  private batch: Array<{ update: Uint8Array; origin: unknown }> = [];
  private batchTimer: NodeJS.Immediate | undefined;
  /** With ACCORD_BATCH_TRACE: the timings of the open batch. */
  private batchRecord: BatchRecord | undefined;
  /**
   * The sync step 2 a client holding nothing gets: the whole document, encoded
   * once and shared by every joiner until the next update (encoding a large
   * document costs tens of milliseconds; a crowd arriving at once costs one).
   */
  private fullStateFrame: Uint8Array | undefined;
  private readonly preparer: UpdatePreparer | undefined;
  private closed = false;
  /**
   * While the stored rows are being applied (a large document loads in
   * slices): the rows themselves, which a joiner holding nothing is sent at
   * once — they are the document — while every other frame waits for the load.
   */
  private storedRows: Uint8Array[] | undefined;
  private loading: Promise<void> | undefined;
  /** Resolves once the stored document is loaded (at once when there was nothing to load). */
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
      /** Checks and cuts large updates off the event loop; without it they are applied at once. */
      preparer?: UpdatePreparer;
    } = {},
  ) {
    this.preparer = options.preparer;
    const rows = options.rows ?? [];
    if (rows.length > 0) {
      this.storedRows = rows;
      this.loading = RoomPersistence.applyRows(doc, rows, { preparer: this.preparer, origin: LOADING, stop: () => this.closed }).then(
        () => this.finishLoading(),
        (error: unknown) => {
          if (this.closed) return;
          this.failed = true;
          this.logger.error({ documentId, err: error }, 'could not load the stored document; closing the room');
          this.onStorageFailure(this);
        },
      );
    }
    else persistence.loaded(doc); // complete already: the rows stored from now on are changes to this state
    this.ready = this.loading ?? Promise.resolve();
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null); // the server itself has no cursor
    doc.on('update', this.handleDocUpdate);
    this.awareness.on('update', this.handleAwarenessUpdate);
  }

  get size(): number {
    return this.members.size;
  }

  /** Adds an authenticated connection and starts the sync handshake. */
  join(socket: SyncSocket, context: ConnectionContext): void {
    // While loading, the handshake waits: the state vector of a half-loaded doc would ask the client for everything.
    this.members.set(socket, { context, awarenessIds: new Set(), ...(this.loading ? { held: [] } : {}) });
    if (!this.loading) this.greet(socket);
  }

  /** The server's side of the handshake: its state vector, and the cursors present. */
  private greet(socket: SyncSocket): void {
    socket.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) socket.send(encodeAwareness(this.awareness, states));
  }

  /** Handles one frame from a member. Malformed frames close that connection only. */
  receive(socket: SyncSocket, data: Uint8Array): void {
    const member = this.members.get(socket);
    if (!member) return;
    if (member.held) {
      if (!(this.loading && this.sendStoredRows(socket, data))) member.held.push(data);
      return;
    }
    const large = this.preparer && !member.context.readOnly && !this.failed ? largeUpdatePayload(data) : undefined;
    if (large) {
      member.held = [];
      void this.ingestLarge(socket, member, large);
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
          // Every client answers the server's step 1 with its state; from a
          // reader that holds nothing new this is not a write attempt.
          if (!this.bringsNothingNew(message.update)) socket.send(encodePermissionDenied(READ_ONLY_REASON));
          return;
        }
        if (this.failed) return;
        try {
          Y.applyUpdate(this.doc, message.update, socket);
        } catch (error) {
          this.logger.warn({ documentId: this.documentId, err: error }, 'update could not be applied');
          socket.close(CloseCode.MalformedMessage, 'malformed message: update could not be applied');
        }
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
        { owners: this.awarenessOwners, serverClientId: this.awareness.clientID, clockOf: (id) => this.awareness.meta.get(id)?.clock ?? 0 },
      );
    } catch (error) {
      if (!(error instanceof AwarenessStateTooLargeError)) throw error;
      socket.close(CloseCode.MessageTooLarge, error.message.slice(0, 120));
      return;
    }
    for (const id of admitted.claimed) {
      this.awarenessOwners.set(id, socket);
      member.awarenessIds.add(id);
    }
    if (admitted.entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(admitted.entries), socket);
  }

  /**
   * While loading: answers a sync step 1 from a client holding nothing with
   * the stored rows as they are, without waiting for the load. Returns false
   * for any other frame.
   */
  private sendStoredRows(socket: SyncSocket, data: Uint8Array): boolean {
    // Only a step 1 is worth parsing here (both type bytes are single-byte varUints).
    if (data[0] !== MessageType.Sync || data[1] !== SyncMessageType.Step1) return false;
    let message;
    try {
      message = parseMessage(data);
    } catch {
      return false; // handled (and refused) after the load, in order
    }
    if (message.type !== 'sync-step1' || !isEmptyStateVector(message.stateVector)) return false;
    // In stored order (each row builds on the ones before); the last as the step 2, so that the client counts itself synced with all of it.
    const rows = this.storedRows!;
    for (const row of rows.slice(0, -1)) socket.send(encodeUpdate(row));
    socket.send(encodeSyncStep2Update(rows.at(-1)!));
    return true;
  }

  private finishLoading(): void {
    if (this.closed) return;
    const rows = this.storedRows!;
    this.loading = undefined;
    this.storedRows = undefined;
    this.persistence.loaded(this.doc);
    // One row (compacted) is the encoded state: the first joiners holding nothing get it as is.
    if (rows.length === 1) this.fullStateFrame = encodeSyncStep2Update(rows[0]!);
    for (const [socket, member] of [...this.members]) {
      this.greet(socket);
      this.releaseHeld(socket, member);
    }
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
  private async ingestLarge(socket: SyncSocket, member: Member, update: Uint8Array): Promise<void> {
    try {
      const pieces = await this.preparer!.prepare(update, limits.largeUpdatePieceStructs);
      const done = await applyInSlices(this.doc, pieces, socket, limits.largeUpdateSliceMs, () => this.closed || this.failed || !this.members.has(socket));
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
  private refuse(socket: SyncSocket, member: Member, error: unknown): void {
    if (error instanceof AwarenessStateTooLargeError) {
      socket.close(CloseCode.MessageTooLarge, error.message.slice(0, 120));
      return;
    }
    if (error instanceof ContentNotAllowedError) {
      this.logger.warn({ documentId: this.documentId, user: member.context.user.id, reason: error.message }, 'update refused: content not allowed');
      socket.close(CloseCode.ContentNotAllowed, `content not allowed: ${error.message}`.slice(0, 120));
      return;
    }
    const reason = error instanceof MalformedMessageError ? error.message : 'undecodable frame';
    this.logger.warn({ documentId: this.documentId, user: member.context.user.id, reason }, 'malformed sync message');
    socket.close(CloseCode.MalformedMessage, `malformed message: ${reason}`.slice(0, 120));
  }

  /**
   * Applies a change of membership at once to every connection of an account:
   * a new context (e.g. now read-only), or null to close them (revoked).
   */
  reauthorize(accountId: string, context: ConnectionContext | null): void {
    for (const [socket, member] of [...this.members]) {
      if (member.context.user.id !== accountId) continue;
      if (context) member.context = { ...context, ...(member.context.sessionId ? { sessionId: member.context.sessionId } : {}) };
      else {
        this.leave(socket);
        socket.close(CloseCode.Forbidden, 'membership revoked');
      }
    }
  }

  /** Closes the connections opened with a session that has just ended (sign-out). */
  endSession(sessionId: string): void {
    for (const [socket, member] of [...this.members]) {
      if (member.context.sessionId !== sessionId) continue;
      this.leave(socket);
      socket.close(CloseCode.Unauthorized, 'signed out');
    }
  }

  /** True when an update holds no struct and no deletion the document does not already have. */
  private bringsNothingNew(update: Uint8Array): boolean {
    const { structs, ds } = Y.decodeUpdate(update);
    if (structs.some((s) => s.id.clock + s.length > Y.getState(this.doc.store, s.id.client))) return false;
    if (ds.clients.size === 0) return true;
    const known = Y.createDeleteSetFromStructStore(this.doc.store);
    for (const [client, ranges] of ds.clients) {
      for (const range of ranges) {
        for (let clock = range.clock; clock < range.clock + range.len; clock++) {
          if (!Y.isDeleted(known, { client, clock } as Y.ID)) return false;
        }
      }
    }
    return true;
  }

  /** Removes a connection and its cursors. */
  leave(socket: SyncSocket): void {
    const member = this.members.get(socket);
    if (!member) return;
    this.members.delete(socket);
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
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Sync step 2 with the whole document, from the cache when no update came since it was encoded. */
  private fullState(): Uint8Array {
    this.fullStateFrame ??= encodeSyncStep2Update(Y.encodeStateAsUpdate(this.doc));
    return this.fullStateFrame;
  }

  private readonly handleDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADING) return;
    this.fullStateFrame = undefined;
    if (batchTrace) this.batchRecord ??= batchTrace.open();
    this.batch.push({ update, origin });
    this.batchTimer ??= setImmediate(() => this.commitBatch());
  };

  /**
   * Stores the current batch as one row, then sends it as one frame per
   * connection. Posted at once, even while earlier batches are on their way to
   * disk: the store writes whatever waits together, right after the write under
   * way (group commit), keeps their order, and fails the ones after a failed
   * one. Batches are relayed in order, each once it is stored.
   */
  private commitBatch(): void {
    if (this.batchTimer) clearImmediate(this.batchTimer);
    this.batchTimer = undefined;
    if (this.batch.length === 0) return;
    const entries = this.batch;
    this.batch = [];
    const record = this.batchRecord;
    this.batchRecord = undefined;
    if (record) record.updates = entries.length;
    // After a failure nothing more is stored: a later batch may build on the lost one.
    if (this.failed) return;
    const merged = entries.length === 1 ? entries[0]!.update : Y.mergeUpdates(entries.map((b) => b.update));
    if (record) record.committed = record.writeStart = performance.now();
    const stored = this.persistence.append(merged, this.doc).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
    const previous = this.pending;
    this.pending = (async () => {
      const failure = await stored;
      await previous;
      if (failure) return this.storageFailed(failure.error);
      if (this.failed || this.closed) return;
      if (record) record.writeDone = performance.now();
      this.broadcastBatch(entries, merged);
      if (record) {
        record.broadcastDone = performance.now();
        record.batchesInWrite = 1;
        batchTrace?.done(record);
      }
    })().catch((error: unknown) => this.storageFailed(error));
  }

  private storageFailed(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.logger.error({ documentId: this.documentId, err: error }, 'could not store an update; closing the room');
    this.onStorageFailure(this);
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
