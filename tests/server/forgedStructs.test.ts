import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, readAllPairs } from '../../shared/model/index.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, sameSnapshot, synced, waitFor } from '../helpers/clients.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';

/** The text of the closing pair's first French paragraph. */
function closingText(doc: Y.Doc): Y.XmlText {
  const paragraph = getPair(doc, 'closing')!.cell('fr').get(0) as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

/**
 * A struct with the id a drafter's first keystrokes already have (client,
 * clock 0), placed after text of a client the server never saw: Yjs keeps it
 * pending forever, beside the real one.
 */
function forgedStruct(base: Uint8Array, victim: number): Uint8Array {
  const forger = new Y.Doc();
  Y.applyUpdate(forger, base);
  forger.clientID = 0x7fff0000 + (victim % 0xffff); // the phantom: never sent
  closingText(forger).insert(0, 'xyz');
  const before = Y.encodeStateVector(forger);
  forger.clientID = victim;
  closingText(forger).insert(3, 'FORGED ');
  return Y.encodeStateAsUpdate(forger, before);
}

describe('a drafter forging the ids of structs others typed (attack)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('takes nothing from a client that joins later, from the stored log, or from the text after a restart', async () => {
    // Compaction every two rows: the whole state is re-encoded into the log while the forged structs are held.
    server = await startTestServer({ limits: { compactAfterUpdates: 2 } });
    const { dataDir } = server;
    const drafter = await signInAs(server, DEMO.frDrafter);
    const observer = await signInAs(server, DEMO.observer);
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(witness.provider);
    const base = Y.encodeStateAsUpdate(witness.doc);

    // Four drafters type in turn, each after the words of the one before.
    const typists: number[] = [];
    for (const word of ['Un ', 'deux ', 'trois ', 'quatre ']) {
      const typist = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
      await synced(typist.provider);
      closingText(typist.doc).insert(0, word);
      typists.push(typist.doc.clientID);
      await waitFor(() => closingText(witness.doc).toString().startsWith(word), `"${word}" relayed`);
      typist.provider.destroy();
    }
    const typed = readAllPairs(witness.doc);
    expect(closingText(witness.doc).toString()).toMatch(/^quatre trois deux Un /);

    // The forger reuses each typist's first id; the server answers it as usual (the update is well-formed).
    const forger = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter });
    await forger.opened;
    await waitFor(() => forger.messages.length > 0, 'sync step 1');
    for (const victim of typists) forger.ws.send(encodeUpdate(forgedStruct(base, victim)));
    // More typing: two full compactions of the log happen while the forged structs are held.
    const typist = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: drafter });
    await synced(typist.provider);
    for (const char of 'fin.') {
      closingText(typist.doc).insert(closingText(typist.doc).length, char);
      await waitFor(() => closingText(witness.doc).toString().endsWith(char), `"${char}" relayed`);
    }
    typist.provider.destroy();
    forger.ws.close();
    const expected = readAllPairs(witness.doc);
    expect(expected).not.toEqual(typed);
    expect(JSON.stringify(expected)).not.toContain('FORGED');

    // A client joining now holds every word, exactly as the one connected throughout.
    const late = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(late.provider);
    expect(readAllPairs(late.doc)).toEqual(expected);
    expect(sameSnapshot(late.doc, witness.doc)).toBe(true);
    late.provider.destroy();
    witness.provider.destroy();

    // The stored log holds them too (it was compacted while the forged structs were held)...
    const stored = new Y.Doc();
    const { updates } = await server.store.loadUpdates(DOC);
    expect(updates.length).toBeLessThan(4);
    Y.applyUpdate(stored, Y.mergeUpdates(updates));
    expect(readAllPairs(stored)).toEqual(expected);

    // ...and the text after a restart.
    await server.close();
    server = await startTestServer({ dataDir });
    const reader = await signInAs(server, DEMO.observer);
    const after = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: reader });
    await synced(after.provider);
    expect(readAllPairs(after.doc)).toEqual(expected);
    after.provider.destroy();
  });
});
