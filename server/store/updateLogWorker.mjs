// The update-log writer thread (plain JavaScript: it runs unchanged from the
// sources, under tests, and from dist/node). It owns one SQLite connection that
// appends Yjs updates and compacts the log, so the fsync of `synchronous=FULL`
// waits here and never on the server's event loop. Messages are handled one at
// a time, in the order they were posted: a reply means the write is on disk.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

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

parentPort.on('message', (request) => {
  try {
    if (request.op === 'close') {
      db.close();
      parentPort.postMessage({ id: request.id, result: 0 });
      parentPort.close();
      return;
    }
    const started = performance.now();
    const data = Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength);
    const seq =
      request.op === 'append'
        ? insert.run(request.documentId, data).lastInsertRowid
        : compact(request.documentId, data, request.afterSeq, request.uptoSeq);
    // workMs: the write's own time (insert and fsync), for ACCORD_BATCH_TRACE.
    parentPort.postMessage({ id: request.id, result: Number(seq), workMs: performance.now() - started });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: { message: String(error?.message ?? error), code: error?.code } });
  }
});
