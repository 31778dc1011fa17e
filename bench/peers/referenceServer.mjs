/**
 * The reference peer: `@y/websocket-server` 0.1.1's `setupWSConnection` behind a
 * bare http server (no auth, no persistence; documents live in memory). Run as
 * its own process, plain Node (no TypeScript loader, as it would be deployed): `node bench/peers/referenceServer.mjs`; it listens
 * on PORT (0 = any) and prints `listening on ws://127.0.0.1:PORT`.
 * The document name is the URL path without the leading slash.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('reference y-websocket server\n');
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request, { gc: true }));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`listening on ws://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => process.exit(0));

// STALL_LOG=1: the same event-loop stall report as Accord's ACCORD_STALL_LOG (server/diagnostics/stallLog.ts).
if (process.env.STALL_LOG === '1') {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  setInterval(() => {
    process.stdout.write(`event-loop max ${(histogram.max / 1e6).toFixed(1)} ${Date.now()}\n`);
    histogram.reset();
  }, 250).unref();
}
