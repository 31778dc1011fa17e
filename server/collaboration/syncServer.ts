import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import * as Y from 'yjs';
import { ID_PATTERN, limits, type SyncLimits } from '../../shared/limits.ts';
import { CloseCode, SYNC_PATH } from '../../shared/protocol.ts';
import { TRUST_NO_PROXY, requestAddress, type TrustProxy } from '../auth/origin.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { rateWindow } from '../rateWindow.ts';
import { SyncRejection, type ConnectionContext, type SyncHooks } from './hooks.ts';
import { UpdatePreparer } from './ingest/preparer.ts';
import { ClientClaims } from './clientClaims.ts';
import { ConnectionCounts, type Opening } from './connectionCounts.ts';
import { RoomPersistence } from './persistence.ts';
import { Room } from './room.ts';
import type { SyncSocket } from './socket.ts';
import { StorageUnavailableError } from '../store/storageError.ts';
import { refuseUpgrade } from './upgradeRefusal.ts';
import { WsSyncSocket } from './wsSyncSocket.ts';
import { rememberConnection } from './connectionAccounts.ts';

const PING_INTERVAL_MS = 30_000;

/** The points of a connection's opening where it waits (SyncServer.openingProbe). */
export type OpeningStep = 'before-authentication' | 'authenticated' | 'upgraded' | 'room';

/** On shutdown, how long clients have to answer the close frame before their connection is cut. */
const CLOSE_GRACE_MS = 2_000;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** The document id of a sync URL (`/sync/<id>`), or undefined when the path is not a sync path. */
export function syncDocumentId(url: string | undefined): string | undefined {
  const pathname = new URL(url ?? '/', 'http://localhost').pathname;
  if (!pathname.startsWith(`${SYNC_PATH}/`)) return undefined;
  try {
    return decodeURIComponent(pathname.slice(SYNC_PATH.length + 1));
  } catch {
    return ''; // a broken %-escape names no document (refused like any unknown id)
  }
}

/**
 * The y-websocket endpoint: accepts upgrades on /sync/<documentId>, runs the
 * authentication hook before any message is handled, and hands connections to
 * the document's Room (loaded on first use, released when the last one leaves).
 */
