// The update-log writer thread (plain JavaScript: it runs unchanged from the
// sources, under tests, and from dist/node). It owns one SQLite connection that
// appends Yjs updates and compacts the log, so the fsync of `synchronous=FULL`
// waits here and never on the server's event loop. Requests are handled in the
// order they were posted: a reply means the write is on disk.
//
// Group commit: the appends that arrived while the previous write was on its
// way to disk are written together, in one transaction (one fsync), as soon as
// it is done, without a round trip through the event loop.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO doc_updates (document_id, data) VALUES (?, ?)');
const deleteRange = db.prepare('DELETE FROM doc_updates WHERE document_id = ? AND seq > ? AND seq <= ?');
const compact = db.transaction((documentId, merged, afterSeq, uptoSeq) => {
  deleteRange.run(documentId, afterSeq, uptoSeq);
  return insert.run(documentId, merged).lastInsertRowid;
});
const selectRange = db.prepare('SELECT data FROM doc_updates WHERE document_id = ? AND seq > ? AND seq <= ? ORDER BY seq');
// Merging a few hundred rows costs 15–35 ms: here, not on the server's event loop.
const mergeRows = db.transaction((documentId, afterSeq, uptoSeq) => {
  const rows = selectRange.all(documentId, afterSeq, uptoSeq).map((r) => r.data);
  if (rows.length < 2) return { seq: uptoSeq, bytes: rows[0]?.length ?? 0 };
  const merged = Y.mergeUpdates(rows);
  deleteRange.run(documentId, afterSeq, uptoSeq);
  return { seq: Number(insert.run(documentId, merged).lastInsertRowid), bytes: merged.length };
});
const insertAll = db.transaction((appends) => appends.map((a) => Number(insert.run(a.documentId, bytes(a.data)).lastInsertRowid)));

/**
 * Chains (one per room: see UpdateLogWriter.append) one of whose appends
 * failed. Their later appends fail too, unwritten: a later update may build
 * on the lost one, and was posted before the room learnt of the failure.
 */
const failedChains = new Set();

function bytes(data) {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function reply(request, result, started, extra = {}) {
  // workMs: the write's own time (insert and fsync), for ACCORD_BATCH_TRACE.
  parentPort.postMessage({ id: request.id, result, workMs: performance.now() - started, ...extra });
}

function replyError(request, error) {
  parentPort.postMessage({ id: request.id, error: { message: String(error?.message ?? error), code: error?.code } });
}

const chainFailed = (request) => request.chain !== undefined && failedChains.has(request.chain);

function refuseAfterFailure(request) {
  replyError(request, { message: 'an earlier update of this document could not be stored', code: 'ACCORD_CHAIN_FAILED' });
}

/** Writes appends in one transaction; when it fails, each on its own, so that only the ones at fault fail. Replies in order. */
function appendAll(appends) {
  const started = performance.now();
  const live = appends.filter((a) => !chainFailed(a));
  let seqs;
  try {
    seqs = live.length > 0 ? insertAll(live) : [];
  } catch {
    seqs = undefined;
  }
  if (seqs) {
    let i = 0;
    for (const a of appends) {
      if (live[i] === a) reply(a, seqs[i++], started);
      else refuseAfterFailure(a);
    }
    return;
  }
  for (const a of appends) {
    if (chainFailed(a)) {
      refuseAfterFailure(a);
      continue;
    }
    const alone = performance.now();
    try {
      reply(a, Number(insert.run(a.documentId, bytes(a.data)).lastInsertRowid), alone);
    } catch (error) {
      if (a.chain !== undefined) failedChains.add(a.chain);
      replyError(a, error);
    }
  }
}

function handle(request) {
  if (request.op === 'ready') {
    parentPort.postMessage({ id: request.id, result: 0 });
    return true;
  }
  if (request.op === 'close') {
    db.close();
    parentPort.postMessage({ id: request.id, result: 0 });
    parentPort.close();
    return false;
  }
  const started = performance.now();
  try {
    if (request.op === 'mergeRows') {
      const merged = mergeRows(request.documentId, request.afterSeq, request.uptoSeq);
      reply(request, merged.seq, started, { bytes: merged.bytes });
    }
    else reply(request, Number(compact(request.documentId, bytes(request.data), request.afterSeq, request.uptoSeq)), started);
  } catch (error) {
    replyError(request, error);
  }
  return true;
}

parentPort.on('message', (first) => {
  // Everything posted meanwhile, in order; runs of appends go in one transaction.
  const requests = [first];
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) requests.push(next.message);
  let appends = [];
  for (const request of requests) {
    if (request.op === 'append') {
      appends.push(request);
      continue;
    }
    if (appends.length > 0) appendAll(appends);
    appends = [];
    if (!handle(request)) return;
  }
  if (appends.length > 0) appendAll(appends);
});
