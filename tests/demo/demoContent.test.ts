import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildDemoUpdate } from '../../server/demo/seedDemo.ts';
import { jointDeclaration } from '../../server/demo/jointDeclaration.ts';
import { readAllPairs } from '../../shared/model/index.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { startTestServer } from '../helpers/server.ts';
import { HANOI_TOULOUSE_ID } from '../../server/demo/hanoiToulouse.ts';

/** The VOV article that publishes the declaration (copied from shared/seeds). */
const SEED = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/seeds/vov-joint-declaration.txt'), 'utf8');

describe('the demo declaration', () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildDemoUpdate());
  const pairs = readAllPairs(doc);

  it('holds the title, the framing paragraphs, the operative paragraphs and the closing in order', () => {
    expect(pairs.map((p) => p.kind)).toEqual(['title', 'preamble', 'preamble', 'operative', 'operative', 'operative', 'operative', 'closing']);
    expect(pairs.map((p) => p.vi.split(' ').slice(0, 3).join(' '))).toEqual([
      'Tuyên bố chung',
      'Các địa phương',
      'Trong ba ngày',
      'Ý thức rõ',
      'Ý thức được',
      'Nhận thức rõ',
      'Qua các cuộc',
      'Qua các cuộc',
    ]);
  });

  it('quotes the Vietnamese text exactly as published (apart from the capital of the first word)', () => {
    for (const pair of pairs.filter((p) => p.kind !== 'title')) {
      const quoted = pair.vi.replace(/^Các địa phương/, 'các địa phương');
      expect(SEED, pair.id).toContain(quoted);
    }
    expect(SEED).toContain('Hội nghị hợp tác giữa các địa phương Việt Nam - Pháp lần thứ 12');
  });

  it('has a French text for every pair, with French typography kept (U+00A0 inside « »)', () => {
    for (const pair of pairs) expect(pair.fr.length, pair.id).toBeGreaterThan(pair.kind === 'title' ? 20 : 100);
    const framing = pairs.find((p) => p.id === 'preamble-1')!;
    expect(framing.fr).toContain('«\u00A0La coopération décentralisée');
    expect(pairs.find((p) => p.id === 'preamble-2')!.fr.endsWith('accord\u00A0:')).toBe(true);
  });

  it('is loaded on first start with its two parties, beside the Hà Nội–Toulouse agreement, and only once', async () => {
    const server = await startTestServer();
    try {
      const call = api(server.url, await signInAs(server, DEMO.secretariat));
      const { documents } = (await call('/api/documents')).body;
      expect(documents.map((d: { id: string }) => d.id)).toEqual([jointDeclaration.id, HANOI_TOULOUSE_ID]);
      expect(documents[1].parties.map((p: { name: { vi: string } }) => p.name.vi)).toEqual(['Thành phố Hà Nội', 'Thành phố Toulouse']);
      expect(documents[0]).toMatchObject({
        id: jointDeclaration.id,
        title: jointDeclaration.title,
        parties: [
          { id: 'vn', name: { vi: 'Phía Việt Nam' } },
          { id: 'fr', name: { fr: 'Partie française' } },
        ],
      });
      const { pairs: served } = (await call(`/api/documents/${jointDeclaration.id}/pairs`)).body;
      expect(served).toEqual(pairs);
    } finally {
      await server.close();
    }
    // A second start on the same data keeps the one document (and its edits).
    const again = await startTestServer({ dataDir: server.dataDir });
    try {
      expect(await again.store.listDocuments()).toHaveLength(2);
      expect(await again.store.listAccounts()).toHaveLength(6);
      expect((await again.store.loadUpdates(jointDeclaration.id)).updates).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});
