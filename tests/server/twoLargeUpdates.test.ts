import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { splitUpdatePieces } from '../../server/collaboration/ingest/splitUpdate.ts';
import { getPair, insertPair, readOrder, type Lang } from '../../shared/model/index.ts';
import { cellPlainText } from '../../shared/text.ts';
import { DEMO, signInAs } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { seeded, type Random } from '../helpers/random.ts';
import { startTestServer } from '../helpers/server.ts';

/**
 * Regression (found 2026-12-07, docs/reliability.md): a page that added 183
 * pairs, then filled every cell — the second update deleting the empty
 * paragraphs the first made, and the demo's own — lost the deletions of 8
 * pairs' paragraphs on the server: a client joining later showed an extra
 * empty line in each. The cutter of large updates stepped over some delete
 * ranges whenever a client's ranges began in a piece already part full (the
 * delete set names the demo's clients first, then the page's): whether it
 * happened hung on the page's random client id.
 */

const DOC = 'vn-fr-2023';
const LANGS: Lang[] = ['vi', 'fr'];

function fillCell(random: Random, fragment: Y.XmlFragment, lang: Lang): void {
  fragment.delete(0, fragment.length);
  for (let p = 1 + random.int(3); p > 0; p--) {
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, `${lang} ${p} ${'mot '.repeat(1 + random.int(8))}`);
  }
}

/** Every deleted clock of a delete set, as "client:clock". */
function deletedClocks(ds: ReturnType<typeof Y.decodeUpdate>['ds']): Set<string> {
  const out = new Set<string>();
  for (const [client, ranges] of ds.clients) for (const { clock, len } of ranges) for (let c = clock; c < clock + len; c++) out.add(`${client}:${c}`);
  return out;
}

describe('deletions of several clients in one large update', () => {
  it('cut into pieces, lose no deleted range, whichever client comes first', () => {
    for (const [first, second] of [[900, 100], [100, 900]] as const) {
      const doc = new Y.Doc();
      for (const [client, pairs] of [[first, 7], [second, 260]] as const) {
        doc.clientID = client;
        doc.transact(() => {
          for (let i = 0; i < pairs; i++) insertPair(doc, { id: `p-${client}-${i}`, kind: 'operative', vi: 'một hai ba bốn', fr: 'un deux trois quatre' });
        });
      }
      const before = Y.encodeStateVector(doc);
      doc.clientID = 5;
      // Every cell's text deleted: hundreds of ranges under each of the two clients.
      doc.transact(() => {
        for (const id of readOrder(doc)) for (const lang of LANGS) getPair(doc, id)!.cell(lang).delete(0, 1);
      });
      const update = Y.encodeStateAsUpdate(doc, before);
      const decoded = Y.decodeUpdate(update);
      const wanted = deletedClocks(decoded.ds);
      const got = new Set<string>();
      for (const piece of splitUpdatePieces(update, 50, decoded, true)) for (const clock of deletedClocks(Y.decodeUpdate(piece).ds)) got.add(clock);
      expect([...wanted].filter((clock) => !got.has(clock)), `clients ${first} then ${second}`).toEqual([]);
    }
  });

  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("a page's second large update, replacing the paragraphs of 200 pairs, reaches the server whole", async () => {
    server = await startTestServer();
    const cookie = await signInAs(server, DEMO.secretariat);
    const page = new Y.Doc();
    page.clientID = 1; // below the demo's clients: the delete set lists the demo's ranges first
    const editor = connectProvider(server.wsUrl, DOC, page, { cookie });
    await synced(editor.provider);
    const random = seeded(20261207);
    page.transact(() => {
      for (let i = readOrder(page).length; i < 200; i++) insertPair(page, { id: `random-${i}`, kind: 'operative', vi: '', fr: '' });
    });
    page.transact(() => {
      for (const id of readOrder(page)) for (const lang of LANGS) fillCell(random, getPair(page, id)!.cell(lang), lang);
    });
    const late = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie });
    await synced(late.provider);
    const differing = () => readOrder(page).filter((id) => LANGS.some((lang) => { const there = getPair(late.doc, id); return !there || cellPlainText(there.cell(lang)) !== cellPlainText(getPair(page, id)!.cell(lang)); }));
    await waitFor(() => readOrder(late.doc).length === 200 && differing().length === 0, 'the late client to hold what the page wrote', 30_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${differing().length} pairs differ (${differing().slice(0, 4).join(', ')})`);
    });
    expect(differing()).toEqual([]);
    editor.provider.destroy();
    late.provider.destroy();
  }, 60_000);
});
