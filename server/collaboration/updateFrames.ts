import * as decoding from 'lib0/decoding';
import { limits } from '../../shared/limits.ts';
import { MessageType, SyncMessageType } from '../../shared/protocol.ts';
import { encodeSyncStep2Update, encodeUpdate, type DecodedUpdate } from './messages.ts';

/** How a room tells which member updates go the way of large ones, and frames them again. */

/** The payload of a sync step 2 / update frame when it is large enough for the worker (`live`: an update, not a step 2), else undefined. */
export function largeUpdatePayload(data: Uint8Array): { payload: Uint8Array; live: boolean } | undefined {
  if (data.length < limits.largeUpdateBytes) return undefined;
  try {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    const subtype = decoding.readVarUint(decoder);
    if (subtype !== SyncMessageType.Step2 && subtype !== SyncMessageType.Update) return undefined;
    const payload = decoding.readVarUint8Array(decoder);
    return payload.length >= limits.largeUpdateBytes && !decoding.hasContent(decoder) ? { payload, live: subtype === SyncMessageType.Update } : undefined;
  } catch {
    return undefined; // parseMessage reports it
  }
}

/** A member's update as a frame again (to be received once more): a live update, or a step 2. */
export function encodeUpdateFrame(update: Uint8Array, live: boolean): Uint8Array {
  return live ? encodeUpdate(update) : encodeSyncStep2Update(update);
}

/** An update with more structs or deleted ranges than limits.largeUpdateStructs (applied in slices, however small). */
export function isHeavy(decoded: DecodedUpdate): boolean {
  if (decoded.structs.length > limits.largeUpdateStructs) return true;
  let ranges = 0;
  for (const deleted of decoded.ds.clients.values()) ranges += deleted.length;
  return ranges > limits.largeUpdateStructs;
}

