import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import { StorageWriteError } from '../../server/store/updateLogWriter.ts';
import { waitFor } from '../helpers/clients.ts';
import { STORE_DOC as DOC, storesClosedAfterEach, textUpdate } from '../helpers/store.ts';

/** The update log is written by its own thread; what it acknowledges must be what the store then reads. */
describe('the update log written off the event loop', () => {
  const open = storesClosedAfterEach('accord-log');

  it('stores appends in the order they were made, each readable once its promise resolves', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendUpdate(DOC.id, textUpdate(`${i}`, 100 + i))));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const { updates, lastSeq } = await store.loadUpdates(DOC.id);
    expect(updates).toHaveLength(51);
    expect(lastSeq).toBe(seqs.at(-1));
  });

  it('keeps every acknowledged append across closing and reopening the store, and compacts into one row', async () => {
    const { store, dataDir } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    for (let i = 0; i < 20; i++) void store.appendUpdate(DOC.id, textUpdate('ư', 200 + i));
    await store.close(); // waits for the writes already posted
    const reopened = open(dataDir).store;
    const { updates, lastSeq } = await reopened.loadUpdates(DOC.id);
    expect(updates).toHaveLength(21);
    const merged = Y.mergeUpdates(updates);
    await reopened.compact(DOC.id, merged, lastSeq);
    const after = await reopened.loadUpdates(DOC.id);
    expect(after.updates).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, after.updates[0]!);
    expect(doc.getText('t').toString()).toBe('ư'.repeat(20));
  });

  it('refuses a write the database rejects with the database’s reason and code, and goes on with the next', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const refused = store.appendUpdate('no-such-document', textUpdate('x', 2));
    await expect(refused).rejects.toBeInstanceOf(StorageWriteError);
    await expect(refused).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY', message: /FOREIGN KEY constraint failed/ });
    await expect(store.appendUpdate(DOC.id, textUpdate('y', 3))).resolves.toBeGreaterThan(0);
  });

  it('fails only the append at fault when appends made together are written in one transaction', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    // Made together, so that the writer takes them in one transaction.
    const lost = store.appendUpdate('no-such-document', textUpdate('x', 2));
    const other = store.appendUpdate(DOC.id, textUpdate('z', 4));
    await expect(lost).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    await expect(other).resolves.toBeGreaterThan(0);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates((await store.loadUpdates(DOC.id)).updates));
    expect(doc.getText('t').toString()).toBe('z');
  });

  it('merges the tail of the log into one row on the writer thread, keeping the rows before it and every character', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const seqs: number[] = [];
    for (let i = 0; i < 12; i++) seqs.push(await store.appendUpdate(DOC.id, textUpdate('ă', 300 + i)));
    const merged = await store.mergeRows(DOC.id, seqs[1]!, seqs.at(-1)!);
    const after = await store.loadUpdates(DOC.id);
    // The first state, rows 0 and 1, then the merge of rows 2–11.
    expect(after.updates).toHaveLength(4);
    expect(after.lastSeq).toBe(merged.seq);
    expect(after.updates[3]!.length).toBe(merged.bytes);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(after.updates));
    expect(doc.getText('t').toString()).toBe('ă'.repeat(12));
    // Appends made after it keep coming after it.
    const next = await store.appendUpdate(DOC.id, textUpdate('ơ', 400));
    expect(next).toBeGreaterThan(merged.seq);
  });

  it('answers an append once it is in the WAL file, then flushes the WAL to the disk in the background', async () => {
    const { store, dataDir } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendUpdate(DOC.id, textUpdate('đ', 500 + i))));
    // Nobody asked for the flush: the writer makes it after every write.
    await store.updateLogOnDisk();
    // Another connection (another process after a crash would be the same) reads every row.
    const { updates, lastSeq } = await open(dataDir).store.loadUpdates(DOC.id);
    expect(lastSeq).toBe(Math.max(...seqs));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(updates));
    expect(doc.getText('t').toString()).toBe('đ'.repeat(50));
  });

  it('moves the WAL into the database file in the background, so the WAL is reused rather than grown without end', async () => {
    const { store, dataDir } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const databaseFile = path.join(dataDir, DATABASE_FILE);
    const before = fs.statSync(databaseFile).size;
    // ~500 KB of rows; the log's own connection never checkpoints (that would fsync on the event loop).
    for (let i = 0; i < 2000; i++) await store.appendUpdate(DOC.id, textUpdate('ư'.repeat(120), 600 + i));
    await waitFor(() => fs.statSync(databaseFile).size > before + 400_000, 'the rows to reach the database file', 5_000);
  });
});
