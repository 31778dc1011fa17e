import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeSyncStep1FromStateVector, encodeSyncStep2Update, encodeUpdate } from '../../server/collaboration/messages.ts';
import { limits } from '../../shared/limits.ts';
import { getPair, insertPair, orderArray, paragraphXmlText, paragraphsMap } from '../../shared/model/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { DEMO, api, followSignInLink, printedSignInLinks } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, synced, waitFor } from '../helpers/clients.ts';
import { SOURCE_ENTRY, startServerProcess, tempDataDir, type ServerProcess } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const PAIRS = 2000;

/**
 * No single update may hold the server's event loop: whatever one member
 * sends within the frame limit is refused, or applied without a stall over
 * 50 ms for every other document's clients. Measured by the server itself
 * (ACCORD_STALL_LOG: perf_hooks.monitorEventLoopDelay, its longest delay
 * every 250 ms), in a process of its own, on a 2,000-pair declaration; the
 * attacks are built beforehand, so the test's own work is not measured.
 * Each was a stall before: the 3,000-level chain 8.8 s, deleting every pair
 * (a 12-byte update) 95 ms, 2,000 concurrent insertions at one place 50 ms.
 */
describe('the work one update can cause (attack)', () => {
  let server: ServerProcess;
  let cookie: string;
  let base: Y.Doc;

  /** A socket of the drafter's, greeted. */
  async function connect() {
    const socket = rawSyncSocket(server.wsUrl, DOC, { cookie });
    await socket.opened;
    await waitFor(() => socket.messages.length > 0, 'sync step 1');
    return socket;
  }

  /**
   * Sends `update` and resolves once the server has dealt with it: closed
   * the connection, or answered a sync step 1 sent after it (a member's
   * frames wait behind its update being applied in slices).
   */
  async function deliver(update: Uint8Array, asStep2 = false): Promise<{ closed?: number }> {
    const socket = await connect();
    const before = socket.messages.length;
    socket.ws.send(asStep2 ? encodeSyncStep2Update(update) : encodeUpdate(update));
    socket.ws.send(encodeSyncStep1FromStateVector(Y.encodeStateVector(base)));
    const closed = socket.closed.then((c) => c.code);
    // The answer is a sync step 2 (message 0, sync message 1); not any frame (a greeting may come in parts).
    const answered = () => socket.messages.slice(before).some((m) => m[0] === 0 && m[1] === 1);
    await Promise.race([closed, waitFor(answered, 'the answer', 60_000)]);
    if (socket.ws.readyState !== socket.ws.OPEN) return { closed: await closed };
    socket.ws.close();
    return {};
  }

  /** What `change` writes on a copy of the document, as one update. */
  function built(change: (doc: Y.Doc) => void): Uint8Array {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(base));
    const vector = Y.encodeStateVector(copy);
    copy.transact(() => change(copy));
    return Y.encodeStateAsUpdate(copy, vector);
  }

  /**
   * Insertions by `count` pages at once, each one character at the same
   * place, none having seen the others: structs written by hand (building
   * `count` pages would take the test minutes), as such pages would send them.
   */
  function concurrentAtOnePlace(count: number, firstClient: number): Uint8Array {
    const start = paragraphXmlText(getPair(base, 'p-7')!.cell('fr').get(0) as Y.XmlElement)!._start!;
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, count);
    for (let i = 0; i < count; i++) {
      const item = new Y.Item(Y.createID(firstClient + i, 0), null, Y.createID(start.id.client, start.id.clock + 4), null, Y.createID(start.id.client, start.id.clock + 5), null, null, new Y.ContentString('x'));
      encoding.writeVarUint(encoder.restEncoder, 1);
      encoder.writeClient(firstClient + i);
      encoding.writeVarUint(encoder.restEncoder, 0);
      item.write(encoder, 0);
    }
    encoding.writeVarUint(encoder.restEncoder, 0); // no deletions
    return encoder.toUint8Array();
  }

  /** The longest stall the server reported in `output`. */
  const longestStall = (output: string) => Math.max(0, ...[...output.matchAll(/event-loop max ([\d.]+)/g)].map((m) => Number(m[1])));

  beforeAll(async () => {
    // As `npm start` runs it (its young generation's size included: it sets how long a scavenge pauses the loop).
    server = await startServerProcess(tempDataDir('update-work'), 0, { ACCORD_STALL_LOG: '1', LOG_LEVEL: 'warn' }, ['--max-semi-space-size=4', ...SOURCE_ENTRY]);
    cookie = await followSignInLink(printedSignInLinks(server.output()).get(DEMO.vnDrafter)!.replace(/^http:\/\/[^/]+/, server.url));
    // A long declaration, pushed as one large update (applied in slices), as after an import.
    const editor = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(editor.provider);
    editor.doc.transact(() => {
      for (let i = 0; i < PAIRS; i++) {
        insertPair(editor.doc, { id: `p-${i}`, vi: `Điều ${i}. Hai bên nhất trí tăng cường hợp tác phát triển đô thị bền vững.`, fr: `Article ${i}. Les deux parties conviennent de renforcer la coopération urbaine durable.` });
      }
    });
    await waitFor(async () => (await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs.length > PAIRS, 'the long declaration stored', 60_000);
    base = editor.doc;
    editor.provider.destroy();
  }, 120_000);
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('refuses or applies each update within the frame limit without a stall over 50 ms, and logs the refusals with who sent them', async () => {
    const texts = (doc: Y.Doc, count: number) =>
      Array.from({ length: count }, (_, i) => paragraphXmlText(getPair(doc, `p-${i}`)!.cell(i % 2 === 0 ? 'vi' : 'fr').get(0) as Y.XmlElement)!);
    // The concurrent insertions come from hundreds of client ids: sent as a step 2 (one page may claim only a few ids live).
    const attacks: Array<{ label: string; update: Uint8Array; refused?: boolean; asStep2?: boolean }> = [
      { label: 'a 3,000-level chain of maps', refused: true, update: built((doc) => {
        let map = new Y.Map<unknown>();
        paragraphsMap(doc).set('unused', map);
        for (let i = 0; i < 3000; i++) {
          const next = new Y.Map<unknown>();
          map.set('k', next);
          map = next;
        }
      }) },
      { label: `${limits.maxConcurrentAtOnePlace + 100} concurrent insertions at one place`, refused: true, asStep2: true, update: concurrentAtOnePlace(limits.maxConcurrentAtOnePlace + 100, 0x10000000) },
      { label: `${limits.maxConcurrentAtOnePlace - 50} concurrent insertions at one place`, asStep2: true, update: concurrentAtOnePlace(limits.maxConcurrentAtOnePlace - 50, 0x20000000) },
      { label: '40,000 one-character insertions, each a struct of its own', update: built((doc) => {
        for (const text of texts(doc, 800)) for (let at = 50; at > 0; at--) text.insert(at, '·');
      }) },
      { label: 'bold on every other character of 400 cells', update: built((doc) => {
        for (const text of texts(doc, 400)) for (let at = 0; at < 40; at += 2) text.format(at, 1, { strong: {} });
      }) },
      { label: 'deletions of every other character of 600 cells', update: built((doc) => {
        for (const text of texts(doc, 600)) for (let at = 30; at > 0; at -= 2) text.delete(at, 1);
      }) },
      { label: 'every pair deleted (a few bytes)', update: built((doc) => {
        paragraphsMap(doc).clear();
        orderArray(doc).delete(0, orderArray(doc).length);
      }) },
    ];
    for (const { update } of attacks) expect(update.length).toBeLessThanOrEqual(limits.maxSyncMessageBytes);
    // A member stays connected throughout, so the room stays open between the attackers' connections.
    const keeper = await connect();
    const mark = server.output().length;
    for (const { label, update, refused, asStep2 } of attacks) {
      const outcome = await deliver(update, asStep2);
      if (refused) expect(outcome.closed, label).toBe(CloseCode.ContentNotAllowed);
      else expect(outcome.closed, label).toBeUndefined();
    }
    // Two more reports of the loop's longest delay after the last one: its window is in.
    keeper.ws.close();
    const reports = () => [...server.output().slice(mark).matchAll(/event-loop max/g)].length;
    const done = reports();
    await waitFor(() => reports() >= done + 2, 'the stall reports after the last update');
    const output = server.output().slice(mark);
    // Read afterwards: reading 2,000 pairs is not one of the updates measured.
    expect((await api(server.url, cookie)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual([]);
    const logged = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    // No update, nor any slice of one, held the loop past the margin below. The server warns past 50 ms,
    // measured as wall time: on a loaded 2-core machine a 10 ms slice can be descheduled for tens of ms,
    // so a warn alone is not a failure; twice the target is (the chain held it 8.8 s).
    const held = logged.filter((entry) => entry.msg === 'an update held the event loop');
    expect(held.filter((entry) => entry.ms >= 2 * limits.updateStallWarnMs)).toEqual([]);
    const refusals = logged.filter((entry) => entry.msg === 'update refused: content not allowed');
    expect(refusals).toHaveLength(2);
    for (const refusal of refusals) expect(refusal).toMatchObject({ level: 40, documentId: DOC, user: expect.any(String) });
    // The loop as a whole, GC pauses and the OS's scheduling of a 2-core machine included: a generous
    // margin over the 50 ms target (measured 45–64 ms with other work on the machine; the attacks
    // stalled it 95 ms to 8.8 s before).
    const longest = longestStall(output);
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThan(2 * limits.updateStallWarnMs);
  }, 180_000);
});
