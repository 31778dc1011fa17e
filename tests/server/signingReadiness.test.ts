import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../shared/protocol.ts';
import { DEMO, api, signInAll } from '../helpers/auth.ts';
import { agreeStructure, cutVersion, readMatrix } from '../helpers/agreement.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const VN = { vi: 'Phía Việt Nam', fr: 'Partie vietnamienne' };
const FR = { vi: 'Phía Pháp', fr: 'Partie française' };

/**
 * Issue 21: what keeps a version from being signed is said before anyone
 * tries — by ¶ number and party name, never pair ids — and a refused
 * signature carries the same in its params for the page to word.
 */
describe('signing readiness and refusals people can read', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let cookies: Record<keyof typeof DEMO, string>;

  beforeAll(async () => {
    server = await startTestServer();
    cookies = await signInAll(server);
  });
  afterAll(async () => {
    await server.close();
  });

  const as = (who: keyof typeof DEMO) => api(server.url, cookies[who]);
  const readiness = async (who: keyof typeof DEMO, number: number) => as(who)(`/api/documents/${DOC}/versions/${number}/readiness`);
  const sign = (who: keyof typeof DEMO, number: number) => as(who)(`/api/documents/${DOC}/versions/${number}/signatures`, { method: 'POST', json: {} });

  it('names the pairs not agreed by ¶ number and party, then the structure, until a version can be signed; the refusal carries them too', async () => {
    const { number, pairCount } = await cutVersion(as('secretariat'), DOC);
    const first = await readiness('frHead', number);
    expect(first.status).toBe(200);
    expect(first.body.pairs).toHaveLength(pairCount * 2);
    expect(first.body.pairs.slice(0, 2)).toEqual([
      { number: 1, party: VN },
      { number: 1, party: FR },
    ]);
    expect(first.body.structure).toEqual([VN, FR]);
    // Anyone who reads the declaration may see why; nobody signed out.
    expect((await readiness('observer', number)).body).toEqual(first.body);
    expect((await api(server.url, undefined)(`/api/documents/${DOC}/versions/${number}/readiness`)).status).toBe(401);
    expect((await readiness('frHead', 99)).body.error).toMatchObject({ code: ErrorCode.VersionNotFound, params: { n: 99 } });

    const refused = await sign('frHead', number);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe(ErrorCode.PairsNotAgreed);
    expect(refused.body.error.params).toEqual({ n: number, pairs: first.body.pairs.slice(0, 10), more: pairCount * 2 - 10 });
    // The params name no pair by its internal id.
    const pairIds = (await readMatrix(server.url, cookies.observer, DOC)).pairs.map((p) => p.pairId);
    for (const id of pairIds) expect(JSON.stringify(refused.body.error.params)).not.toContain(`"${id}"`);

    // The French head agrees every pair: the Vietnamese party is still named for each.
    const matrix = await readMatrix(server.url, cookies.frHead, DOC);
    for (const pair of matrix.pairs) {
      const res = await as('frHead')(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
      expect(res.status).toBe(200);
    }
    const half = (await readiness('frHead', number)).body;
    expect(half.pairs).toEqual(Array.from({ length: pairCount }, (_, i) => ({ number: i + 1, party: VN })));

    for (const pair of matrix.pairs) {
      await as('vnHead')(`/api/documents/${DOC}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
    }
    expect((await readiness('frHead', number)).body).toEqual({ pairs: [], structure: [VN, FR] });
    const structureRefused = await sign('frHead', number);
    expect(structureRefused.body.error).toMatchObject({ code: ErrorCode.StructureNotAgreed, params: { n: number, parties: [VN, FR] } });

    for (const head of ['vnHead', 'frHead'] as const) expect((await agreeStructure(server.url, cookies[head], DOC)).status).toBe(200);
    expect((await readiness('frHead', number)).body).toEqual({ pairs: [], structure: [] });
    expect((await sign('frHead', number)).status).toBe(201);
    expect((await sign('frHead', number)).body.error).toMatchObject({ code: ErrorCode.AlreadySigned, params: { n: number } });
  });

  it('refuses a second declaration with the same id with a code and the id, and changes nothing', async () => {
    const before = (await as('secretariat')('/api/documents')).body.documents.length;
    const res = await as('secretariat')('/api/documents', { method: 'POST', json: { id: DOC, title: { vi: 'A', fr: 'B' } } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: ErrorCode.DocumentExists, params: { id: DOC } });
    expect((await as('secretariat')('/api/documents')).body.documents.length).toBe(before);
    const bad = await as('secretariat')('/api/documents', { method: 'POST', json: { id: 'x', title: { vi: 'A', fr: 'B' }, parties: 'none' } });
    expect(bad.body.error).toMatchObject({ code: ErrorCode.InvalidInput, params: { field: 'parties' } });
  });
});
