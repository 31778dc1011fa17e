import zlib from 'node:zlib';

/** Largest entry inflated (a DOCX's properties are a few hundred bytes). */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/**
 * One file of a ZIP archive (a DOCX is one), read from its central
 * directory: stored or deflated entries only. Undefined when the archive
 * has no such entry; throws when the bytes are not a readable ZIP.
 */
export function readZipEntry(archive: Buffer, name: string): Buffer | undefined {
  let end = -1;
  // The end-of-central-directory record: in the last 22 bytes, or before a comment of up to 65,535.
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 65_535); i--) {
    if (archive.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a ZIP archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('a damaged ZIP directory');
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localHeader = archive.readUInt32LE(at + 42);
    if (archive.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      if (archive.readUInt32LE(localHeader) !== 0x04034b50) throw new Error('a damaged ZIP entry');
      const start = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
      const data = archive.subarray(start, start + compressedSize);
      if (method === 0) return data;
      if (method === 8) return zlib.inflateRawSync(data, { maxOutputLength: MAX_ENTRY_BYTES });
      throw new Error(`ZIP compression method ${method} is not supported`);
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return undefined;
}
