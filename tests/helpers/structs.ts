import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * An update written struct by struct, as a hand-made client can: one
 * client's consecutive items from `clock`, and any delete set (client,
 * clock, length), none of it checked by Yjs's own encoder.
 */
export function encodeItems(client: number, clock: number, items: Y.Item[], deletions: Array<[number, number, number]> = []): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  if (items.length === 0) encoding.writeVarUint(encoder.restEncoder, 0);
  else {
    encoding.writeVarUint(encoder.restEncoder, 1);
    encoding.writeVarUint(encoder.restEncoder, items.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    for (const item of items) item.write(encoder, 0);
  }
  const byClient = new Map<number, Array<[number, number]>>();
  for (const [c, k, l] of deletions) {
    if (!byClient.has(c)) byClient.set(c, []);
    byClient.get(c)!.push([k, l]);
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [c, ranges] of byClient) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, c);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const [k, l] of ranges) {
      encoder.writeDsClock(k);
      encoder.writeDsLen(l);
    }
  }
  return encoder.toUint8Array();
}

/** An item as a hand-made update names it: neighbours and parent by id (or root name). */
export function item(id: Y.ID, origin: Y.ID | null, rightOrigin: Y.ID | null, parent: string | Y.ID | null, parentSub: string | null, content: Y.Item['content']): Y.Item {
  return new Y.Item(id, null, origin, null, rightOrigin, parent as unknown as Y.AbstractType<any>, parentSub, content);
}
