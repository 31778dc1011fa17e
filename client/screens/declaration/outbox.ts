import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { MessageType } from '../../../shared/protocol.ts';
import { afterNextFrame } from './afterNextFrame.ts';

/**
 * What this page sends on the sync connection: its own edits and its own
 * cursor, sent once the frame that shows them has been produced.
 *
 * Why: y-websocket sends each update and each cursor move from inside the
 * keystroke's ProseMirror transaction, and also posts both to a
 * BroadcastChannel for other tabs — ~0.8 ms of Chromium's time per keystroke
 * (WebSocket `send` ~0.3 ms a message, the post ~0.25 ms), spent before the
 * frame that shows the character (docs/benchmarks.md, "Browser"). Sent right
 * after that frame, the person sees the character sooner and the others get
 * it at most one frame later. Keystrokes that land within one frame go as one
 * merged update. Other tabs get the edits from the server, like other people.
 *
 * Nothing can be lost here: the Y.Doc holds every edit; this only decides
 * when the message leaves. An edit that finds the connection down is sent by
 * the sync handshake on reconnect (as with y-websocket itself), and reported
 * through `onUnsent` so the page can warn before it is closed.
 */

export interface Outbox {
  /** Sends now what waits (the page is being hidden or closed, the session ends). */
  flush(): void;
  /** Stops listening; sends what waits first. */
  dispose(): void;
}

export interface OutboxOptions {
  /** Called with `run` once the frame that shows the current changes is out (default: after the next animation frame). */
  afterFrame?: (run: () => void) => void;
  /** An edit was due to leave while the connection was down: the sync handshake will send it on reconnect. */
  onUnsent?: () => void;
}

/**
 * Takes over y-websocket's sending of local edits and of this page's own
 * awareness state. The awareness states of others that this page received
 * from the server are not sent back (the server keeps and relays everyone's;
 * y-websocket echoed each one, twice, for every character someone typed).
 */
export function takeOverSending(provider: WebsocketProvider, options: OutboxOptions = {}): Outbox {
  const { doc, awareness } = provider;
  const afterFrame = options.afterFrame ?? afterNextFrame;
  let edits: Uint8Array[] = [];
  let cursorMoved = false;
  let scheduled = false;

  const send = (message: Uint8Array): boolean => {
    const ws = provider.ws;
    if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return false;
    ws.send(message);
    return true;
  };

  const flush = (): void => {
    scheduled = false;
    const pending = edits;
    edits = [];
    if (pending.length > 0) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.Sync);
      syncProtocol.writeUpdate(encoder, pending.length === 1 ? pending[0]! : Y.mergeUpdates(pending));
      if (!send(encoding.toUint8Array(encoder))) options.onUnsent?.();
    }
    if (cursorMoved) {
      cursorMoved = false;
      // After the edits: a cursor names positions in them.
      sendAwareness([doc.clientID]);
    }
  };

  const sendAwareness = (clients: number[]): void => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
    // Not sent while offline: the provider sends the page's state when it connects again.
    send(encoding.toUint8Array(encoder));
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    afterFrame(() => {
      if (scheduled) flush();
    });
  };

  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === provider) return; // from the server
    edits.push(update);
    schedule();
  };

  const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === provider) return; // others' states, as the server sent them
    const own = doc.clientID;
    const changed = [...added, ...updated, ...removed];
    // Others' states timed out here: said at once, as y-websocket does.
    const others = changed.filter((client) => client !== own);
    if (others.length > 0) sendAwareness(others);
    if (changed.includes(own)) {
      cursorMoved = true;
      // The page's own state going away (closing) cannot wait for a frame.
      if (awareness.getLocalState() === null) flush();
      else schedule();
    }
  };

  doc.off('update', provider._updateHandler);
  awareness.off('update', provider._awarenessUpdateHandler);
  doc.on('update', onUpdate);
  awareness.on('update', onAwareness);
  const onHide = (): void => flush();
  window.addEventListener('pagehide', onHide);
  document.addEventListener('visibilitychange', onHide);

  return {
    flush,
    dispose() {
      flush();
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      doc.off('update', onUpdate);
      awareness.off('update', onAwareness);
    },
  };
}
