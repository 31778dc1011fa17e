import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { STORE_DOC as DOC, storesClosedAfterEach, textUpdate } from '../helpers/store.ts';

/**
 * Regression: a sign-in link answered 500 now and then while others were
 * typing. The store's read-then-write transactions (consume an invite: read
 * it, mark it used) began DEFERRED; when the update-log writer thread
 * committed between the read and the write, SQLite refused the write at once
 * with SQLITE_BUSY (a stale snapshot cannot be upgraded; the busy timeout
 * does not apply). They now take the write lock when they begin.
 */
describe('the store while the update log is being written', () => {
  const open = storesClosedAfterEach('accord-busy');

  it('signs people in (consumes their links) while edits are being stored, without refusing any', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const account = await store.createAccount({ id: 'busy-account', name: 'Lê Thị Lan', email: 'lan@example.org', isSecretariat: false });
    let typing = true;
    const typist = (async () => {
      // Others typing: the writer thread commits one row after another.
      for (let i = 0; typing; i++) {
        await store.appendUpdate(DOC.id, textUpdate(`${i}`, 1000 + i));
        // Keystrokes arrive from the network, each in a task of its own.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const failures: string[] = [];
    const expires = new Date(Date.now() + 60_000);
    try {
      for (let i = 0; i < 3000; i++) {
        const hash = `busy-${String(i).padStart(6, "0")}`;
        await store.createInvite(hash, account.id, expires);
        try {
          const result = await store.consumeInvite(hash, new Date());
          if (!('accountId' in result)) failures.push(`link ${i} refused: ${result.refused}`);
        } catch (error) {
          failures.push(`link ${i}: ${(error as Error).message}`);
        }
        // Let the writer's replies in, so that its commits land between this loop's transactions.
        if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      typing = false;
      await typist;
    }
    expect(failures.slice(0, 5)).toEqual([]);
  }, 60_000);

  it('merges the tail of the update log while sign-ins are being stored, without failing the merge', async () => {
    const { store } = open();
    await store.createDocument(DOC, textUpdate('', 1));
    const account = await store.createAccount({ id: 'busy-account', name: 'Lê Thị Lan', email: 'lan@example.org', isSecretariat: false });
    const expires = new Date(Date.now() + 60_000);
    const failures: string[] = [];
    let afterSeq = 0;
    let invites = 0;
    let written = 0;
    for (let round = 0; round < 60; round++) {
      let uptoSeq = 0;
      for (let i = 0; i < 20; i++) {
        const text = `${round}.${i}`;
        written += text.length;
        uptoSeq = await store.appendUpdate(DOC.id, textUpdate(text, 1000 + round * 20 + i));
      }
      // The writer thread reads the rows, merges them and replaces them, while this connection keeps committing.
      let settled = false;
      const merging = store.mergeRows(DOC.id, afterSeq, uptoSeq).then(
        ({ seq }) => ((settled = true), (afterSeq = seq)),
        (error: unknown) => ((settled = true), failures.push(`round ${round}: ${(error as Error).message}`)),
      );
      while (!settled) {
        for (let i = 0; i < 5; i++) await store.createInvite(`merge-${String(invites++).padStart(7, '0')}`, account.id, expires);
        // A pause, as between real sign-ins: a loop that never lets go of the write lock
        // would starve the writer thread past busy_timeout, another matter.
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await merging;
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Every edit is still there, once.
    const doc = new Y.Doc();
    for (const update of (await store.loadUpdates(DOC.id)).updates) Y.applyUpdate(doc, update);
    expect(doc.getText('t').length).toBe(written);
  }, 60_000);
});
