import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeUpdate } from '../../server/collaboration/messages.ts';
import { getPair, readAllPairs, readOrder } from '../../shared/model/index.ts';
import { CloseCode, MessageType, SyncMessageType } from '../../shared/protocol.ts';
import { DEMO, api, signInAs } from '../helpers/auth.ts';
import { connectProvider, rawSyncSocket, sameSnapshot, synced, waitFor } from '../helpers/clients.ts';
import { mulberry32 } from '../helpers/random.ts';
import { startTestServer } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
const SEEDS = [1, 7, 42, 1337, 20230415];
const FRAMES_PER_SEED = 300;

/** Close codes a fuzzed connection may end with: each documented in shared/protocol.ts. */
const DOCUMENTED = new Set<number>([CloseCode.MalformedMessage, CloseCode.ContentNotAllowed, CloseCode.TooManyMessages, CloseCode.MessageTooLarge]);

function frame(...parts: Array<(e: encoding.Encoder) => void>): Uint8Array {
  const e = encoding.createEncoder();
  for (const part of parts) part(e);
  return encoding.toUint8Array(e);
}

/**
 * Where the corpus types: that pair's first paragraph, or another pair's when
 * an earlier fuzzed frame — valid, from a drafter, so rightly applied —
 * deleted the pair or emptied its cell.
 */
function typableText(doc: Y.Doc, preferred: string, lang: 'vi' | 'fr'): Y.XmlText | undefined {
  for (const id of [preferred, ...readOrder(doc)]) {
    const paragraph = getPair(doc, id)?.cell(lang).get(0);
    const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : undefined;
    if (text instanceof Y.XmlText) return text;
  }
  return undefined;
}

/** Valid frames of every kind, the material the fuzzer mutates. */
function corpus(base: Y.Doc): Uint8Array[] {
  const edited = new Y.Doc();
  Y.applyUpdate(edited, Y.encodeStateAsUpdate(base));
  const vector = Y.encodeStateVector(edited);
  typableText(edited, 'closing', 'fr')?.insert(0, 'FUZZ ');
  const update = Y.encodeStateAsUpdate(edited, vector);
  const beforeDeletion = Y.encodeStateVector(edited);
  const text = typableText(edited, 'environment', 'vi');
  text?.delete(Math.floor(text.length / 2), Math.min(3, text.length));
  const deletion = Y.encodeStateAsUpdate(edited, beforeDeletion);
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState({ user: { name: 'Someone Else', color: '#123456' } });
  return [
    frame((e) => encoding.writeVarUint(e, MessageType.Sync), (e) => encoding.writeVarUint(e, SyncMessageType.Step1), (e) => encoding.writeVarUint8Array(e, Y.encodeStateVector(base))),
    encodeUpdate(update),
    encodeUpdate(deletion),
    frame((e) => encoding.writeVarUint(e, MessageType.Sync), (e) => encoding.writeVarUint(e, SyncMessageType.Step2), (e) => encoding.writeVarUint8Array(e, update)),
    frame((e) => encoding.writeVarUint(e, MessageType.Awareness), (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]))),
    frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness)),
  ];
}

/** One fuzzed frame: a mutated valid frame, or random bytes. */
function fuzzed(random: () => number, material: Uint8Array[]): Uint8Array {
  const pick = material[Math.floor(random() * material.length)]!;
  const bytes = Uint8Array.from(pick);
  switch (Math.floor(random() * 6)) {
    case 0: // flip bytes
      for (let i = 0; i < 1 + random() * 4; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    case 1: // truncate
      return bytes.slice(0, Math.floor(random() * bytes.length));
    case 2: // trailing garbage
      return Uint8Array.from([...bytes, ...Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256))]);
    case 3: // unknown or server-only message type
      bytes[0] = [2, 4, 5, 9, 127, 255][Math.floor(random() * 6)]!;
      return bytes;
    case 4: // garbage varints
      return Uint8Array.from(Array.from({ length: 1 + Math.floor(random() * 12) }, () => 0x80 | Math.floor(random() * 128)));
    default: // random bytes
      return Uint8Array.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
  }
}

/** A connection the fuzzer sends on, and the valid frames it mutates for it. */
interface FuzzTarget {
  socket: ReturnType<typeof rawSyncSocket>;
  material: Uint8Array[];
}

/**
 * Sends `FRAMES_PER_SEED` fuzzed frames, each followed by a valid probe:
 * either the probe is answered (the frame was harmless) or the connection
 * closes, within a bounded time, with a documented code; then `open` makes
 * the next connection.
 */
