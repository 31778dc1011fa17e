import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { limits, type SyncLimits } from '../shared/limits.ts';
import { ErrorCode, SYNC_PATH } from '../shared/protocol.ts';
import type { SyncHooks } from './collaboration/hooks.ts';
import { connectionContextOf, sessionHooks } from './collaboration/sessionHooks.ts';
import { loadAccess } from './policies/access.ts';
import { SyncServer } from './collaboration/syncServer.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo/seedDemo.ts';
import { HttpError, routeNotFound } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSocketServer } from './realtime/socketServer.ts';
import { sameOriginForStateChanges, sessionMiddleware } from './routes/context.ts';
import type { TrustProxy } from './auth/origin.ts';
import { SIGN_IN_PATH } from './commands/members.ts';
import { DEFAULT_RATE_LIMITS, restWriteLimit, signInLimit, type RateLimits } from './edge/rateLimits.ts';
import { securityHeaders } from './edge/securityHeaders.ts';
import { documentsRouter } from './routes/documents.ts';
import { ApprovalService } from './approvals/service.ts';
import { StructureApprovalService } from './approvals/structureService.ts';
import { historyRouter } from './routes/history.ts';
import { HistoryService } from './history/service.ts';
import { agreementRouter } from './routes/agreement.ts';
import { exportRouter } from './routes/export.ts';
import { commentsRouter } from './routes/comments.ts';
import { ChainHeadFile } from './versions/chainHeadFile.ts';
import { reconcileChains } from './versions/chainStartup.ts';
import { openServerKey, storeHasVersions, type ServerKey } from './versions/serverKey.ts';
import { VersionService } from './versions/service.ts';
import { membersRouter } from './routes/members.ts';
import { sessionRouter } from './routes/session.ts';
import { signInRouter } from './routes/signIn.ts';
import { MembershipSweep } from './auth/membershipSweep.ts';
import { sweepEndedSessions } from './auth/sessionSweep.ts';
import { SqliteStore } from './store/sqliteStore.ts';
import type { Store } from './store/types.ts';
import { storageFailureOf } from './store/storageError.ts';

/**
 * The built page, found from the repository root: this module runs both from
 * server/app.ts (tsx, tests) and compiled from dist/node/server/app.js.
 */
