/**
 * The three servers under test, each started as its own child process with a
 * fresh state, and what the load generator needs to talk to them.
 * - accord: the real server as `npm start` runs it (compiled by tsc to
 *   dist/node, then `node dist/node/server/main.js`), fresh DATA_DIR, demo on (SQLite, sign-in, approval tracking: its defaults);
 *   clients sign in through the demo links it prints.
 * - reference: `@y/websocket-server` 0.1.1 (bench/peers/referenceServer.mjs).
 * - hocuspocus: `@hocuspocus/server` without extensions (bench/peers/hocuspocusServer.mjs).
 * - accord-base (only when asked for, with BENCH_BASE_ROOT=<another checkout>):
 *   Accord as that checkout builds and runs it, for before/after rounds alternated in one run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_DOCUMENT } from './demoSeed.ts';
import type { Dialect } from './wire.ts';
// The link's page asks first; confirming POSTs (the same as the tests do).
import { followSignInLink } from '../../tests/helpers/auth.ts';

export const SERVER_NAMES = ['accord', 'reference', 'hocuspocus'] as const;
/** The servers a report lists, in order: the default three, and a baseline Accord when one was run. */
export const REPORTED_SERVER_NAMES = ['accord', 'accord-base', 'reference', 'hocuspocus'] as const;
export type ServerName = (typeof REPORTED_SERVER_NAMES)[number];

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningServer {
  name: ServerName;
  pid: number;
  url: string;
  dialect: Dialect;
  documentName: string;
  cookies: string[];
  /** Whether the load generator must send the demo content first. */
  seed: boolean;
  /** ws://host:port with the server's sync path prefix: `${base}/${documentName}` opens a document. */
  base: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Start options beyond the defaults (used by the big-document bench). */
export interface StartOptions {
  /** Accord: use this data directory (kept after stop) instead of a fresh temporary one. */
  dataDir?: string;
  /** Extra environment for the server process (e.g. LOG_LEVEL, ACCORD_STALL_LOG). */
  env?: Record<string, string>;
}

/**
 * Spawns `node [--import tsx] <entry>` and resolves with its output once `pattern` appears.
 * TypeScript entries get the tsx loader (as `npm start` runs Accord); the peers are plain JS.
 */
function spawnNode(entry: string, env: Record<string, string>, pattern: RegExp, extraArgs: string[] = [], cwd = REPO_ROOT) {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...extraArgs, ...loader, entry], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const read = () => output;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = new Promise<{ match: RegExpExecArray; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ match, output });
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`${entry} exited:\n${output}`)));
  });
  return { child, started, exited, read };
}

function stopper(child: ChildProcess, exited: Promise<void>, cleanup?: () => void) {
  return async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    cleanup?.();
  };
}

/** Members who may edit the text: the load's clients sign in as these. */
const EDITORS = ['vn-drafter@demo.accord', 'fr-drafter@demo.accord'];

const compiled = new Set<string>();

/** Compiles the server as `npm run build` does (once per bench process and checkout), so the bench measures what `npm start` runs. */
function compileAccord(root: string): void {
  if (compiled.has(root)) return;
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.server.json'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`compiling the server in ${root} failed:\n${result.stdout}${result.stderr}`);
  compiled.add(root);
}

/** The node flags of `npm start` (package.json), so the bench runs Accord exactly as it is started. */
function startFlags(root: string): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = scripts.start!.split(/\s+/);
  return words.slice(1, words.indexOf('dist/node/server/main.js'));
}

/** The checkout a baseline Accord ('accord-base') is built and run from. */
function baseRoot(): string {
  const root = process.env.BENCH_BASE_ROOT;
  if (!root) throw new Error('accord-base needs BENCH_BASE_ROOT=<another checkout of Accord> (with node_modules)');
  return path.resolve(root);
}

async function startAccord(nodeArgs: string[], options: StartOptions, name: 'accord' | 'accord-base' = 'accord'): Promise<RunningServer> {
  const root = name === 'accord' ? REPO_ROOT : baseRoot();
  compileAccord(root);
  nodeArgs = [...startFlags(root), ...nodeArgs];
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'accord-bench-'));
  const { child, started, exited, read } = spawnNode(
    'dist/node/server/main.js',
    { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env },
    /Accord listening on (http:\/\/\S+)/,
    nodeArgs,
    root,
  );
  const { match, output } = await started;
  const links = new Map<string, string>();
  for (const m of output.matchAll(/(\S+@demo\.accord)\s+(http:\/\/\S+\/signin\/\S+)/g)) links.set(m[1]!, m[2]!);
  const cookies = await Promise.all(
    EDITORS.map((email) => {
      const link = links.get(email);
      if (!link) throw new Error(`Accord printed no sign-in link for ${email}`);
      return followSignInLink(link);
    }),
  );
  return {
    name,
    pid: child.pid!,
    url: `${match[1]!.replace(/^http/, 'ws')}/sync/${DEMO_DOCUMENT}`,
    dialect: 'y-websocket',
    documentName: DEMO_DOCUMENT,
    cookies,
    seed: false,
    base: `${match[1]!.replace(/^http/, 'ws')}/sync`,
    output: read,
    stop: stopper(child, exited, options.dataDir ? undefined : () => fs.rmSync(dataDir, { recursive: true, force: true })),
  };
}

async function startPeer(name: 'reference' | 'hocuspocus', nodeArgs: string[], options: StartOptions): Promise<RunningServer> {
  const entry = name === 'reference' ? 'bench/peers/referenceServer.mjs' : 'bench/peers/hocuspocusServer.mjs';
  const { child, started, exited, read } = spawnNode(entry, { PORT: '0', ...options.env }, /listening on (ws:\/\/\S+)/, nodeArgs);
  const { match } = await started;
  return {
    name,
    pid: child.pid!,
    // The reference server takes the document name from the path; Hocuspocus from each frame.
    url: name === 'reference' ? `${match[1]}/${DEMO_DOCUMENT}` : match[1]!,
    dialect: name === 'reference' ? 'y-websocket' : 'hocuspocus',
    documentName: DEMO_DOCUMENT,
    cookies: [],
    seed: true,
    base: match[1]!,
    output: read,
    stop: stopper(child, exited),
  };
}

/** Starts one server; `nodeArgs` go to its node (e.g. `--cpu-prof`). */
export function startBenchServer(name: ServerName, nodeArgs: string[] = [], options: StartOptions = {}): Promise<RunningServer> {
  return name === 'accord' || name === 'accord-base' ? startAccord(nodeArgs, options, name) : startPeer(name, nodeArgs, options);
}
