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

/** Writes appends in one transaction; when it fails, each on its own, so that only the ones at fault fail. Replies in order. */
function appendAll(appends) {
  const started = performance.now();
  let seqs;
  try {
    seqs = insertAll(appends);
  } catch {
    for (const a of appends) {
      const alone = performance.now();
      try {
        reply(a, Number(insert.run(a.documentId, bytes(a.data)).lastInsertRowid), alone);
      } catch (error) {
        replyError(a, error);
      }
    }
    return;
  }
  appends.forEach((a, i) => reply(a, seqs[i], started));
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
      // IMMEDIATE: it reads before it writes, and a DEFERRED transaction doing so is refused
      // (SQLITE_BUSY, no waiting) when the main connection commits in between.
      const merged = mergeRows.immediate(request.documentId, request.afterSeq, request.uptoSeq);
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
