// The update log's helper thread (plain JavaScript: it runs unchanged from the
// sources, under tests, and from dist/node). The log is written on the event
// loop (updateLogWriter.ts says why); this thread does its slow parts, with a
// connection of its own that never writes a row:
// - merging a document's recent rows (`Y.mergeUpdates` of 500 rows: 15–35 ms);
//   the event loop then replaces the rows by the merge in one short transaction;
// - reading a large document's rows (megabytes: 10-20 ms, most of it the
//   first touch of fresh memory), each large row into memory it shares with
//   the event loop, which hands it on to the ingest workers without a copy;
// - checkpointing the WAL into the database file every second (PASSIVE: it
//   never blocks a writer), with the fsyncs that takes, which must not stall the
//   event loop (the writing connection has autocheckpoint off).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 5000');
const selectRange = db.prepare('SELECT data FROM doc_updates WHERE document_id = ? AND seq > ? AND seq <= ? ORDER BY seq');
const selectRows = db.prepare('SELECT seq, data, scan FROM doc_updates WHERE document_id = ? ORDER BY seq');

function loadUpdates(documentId, shareFromBytes) {
  const rows = selectRows.all(documentId);
  const share = (data) => {
    if (data.length < shareFromBytes) return data;
    const shared = new Uint8Array(new SharedArrayBuffer(data.length));
    shared.set(data);
    return shared;
  };
  return { updates: rows.map((r) => share(r.data)), seqs: rows.map((r) => r.seq), scans: rows.map((r) => r.scan ?? undefined) };
}

function mergeRows(documentId, afterSeq, uptoSeq) {
  const rows = selectRange.all(documentId, afterSeq, uptoSeq).map((r) => r.data);
  if (rows.length < 2) return { bytes: rows[0]?.length ?? 0 };
  return { merged: Y.mergeUpdates(rows) };
}

const checkpoints = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or failing: the WAL keeps everything meanwhile, and the next one tries again.
  }
}, workerData.checkpointEveryMs);

parentPort.on('message', (request) => {
  if (request.op === 'close') {
    clearInterval(checkpoints);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // As above.
    }
    db.close();
    parentPort.postMessage({ id: request.id });
    parentPort.close();
    return;
  }
  try {
    if (request.op === 'ready') parentPort.postMessage({ id: request.id });
    else if (request.op === 'loadUpdates') parentPort.postMessage({ id: request.id, ...loadUpdates(request.documentId, request.shareFromBytes) });
    else if (request.op === 'mergeRows') {
      const result = mergeRows(request.documentId, request.afterSeq, request.uptoSeq);
      parentPort.postMessage({ id: request.id, ...result }, result.merged ? [result.merged.buffer] : []);
    }
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: { message: String(error?.message ?? error), code: error?.code } });
  }
});
