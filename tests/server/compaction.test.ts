import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdatePreparer } from '../../server/collaboration/ingest/preparer.ts';
import { decodeRowScan, scanRow } from '../../server/collaboration/ingest/storedRows.ts';
import { RoomPersistence } from '../../server/collaboration/persistence.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { StorageWriteError } from '../../server/store/updateLogWriter.ts';
import { limits } from '../../shared/limits.ts';
import { insertPair, paragraphXmlText, getPair, readAllPairs } from '../../shared/model/index.ts';
import { waitFor } from '../helpers/clients.ts';
import { tempDataDir } from '../helpers/server.ts';

const DOC = 'compaction-doc';

/** Types one character into the first paragraph of a pair and returns the update that made. */
function keystroke(doc: Y.Doc, pairId: string, char: string): Uint8Array {
  let update: Uint8Array | undefined;
  const capture = (u: Uint8Array) => (update = u);
  doc.on('update', capture);
  const text = paragraphXmlText(getPair(doc, pairId)!.cell('fr').get(0) as Y.XmlElement)!;
  text.insert(text.length, char);
  doc.off('update', capture);
  return update!;
}

describe('compaction of the stored update log', () => {
  let store: SqliteStore | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('merges only the recent rows of a large document, re-encodes the whole one now and then, and never loses an edit', async () => {
    const dataDir = tempDataDir('compaction');
    store = new SqliteStore(dataDir);
    const source = new Y.Doc();
    source.transact(() => {
      for (let i = 0; i < 40; i++) insertPair(source, { id: `p${i}`, vi: 'Văn bản dài. '.repeat(40), fr: 'Un long texte. '.repeat(40) });
    });
    await store.createDocument({ id: DOC, title: { vi: 'T', fr: 'T' }, parties: [] }, Y.encodeStateAsUpdate(source));

    let { doc, persistence } = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    const appendMany = async (count: number, char: string) => {
      for (let i = 0; i < count; i++) {
        const update = keystroke(source, `p${i % 40}`, char);
        Y.applyUpdate(doc, update);
        await persistence.append(update, doc);
        // A merge under way finishes before the next keystroke: every 500 rows one merge, at a known place.
        await persistence.idle();
      }
    };
    // Three rounds of compaction: each merges the recent rows into one row beside the large first state.
    await appendMany(limits.compactAfterUpdates * 3, 'a');
    let rows = (await store.loadUpdates(DOC)).updates;
    expect(rows.length).toBe(4);
    expect(rows[0]!.length).toBeGreaterThan(rows[1]!.length * 10); // the first state, untouched
    const reloaded = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    expect(readAllPairs(reloaded.doc)).toEqual(readAllPairs(source));

    // Continue on the reloaded log until the merged rows outweigh half the first state: one full state again.
    ({ doc, persistence } = reloaded);
    const base = rows[0]!.length;
    let written = 0;
    while ((await store.loadUpdates(DOC)).updates.length !== 1 && written < 200 * limits.compactAfterUpdates) {
      await appendMany(limits.compactAfterUpdates, 'bcdefghij'[(written / limits.compactAfterUpdates) % 9]!);
      written += limits.compactAfterUpdates;
    }
    rows = (await store.loadUpdates(DOC)).updates;
    expect(rows.length).toBe(1);
    expect(rows[0]!.length).toBeGreaterThan(base);
    const final = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    expect(readAllPairs(final.doc)).toEqual(readAllPairs(source));
    expect(Y.encodeStateVector(final.doc)).toEqual(Y.encodeStateVector(source));
  });

  it('keeps with each large row it writes (a merged tail, the whole state) the scan of its content, read back with the rows', async () => {
    store = new SqliteStore(tempDataDir('compaction-scans'));
    const scanner = new UpdatePreparer();
    try {
      const source = new Y.Doc();
      source.transact(() => {
        for (let i = 0; i < 40; i++) insertPair(source, { id: `p${i}`, vi: 'Văn bản dài. '.repeat(100), fr: 'Un long texte. '.repeat(100) });
      });
      const first = Y.encodeStateAsUpdate(source);
      expect(first.length).toBeGreaterThan(limits.largeUpdateBytes);
      await store.createDocument({ id: DOC, title: { vi: 'T', fr: 'T' }, parties: [] }, first);
      const compactAfterUpdates = 10;
      const { doc, persistence } = await RoomPersistence.load(store, DOC, { compactAfterUpdates, scanner });
      const keptScans = async () => {
        const { updates, scans } = await store!.loadUpdates(DOC);
        return updates.map((row, i) => ({ bytes: row.length, scan: decodeRowScan(scans[i], row), expected: scanRow(row) }));
      };
      // Created by the store, not written by this log: nothing kept with it (the room's first open keeps one: see largeUpdates).
      expect((await keptScans())[0]!.scan).toBeUndefined();

      // Ten pastes of ~10 KB: the tail merged into one large row.
      for (let i = 0; i < compactAfterUpdates; i++) {
        const update = keystroke(source, `p${i}`, ` Đoạn dán ${i}. `.repeat(700));
        Y.applyUpdate(doc, update);
        await persistence.append(update, doc);
      }
      await persistence.idle();
      await waitFor(async () => (await keptScans()).some((row) => row.scan !== undefined), 'the merged row’s scan to be kept');
      let rows = await keptScans();
      expect(rows).toHaveLength(2);
      expect(rows[1]!.bytes).toBeGreaterThan(limits.largeUpdateBytes);
      expect(rows[1]!.scan).toEqual(rows[1]!.expected);

      // Then keystrokes until the whole state is written again, as one row: its scan is kept too.
      for (let i = 0; (await store.loadUpdates(DOC)).updates.length > 1 && i < 20 * compactAfterUpdates * compactAfterUpdates; i++) {
        const update = keystroke(source, `p${i % 40}`, 'x');
        Y.applyUpdate(doc, update);
        await persistence.append(update, doc);
        await persistence.idle();
      }
      await waitFor(async () => (await keptScans())[0]!.scan !== undefined, 'the whole state’s scan to be kept');
      rows = await keptScans();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.scan).toEqual(rows[0]!.expected);
      // Small rows are scanned when read, not kept: one more keystroke, and nothing kept with it.
      await persistence.append(keystroke(source, 'p0', 'y'), doc);
      expect((await keptScans()).map((row) => row.scan !== undefined)).toEqual([true, false]);
    } finally {
      await scanner.close();
    }
  });

  it('keeps storing when the store refuses a merge for a while (the rows stay), and the next merge takes that tail too', async () => {
    store = new SqliteStore(tempDataDir('compaction-refused'));
    const source = new Y.Doc();
    source.transact(() => {
      for (let i = 0; i < 4; i++) insertPair(source, { id: `p${i}`, vi: 'Văn bản. ', fr: 'Un texte. ' });
    });
    await store.createDocument({ id: DOC, title: { vi: 'T', fr: 'T' }, parties: [] }, Y.encodeStateAsUpdate(source));
    // SQLite answers SQLITE_BUSY once busy_timeout has passed while the main connection kept the write lock.
    const merge = store.mergeRows.bind(store);
    let refusals = 1;
    store.mergeRows = (...args) =>
      refusals-- > 0 ? Promise.reject(new StorageWriteError('could not store the update: database is locked', 'SQLITE_BUSY')) : merge(...args);

    const { doc, persistence } = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    const appendMany = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const update = keystroke(source, `p${i % 4}`, 'x');
        Y.applyUpdate(doc, update);
        await persistence.append(update, doc);
      }
      await persistence.idle();
    };
    await appendMany(limits.compactAfterUpdates);
    expect(refusals).toBe(0); // the merge was asked for, and refused
    expect((await store.loadUpdates(DOC)).updates.length).toBe(1 + limits.compactAfterUpdates);

    await appendMany(limits.compactAfterUpdates); // stored, every one of them
    expect((await store.loadUpdates(DOC)).updates.length).toBe(2);
    const reloaded = await RoomPersistence.load(store, DOC, { compactAfterUpdates: limits.compactAfterUpdates });
    expect(readAllPairs(reloaded.doc)).toEqual(readAllPairs(source));
    expect(readAllPairs(source)[0]!.fr).toContain('x'.repeat(limits.compactAfterUpdates / 2));
  });
});
