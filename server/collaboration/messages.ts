import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { limits } from '../../shared/limits.ts';
import { MessageType, SyncMessageType } from '../../shared/protocol.ts';
import { ContentNotAllowedError, checkUpdateContent } from './contentPolicy.ts';
import { encodeIntegratedState } from './integratedState.ts';

/**
 * Parsing and encoding of y-websocket frames. Parsing is strict and complete
 * before anything is applied, so a malformed frame changes nothing.
 */

export type IncomingMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  /**
   * `decoded`: the update decoded (its content checked), for the room's check of where it lands
   * (structure/updateStructure.ts); `live`: a sync "update" (what a page sends as its person
   * types), not a step 2 (its answer to the server's state vector): see clientIdPolicy.ts.
   */
  | { type: 'sync-update'; update: Uint8Array; decoded: DecodedUpdate; live: boolean }
  | { type: 'awareness'; entries: AwarenessEntry[] }
  | { type: 'query-awareness' };

/** An update as Y.decodeUpdate reads it: its structs (not integrated) and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

/** One client's state in an awareness update (y-protocols/awareness: clientID, clock, JSON state; null = gone). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: unknown;
}

/** An awareness state larger than limits.maxAwarenessStateBytes. */
export class AwarenessStateTooLargeError extends Error {
  constructor(bytes: number) {
    super(`awareness state of ${bytes} bytes, more than ${limits.maxAwarenessStateBytes}`);
    this.name = 'AwarenessStateTooLargeError';
  }
}

export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

/** Decodes one frame; throws MalformedMessageError on anything unexpected, ContentNotAllowedError on content outside the model. */
export function parseMessage(data: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const subtype = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (subtype === SyncMessageType.Step1) {
          Y.decodeStateVector(payload); // throws on garbage
          return { type: 'sync-step1', stateVector: payload };
        }
        if (subtype === SyncMessageType.Step2 || subtype === SyncMessageType.Update) {
          // A full decode first: Y.applyUpdate may integrate half a truncated update before it throws.
          const decoded = Y.decodeUpdate(payload);
          checkUpdateContent(decoded);
          return { type: 'sync-update', update: payload, decoded, live: subtype === SyncMessageType.Update };
        }
        throw new MalformedMessageError(`unknown sync message type ${subtype}`);
      }
      case MessageType.Awareness: {
        return { type: 'awareness', entries: decodeAwarenessUpdate(decoding.readVarUint8Array(decoder)) };
      }
      case MessageType.QueryAwareness:
        return { type: 'query-awareness' };
      default:
        throw new MalformedMessageError(`unknown or server-only message type ${type}`);
    }
  } catch (error) {
    if (error instanceof MalformedMessageError || error instanceof ContentNotAllowedError || error instanceof AwarenessStateTooLargeError) throw error;
    throw new MalformedMessageError(`undecodable frame (${(error as Error).message})`);
  }
}

/** As lib0 reads a varString: invalid UTF-8 is an error, a BOM is kept. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes an awareness update completely (ids, clocks, JSON states). The size
 * of each state is checked before its JSON is parsed.
 */
function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarUint8Array(decoder); // a varString is a length-prefixed UTF-8 byte array
    if (json.length > limits.maxAwarenessStateBytes) throw new AwarenessStateTooLargeError(json.length);
    entries.push({ clientId, clock, state: JSON.parse(utf8.decode(json)) as unknown });
  }
  return entries;
}

/** Encodes awareness entries as a y-protocols awareness update (the inverse of decodeAwarenessUpdate). */
export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return encodeSyncStep1FromStateVector(Y.encodeStateVector(doc));
}

/** Sync step 1 with an already encoded state vector (e.g. read from stored rows). */
export function encodeSyncStep1FromStateVector(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Step1);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** Sync step 2: what the doc has integrated beyond `stateVector` (never its pending parts: see encodeIntegratedState). */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  return encodeSyncStep2Update(encodeIntegratedState(doc, stateVector));
}

/** Sync step 2 carrying an already encoded update (e.g. a cached full state). */
export function encodeSyncStep2Update(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * The start of a sync step 2 or update message carrying an update of
 * `updateLength` bytes: what precedes the update itself (see SyncSocket.sendParts).
 */
export function encodeSyncHeader(type: typeof SyncMessageType.Step2 | typeof SyncMessageType.Update, updateLength: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint(encoder, updateLength);
  return encoding.toUint8Array(encoder);
}

/** True when a state vector names no client: the sender holds nothing yet. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return Y.decodeStateVector(stateVector).size === 0;
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncMessageType.Update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

/** The y-protocols auth message "permission denied" with a reason (what y-websocket clients understand). */
export function encodePermissionDenied(reason: string): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Auth);
  authProtocol.writePermissionDenied(encoder, reason);
  return encoding.toUint8Array(encoder);
}