const CLIENT_DIR = path.join(repositoryRoot(path.dirname(fileURLToPath(import.meta.url))), 'dist/client');

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: cannot find dist/client`);
  }
}

export interface AccordServer {
  url: string;
  store: Store;
  sync: SyncServer;
  versions: VersionService;
  logger: Logger;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Replaces the sync hooks (tests use this to open read-only connections). */
  hooks?: SyncHooks;
  /** Lowers the sync endpoint's limits (tests cross them without sending thousands of messages). */
  limits?: Partial<SyncLimits>;
  /** Where the logs go instead of stderr (tests read what was logged). */
  logger?: Logger;
  /** Changes the REST rate limits (tests cross them, or raise them for suites that sign in or write a lot). */
  rateLimits?: Partial<RateLimits>;
}

function errorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) return res.status(error.status).json(error.toBody());
    const storage = storageFailureOf(error);
    if (storage) {
      logger.error({ err: storage.cause ?? storage }, 'storage failure: a write was refused');
      return res.status(503).set('retry-after', '30').json({ error: { code: ErrorCode.StorageUnavailable, message: storage.message } });
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status && status >= 400 && status < 500) {
      // body-parser errors: malformed JSON, body too large
      return res.status(status).json({ error: { code: ErrorCode.InvalidInput, message: (error as Error).message } });
    }
    logger.error({ err: error }, 'unhandled route error');
    res.status(500).json({ error: { code: ErrorCode.Internal, message: 'Internal error; it has been logged.' } });
  };
}

/** Serves the built client, or explains how to build it. */
function clientRoutes(sourceMaps: boolean): express.Router {
  const router = express.Router();
  // A build made with ACCORD_SOURCE_MAPS=1 has maps; they are served only while that is set (config.sourceMaps).
  router.use((req, _res, next) => {
    if (req.path.endsWith('.map') && !sourceMaps) throw routeNotFound(req.method, req.originalUrl);
    next();
  });
  if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    router.get('/{*path}', (_req, res) => {
      res.status(503).type('text').send('The client is not built. Run `npm run build` (npm start does it for you).');
    });
    return router;
  }
  router.use(express.static(CLIENT_DIR, { index: false }));
  router.get('/{*path}', (_req, res) => res.sendFile(path.join(CLIENT_DIR, 'index.html')));
  return router;
}

/** Creates and starts the whole server: HTTP API, static client, sync WebSocket and socket.io. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<AccordServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = new SqliteStore(config.dataDir);
  if (config.demo && (await seedDemo(store))) logger.info('demo declaration loaded');
  // The key and the heads kept beside it, before anything can cut or sign (a refusal here stops the start).
  const heads = ChainHeadFile.beside(config.keyFile);
  let key: ServerKey;
  try {
    // Reading every version costs at start: only when there is no key to find.
    key = openServerKey(config, !fs.existsSync(config.keyFile) && (await storeHasVersions(store)));
    await reconcileChains(store, key, heads, logger);
  } catch (error) {
    await store.close();
    throw error;
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Express's own compiled form of it, so that the sync endpoint and socket.io believe the same proxies.
  const trust = app.get('trust proxy fn') as TrustProxy;
  const rates = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const sync = new SyncServer(store, options.hooks ?? sessionHooks(store, trust), logger, {
    compactAfterUpdates: config.compactAfterUpdates,
    ...options.limits,
  }, trust);
  app.use(securityHeaders());
  app.use([SIGN_IN_PATH, '/api/sign-in'], signInLimit(logger, rates));
  app.use(express.json({ limit: limits.maxJsonBodyBytes }));
  app.use(sessionMiddleware(store));
  app.use(sameOriginForStateChanges(trust, logger));
  app.use('/api', restWriteLimit(logger, rates));
  app.get('/api/health', (_req, res) => res.json({ ok: true }));
  // Set once socket.io exists (below): signing out (here, everywhere, or as someone else) closes those sessions' live connections.
  let endSessions: (sessionIds: ReadonlySet<string>) => Promise<void> = async () => {};
  const sessionsEnded = (sessionIds: string[]) => endSessions(new Set(sessionIds));
  const signIn = signInRouter(store, sessionsEnded);
  app.use(signIn.pages);
  app.use('/api', signIn.api);
  app.use('/api', sessionRouter(store, sessionsEnded));
  app.use('/api', documentsRouter(store, sync));
  // Set once socket.io exists (below); membership changes apply to open connections at once.
  let applyMembership: (documentId: string, accountId: string) => Promise<void> = async () => {};
  app.use('/api', membersRouter(store, (documentId, accountId) => applyMembership(documentId, accountId)));

  const approvals = new ApprovalService(store, sync);
  const versions = new VersionService(store, sync, key, heads, logger);
  const history = new HistoryService(store, sync, logger, async (documentId, pairId) => (await approvals.currentHashes(documentId)).get(pairId));
  app.use('/api', agreementRouter(store, approvals, new StructureApprovalService(store, sync, approvals), versions, key, history));
  app.use('/api', historyRouter(store, history));
  app.use('/api', exportRouter(store, versions));

  const httpServer = http.createServer(app);
  const { io, notifier, publish, reauthorize, endSessions: endSocketSessions, sessionIds: socketSessionIds } = createSocketServer(
    httpServer,
    store,
    logger,
    (id, read) => sync.readDocument(id, read),
    options.limits?.maxSocketEventsPerSecond,
    trust,
  );
  approvals.setPublisher(publish);
  endSessions = async (sessionIds) => {
    await sync.endSessions(sessionIds);
    await endSocketSessions(sessionIds);
  };
  const stopSweep = sweepEndedSessions({
    store,
    sources: [() => sync.sessionIds(), socketSessionIds],
    end: endSessions,
    everyMs: limits.sessionSweepMs,
    logger,
  });
  // Changes made here apply at once; those the CLI makes from its own process, within limits.sessionSweepMs.
  const memberships = new MembershipSweep(store, async (documentId, accountId) => {
    const account = await store.getAccount(accountId);
    const access = account ? await loadAccess(store, account, documentId) : undefined;
    await sync.reauthorize(documentId, accountId, access?.member ? connectionContextOf(access) : null);
    await reauthorize(documentId, accountId, access?.member ?? null);
  }, logger);
  await memberships.start(limits.sessionSweepMs);
  applyMembership = (documentId, accountId) => memberships.applyNow(documentId, accountId);
  app.use('/api', commentsRouter(store, sync, notifier));
  app.use('/api', (req) => {
    throw routeNotFound(req.method, req.originalUrl);
  });
  app.use(clientRoutes(config.sourceMaps));
  // Pages answer GET only: any other method on a page path gets the API's JSON 404, not express's HTML one.
  app.use((req) => {
    throw routeNotFound(req.method, req.originalUrl);
  });
  app.use(errorHandler(logger));

  httpServer.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname.startsWith(`${SYNC_PATH}/`)) sync.handleUpgrade(request, socket, head);
    else if (!pathname.startsWith('/socket.io/')) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    store,
    sync,
    versions,
    logger,
    close() {
      closed ??= (async () => {
        stopSweep();
        memberships.stop();
        await sync.close();
        await io.close(); // also closes httpServer
        httpServer.closeAllConnections();
        await store.close();
      })();
      return closed;
    },
  };
}
