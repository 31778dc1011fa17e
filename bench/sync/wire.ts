/**
 * The sync wire protocol as the load generator speaks it, with `lib0` and
 * `y-protocols` only (no provider). Two dialects:
 * - `y-websocket` (Accord, the reference server): one document per socket,
 *   frames are `varUint(type) …`;
 * - `hocuspocus`: every frame is prefixed with `varString(documentName)`, the
 *   client authenticates first (`Auth/Token`), the server answers sync step 1
 *   with `SyncReply` (type 4) and acknowledges updates with `SyncStatus` (8).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export type Dialect = 'y-websocket' | 'hocuspocus';

export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
/** Hocuspocus only: a sync message sent as a reply (same payload as MSG_SYNC). */
export const MSG_SYNC_REPLY = 4;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** A decoded incoming frame, reduced to what the load generator needs. */
export type Incoming =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'step2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'auth'; denied: boolean; reason: string }
  | { kind: 'other'; type: number };

/** Encodes and decodes frames of one dialect for one document. */
export class Wire {
  constructor(
    readonly dialect: Dialect,
    readonly documentName: string,
  ) {}

  private start(type: number): encoding.Encoder {
    const encoder = encoding.createEncoder();
    if (this.dialect === 'hocuspocus') encoding.writeVarString(encoder, this.documentName);
    encoding.writeVarUint(encoder, type);
    return encoder;
  }

  /** Frames to send right after the socket opens (Hocuspocus wants a token first). */
  hello(): Uint8Array[] {
    if (this.dialect !== 'hocuspocus') return [];
    const encoder = this.start(MSG_AUTH);
    encoding.writeVarUint(encoder, 0); // AuthMessageType.Token
    encoding.writeVarString(encoder, 'bench');
    return [encoding.toUint8Array(encoder)];
  }

  sync(subtype: number, payload: Uint8Array): Uint8Array {
    const encoder = this.start(MSG_SYNC);
    encoding.writeVarUint(encoder, subtype);
    encoding.writeVarUint8Array(encoder, payload);
    return encoding.toUint8Array(encoder);
  }

  /** Decodes one frame (throws on garbage: the generator treats that as a failure). */
  parse(data: Uint8Array): Incoming {
    const decoder = decoding.createDecoder(data);
    if (this.dialect === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MSG_SYNC || (this.dialect === 'hocuspocus' && type === MSG_SYNC_REPLY)) {
      const subtype = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (subtype === SYNC_STEP1) return { kind: 'step1', stateVector: payload };
      if (subtype === SYNC_STEP2) return { kind: 'step2', update: payload };
      return { kind: 'update', update: payload };
    }
    if (type === MSG_AUTH) {
      const subtype = decoding.readVarUint(decoder);
      // y-protocols auth: 0 = permission denied (with reason); Hocuspocus: 1 = denied, 2 = authenticated.
      const denied = this.dialect === 'hocuspocus' ? subtype === 1 : subtype === 0;
      return { kind: 'auth', denied, reason: decoding.hasContent(decoder) ? decoding.readVarString(decoder) : '' };
    }
    return { kind: 'other', type };
  }
}

/**
 * The (client, clock, length) runs of the structs a Yjs v1 update carries,
 * i.e. which edits it delivers. A single-struct update (one keystroke) is read
 * from its header without decoding the content; anything else (servers that
 * merge updates, like Hocuspocus) is fully decoded.
 */
export function structRanges(update: Uint8Array): Array<{ client: number; clock: number; length: number }> {
  const decoder = decoding.createDecoder(update);
  const groups = decoding.readVarUint(decoder);
  if (groups === 0) return [];
  const structs = decoding.readVarUint(decoder);
  if (groups === 1 && structs === 1) {
    const client = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    return [{ client, clock, length: 1 }];
  }
  return Y.decodeUpdate(update).structs.map((struct) => ({ client: struct.id.client, clock: struct.id.clock, length: struct.length }));
}
