/**
 * The entry of a load-generator child process: runs `run` with the JSON config
 * given as its argument when the module is the process's main file, prints
 * `RESULT <json>` for the parent and exits (1 with the stack on failure).
 */
export function runAsChildMain<C, R>(moduleFile: string, run: (config: C) => Promise<R>): void {
  if (!process.argv[1] || moduleFile !== process.argv[1]) return;
  const config = JSON.parse(process.argv[2] ?? '{}') as C;
  run(config).then(
    (result) => {
      console.log(`RESULT ${JSON.stringify(result)}`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
