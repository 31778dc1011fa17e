import { loadConfig } from './config.ts';
import { startServer } from './app.ts';

/** Entry point: `npm start`. Prints the URL; stores everything before exiting on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  console.log(`Accord listening on ${server.url}`);
  console.log(`Data directory: ${config.dataDir}`);
  const documents = await server.store.listDocuments();
  for (const doc of documents) console.log(`  ${doc.title.fr}: ${server.url}/d/${doc.id}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
