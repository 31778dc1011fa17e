import path from 'node:path';
import { z } from 'zod';
import { limits } from '../shared/limits.ts';

/**
 * Configuration from environment variables (documented in the README).
 * Invalid values stop the server at start with a message naming the variable.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ACCORD_DEMO: z.enum(['0', '1']).default('1'),
  ACCORD_SOURCE_MAPS: z.enum(['0', '1']).default('0'),
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).max(1_000_000).default(limits.compactAfterUpdates),
  ACCORD_KEY_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(off|loopback|linklocal|uniquelocal|\d{1,2}|[\d.:a-fA-F/, ]+)$/, 'off, a hop count, loopback / linklocal / uniquelocal, or proxy addresses (comma-separated)')
    .default('off'),
});

/** The server key's file name in DATA_DIR, where it lives unless ACCORD_KEY_FILE says otherwise. */
export const DEFAULT_KEY_FILE_NAME = 'server-ed25519.pem';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Load the demo declaration into an empty store on start. */
  demo: boolean;
  /** Serve the client's source maps (a build made with ACCORD_SOURCE_MAPS=1 has them); `.map` is 404 otherwise. */
  sourceMaps: boolean;
  /** Rows in a document's update log before it is compacted into one. */
  compactAfterUpdates: number;
  /**
   * The server's Ed25519 signing key (PKCS#8 PEM). Default DATA_DIR/server-ed25519.pem,
   * where earlier releases kept it; better outside DATA_DIR (README, "Configuration").
   * The chain heads are kept beside it (see chainHeadFile.ts).
   */
  keyFile: string;
  /** Whether keyFile was set explicitly (ACCORD_KEY_FILE) rather than defaulted into DATA_DIR. */
  keyFileSet: boolean;
  /**
   * Which proxies' forwarded headers (X-Forwarded-Host, -For, -Proto) are believed, as Express's
   * `trust proxy` setting: false (TRUST_PROXY=off, the default) believes none.
   */
  trustProxy: false | number | string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    logLevel: e.LOG_LEVEL,
    demo: e.ACCORD_DEMO === '1',
    sourceMaps: e.ACCORD_SOURCE_MAPS === '1',
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    keyFile: e.ACCORD_KEY_FILE ? path.resolve(e.ACCORD_KEY_FILE) : path.join(dataDir, DEFAULT_KEY_FILE_NAME),
    keyFileSet: e.ACCORD_KEY_FILE !== undefined,
    trustProxy: e.TRUST_PROXY === 'off' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
  };
}