async function fuzzFrames(seed: number, random: () => number, open: () => Promise<FuzzTarget>): Promise<{ codes: number[]; harmless: number }> {
  const codes: number[] = [];
  let harmless = 0;
  let target: FuzzTarget | undefined;
  let closed = true;
  for (let i = 0; i < FRAMES_PER_SEED; i++) {
    if (closed) {
      target = await open();
      closed = false;
      void target.socket.closed.then(() => (closed = true));
    }
    const { socket, material } = target!;
    const answered = socket.messages.length;
    socket.ws.send(fuzzed(random, material));
    socket.ws.send(frame((e) => encoding.writeVarUint(e, MessageType.QueryAwareness)));
    const outcome = await Promise.race([socket.closed, waitFor(() => socket.messages.length > answered || closed, 'an answer', 2000).then(() => null)]);
    if (outcome || closed) {
      const { code, reason } = outcome ?? (await socket.closed);
      expect(DOCUMENTED.has(code), `seed ${seed} frame ${i}: close ${code} ${reason}`).toBe(true);
      codes.push(code);
    } else harmless++;
  }
  target?.socket.ws.close();
  expect(codes.length + harmless).toBe(FRAMES_PER_SEED);
  // Both outcomes occur: the fuzzer reaches past the first byte.
  expect(harmless, `seed ${seed}`).toBeGreaterThan(0);
  expect(codes.length, `seed ${seed}`).toBeGreaterThan(0);
  return { codes, harmless };
}

describe('sync protocol fuzzing', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let observer: string;
  let base: Y.Doc;
  let before: ReturnType<typeof readAllPairs>;

  beforeAll(async () => {
    server = await startTestServer();
    observer = await signInAs(server, DEMO.observer);
    const client = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(client.provider);
    base = client.doc;
    before = readAllPairs(base);
    client.provider.destroy();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(SEEDS)('seed %i: mutated and random frames close only their own connection, with a documented code, and change nothing', async (seed) => {
    const random = mulberry32(seed);
    const material = corpus(base);
    const rowsBefore = (await server.store.loadUpdates(DOC)).updates.length;
    await fuzzFrames(seed, random, async () => {
      // Signed in as a read-only member (valid updates are parsed, then dropped). Some tries
      // come without a session first: refused before the upgrade, they have nothing to send frames on.
      if (random() <= 0.1) expect((await rawSyncSocket(server.wsUrl, DOC).refused).status).toBe(401);
      const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: observer });
      await socket.opened;
      await waitFor(() => socket.messages.length > 0, 'sync step 1');
      return { socket, material };
    });
    // The server is up, the text and the stored log are what they were.
    expect((await api(server.url, observer)('/api/health')).status).toBe(200);
    expect((await api(server.url, observer)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(before);
    expect((await server.store.loadUpdates(DOC)).updates.length).toBe(rowsBefore);
  });
});

/**
 * On a writable connection a mutated frame may still be a valid update, and
 * then the server rightly applies it: the fuzzer cannot say what the text
 * should be. What must hold is that the server's state is exactly what it
 * accepted, and that everyone agrees on it: the stored log, the server's own
 * answers, a client that was connected throughout (it received only what the
 * server relayed) and a client that connects afterwards all hold the same
 * document, and that document still reads as a declaration.
 */
describe('sync protocol fuzzing on a writable connection', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let drafter: string;
  let observer: string;

  beforeAll(async () => {
    server = await startTestServer();
    drafter = await signInAs(server, DEMO.frDrafter);
    observer = await signInAs(server, DEMO.observer);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(SEEDS)('seed %i: the stored log, the server, a client connected throughout and a new client agree on the text', async (seed) => {
    const random = mulberry32(seed);
    const witness = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(witness.provider);
    const rowsBefore = (await server.store.loadUpdates(DOC)).lastSeq;
    await fuzzFrames(seed, random, async () => {
      const socket = rawSyncSocket(server.wsUrl, DOC, { cookie: drafter });
      await socket.opened;
      await waitFor(() => socket.messages.length > 0, 'sync step 1');
      // Valid frames built on the text as it is now, so that some mutations still apply.
      return { socket, material: corpus(witness.doc) };
    });
    expect((await api(server.url, observer)('/api/health')).status).toBe(200);

    // A new client's sync answer is sent once everything in it is stored.
    const late = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: observer });
    await synced(late.provider);
    const vector = Buffer.from(Y.encodeStateVector(late.doc)).toString('base64');
    // The same structs and the same deletions. (A mutated update can forge the id of a struct
    // already held: what the server keeps pending must never reach a joiner — forgedStructs.test.ts.)
    await waitFor(() => sameSnapshot(witness.doc, late.doc), `seed ${seed}: the witness to converge`);
    const stored = new Y.Doc();
    const { updates, lastSeq } = await server.store.loadUpdates(DOC);
    // Some fuzzed frames were valid updates: the accepting path was exercised too.
    expect(lastSeq, `seed ${seed}`).toBeGreaterThan(rowsBefore);
    Y.applyUpdate(stored, Y.mergeUpdates(updates));
    expect(Buffer.from(Y.encodeStateVector(stored)).toString('base64'), `seed ${seed}: stored log`).toBe(vector);
    const text = readAllPairs(late.doc); // still a declaration: pairs, languages, cells
    expect(readAllPairs(witness.doc), `seed ${seed}: witness`).toEqual(text);
    expect(readAllPairs(stored), `seed ${seed}: stored`).toEqual(text);
    expect((await api(server.url, observer)(`/api/documents/${DOC}/pairs`)).body.pairs, `seed ${seed}: server`).toEqual(text);
    witness.provider.destroy();
    late.provider.destroy();
  });
});
