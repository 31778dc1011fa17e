import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  decodeRowScan,
  encodeRowScan,
  scanRow,
  summariseRows,
  summariseUpdates,
  summaryFromScans,
} from '../../server/collaboration/ingest/storedRows.ts';
import { getPair, insertPair, paragraphXmlText } from '../../shared/model/index.ts';

/** A declaration's stored rows: a first state, then edits (insertions and deletions) by two more clients, one row each. */
function storedRows(): Uint8Array[] {
  const doc = new Y.Doc();
  for (let i = 0; i < 5; i++) insertPair(doc, { id: `p${i}`, vi: 'Hai bên nhất trí tăng cường hợp tác. '.repeat(6), fr: 'Les parties conviennent. '.repeat(6) });
  const rows = [Y.encodeStateAsUpdate(doc)];
  doc.on('update', (update: Uint8Array) => rows.push(update));
  for (let e = 0; e < 40; e++) {
    doc.clientID = 500 + (e % 2);
    const text = paragraphXmlText(getPair(doc, `p${e % 5}`)!.cell(e % 3 ? 'fr' : 'vi').get(0) as Y.XmlElement)!;
    if (e % 4 === 3) text.delete(e % text.length, 2);
    else text.insert(e % text.length, 'ư');
  }
  return rows;
}

describe("a stored row's scan, kept with it so that a restart reads the rows' summary instead of computing it", () => {
  it('read back as it was made, and the summary from kept scans is the one computed from the rows', () => {
    const rows = storedRows();
    const scans = rows.map(scanRow);
    const kept = rows.map((row, i) => decodeRowScan(encodeRowScan(scans[i]!, row.length), row));
    expect(kept).toEqual(scans);

    const computed = summariseUpdates(rows);
    const fromKept = summariseRows(rows, kept);
    expect(fromKept.stateVector).toEqual(computed.stateVector);
    expect(fromKept.beyondStateVector).toEqual(computed.beyondStateVector);
    expect(fromKept.scans).toEqual(scans);
    // Some kept, some not (rows stored since): the same again.
    const some = summariseRows(rows, [kept[0], undefined, kept[2]]);
    expect(some.stateVector).toEqual(computed.stateVector);
    expect(some.beyondStateVector).toEqual(computed.beyondStateVector);
  });

  it('is not used with a row it was not made of, nor when unreadable: the row is scanned again', () => {
    const [row] = storedRows();
    const scan = scanRow(row!);
    expect(decodeRowScan(undefined, row!)).toBeUndefined();
    // Made of a row of another length (another row under the same seq would be a bug: still, never trusted).
    expect(decodeRowScan(encodeRowScan(scan, row!.length + 1), row!)).toBeUndefined();
    const encoded = encodeRowScan(scan, row!.length);
    expect(decodeRowScan(encoded.subarray(0, encoded.length - 1), row!)).toBeUndefined(); // truncated
    expect(decodeRowScan(new Uint8Array([...encoded, 0]), row!)).toBeUndefined(); // trailing bytes
    expect(decodeRowScan(new Uint8Array([2, ...encoded.subarray(1)]), row!)).toBeUndefined(); // another format
    expect(decodeRowScan(new Uint8Array([0xff, 0xff]), row!)).toBeUndefined(); // garbage
  });

  it('gives no summary on its own when a client’s structs have a gap: what lies beyond may then be structs, which only a diff finds', () => {
    const rows = storedRows();
    const gapped = [rows[0]!, ...rows.slice(2)]; // the first edit missing: the later ones of its client wait for it
    expect(summaryFromScans(gapped, gapped.map(scanRow))).toBeUndefined();
    expect(summaryFromScans(rows, rows.map(scanRow))).toBeDefined();
    // summariseRows still answers, with the diff.
    const withGap = summariseRows(gapped, gapped.map(scanRow));
    expect(withGap).toEqual({ ...summariseUpdates(gapped), scans: gapped.map(scanRow) });
  });
});
