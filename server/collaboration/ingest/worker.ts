import { parentPort } from 'node:worker_threads';
import * as Y from 'yjs';
import { ContentNotAllowedError, checkUpdateContent } from '../contentPolicy.ts';
import { splitUpdate } from './splitUpdate.ts';

/**
 * Off the event loop: decodes a large update completely, checks its content
 * against the model (as parseMessage does for small ones), and cuts it into
 * pieces the room applies a few at a time.
 */
export interface PrepareRequest {
  id: number;
  update: Uint8Array;
  pieceStructs: number;
}

export type PrepareReply =
  | { id: number; ok: true; pieces: Uint8Array[] }
  | { id: number; ok: false; kind: 'content' | 'malformed'; message: string };

parentPort!.on('message', (request: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    const decoded = Y.decodeUpdate(request.update);
    checkUpdateContent(decoded);
    reply = { id: request.id, ok: true, pieces: splitUpdate(request.update, request.pieceStructs, decoded) };
  } catch (error) {
    const kind = error instanceof ContentNotAllowedError ? 'content' : 'malformed';
    reply = { id: request.id, ok: false, kind, message: (error as Error).message };
  }
  parentPort!.postMessage(reply, reply.ok ? reply.pieces.map((p) => p.buffer as ArrayBuffer) : []);
});
