import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { headPayload } from './chain.ts';
import type { ChainHeadFile } from './chainHeadFile.ts';
import type { ServerKey } from './serverKey.ts';
import { verifyChain } from './verify.ts';

/**
 * At the server's start, for every declaration:
 * - a chain made before chain heads (the upgrade that brought them numbered
 *   and linked its entries, but could not sign: the key is not the store's)
 *   gets its head attested — only after it is checked (every hash, link and
 *   signature), and never when the file beside the key already knew a head for
 *   it (then the database lost its head: that is reported, not repaired);
 * - a head file left behind the database (a crash between the commit and the
 *   file's write, or a heads file not moved with the key) is brought up to the
 *   database's head, only if the whole chain verifies against the file.
 * Problems are logged (and shown by `accord verify`); the server still starts.
 *
 * The first start after the upgrade trusts what it checked: tampering done
 * before it that left a consistent store (e.g. a deleted last signature)
 * cannot be told from history. That is the limit of attesting afterwards.
 */
export async function reconcileChains(store: Store, key: ServerKey, heads: ChainHeadFile, logger: Logger): Promise<void> {
  const kept = heads.read();
  for (const { id: documentId } of await store.listDocuments()) {
    const head = await store.getChainHead(documentId);
    const inFile = kept.get(documentId);
    if (head && inFile && head.seq === inFile.seq && head.link === inFile.link) continue;
    if (!head) {
      if ((await store.listVersions(documentId)).length === 0) continue;
      if (inFile) {
        logger.error({ documentId, keptBesideKey: inFile.seq }, 'the database has no chain head for this declaration, but one is kept beside the key: rows were deleted; run accord verify');
        continue;
      }
      const report = await verifyChain(store, key, documentId, undefined, { attestingLegacy: true });
      if (!report.ok || !report.chain.head) {
        logger.error({ documentId, report }, 'the chain of versions made before chain heads does not verify: its head is not attested; run accord verify');
        continue;
      }
      const { seq, link } = report.chain.head;
      const attested = { documentId, seq, link, attestedAt: new Date().toISOString(), signature: key.sign(headPayload(documentId, seq, link)) };
      if (await store.attestChainHead(attested)) {
        heads.record(attested);
        logger.info({ documentId, seq }, 'attested the head of a chain made before chain heads');
      }
      continue;
    }
    const report = await verifyChain(store, key, documentId, heads);
    if (!report.ok) {
      logger.error({ documentId, chain: report.chain, versions: report.versions.filter((v) => !v.ok) }, 'the chain of versions does not verify; run accord verify');
      continue;
    }
    heads.record(head);
  }
}
