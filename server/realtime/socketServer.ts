import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { ID_PATTERN, limits } from '../../shared/limits.ts';
import { ErrorCode, type ClientToServerEvents, type ErrorBody, type ErrorParams, type JoinReply, type ServerToClientEvents } from '../../shared/protocol.ts';
import type { Logger } from '../logger.ts';
import { TRUST_NO_PROXY, isCrossSite, requestAddress, type TrustProxy } from '../auth/origin.ts';
import { accountOfRequest, sessionIdOf } from '../auth/sessions.ts';
import { loadAccess } from '../policies/access.ts';
import type { Account } from '../store/identityTypes.ts';
import type { MemberRole } from '../../shared/roles.ts';
import type * as Y from 'yjs';
import { presentThreads } from '../comments/threads.ts';
import { canSeeThread } from '../policies/commentPolicy.ts';
import type { CommentNotifier } from '../routes/comments.ts';
import type { Store } from '../store/types.ts';
import { rateWindow } from '../rateWindow.ts';

interface SocketData {
  account: Account;
  /** The member's role in each document room joined, as checked at join. */
  roles: Record<string, MemberRole>;
  /** The sign-in session of the handshake: signing out disconnects the socket. */
  sessionId: string | undefined;
}

const JoinPayload = z.object({ documentId: z.string().regex(ID_PATTERN) });

const roomOf = (documentId: string) => `document:${documentId}`;
/** How long joins and leaves are gathered before followers are told their number. */
const ANNOUNCE_AFTER_MS = 50;

function failure(code: ErrorCode, message: string, params?: ErrorParams): { ok: false } & ErrorBody {
  return { ok: false, error: { code, message, ...(params ? { params } : {}) } };
}

/**
 * Application events over socket.io, on the same HTTP server as the sync
 * WebSocket. Every event validates its payload and answers through its ack.
 */
