/**
 * The Hocuspocus peer: `@hocuspocus/server` with no extensions (no auth, no
 * persistence). Run as its own process, plain Node (no TypeScript loader, as it would be deployed): `node bench/peers/hocuspocusServer.mjs`;
 * listens on PORT (0 = any) and prints `listening on ws://127.0.0.1:PORT`.
 * Hocuspocus multiplexes documents on one socket: every frame starts with the
 * document name (see bench/sync/wire.ts).
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: false });
await server.listen();
console.log(`listening on ws://127.0.0.1:${server.address.port}`);
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
