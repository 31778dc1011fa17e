/**
 * A reconnecting client of the restart phase (client.ts, afterRestart), on a
 * thread of its own. The fresh client's step 2 is the whole document
 * (1.5 MB): receiving it keeps the load generator's thread busy for tens of
 * milliseconds, which on one thread delayed the other clients' handshakes and
 * messages as much — time the server was not taking. Users reconnecting
 * after a restart are on machines of their own.
 *
 * Started through the sync server's worker entry (boot.mjs, which loads this
 * TypeScript with tsx); posts `ready`, then on a job connects at once and
 * sends its state vector (it holds the document), and:
 * - editor: as soon as it is connected, an edit (a user typing); posts the
 *   time its step 2 took from `startEpochMs`;
 * - observer: posts the time until the editor's edit reached it.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { SYNC_UPDATE, type Dialect } from '../sync/wire.ts';
import { Conn } from './conn.ts';

export interface ReconnectingJob {
  role: 'editor' | 'observer';
  server: { dialect: Dialect; base: string };
  document: string;
  cookie: string | undefined;
  stateVector: Uint8Array;
  /** The editor's edit; the observer waits for an update from its client. */
  edit: Uint8Array;
  /** performance.timeOrigin + performance.now() of the main thread when the clock started. */
  startEpochMs: number;
}

export type ReconnectingReply = 'ready' | { ms: number } | { error: string };

const epochNow = () => performance.timeOrigin + performance.now();

parentPort!.once('message', (job: ReconnectingJob) => {
  const conn = new Conn(job.server, job.document, job.cookie);
  const editor = [...Y.parseUpdateMeta(job.edit).from.keys()][0];
  const done =
    job.role === 'editor'
      ? conn.opened.then(() => {
          const reply = conn.requestSync(job.stateVector);
          conn.ws.send(conn.wire.sync(SYNC_UPDATE, job.edit));
          return reply;
        })
      : conn.opened.then(() => {
          const relayed = conn.updateMatching((update) => update.length < 4096 && Y.parseUpdateMeta(update).from.has(editor!));
          void conn.requestSync(job.stateVector);
          return relayed;
        });
  done.then(
    () => {
      parentPort!.postMessage({ ms: epochNow() - job.startEpochMs } satisfies ReconnectingReply);
      conn.close();
    },
    (error: unknown) => parentPort!.postMessage({ error: String(error) } satisfies ReconnectingReply),
  );
});
parentPort!.postMessage('ready' satisfies ReconnectingReply);