export function createSocketServer(
  httpServer: HttpServer,
  store: Store,
  logger: Logger,
  readDocument: <T>(documentId: string, read: (doc: Y.Doc) => T) => Promise<T | undefined>,
  eventsPerSecond: number = limits.maxSocketEventsPerSecond,
  trust: TrustProxy = TRUST_NO_PROXY,
) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    maxHttpBufferSize: limits.maxSocketIoPayloadBytes,
    // The sync endpoint handles its own upgrades; engine.io must not close them.
    destroyUpgrade: false,
    serveClient: false,
  });

  /**
   * Tells a document's followers how many they are. Joins and leaves of one
   * moment are told once: when a room of 200 fills up after a restart, that
   * is a few pushes to each follower, not one per join (200 × 200).
   */
  const announcing = new Set<string>();
  const announce = (documentId: string) => {
    if (announcing.has(documentId)) return;
    announcing.add(documentId);
    setTimeout(() => {
      announcing.delete(documentId);
      io.in(roomOf(documentId))
        .fetchSockets()
        .then((sockets) => io.to(roomOf(documentId)).emit('document:presence', { documentId, followers: sockets.length }))
        .catch((error: unknown) => logger.warn({ err: error, documentId }, 'could not tell followers their number'));
    }, ANNOUNCE_AFTER_MS).unref();
  };

  // The handshake: a session cookie, from one of our own pages.
  io.use(async (socket, next) => {
    const refuse = (code: ErrorCode, message: string) => next(Object.assign(new Error(message), { data: { code, message } }));
    if (isCrossSite(socket.request, trust)) {
      logger.warn({ address: requestAddress(socket.request, trust), origin: socket.request.headers.origin }, 'cross-site socket.io connection refused');
      return refuse(ErrorCode.Forbidden, 'Cross-site connection refused.');
    }
    const account = await accountOfRequest(store, socket.request).catch(() => undefined);
    if (!account) return refuse(ErrorCode.Unauthorized, 'Sign in first: open the sign-in link you were sent.');
    socket.data.account = account;
    socket.data.roles = {};
    socket.data.sessionId = sessionIdOf(socket.request);
    next();
  });

  /**
   * Wraps an event handler: the acknowledgement is the last argument whatever
   * came before it, and exactly one payload must precede it (anything else is
   * answered as invalid input, not left unanswered). An event without an ack
   * is ignored: every event of the protocol has one. A failure is logged and
   * answered with an internal error instead of an unhandled rejection.
   */
  const handler =
    <P, R>(name: string, run: (payload: P, ack: (reply: R) => void) => Promise<void>) =>
    (...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') return;
      const reply = ack as (reply: R) => void;
      if (args.length !== 2) return reply(failure(ErrorCode.InvalidInput, `${name} takes one payload and an acknowledgement, not ${args.length - 1} payloads`) as R);
      run(args[0] as P, reply).catch((error: unknown) => {
        logger.error({ err: error, event: name }, 'socket.io event failed');
        reply(failure(ErrorCode.Internal, 'Internal error; it has been logged.') as R);
      });
    };
  const handled = new Set<string>(['document:join', 'document:leave'] satisfies Array<keyof ClientToServerEvents>);

  io.on('connection', (socket) => {
    // A flood of events (each join tells every follower) is refused event by
    // event with a clear answer; the connection itself stays usable.
    const events = rateWindow(eventsPerSecond);
    socket.use((packet, next) => {
      if (events.allow()) return next();
      const ack = packet.at(-1);
      if (typeof ack === 'function') ack(failure(ErrorCode.RateLimited, `Too many events: at most ${eventsPerSecond} per second on one connection. Nothing was done; try again in a moment.`));
    });
    // An event this server does not handle still gets an answer when it asks for one.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && handled.has(event)) return;
      const ack = args.at(-1);
      if (typeof ack !== 'function') return;
      const known = [...handled].join(' and ');
      ack(failure(ErrorCode.NotFound, `Unknown event ${JSON.stringify(String(event).slice(0, 64))}: this server handles ${known}.`));
    });
    socket.on('document:join', handler('document:join', async (payload, ack: (reply: JoinReply) => void) => {
      const parsed = JoinPayload.safeParse(payload);
      if (!parsed.success) return ack(failure(ErrorCode.InvalidInput, 'document:join needs { documentId } with a valid id'));
      const access = await loadAccess(store, socket.data.account, parsed.data.documentId);
      if (!access) return ack(failure(ErrorCode.DocumentNotFound, `No declaration with id "${parsed.data.documentId}".`));
      if (!access.member) return ack(failure(ErrorCode.Forbidden, `You are not a member of declaration "${access.document.id}".`, { reason: 'member' }));
      socket.data.roles[access.document.id] = access.member;
      await socket.join(roomOf(access.document.id));
      ack({ ok: true, document: access.document });
      announce(access.document.id);
    }));

    socket.on('document:leave', handler('document:leave', async (payload, ack: (reply: { ok: true } | ({ ok: false } & ErrorBody)) => void) => {
      const parsed = JoinPayload.safeParse(payload);
      if (!parsed.success) return ack(failure(ErrorCode.InvalidInput, 'document:leave needs { documentId } with a valid id'));
      await socket.leave(roomOf(parsed.data.documentId));
      delete socket.data.roles[parsed.data.documentId];
      ack({ ok: true });
      announce(parsed.data.documentId);
    }));

    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        // Still in the room now: the count is taken when the announcement goes out.
        if (room.startsWith('document:')) announce(room.slice('document:'.length));
      }
    });
  });

  io.engine.on('connection_error', (err: { message: string }) => logger.debug({ err: err.message }, 'socket.io connection error'));

  /** Pushes a changed thread to every follower of the document allowed to see it. */
  const notifier: CommentNotifier = {
    async threadChanged(documentId, threadId) {
      const stored = await store.getThread(threadId);
      if (!stored) return;
      const views = await readDocument(documentId, (doc) => presentThreads(store, doc, [stored]));
      const thread = (await views)?.[0];
      if (!thread) return;
      for (const socket of await io.in(roomOf(documentId)).fetchSockets()) {
        if (canSeeThread(socket.data.roles[documentId], stored)) socket.emit('thread:changed', { documentId, thread });
      }
    },
  };
  /** Sends an event to every follower of a document (approval status, pair and structure hashes). */
  const publish = (documentId: string, event: 'pairs:hashes' | 'approval:changed' | 'structureApproval:changed', payload: unknown) => {
    // No follower (the adapter is socket.io's in-memory one: every follower is in this process): nothing to encode.
    if (!io.of('/').adapter.rooms.get(roomOf(documentId))?.size) return;
    (io.to(roomOf(documentId)) as unknown as { emit(event: string, payload: unknown): void }).emit(event, payload);
  };
  /** Applies a membership change at once to the account's sockets following a document (null: revoked). */
  const reauthorize = async (documentId: string, accountId: string, member: MemberRole | null) => {
    for (const socket of await io.in(roomOf(documentId)).fetchSockets()) {
      if (socket.data.account.id !== accountId) continue;
      if (member) socket.data.roles[documentId] = member;
      else {
        delete socket.data.roles[documentId];
        socket.leave(roomOf(documentId));
      }
    }
  };
  /** Disconnects every socket opened with sessions that have just ended. */
  const endSessions = async (sessionIds: ReadonlySet<string>) => {
    if (sessionIds.size === 0) return;
    for (const socket of await io.fetchSockets()) if (socket.data.sessionId && sessionIds.has(socket.data.sessionId)) socket.disconnect(true);
  };
  /** The sessions the connected sockets were opened with. */
  const sessionIds = async () => new Set((await io.fetchSockets()).flatMap((socket) => (socket.data.sessionId ? [socket.data.sessionId] : [])));
  return { io, notifier, publish, reauthorize, endSessions, sessionIds };
}
