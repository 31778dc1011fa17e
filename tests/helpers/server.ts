import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type AccordServer, type ServerOptions } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** A fresh, empty data directory under the OS temp dir. */
export function tempDataDir(label = 'accord'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
}

/** The real server, in this process, on a random port with its own data dir (`env`: more configuration, e.g. ACCORD_KEY_FILE). */
export async function startTestServer(options: ServerOptions & { dataDir?: string; env?: Record<string, string> } = {}): Promise<AccordServer & { dataDir: string; wsUrl: string }> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...options.env });
  const server = await startServer(config, options);
  return Object.assign(server, { dataDir, wsUrl: server.url.replace(/^http/, 'ws') });
}

/**
 * Holds back the loading of large stored documents (the worker that cuts the
 * stored rows waits) until the returned function is called, so that what a
 * test does meanwhile surely happens while the document loads, however fast
 * the machine is.
 */
export function holdLargeLoads(server: AccordServer): () => void {
  const preparer = server.sync['preparer'];
  const prepareInParts = preparer.prepareInParts.bind(preparer);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  preparer.prepareInParts = async function* (...args) {
    await held;
    yield* prepareInParts(...args);
  };
  return release;
}

/** Holds the reader's summary of stored rows (state vector, deletions) until released: updates come before it. */
export function holdSummaries(server: AccordServer): () => void {
  const reader = server.sync['reader'];
  const summarise = reader.summarise.bind(reader);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  reader.summarise = async (...args) => {
    await held;
    return summarise(...args);
  };
  return release;
}

export interface ServerProcess {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** How the server process is started: from source through tsx, or as `npm start` runs it, compiled. */
export const SOURCE_ENTRY = ['--import', 'tsx', 'server/main.ts'];
export const COMPILED_ENTRY = ['dist/node/server/main.js'];

/** The real server as a child process (`node --import tsx server/main.ts` by default), for kill tests. */
export async function startServerProcess(
  dataDir: string,
  port = 0,
  extraEnv: Record<string, string> = {},
  entry: string[] = SOURCE_ENTRY,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, entry, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = () => {
      const match = /Accord listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    // A signal (SIGSEGV from a native module, SIGKILL from outside) leaves no code: say which.
    void exited.then((code) => reject(new Error(`server exited with ${code ?? child.signalCode} before listening:\n${output}`)));
  });
  return { url, wsUrl: url.replace(/^http/, 'ws'), child, output: () => output, exited };
}
