import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import { CloseCode, FATAL_CLOSE_CODES, MessageType, NOT_MEMBER_REASON, REVOKED_REASON, SYNC_PATH } from '../../../shared/protocol.ts';
import { ApiError, getDocument } from '../../lib/api.ts';
import { t } from '../../i18n/index.ts';
import { takeOverSending } from './outbox.ts';
import { createInbox, socketThroughInbox } from './inbox.ts';

/**
 * The live link between this page and one declaration: the Y.Doc, the
 * y-websocket provider and its awareness, and the connection state shown to
 * the user.
 */

export type ConnectionState = 'syncing' | 'connected' | 'offline' | 'failed';

export interface FatalClose {
  code: number;
  reason: string;
}

export interface Session {
  readonly documentId: string;
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly awareness: Awareness;
  state(): ConnectionState;
  /** Local edits made while not synced that the server has not received yet. */
  hasUnsentEdits(): boolean;
  fatal(): FatalClose | undefined;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  onFatal(listener: (close: FatalClose) => void): () => void;
  /** The server answered y-protocols' "permission denied" (it dropped an update), with its reason. */
  onPermissionDenied(listener: (reason: string) => void): () => void;
  /** Stops for good for a reason found outside the socket (e.g. the API says 404). */
  markFatal(close: FatalClose): void;
  destroy(): void;
}

/** The close code of a sync connection the server refused with an HTTP status before opening it. */
const REFUSED_STATUS: Partial<Record<number, number>> = {
  401: CloseCode.Unauthorized,
  403: CloseCode.Forbidden,
  404: CloseCode.DocumentNotFound,
};

/** ws(s)://host/sync for the page's own origin. */
export function syncServerUrl(location: Location = window.location): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${SYNC_PATH}`;
}

/** A sentence for the people in front of the screen, per fatal close code. */
export function describeFatalClose(close: FatalClose): string {
  const code = String(close.code);
  switch (close.code) {
    case CloseCode.DocumentNotFound:
      return t('sync.closed.notFound', { code });
    case CloseCode.Unauthorized:
      return t('sync.closed.unauthorized', { code });
    case CloseCode.Forbidden:
      // Said in words: a withdrawn membership (the open connection was closed), else not a member (refused).
      if (close.reason === REVOKED_REASON) return t('sync.closed.revoked');
      return close.reason === NOT_MEMBER_REASON || /not a member/i.test(close.reason) ? t('sync.closed.notMember') : t('sync.closed.forbidden', { code });
    case CloseCode.MalformedMessage:
      return t('sync.closed.malformed', { code });
    case CloseCode.ContentNotAllowed:
      return t('sync.closed.contentNotAllowed', { code });
    case CloseCode.ClientIdTaken:
      return t('sync.closed.clientIdTaken', { code });
    default:
      return close.reason ? t('sync.closed.otherWithReason', { code, reason: close.reason }) : t('sync.closed.other', { code });
  }
}

export function openSession(documentId: string): Session {
  const doc = new Y.Doc();
  // While the person types, others' edits and cursors wait for the frame that shows her keystroke (inbox.ts).
  const inbox = createInbox();
  const provider = new WebsocketProvider(syncServerUrl(), documentId, doc, {
    WebSocketPolyfill: socketThroughInbox(inbox),
    // We decide which closes are final (shared FATAL_CLOSE_CODES), not y-websocket's 44xx default.
    shouldReconnect: (event) => !FATAL_CLOSE_CODES.has(event.code),
    // Other tabs get this page's edits from the server, like everyone else's (outbox.ts).
    disableBc: true,
  });
  const stateListeners = new Set<(state: ConnectionState) => void>();
  const fatalListeners = new Set<(close: FatalClose) => void>();
  const deniedListeners = new Set<(reason: string) => void>();
  // y-websocket only logs "permission denied" to the console; the page must tell the person.
  provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_doc, reason) => {
      for (const listener of deniedListeners) listener(reason);
    });
  };
  let fatal: FatalClose | undefined;
  /** Set once a connection was lost: from then on "connecting" reads as offline until it opens. */
  let lostConnection = false;
  let unsentEdits = false;
  let current: ConnectionState = 'syncing';
  // This page's edits and cursor leave after the frame that shows them; others' cursors are never echoed back.
  const outbox = takeOverSending(provider, { onUnsent: () => (unsentEdits = true) });

  const compute = (): ConnectionState => {
    if (fatal) return 'failed';
    if (provider.wsconnected && provider.synced && navigator.onLine) return 'connected';
    if (provider.wsconnected && navigator.onLine) return 'syncing';
    if (lostConnection || !navigator.onLine) return 'offline';
    return 'syncing';
  };

  const update = (): void => {
    if (provider.synced && provider.wsconnected) {
      // The sync handshake (step 1/step 2 both ways) delivered everything we had.
      unsentEdits = false;
    }
    const next = compute();
    if (next === current) return;
    current = next;
    for (const listener of stateListeners) listener(next);
  };

  const onStatus = ({ status }: { status: string }): void => {
    if (status === 'disconnected') lostConnection = true;
    if (status === 'connected') lostConnection = false;
    update();
  };

  const stop = (close: FatalClose): void => {
    if (fatal) return;
    fatal = close;
    // Stop for good: reconnecting cannot help after these codes.
    provider.disconnect();
    update();
    for (const listener of fatalListeners) listener(close);
  };

  /**
   * The server refuses a connection with an HTTP status before the upgrade,
   * which a browser does not show the page (the socket just fails, 1006): the
   * REST API says why, with the close code an open connection would have got.
   * Anything else (offline, restarting) is left to y-websocket's backoff.
   */
  let asking = false;
  const askWhyRefused = async (): Promise<void> => {
    if (asking || fatal) return;
    asking = true;
    try {
      await getDocument(documentId);
    } catch (error) {
      const code = error instanceof ApiError ? REFUSED_STATUS[error.status] : undefined;
      if (code !== undefined) stop({ code, reason: (error as ApiError).message });
    } finally {
      asking = false;
    }
  };

  const onClose = (event: CloseEvent | null): void => {
    if (event && FATAL_CLOSE_CODES.has(event.code)) return stop({ code: event.code, reason: event.reason });
    // y-websocket emits this before it resets wsconnected: false means the socket never opened.
    if (event && !provider.wsconnected) void askWhyRefused();
    if (event) lostConnection = true;
    update();
  };

  const onUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === provider) return; // from the server
    inbox.localEdit();
    if (!(provider.wsconnected && provider.synced)) unsentEdits = true;
  };

  provider.on('status', onStatus);
  provider.on('sync', update);
  provider.on('connection-close', onClose);
  doc.on('update', onUpdate);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);

  return {
    documentId,
    doc,
    provider,
    awareness: provider.awareness,
    state: () => current,
    hasUnsentEdits: () => unsentEdits,
    fatal: () => fatal,
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    onFatal(listener) {
      fatalListeners.add(listener);
      return () => fatalListeners.delete(listener);
    },
    onPermissionDenied(listener) {
      deniedListeners.add(listener);
      return () => deniedListeners.delete(listener);
    },
    markFatal: stop,
    destroy() {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('sync', update);
      provider.off('connection-close', onClose);
      provider.awareness.setLocalState(null);
      outbox.dispose();
      inbox.dispose();
      provider.destroy();
      doc.destroy();
      stateListeners.clear();
      fatalListeners.clear();
      deniedListeners.clear();
    },
  };
}
