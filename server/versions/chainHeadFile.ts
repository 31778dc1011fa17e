import fs from 'node:fs';
import path from 'node:path';
import type { ChainHead } from '../store/agreementTypes.ts';

/**
 * The chain heads kept beside the server key (`<key file>` without `.pem`,
 * plus `.chain-heads.json`): each declaration's newest chain head, signed by
 * the key, written after the database commit that moved it. Outside the
 * database, it survives what a person with write access to the database
 * alone can do — delete the last versions and signatures, and put back an
 * older chain_heads row — as long as it does not sit beside the database
 * (README: ACCORD_KEY_FILE). It only moves forward.
 *
 * A crash between the commit and this write leaves the file one entry behind
 * the database: the verifier accepts a head kept here that the database's
 * chain contains, and the server brings the file up to date at its next start.
 */
export class ChainHeadFile {
  constructor(readonly file: string) {}

  /** The head file that goes with a key file. */
  static beside(keyFile: string): ChainHeadFile {
    return new ChainHeadFile(path.join(path.dirname(keyFile), `${path.basename(keyFile).replace(/\.pem$/, '')}.chain-heads.json`));
  }

  /** Every head kept (none when the file does not exist yet); throws if the file cannot be read. */
  read(): Map<string, ChainHead> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    let parsed: { format?: unknown; heads?: Record<string, Omit<ChainHead, 'documentId'>> };
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`The chain heads file ${this.file} is not readable JSON.`);
    }
    if (parsed.format !== 'accord-chain-heads-v1' || typeof parsed.heads !== 'object' || parsed.heads === null) {
      throw new Error(`The chain heads file ${this.file} is not an Accord chain heads file.`);
    }
    const heads = new Map<string, ChainHead>();
    for (const [documentId, h] of Object.entries(parsed.heads)) {
      heads.set(documentId, { documentId, seq: Number(h.seq), link: String(h.link), attestedAt: String(h.attestedAt), signature: String(h.signature) });
    }
    return heads;
  }

  get(documentId: string): ChainHead | undefined {
    return this.read().get(documentId);
  }

  /**
   * Keeps `head` as the document's head unless the one kept is as far or
   * further on (the file never moves back). Written to a new file, flushed,
   * then renamed over the old one: a crash leaves the old file or the new.
   */
  record(head: ChainHead): void {
    const heads = this.read();
    const kept = heads.get(head.documentId);
    if (kept && kept.seq >= head.seq) return;
    heads.set(head.documentId, head);
    const body = {
      format: 'accord-chain-heads-v1',
      heads: Object.fromEntries(
        [...heads.values()].sort((a, b) => a.documentId.localeCompare(b.documentId)).map((h) => [h.documentId, { seq: h.seq, link: h.link, attestedAt: h.attestedAt, signature: h.signature }]),
      ),
    };
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(body, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.file);
  }
}