export class SyncServer {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxSyncMessageBytes });
  private readonly rooms = new Map<string, Promise<Room>>();
  /** Called when a room opens; each returns what to run when it closes. */
  private readonly roomObservers: Array<(documentId: string, doc: Y.Doc) => () => void> = [];
  private readonly roomDisposers = new Map<Room, Array<() => void>>();
  private readonly pingTimer: NodeJS.Timeout;
  private closing = false;
  /** One worker thread for every room's large updates (and the loading of large stored documents). */
  private readonly preparer = new UpdatePreparer();
  /**
   * Another, to read a large document's stored rows while it loads (its state
   * vector, what a client lacks): the preparer is busy cutting those rows then.
   */
  private readonly reader = new UpdatePreparer();
  /** Documents whose room is open but still applying its stored rows. */
  private readonly loadingDocuments = new Map<string, Room>();
  /**
   * Bumped by every membership change and sign-out: a connection
   * authenticated before one is authenticated again before it joins its
   * room (otherwise the change, applied to the room's members, would miss
   * it). One counter for all: changes are rare, and a spare
   * re-authentication costs two reads.
   */
  private revocations = 0;
  /** Test seam: awaited at each step of a connection's opening (tests revoke there). */
  openingProbe: ((step: OpeningStep, documentId: string) => Promise<void> | void) | undefined;
  /** Connections that answered the last ping; the others are terminated. */
  private readonly alive = new WeakSet<WebSocket>();

  private readonly limits: SyncLimits;
  /** Open connections per document, remote address and member, for the connection caps. */
  private readonly counts = new ConnectionCounts();

  constructor(
    private readonly store: Store,
    private readonly hooks: SyncHooks,
    private readonly logger: Logger,
    limitOverrides: Partial<SyncLimits> = {},
    /** The proxies whose X-Forwarded-For is believed (TRUST_PROXY): the address counted and logged is the person's. */
    private readonly trust: TrustProxy = TRUST_NO_PROXY,
  ) {
    this.limits = { ...limits, ...limitOverrides };
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  /**
   * Starts the store's update-log helper thread now rather than on the first edit, and
   * the two ingest worker threads too when the store holds a document large
   * enough to need them; resolves once they are ready. Loading a thread's
   * modules takes ~100 ms, and a cold thread is 2-3 times as slow over its
   * first large document — costs the first edit or the first large document
   * opened after a restart would otherwise pay while clients wait. The ingest
   * workers cost ~25 MiB each, so a server without large documents starts
   * them only when one arrives. (`npm start` calls this; tests and embedders
   * may leave every thread to start on demand.)
   */
  async startWorkers(): Promise<void> {
    const large = (await this.store.holdsDocumentLargerThan?.(limits.largeUpdateBytes)) ?? true;
    await Promise.all([this.store.prepareWrites?.(), ...(large ? [this.preparer.warm(), this.reader.warm()] : [])]);
  }

  /** Which ingest worker threads are running (for tests and metrics). */
  get ingestWorkers(): { preparer: boolean; reader: boolean } {
    return { preparer: this.preparer.running, reader: this.reader.running };
  }

  /** Handles an HTTP upgrade whose path is under SYNC_PATH. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.upgrade(request, socket, head);
  }

  /**
   * Authenticates the upgrade request and only then accepts the WebSocket:
   * a refusal is an HTTP status on the raw socket (upgradeRefusal.ts), after
   * which y-websocket clients back off instead of reconnecting at once.
   */
  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const documentId = syncDocumentId(request.url) ?? '';
    const address = requestAddress(request, this.trust);
    // Until `ws` takes the socket over, a reset while authenticating must not be an unhandled error.
    const onSocketError = () => socket.destroy();
    socket.on('error', onSocketError);
    const opening = this.counts.open(address);
    socket.once('close', opening.release);
    const generation = this.revocations;
    const seen: { user?: string } = {};
    let context: ConnectionContext;
    try {
      await this.openingProbe?.('before-authentication', documentId);
      context = await this.admit(request, documentId, address, opening, seen);
      await this.openingProbe?.('authenticated', documentId);
      if (this.closing) throw new SyncRejection(CloseCode.ServiceRestart, 'server is shutting down');
    } catch (error) {
      const rejection = error instanceof SyncRejection ? error : new SyncRejection(CloseCode.StorageFailure, 'server error while opening the document', 503);
      if (!(error instanceof SyncRejection)) this.logger.error({ err: error, documentId, address }, 'sync connection failed');
      this.logRefusal(rejection, { documentId, address, ...seen });
      refuseUpgrade(socket, rejection);
      return;
    }
    if (socket.destroyed) return;
    socket.removeListener('error', onSocketError);
    this.wss.handleUpgrade(request, socket, head, (ws) => void this.accept(ws, request, documentId, context, generation));
  }

  /**
   * The checks of a connection before its upgrade: limits, the hook's
   * authentication (within limits.authTimeoutMs), the document. Counts the
   * connection for the per-document and per-member limits once admitted.
   */
  private async admit(request: IncomingMessage, documentId: string, address: string, opening: Opening, seen: { user?: string }): Promise<ConnectionContext> {
    if (this.closing) throw new SyncRejection(CloseCode.ServiceRestart, 'server is shutting down');
    if (this.counts.fromAddress(address) > this.limits.maxConnectionsPerAddress) {
      throw new SyncRejection(CloseCode.TryAgainLater, 'too many connections from this address; try again later', 429);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SyncRejection(CloseCode.AuthenticationTimeout, 'authentication took too long')), this.limits.authTimeoutMs);
    });
    const authenticated = await Promise.race([this.hooks.authenticate(request, documentId), timeout]).finally(() => clearTimeout(timer));
    const context: ConnectionContext = { ...authenticated, address };
    seen.user = context.user.id;
    // Whatever the hook checked, unknown ids are refused before anything is loaded or created: random names cost nothing.
    if (!ID_PATTERN.test(documentId) || !(await this.store.getDocument(documentId))) {
      throw new SyncRejection(CloseCode.DocumentNotFound, `document not found: ${documentId.slice(0, 64)}`);
    }
    if (this.counts.onDocument(documentId) >= this.limits.maxConnectionsPerDocument) {
      throw new SyncRejection(CloseCode.TryAgainLater, 'too many connections to this document; try again later', 503);
    }
    if (this.counts.documentsOverLimit(context.user.id, documentId, this.limits.maxOpenDocumentsPerMember)) {
      throw new SyncRejection(CloseCode.TryAgainLater, `too many declarations open at once (at most ${this.limits.maxOpenDocumentsPerMember}); close one`, 429);
    }
    opening.countFor(documentId, context.user.id);
    return context;
  }

  /**
   * Floods, limits, cross-site attempts and authentications that stalled at warn (security log);
   * ordinary refusals (signed out, not a member, unknown id) at info.
   */
  private logRefusal(rejection: SyncRejection, where: { documentId: string; address?: string; user?: string }): void {
    const flood = rejection.status === 429 || rejection.status === 408 || (rejection.code === CloseCode.TryAgainLater && rejection.status === 503);
    const fields = { ...where, documentId: where.documentId.slice(0, 64), status: rejection.status, code: rejection.code, reason: rejection.message };
    if (flood) this.logger.warn(fields, 'sync connection refused: limit');
    else if (rejection.message.startsWith('cross-site')) this.logger.warn(fields, 'sync connection refused: cross-site');
    else this.logger.info(fields, 'sync connection refused');
  }

  private async accept(ws: WebSocket, request: IncomingMessage, documentId: string, authenticated: ConnectionContext, generation: number): Promise<void> {
    const socket = new WsSyncSocket(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    let context = authenticated;
    const who = () => ({ documentId, user: context.user.id, address: context.address });

    // Messages that arrive while the room opens wait here, bounded.
    const queue: Uint8Array[] = [];
    let queuedBytes = 0;
    let room: Room | undefined;
    const messages = rateWindow(this.limits.maxMessagesPerSecond);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return; // closing: nothing more is handled
      if (!isBinary) {
        this.logger.warn(who(), 'malformed sync message: a text frame');
        socket.close(CloseCode.MalformedMessage, 'malformed message: sync frames are binary');
        return;
      }
      if (!messages.allow()) {
        this.logger.warn({ ...who(), perSecond: this.limits.maxMessagesPerSecond }, 'sync flood: too many messages');
        socket.close(CloseCode.TooManyMessages, `too many messages: at most ${this.limits.maxMessagesPerSecond} per second`);
        return;
      }
      const bytes = toBytes(data);
      if (room) room.receive(socket, bytes);
      else if (queue.length >= this.limits.maxQueuedMessagesBeforeAuth || queuedBytes + bytes.length > this.limits.maxBytesBeforeAuth) {
        this.logger.warn(who(), 'sync flood: too many messages before joining');
        socket.close(CloseCode.TooManyMessages, 'too many messages before authentication');
      } else {
        queue.push(bytes);
        queuedBytes += bytes.length;
      }
    });
    ws.on('close', () => {
      if (room) this.release(room, socket);
      room = undefined;
    });
    ws.on('error', (error) => this.logger.debug({ err: error, documentId }, 'sync socket error'));

    const joinTimer = setTimeout(() => {
      if (!room) socket.close(CloseCode.AuthenticationTimeout, 'authentication took too long');
    }, this.limits.authTimeoutMs);
    let joined: Room | undefined;
    try {
      await this.openingProbe?.('upgraded', documentId);
      joined = await this.getRoom(documentId);
      await this.openingProbe?.('room', documentId);
      // A revoke since authentication (membership changed, signed out) found no
      // connection to apply to: this one is authenticated again, as a new one would be.
      while (generation !== this.revocations) {
        generation = this.revocations;
        context = { ...(await this.hooks.authenticate(request, documentId)), address: authenticated.address };
      }
      if (ws.readyState !== WebSocket.OPEN) {
        this.release(joined, socket);
        return;
      }
      room = joined;
      clearTimeout(joinTimer);
      rememberConnection(socket, context);
      room.join(socket, context);
      for (const bytes of queue.splice(0)) room.receive(socket, bytes);
    } catch (error) {
      clearTimeout(joinTimer);
      if (joined && !room) this.release(joined, socket);
      if (error instanceof SyncRejection) {
        this.logRefusal(error, who());
        socket.close(error.code, error.message);
      } else {
        this.logger.error({ err: error, ...who() }, 'sync connection failed');
        socket.close(CloseCode.StorageFailure, 'server error while opening the document');
      }
    }
  }

  /** The room of a document, loading it from the store on first use. */
  private getRoom(documentId: string): Promise<Room> {
    let room = this.rooms.get(documentId);
    if (!room) {
      const started = performance.now();
      const ms = () => Math.round((performance.now() - started) * 10) / 10;
      const options = { compactAfterUpdates: this.limits.compactAfterUpdates, logger: this.logger, scanner: this.reader };
      const opening = Promise.all([RoomPersistence.open(this.store, documentId, options), this.store.loadClientClaims(documentId)]);
      room = opening.then(([{ rows, scans, persistence, bytes }, owners]) => {
        const doc = new Y.Doc({ gc: true });
        const opened = new Room(documentId, doc, persistence, this.logger, (r) => this.evict(r, CloseCode.StorageFailure), {
          rows,
          rowScans: scans,
          preparer: this.preparer,
          reader: this.reader,
          claims: new ClientClaims(documentId, owners, this.store, this.logger),
          // Before the updates accepted during the load are applied: observers (the approval tracker) see them as changes.
          onLoaded: (room) => this.roomDisposers.set(room, this.roomObservers.map((observe) => observe(documentId, doc))),
        });
        // Usable from here: sync requests are answered from the stored rows, and edits stored and relayed, while the document loads.
        this.logger.info({ documentId, openMs: ms(), bytes, rows: rows.length }, 'document opened');
        this.loadingDocuments.set(documentId, opened);
        void opened.ready.then(() => {
          if (this.loadingDocuments.get(documentId) === opened) this.loadingDocuments.delete(documentId);
          if (opened.isClosed) return;
          this.logger.info({ documentId, loadMs: ms(), bytes, rows: rows.length }, 'document loaded');
        });
        return opened;
      });
      room.catch(() => this.rooms.delete(documentId));
      this.rooms.set(documentId, room);
    }
    return room;
  }

  private release(room: Room, socket: SyncSocket): void {
    room.leave(socket);
    if (room.size > 0) return;
    // Unload once everything is stored, unless someone joined meanwhile.
    void room.flushed().then(() => {
      if (room.size === 0 && this.rooms.get(room.documentId)) this.evict(room, CloseCode.ServiceRestart);
    });
  }

  /** Applies a membership change to the account's open connections to a document (null: revoked). */
  async reauthorize(documentId: string, accountId: string, context: ConnectionContext | null): Promise<void> {
    this.revocations++; // connections still opening are authenticated again before they join
    const room = this.rooms.get(documentId);
    if (room) (await room).reauthorize(accountId, context);
  }

  /** Closes every sync connection opened with these sessions (the person signed out, here or everywhere). */
  async endSessions(sessionIds: ReadonlySet<string>): Promise<void> {
    if (sessionIds.size === 0) return;
    this.revocations++;
    for (const room of await Promise.allSettled([...this.rooms.values()])) {
      if (room.status === 'fulfilled') room.value.endSessions(sessionIds);
    }
  }

  /** The sessions the open connections were opened with. */
  async sessionIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const room of await Promise.allSettled([...this.rooms.values()])) {
      if (room.status === 'fulfilled') room.value.sessionIds(ids);
    }
    return ids;
  }

  /** Registers an observer of every live document (e.g. the approval hash tracker). */
  observeRooms(observer: (documentId: string, doc: Y.Doc) => () => void): void {
    this.roomObservers.push(observer);
  }

  private evict(room: Room, code: number): void {
    this.rooms.delete(room.documentId);
    for (const dispose of this.roomDisposers.get(room) ?? []) dispose();
    this.roomDisposers.delete(room);
    room.close(code, code === CloseCode.StorageFailure ? 'the server could not store an update; reconnect to resend it' : 'document unloaded');
  }

  /**
   * Runs `read` on the current state of a document: the live room's doc when it
   * is open, otherwise a copy loaded from the store. Undefined when the
   * document does not exist.
   */
  async readDocument<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T | undefined> {
    if (!(await this.store.getDocument(documentId))) return undefined;
    const live = this.rooms.get(documentId);
    if (live) {
      const room = await live;
      await room.ready;
      if (!room.isClosed) return read(room.doc);
    }
    const { doc } = await RoomPersistence.load(this.store, documentId, { compactAfterUpdates: this.limits.compactAfterUpdates, preparer: this.preparer });
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /**
   * Like readDocument, but resolves only once everything `read` saw is stored
   * (rejects with StorageUnavailableError when it cannot be): what a version or
   * an approval quotes must survive a crash.
   */
  async readStored<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T | undefined> {
    if (!(await this.store.getDocument(documentId))) return undefined;
    const live = this.rooms.get(documentId);
    if (!live) return this.readDocument(documentId, read);
    const room = await live;
    await room.ready;
    if (room.isClosed) return this.readDocument(documentId, read);
    const value = read(room.doc);
    await room.stored();
    return value;
  }

  /**
   * Runs `edit` on the live document as the server's own edit (its room
   * opened for it if no one has it open): stored in the update log and sent
   * to every connection like any edit; resolves once stored. Undefined when
   * the document does not exist.
   */
  async editDocument<T>(documentId: string, edit: (doc: Y.Doc) => T): Promise<T | undefined> {
    if (!(await this.store.getDocument(documentId))) return undefined;
    const room = await this.getRoom(documentId);
    await room.ready;
    if (room.isClosed) throw new StorageUnavailableError('the document was closed while it opened; try again');
    const value = edit(room.doc);
    await room.stored();
    if (room.size === 0) void room.flushed().then(() => room.size === 0 && this.rooms.get(documentId) && this.evict(room, CloseCode.ServiceRestart));
    return value;
  }

  /** True while an open document's stored rows are still being applied (for tests and metrics). */
  isLoading(documentId: string): boolean {
    return this.loadingDocuments.has(documentId);
  }

  /** Number of documents loaded in memory (for tests and metrics). */
  get openRooms(): number {
    return this.rooms.size;
  }

  private pingAll(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.delete(ws)) ws.terminate();
      else ws.ping();
    }
  }

  /** Stops accepting, stores everything pending, and closes every connection. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.pingTimer);
    const rooms = await Promise.allSettled([...this.rooms.values()]);
    for (const result of rooms) {
      if (result.status !== 'fulfilled') continue;
      await result.value.flushed();
      result.value.close(CloseCode.ServiceRestart, 'server is shutting down');
    }
    this.rooms.clear();
    // Connections still authenticating get the same code; then each gets a
    // moment to complete the closing handshake, so clients see 1012 (reconnect
    // later) rather than a dropped connection.
    const open = [...this.wss.clients].filter((ws) => ws.readyState !== WebSocket.CLOSED);
    for (const ws of open) if (ws.readyState === WebSocket.OPEN) ws.close(CloseCode.ServiceRestart, 'server is shutting down');
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(open.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : new Promise((resolve) => ws.once('close', resolve))))),
      new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS))),
    ]);
    clearTimeout(grace);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await Promise.all([this.preparer.close(), this.reader.close()]);
  }
}
