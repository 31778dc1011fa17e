import type { DocumentSummary, ErrorBody } from '../../shared/protocol.ts';

/** A failed API call: the HTTP status and the server's error code and message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and try again.');
  }
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // Not JSON: reported below.
  }
  if (!response.ok) {
    if (isErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}.`);
  }
  if (body === undefined) throw new ApiError(response.status, 'bad_response', 'The server sent an answer this page cannot read.');
  return body as T;
}

export async function listDocuments(signal?: AbortSignal): Promise<DocumentSummary[]> {
  const body = await getJson<{ documents: DocumentSummary[] }>('/api/documents', signal);
  return body.documents;
}

export async function getDocument(id: string, signal?: AbortSignal): Promise<DocumentSummary> {
  const body = await getJson<{ document: DocumentSummary }>(`/api/documents/${encodeURIComponent(id)}`, signal);
  return body.document;
}
