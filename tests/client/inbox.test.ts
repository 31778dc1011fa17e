import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInbox, socketThroughInbox, INBOX_MAX_HOLD_MS, TYPING_WINDOW_MS, type Inbox } from '../../client/screens/declaration/inbox.ts';
import { installFakePage, type FakePage } from '../helpers/page.ts';

/**
 * What a declaration page does with what it receives while its person types
 * (client/screens/declaration/inbox.ts): others' edits and cursors wait for
 * the frame that shows her keystroke, in order, never longer than
 * INBOX_MAX_HOLD_MS. That others' words still reach a typing person's page is
 * in tests/browser/collaborativeEditing.test.ts.
 */

describe("others' changes on a page whose person is typing", () => {
  let clock: number;
  let frames: Array<() => void>;
  let inbox: Inbox;
  let page: FakePage;
  let applied: string[];
  const frame = (): void => frames.splice(0).forEach((run) => run());
  const message = (name: string) => () => applied.push(name);

  beforeEach(() => {
    vi.useFakeTimers();
    page = installFakePage();
    clock = 1_000;
    frames = [];
    applied = [];
    inbox = createInbox({ afterFrame: (run) => frames.push(run), now: () => clock });
  });
  afterEach(() => {
    inbox.dispose();
    vi.useRealTimers();
    page.remove();
  });

  it('are applied at once when she is not typing', () => {
    inbox.receive(message('julien types'));
    expect(applied).toEqual(['julien types']);
    expect(inbox.waiting()).toBe(0);
  });

  it('wait while she types and are applied together, in order, right after the frame that shows her keystroke', () => {
    inbox.localEdit();
    clock += 20;
    inbox.receive(message('update 1'));
    inbox.receive(message('cursor 1'));
    inbox.receive(message('update 2'));
    expect(applied).toEqual([]);
    expect(inbox.waiting()).toBe(3);
    frame();
    expect(applied).toEqual(['update 1', 'cursor 1', 'update 2']);
    expect(inbox.waiting()).toBe(0);
  });

  it(`never wait longer than ${INBOX_MAX_HOLD_MS} ms, even while she keeps typing`, () => {
    inbox.localEdit();
    frame();
    clock += 50;
    inbox.receive(message('julien types'));
    vi.advanceTimersByTime(INBOX_MAX_HOLD_MS - 1);
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(applied).toEqual(['julien types']);
  });

  it(`are applied at once again ${TYPING_WINDOW_MS} ms after her last edit, but never ahead of one still waiting`, () => {
    inbox.localEdit();
    frame();
    clock += TYPING_WINDOW_MS - 1;
    inbox.receive(message('first'));
    clock += 1;
    // She has stopped typing, yet the first message still waits: the second queues behind it.
    inbox.receive(message('second'));
    expect(applied).toEqual([]);
    vi.advanceTimersByTime(INBOX_MAX_HOLD_MS);
    expect(applied).toEqual(['first', 'second']);
    inbox.receive(message('third'));
    expect(applied).toEqual(['first', 'second', 'third']);
  });

  it('are all applied when one of them throws, and the error is reported', () => {
    const reported: unknown[] = [];
    inbox.dispose();
    inbox = createInbox({ afterFrame: (run) => frames.push(run), now: () => clock, onError: (error) => reported.push(error) });
    inbox.localEdit();
    inbox.receive(message('first'));
    inbox.receive(() => {
      throw new Error('malformed message');
    });
    inbox.receive(message('third'));
    frame();
    expect(applied).toEqual(['first', 'third']);
    expect(reported).toEqual([new Error('malformed message')]);
  });

  it('are applied at once when the page is hidden or left', () => {
    inbox.localEdit();
    inbox.receive(message('before hiding'));
    page.hide();
    expect(applied).toEqual(['before hiding']);
    inbox.receive(message('before leaving'));
    page.leave();
    expect(applied).toEqual(['before hiding', 'before leaving']);
  });

  it("reach y-websocket's handler through the socket, and those waiting are applied before the socket's close is handled", () => {
    /** Stands in for the browser's WebSocket: its handlers are accessors, called when a frame or the close comes. */
    class FakeSocket {
      readonly handlers: { message?: ((event: MessageEvent) => unknown) | null; close?: ((event: CloseEvent) => unknown) | null } = {};
      constructor(readonly url: string) {}
      get onmessage() {
        return this.handlers.message ?? null;
      }
      set onmessage(handler) {
        this.handlers.message = handler;
      }
      get onclose() {
        return this.handlers.close ?? null;
      }
      set onclose(handler) {
        this.handlers.close = handler;
      }
      frame(data: string): void {
        this.handlers.message?.({ data } as MessageEvent);
      }
      close(code: number): void {
        this.handlers.close?.({ code } as CloseEvent);
      }
    }
    const Socket = socketThroughInbox(inbox, FakeSocket as unknown as typeof WebSocket);
    const socket = new Socket('ws://example.test/sync') as unknown as FakeSocket;
    const seen: string[] = [];
    // What y-websocket does with a new socket.
    const onmessage = (event: MessageEvent) => seen.push(`message ${String(event.data)}`);
    socket.onmessage = onmessage;
    socket.onclose = () => seen.push('close');
    expect(socket.onmessage).toBe(onmessage);

    socket.frame('a');
    expect(seen).toEqual(['message a']);
    inbox.localEdit();
    socket.frame('b');
    socket.frame('c');
    expect(seen).toEqual(['message a']);
    socket.close(1006);
    expect(seen).toEqual(['message a', 'message b', 'message c', 'close']);
  });
});
