import type { PairApprovals, Progress, StructureApprovals } from '../../shared/approvals.ts';
import { api } from './auth.ts';

/** GET …/approvals as the API answers it. */
export interface Matrix {
  pairs: PairApprovals[];
  structure: StructureApprovals;
  progress: Progress;
}

export async function readMatrix(baseUrl: string, cookie: string, documentId: string): Promise<Matrix> {
  const res = await api(baseUrl, cookie)(`/api/documents/${documentId}/approvals`);
  if (res.status !== 200) throw new Error(`GET approvals: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Matrix;
}

/** A head agrees the structure as the server has it now (the hash in the matrix); resolves with the answer. */
export async function agreeStructure(baseUrl: string, cookie: string, documentId: string, hash?: string) {
  const seen = hash ?? (await readMatrix(baseUrl, cookie, documentId)).structure.hash;
  return api(baseUrl, cookie)(`/api/documents/${documentId}/structure/approval`, { method: 'PUT', json: { status: 'agreed', hash: seen } });
}

/** Every head agrees every pair and the structure as they stand; throws unless each is taken. */
export async function agreeEverything(baseUrl: string, headCookies: string[], documentId: string): Promise<Matrix> {
  const matrix = await readMatrix(baseUrl, headCookies[0]!, documentId);
  for (const cookie of headCookies) {
    for (const pair of matrix.pairs) {
      const res = await api(baseUrl, cookie)(`/api/documents/${documentId}/pairs/${pair.pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: pair.hash } });
      if (res.status !== 200) throw new Error(`agree ${pair.pairId}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const res = await agreeStructure(baseUrl, cookie, documentId, matrix.structure.hash);
    if (res.status !== 200) throw new Error(`agree the structure: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return readMatrix(baseUrl, headCookies[0]!, documentId);
}
