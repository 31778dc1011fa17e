import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { takeOverSending, type Outbox } from '../../client/screens/declaration/outbox.ts';
import { MessageType, SyncMessageType } from '../../shared/protocol.ts';
import { installFakePage, type FakePage } from '../helpers/page.ts';

/**
 * What a declaration page sends on its sync connection (client/screens/declaration/outbox.ts):
 * its edits and its cursor after the frame that shows them, merged, in order, never others'
 * cursors back. A stand-in for y-websocket's provider records what would go on the socket; the
 * page-level behaviour (edits reach the other page and the server, also when the page closes
 * right after a keystroke) is in tests/browser/collaborativeEditing.test.ts.
 */

interface Sent {
  kind: 'update' | 'awareness';
  /** For 'update': the Yjs update; for 'awareness': the client ids it carries. */
  update?: Uint8Array;
  clients?: number[];
}

function decode(message: Uint8Array): Sent {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  if (type === MessageType.Sync) {
    expect(decoding.readVarUint(decoder)).toBe(SyncMessageType.Update);
    return { kind: 'update', update: decoding.readVarUint8Array(decoder) };
  }
  expect(type).toBe(MessageType.Awareness);
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const clients: number[] = [];
  for (let n = decoding.readVarUint(update); n > 0; n--) {
    clients.push(decoding.readVarUint(update));
    decoding.readVarUint(update);
    decoding.readVarString(update);
  }
  return { kind: 'awareness', clients };
}

describe("a page's edits and cursor on the sync connection", () => {
  let doc: Y.Doc;
  let awareness: Awareness;
  let sent: Sent[];
  let frames: Array<() => void>;
  let unsent: number;
  let provider: { doc: Y.Doc; awareness: Awareness; ws: { readyState: number; OPEN: number; send(m: Uint8Array): void }; wsconnected: boolean; _updateHandler: (u: Uint8Array, o: unknown) => void; _awarenessUpdateHandler: (c: unknown, o: unknown) => void };
  let outbox: Outbox;
  let page: FakePage;
  let yWebsocketSent: number;
  const frame = (): void => frames.splice(0).forEach((run) => run());

  beforeEach(() => {
    // takeOverSending listens for the page being hidden or closed.
    page = installFakePage();
    doc = new Y.Doc();
    awareness = new Awareness(doc);
    sent = [];
    frames = [];
    unsent = 0;
    yWebsocketSent = 0;
    provider = {
      doc,
      awareness,
      ws: { readyState: 1, OPEN: 1, send: (m) => sent.push(decode(m)) },
      wsconnected: true,
      // y-websocket's own senders, which the outbox replaces.
      _updateHandler: () => yWebsocketSent++,
      _awarenessUpdateHandler: () => yWebsocketSent++,
    };
    doc.on('update', provider._updateHandler);
    awareness.on('update', provider._awarenessUpdateHandler);
    outbox = takeOverSending(provider as unknown as WebsocketProvider, { afterFrame: (run) => frames.push(run), onUnsent: () => unsent++ });
  });
  afterEach(() => {
    outbox.dispose();
    awareness.destroy();
    page.remove();
  });

  it('leave after the frame that shows them, keystrokes of one frame as one update, the cursor after the text', () => {
    const text = doc.getText('t');
    text.insert(0, 'Hai');
    text.insert(3, ' bên');
    awareness.setLocalStateField('cursor', { at: 7 });
    expect(sent).toEqual([]);
    frame();
    expect(sent.map((s) => s.kind)).toEqual(['update', 'awareness']);
    expect(sent[1]!.clients).toEqual([doc.clientID]);
    const other = new Y.Doc();
    Y.applyUpdate(other, sent[0]!.update!);
    expect(other.getText('t').toString()).toBe('Hai bên');
    // y-websocket's senders no longer run: nothing is sent twice.
    expect(yWebsocketSent).toBe(0);
  });

  it("keystrokes of one frame, merged, keep each after the previous, with another's text landing at the same place between them", () => {
    const text = doc.getText('t');
    text.insert(0, 'Fin.');
    frame();
    const julien = new Y.Doc();
    Y.applyUpdate(julien, sent[0]!.update!);
    sent = [];
    // Lan types "a"; Julien's " gamma" arrives at the same place, before her caret's next key; she types "l" after her "a".
    text.insert(4, 'a');
    const caret = Y.createRelativePositionFromTypeIndex(text, 5, -1); // after her "a", as the page keeps it (sameCaret.ts)
    julien.getText('t').insert(4, ' gamma');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(julien), provider);
    text.insert(Y.createAbsolutePositionFromRelativePosition(caret, doc)!.index, 'l');
    frame();
    expect(sent.map((s) => s.kind)).toEqual(['update']);
    Y.applyUpdate(julien, sent[0]!.update!);
    expect(julien.getText('t').toString()).toBe(text.toString());
    expect(['Fin.al gamma', 'Fin. gammaal']).toContain(julien.getText('t').toString());
  });

  it("never sends back what came from the server: others' edits and cursors", () => {
    const other = new Y.Doc();
    other.getText('t').insert(0, 'Julien');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other), provider);
    const julien = new Awareness(other);
    julien.setLocalStateField('user', { name: 'Julien Martin' });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(julien, [other.clientID]), provider);
    frame();
    expect(sent).toEqual([]);
    julien.destroy();
  });

  it('an edit due while the connection is down is reported as unsent (the handshake sends it on reconnect)', () => {
    provider.wsconnected = false;
    doc.getText('t').insert(0, 'offline');
    frame();
    expect(sent).toEqual([]);
    expect(unsent).toBe(1);
  });

  it('the page being hidden or closed sends what waits at once', () => {
    doc.getText('t').insert(0, 'a');
    page.leave();
    expect(sent.map((s) => s.kind)).toEqual(['update']);
    doc.getText('t').insert(1, 'b');
    page.hide();
    expect(sent.map((s) => s.kind)).toEqual(['update', 'update']);
    // The frame comes later: nothing more to send.
    frame();
    expect(sent).toHaveLength(2);
  });

  it('the page leaving the document says so at once, after its last edits', () => {
    doc.getText('t').insert(0, 'last words');
    awareness.setLocalState(null);
    expect(sent.map((s) => s.kind)).toEqual(['update', 'awareness']);
    expect(sent[1]!.clients).toEqual([doc.clientID]);
  });
});
