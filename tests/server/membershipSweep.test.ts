import { afterEach, describe, expect, it } from 'vitest';
import { MembershipSweep } from '../../server/auth/membershipSweep.ts';
import { auditActorOf, OPERATOR } from '../../server/commands/members.ts';
import { seedDemo } from '../../server/demo/seedDemo.ts';
import { createLogger } from '../../server/logger.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { DEMO } from '../helpers/auth.ts';
import { tempDataDir } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** The sweep's bookkeeping, swept by hand (its timer set far off): what it applies, and what it leaves. */
describe('the membership sweep', () => {
  let store: SqliteStore | undefined;
  let sweep: MembershipSweep | undefined;
  afterEach(async () => {
    sweep?.stop();
    await store?.close();
  });

  it('applies each change made elsewhere once, and not again one this server applied already', async () => {
    store = new SqliteStore(tempDataDir('membership-sweep'));
    await seedDemo(store);
    const applied: string[] = [];
    sweep = new MembershipSweep(store, async (documentId, accountId) => void applied.push(`${documentId} ${accountId}`), createLogger('silent'));
    const changeBefore = (await store.findAccountByEmail(DEMO.observer))!.id;
    await store.removeMembership(DOC, changeBefore, auditActorOf(OPERATOR));
    await sweep.start(1e9);
    const runSweep = () => (sweep as unknown as { sweep(): Promise<void> }).sweep();

    // Made and applied here: the next sweep leaves it.
    const here = (await store.findAccountByEmail(DEMO.frDrafter))!.id;
    await store.removeMembership(DOC, here, auditActorOf(OPERATOR));
    await sweep.applyNow(DOC, here);
    // Made by another process (the store alone): the next sweep applies it.
    const elsewhere = (await store.findAccountByEmail(DEMO.vnDrafter))!.id;
    await store.removeMembership(DOC, elsewhere, auditActorOf(OPERATOR));
    await runSweep();
    expect(applied).toEqual([`${DOC} ${here}`, `${DOC} ${elsewhere}`]);
    // Nothing new: nothing applied; a change before the start was in the store when connections opened.
    await runSweep();
    expect(applied).toHaveLength(2);
    // The same person changed again elsewhere: news again.
    await store.setMembership({ documentId: DOC, accountId: here, partyId: 'fr', role: 'observer' }, auditActorOf(OPERATOR));
    await runSweep();
    expect(applied).toEqual([`${DOC} ${here}`, `${DOC} ${elsewhere}`, `${DOC} ${here}`]);
  });
});
