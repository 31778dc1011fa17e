import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { WsSyncSocket, directWriter } from '../../server/collaboration/wsSyncSocket.ts';

/**
 * Canary for the frame-once fast path (server/collaboration/wsSyncSocket.ts):
 * it writes whole frames to the TCP socket behind `ws`'s private `_sender`
 * and `_socket`. If an upgrade of `ws` renames or reshapes them, the path
 * falls back to `ws.send` without a word; these tests say it out loud.
 */
describe('the ws internals the sync fast path relies on', () => {
  const servers: WebSocketServer[] = [];
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A real ws server on port 0 and one real client: the server side of the connection. */
  async function connected(): Promise<{ server: WebSocket; client: WebSocket }> {
    const wss = new WebSocketServer({ port: 0 });
    servers.push(wss);
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    clients.push(client);
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    return { server: await serverSide, client };
  }

  it('has an idle sender with an empty queue and an open TCP socket on a fresh connection', async () => {
    const { server } = await connected();
    const internals = server as unknown as { _sender?: { _state?: unknown; _queue?: unknown }; _socket?: { destroyed?: unknown; write?: unknown } };
    expect(internals._sender?._state).toBe(0);
    expect(Array.isArray(internals._sender?._queue)).toBe(true);
    expect(internals._socket?.destroyed).toBe(false);
    expect(typeof internals._socket?.write).toBe('function');
    expect(directWriter(server)).toBeDefined();
  });

  it('delivers messages written by the fast path intact, in order, at every frame-length size', async () => {
    const { server, client } = await connected();
    const sizes = [0, 1, 125, 126, 1000, 65535, 65536 - 1024];
    const received: Buffer[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received.push(data);
        if (received.length === sizes.length) resolve();
      }),
    );
    const socket = new WsSyncSocket(server);
    const sent = sizes.map((size, i) => Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) % 251));
    for (const message of sent) {
      expect(directWriter(server)).toBeDefined(); // each goes the fast way, not through ws.send
      socket.send(message);
    }
    await all;
    expect(received.map((data) => [...data])).toEqual(sent.map((message) => [...message]));
  });
});
