// The real Accord server as `npm start` runs it (dist/node/server/main.js,
// compiled by `tsc -p tsconfig.server.json`, unchanged) with one addition for
// the soak test: asked over the IPC channel, it reports its memory after a full
// garbage collection (run with --expose-gc), i.e. the heap it really keeps
// alive, which is what a leak makes grow. RSS is read from /proc by the soak.
process.on('message', (message) => {
  if (message !== 'memory') return;
  globalThis.gc?.();
  process.send?.({ memory: process.memoryUsage() });
});

await import('../../dist/node/server/main.js');
