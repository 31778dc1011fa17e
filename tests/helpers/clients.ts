import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { UpgradeRefusalBody } from '../../server/collaboration/upgradeRefusal.ts';
import { SYNC_PATH } from '../../shared/protocol.ts';

/** The `ws` WebSocket class, sending a session cookie like a browser would. */
function withCookie(cookie: string | undefined): typeof WebSocket {
  if (!cookie) return WebSocket;
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie } });
    }
  } as typeof WebSocket;
}

/** A standard y-websocket client (the `y-websocket` package's provider) in Node. */
export function connectProvider(
  wsUrl: string,
  documentId: string,
  doc = new Y.Doc(),
  options: { connect?: boolean; params?: Record<string, string>; cookie?: string } = {},
) {
  const provider = new WebsocketProvider(`${wsUrl}${SYNC_PATH}`, documentId, doc, {
    WebSocketPolyfill: withCookie(options.cookie) as unknown as typeof globalThis.WebSocket,
    connect: options.connect ?? true,
    disableBc: true,
    params: options.params ?? {},
  });
  return { doc, provider };
}

/** Resolves when the provider has completed its first sync with the server. */
export function synced(provider: WebsocketProvider, timeoutMs = 10_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync in time')), timeoutMs);
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/**
 * The same state vector and the same deletions. A deletion changes no state
 * vector, and the server applies an update at once but relays it only once
 * stored: waiting for equal state vectors alone can end before a deletion
 * arrives.
 */
export function sameSnapshot(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b));
}

/** Polls until `check` returns true (or throws with `what` after the timeout). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A raw WebSocket to the sync endpoint, for speaking (or breaking) the protocol by hand. */
export function rawSyncSocket(wsUrl: string, documentId: string, options: { query?: string; cookie?: string; origin?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const ws = new WebSocket(`${wsUrl}${SYNC_PATH}/${encodeURIComponent(documentId)}${options.query ?? ''}`, { headers });
  const messages: Uint8Array[] = [];
  ws.binaryType = 'nodebuffer';
  ws.on('message', (data) => messages.push(new Uint8Array(data as Buffer)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  opened.catch(() => {}); // a refused upgrade rejects it; tests that only look at `closed` or `refused` need not await it
  ws.on('error', () => {}); // reported through `opened` and `closed`; a refused upgrade is terminated (an error) once read
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  /** When the server refuses the upgrade with an HTTP status (before any WebSocket exists): what it answered. */
  const refused = new Promise<UpgradeRefusal>((resolve) =>
    ws.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'], body: JSON.parse(text) as UpgradeRefusalBody });
        ws.terminate();
      });
    }),
  );
  return { ws, messages, opened, closed, refused };
}

/** A sync upgrade answered with an HTTP error (server/collaboration/upgradeRefusal.ts). */
export interface UpgradeRefusal {
  status: number;
  retryAfter: string | undefined;
  body: UpgradeRefusalBody;
}
