// The update-log writer thread (plain JavaScript: it runs unchanged from the
// sources, under tests, and from dist/node). It owns one SQLite connection that
// appends Yjs updates and compacts the log, so that writing never waits on the
// server's event loop. Requests are handled in the order they were posted.
//
// A reply means the write is in the WAL file: it survives a kill -9 of the
// server (DESIGN.md, decision 5). It is `synchronous=NORMAL`: the commit does not
// wait for the disk. Right after it, the WAL is flushed to the disk in the
// background (fdatasync, one for all the commits made meanwhile), so a power
// loss can take only the last few milliseconds of edits — which every open
// client still holds and sends again when it reconnects. A commit of the
// main connection (FULL: a version, an approval) flushes the WAL too, and with
// it every edit the record quotes. The fsync (p50 0.3, p99 3 ms on this disk,
// spikes of 10–20 ms) is thus no longer in the path of every keystroke.
//
// Group commit: the appends that arrived while the previous write was under
// way are written together, in one transaction, as soon as it is done,
// without a round trip through the event loop.
import fs from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
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

/** The highest seq written; and the background flush of the WAL (see the top of this file). */
let writtenSeq = 0;
let walFd;
/** Written since the last flush began. */
let unflushed = false;
let flushing = false;
/** A close that waits for the flush under way. */
let closeRequest;

function flushInBackground() {
  // One at a time: the writes made meanwhile go in the next one.
  if (!unflushed || flushing) return;
  flushing = true;
  unflushed = false;
  const upto = writtenSeq;
  try {
    // The WAL exists once the connection wrote; the same file (inode) until the last connection closes.
    walFd ??= fs.openSync(`${workerData.file}-wal`, 'r+');
  } catch (error) {
    flushed(upto, error);
    return;
  }
  fs.fdatasync(walFd, (error) => flushed(upto, error));
}

function flushed(upto, error) {
  flushing = false;
  parentPort.postMessage({ id: 0, onDisk: upto, error: error ? { message: `could not flush the update log to the disk: ${error.message}`, code: error.code } : undefined });
  if (closeRequest) close(closeRequest);
  else flushInBackground();
}

function close(request) {
  if (flushing) {
    closeRequest = request;
    return;
  }
  if (walFd !== undefined) {
    fs.fdatasyncSync(walFd);
    fs.closeSync(walFd);
  }
  db.close();
  parentPort.postMessage({ id: request.id, result: 0 });
  parentPort.close();
}

function bytes(data) {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function reply(request, result, started, extra = {}) {
  if (request.op !== 'ready') unflushed = true;
  if (result > writtenSeq) writtenSeq = result;
  // workMs: the write's own time (the insert and commit), for ACCORD_BATCH_TRACE.
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
    close(request);
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
  flushInBackground();
});
