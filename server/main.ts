import { loadConfig } from './config.ts';
import { startServer } from './app.ts';
import { demoSignInLinks } from './demo/seedDemo.ts';
import { startStallLog } from './diagnostics/stallLog.ts';

/** Longest a SIGTERM/SIGINT shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Entry point: `npm start`. Prints the URL; stores everything before exiting on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (process.env.ACCORD_STALL_LOG === '1') startStallLog();
  const server = await startServer(config);
  // Not fatal: a worker that cannot start now is started again on first use (and that failure reported there).
  await server.sync.startWorkers().catch((error: unknown) => server.logger.warn({ err: error }, 'could not start the sync worker threads ahead of use'));
  console.log(`Data directory: ${config.dataDir}`);
  if (config.demo) {
    const links = await demoSignInLinks(server.store, server.url);
    if (links.length > 0) {
      console.log('Demo sign-in links (each works once; restart for fresh ones):');
      for (const link of links) console.log(`  ${link.name.padEnd(16)} ${link.email.padEnd(26)} ${link.url}`);
    }
  }
  // Last, so that whoever waits for this line (people, tests) has everything above.
  console.log(`Accord listening on ${server.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    // Bounded: a stuck connection must not keep a stopping server alive forever.
    setTimeout(() => {
      console.error(`Accord: shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting (everything acknowledged was stored as it was accepted).`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await server.close();
    server.logger.info({ signal }, 'stopped: everything accepted is stored');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
