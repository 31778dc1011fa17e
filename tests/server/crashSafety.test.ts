import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DATABASE_FILE } from '../../server/store/sqliteStore.ts';
import type { PairApprovals, StructureApprovals } from '../../shared/approvals.ts';
import { anchorOfRange } from '../../shared/anchors.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { insertPair, orderArray, paragraphsMap, readAllPairs, readOrder } from '../../shared/model/index.ts';
import { CloseCode, ErrorCode } from '../../shared/protocol.ts';
import type { VersionSummary } from '../../shared/versions.ts';
import { DEMO, api, followSignInLink, printedSignInLinks } from '../helpers/auth.ts';
import { connectProvider, synced, waitFor } from '../helpers/clients.ts';
import { firstXmlText } from '../helpers/docs.ts';
import { REPO_ROOT, startServerProcess, tempDataDir, type ServerProcess } from '../helpers/server.ts';

const DOC = 'vn-fr-2023';
type Who = keyof typeof DEMO;
const PARTY_HEADS = { vn: 'vnHead', fr: 'frHead' } as const satisfies Record<string, Who>;

/**
 * Crash safety: the server is killed with SIGKILL at seeded random points while
 * several clients edit, comment, approve, cut versions and sign; after every
 * restart all that the server acknowledged must be there, its state must be
 * exactly its stored log, and the version chain must verify.
 */
const ROUNDS = 16;
const SEED = 20231123;
const KILL_POINTS = ['mid-burst', 'compaction', 'version cut', 'sign-off'] as const;
type KillPoint = (typeof KILL_POINTS)[number];
/** A low compaction threshold so that every round compacts, and some kills land inside one. */
const CRASH_ENV = { LOG_LEVEL: 'debug', COMPACT_AFTER_UPDATES: '4' };

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Thrown inside a round once the server is dead: the scenario stops there. */
class Killed extends Error {}

const pause = (ms: number) => new Promise<void>((resolve) => (ms <= 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

/** Every shared type of a declaration doc, as JSON: two docs with equal JSON hold the same declaration. */
function docJson(doc: Y.Doc) {
  return { order: orderArray(doc).toJSON(), paragraphs: paragraphsMap(doc).toJSON() };
}

/** JSON with object keys sorted: Y.Map key order depends on the order updates arrived in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The edit markers (` [r3e17]`) in a document's text. */
function tokensOf(doc: Y.Doc): string[] {
  return JSON.stringify(readAllPairs(doc)).match(/\[[a-z]\d+e\d+\]/g) ?? [];
}

/** The stored update log of the document, read straight from the SQLite file, merged into one doc. */
function docFromStoredLog(dataDir: string): { doc: Y.Doc; rows: number } {
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare<[string], { data: Buffer }>('SELECT data FROM doc_updates WHERE document_id = ? ORDER BY seq').all(DOC);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data))));
    return { doc, rows: rows.length };
  } finally {
    db.close();
  }
}

/** Everything the server acknowledged, over all rounds, and what was sent without an answer. */
class Ledger {
  /** Every update some client received from the server (relayed, hence stored first). */
  readonly accepted = new Y.Doc();
  readonly threads = new Map<string, string>();
  /** Per pair/party: whether an approval was acknowledged, and the hashes the stored one may have. */
  readonly approvals = new Map<string, { acked: boolean; possible: Set<string> }>();
  readonly versions = new Map<number, string>();
  readonly signatures = new Set<string>();
  /** Approval requests answered 2xx (an approval per pair and party, re-given each round). */
  approvalAcks = 0;

  approvalSent(key: string, hash: string) {
    const entry = this.approvals.get(key) ?? { acked: false, possible: new Set<string>() };
    entry.possible.add(hash);
    this.approvals.set(key, entry);
  }
  approvalAcked(key: string, hash: string) {
    this.approvals.set(key, { acked: true, possible: new Set([hash]) });
    this.approvalAcks++;
  }
}

interface Client {
  who: Who;
  doc: Y.Doc;
  provider: ReturnType<typeof connectProvider>['provider'];
  /** Updates applied from the server (its relays and its sync answers). */
  received: Uint8Array[];
  closeCodes: number[];
  closeReasons: string[];
}

function connect(server: ServerProcess, cookies: Record<Who, string>, who: Who): Client {
  const { doc, provider } = connectProvider(server.wsUrl, DOC, new Y.Doc(), { cookie: cookies[who] });
  const client: Client = { who, doc, provider, received: [], closeCodes: [], closeReasons: [] };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) client.received.push(update);
  });
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    client.closeCodes.push(event?.code ?? 1006);
    client.closeReasons.push(event?.reason ?? '');
  });
  return client;
}

async function signInEveryone(server: ServerProcess): Promise<Record<Who, string>> {
  const links = printedSignInLinks(server.output());
  const cookies = {} as Record<Who, string>;
  for (const [who, email] of Object.entries(DEMO) as Array<[Who, string]>) {
    const link = links.get(email);
    if (!link) throw new Error(`no printed link for ${email}:\n${server.output()}`);
    cookies[who] = await followSignInLink(link);
  }
  return cookies;
}

interface RoundReport {
  kind: KillPoint;
  /** What was in flight when SIGKILL was sent. */
  hit: { compaction: boolean; cut: boolean; sign: boolean; burst: boolean };
  edits: number;
  /** Compactions completed in the round. */
  compactions: number;
}

/**
 * One round: editors type in bursts (many small stored rows, so the log is
 * compacted), comments are posted, both heads approve every pair, the
 * secretariat cuts a version, both heads sign it while editing goes on; the
 * server is killed with SIGKILL at the round's kill point.
 */
async function crashRound(round: number, server: ServerProcess, cookies: Record<Who, string>, ledger: Ledger): Promise<RoundReport> {
  const rng = mulberry32(SEED + round * 7919);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const kind = KILL_POINTS[round % KILL_POINTS.length]!;
  const as = (who: Who) => api(server.url, cookies[who]);

  let killed = false;
  const inFlight = new Map<string, number>();
  let edits = 0;
  let inBurst = false;
  const report: RoundReport = { kind, hit: { compaction: false, cut: false, sign: false, burst: false }, edits: 0, compactions: 0 };
  const kill = () => {
    if (killed) return;
    killed = true;
    report.hit = { compaction: false, cut: (inFlight.get('cut') ?? 0) > 0, sign: (inFlight.get('sign') ?? 0) > 0, burst: inBurst };
    server.child.kill('SIGKILL');
  };
  const killAfter = (ms: number) => (ms <= 0 ? setImmediate(kill) : setTimeout(kill, ms));

  // The server logs (synchronously, on stderr) before and after each compaction.
  let compactionsSeen = 0;
  const killAtCompaction = int(1, 2);
  const onLog = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.includes('compacting the update log') && kind === 'compaction' && ++compactionsSeen === killAtCompaction) kill();
    }
  };
  const logStart = server.output().length;
  server.child.stderr!.on('data', onLog);

  /** A REST call whose 2xx answer counts as acknowledged; a dead server ends the scenario. */
  const call = async (label: string, who: Who, url: string, init: Parameters<ReturnType<typeof api>>[1], expected: number) => {
    if (killed) throw new Killed();
    inFlight.set(label, (inFlight.get(label) ?? 0) + 1);
    try {
      const res = await as(who)(url, init);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(expected);
      return res.body;
    } catch (error) {
      if (killed) throw new Killed();
      throw error;
    } finally {
      inFlight.set(label, inFlight.get(label)! - 1);
    }
  };

  const editors = [connect(server, cookies, 'vnDrafter'), connect(server, cookies, 'frDrafter')];
  const witness = connect(server, cookies, 'observer');
  const clients = [...editors, witness];
  await Promise.all(clients.map((c) => synced(c.provider)));

  const comment = async (i: number) => {
    const author = pick(editors);
    const pairId = pick(readOrder(witness.doc));
    const lang = pick(['vi', 'fr'] as const);
    // Anchored on text the witness has: the server has stored it.
    const text = firstXmlText(witness.doc, pairId, lang);
    const length = Math.min(6, text.length);
    if (length === 0) return;
    const body = `Ghi chú r${round}c${i} — remarque`;
    const result = await call('comment', author.who, `/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId, lang, anchor: anchorOfRange(text, 0, length), quote: text.toString().slice(0, length), visibility: 'shared', body },
    }, 201);
    ledger.threads.set(result.thread.id, body);
  };

  /** Comments posted during bursts; awaited at the end of the round, whatever happened. */
  const comments: Array<Promise<void>> = [];
  const burst = async (name: string, count: number) => {
    inBurst = true;
    try {
      for (let i = 0; i < count; i++) {
        if (killed) throw new Killed();
        const editor = pick(editors);
        const order = readOrder(editor.doc);
        const pairId = pick(order);
        const text = firstXmlText(editor.doc, pairId, pick(['vi', 'fr'] as const));
        text.insert(text.length, ` [${name}${round}e${i}]`);
        edits++;
        if (rng() < 0.03) insertPair(editor.doc, { kind: 'operative', vi: `Đoạn ${name}${round}e${i}`, fr: `Paragraphe ${name}${round}e${i}` }, pairId);
        if (rng() < 0.06) {
          const posted = comment(edits);
          posted.catch(() => {}); // judged below, once the round is over
          comments.push(posted);
        }
        // Most edits in their own event-loop turn: many small stored rows.
        if (rng() < 0.7) await pause(rng() < 0.85 ? 0 : int(1, 3));
      }
      await Promise.all(comments);
    } finally {
      inBurst = false;
    }
  };

  /** Until the witness holds every edit of both editors: all relayed, so all stored. */
  const settle = () =>
    waitFor(() => {
      if (killed) throw new Killed();
      const expected = canonical(docJson(witness.doc));
      return editors.every((e) => canonical(docJson(e.doc)) === expected);
    }, 'every edit to reach the witness', 20_000);

  const approveAll = async () => {
    const matrix = (await call('matrix', 'observer', `/api/documents/${DOC}/approvals`, {}, 200)) as { pairs: PairApprovals[]; structure: StructureApprovals };
    await Promise.all(
      Object.entries(PARTY_HEADS).map(async ([party, head]) => {
        for (const { pairId, hash } of matrix.pairs) {
          const key = `${pairId}/${party}`;
          ledger.approvalSent(key, hash);
          await call('approve', head, `/api/documents/${DOC}/pairs/${pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash } }, 200);
          ledger.approvalAcked(key, hash);
        }
        // And the structure (its pairs, their order and kinds), without which no version can be signed.
        await call('approve structure', head, `/api/documents/${DOC}/structure/approval`, { method: 'PUT', json: { status: 'agreed', hash: matrix.structure.hash } }, 200);
      }),
    );
  };

  const cut = async (): Promise<number> => {
    const sent = call('cut', 'secretariat', `/api/documents/${DOC}/versions`, { method: 'POST', json: { allowDuplicate: true } }, 201);
    if (kind === 'version cut') killAfter(int(0, 3));
    const { version } = (await sent) as { version: VersionSummary };
    ledger.versions.set(version.number, version.hash);
    return version.number;
  };

  const sign = async (number: number, party: keyof typeof PARTY_HEADS, killPoint: boolean) => {
    const sent = call('sign', PARTY_HEADS[party], `/api/documents/${DOC}/versions/${number}/signatures`, { method: 'POST', json: {} }, 201);
    if (killPoint) killAfter(int(0, 3));
    await sent;
    ledger.signatures.add(`${number}/${party}`);
  };
  /** One head signs, then the other; a sign-off round is killed while the second signature is on its way. */
  const signOff = async (number: number) => {
    const first = pick(['vn', 'fr'] as const);
    await sign(number, first, false);
    await sign(number, first === 'vn' ? 'fr' : 'vn', kind === 'sign-off');
  };

  const scenario = async () => {
    if (kind === 'mid-burst') killAfter(int(5, 250));
    await burst('a', int(50, 110));
    await settle();
    await approveAll();
    const number = await cut();
    // Edits go on while the heads sign: the version is a snapshot, the approvals match it.
    await Promise.all([burst('b', int(20, 40)), signOff(number)]);
    await settle();
  };

  try {
    await scenario();
  } catch (error) {
    if (!(error instanceof Killed)) {
      kill();
      throw error;
    }
  }
  kill(); // a round whose kill point never came (e.g. no second compaction) ends with a kill all the same
  for (const result of await Promise.allSettled(comments)) {
    if (result.status === 'rejected' && !(result.reason instanceof Killed)) throw result.reason;
  }
  await server.exited;
  server.child.stderr!.off('data', onLog);
  // The log is written synchronously: a compaction begun and never reported done was cut by the kill.
  const log = server.output().slice(logStart);
  report.compactions = log.split('compacted the update log').length - 1;
  report.hit.compaction = log.lastIndexOf('compacting the update log') > log.lastIndexOf('compacted the update log');
  // Everything the dead server had sent is read once each client has seen the connection end.
  await waitFor(() => clients.every((c) => !c.provider.wsconnected), 'every client to notice the server is gone');
  for (const client of clients) {
    for (const update of client.received) Y.applyUpdate(ledger.accepted, update);
    client.provider.destroy();
  }
  report.edits = edits;
  return report;
}

/** After a restart: everything acknowledged is there, the state is the stored log, the chain verifies. */
async function checkAfterRestart(server: ServerProcess, dataDir: string, cookies: Record<Who, string>, ledger: Ledger) {
  const as = (who: Who) => api(server.url, cookies[who]);
  const fresh = connect(server, cookies, 'observer');
  await synced(fresh.provider);
  const serverDoc = fresh.doc;

  // Every accepted update is in the document: its state vector covers them, and
  // merging them in changes nothing (deletions included); every marker is in the text.
  const covered = Y.decodeStateVector(Y.encodeStateVector(serverDoc));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(ledger.accepted))) {
    expect(covered.get(client) ?? 0, `updates of client ${client}`).toBeGreaterThanOrEqual(clock);
  }
  const probe = new Y.Doc();
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(serverDoc));
  Y.applyUpdate(probe, Y.encodeStateAsUpdate(ledger.accepted));
  expect(docJson(probe)).toEqual(docJson(serverDoc));
  const serverTokens = new Set(tokensOf(serverDoc));
  const acceptedTokens = tokensOf(ledger.accepted);
  expect(acceptedTokens.filter((t) => !serverTokens.has(t))).toEqual([]);

  // The served state is exactly the merge of the stored update log.
  const stored = docFromStoredLog(dataDir);
  expect(Y.encodeStateVector(stored.doc)).toEqual(Y.encodeStateVector(serverDoc));
  expect(docJson(stored.doc)).toEqual(docJson(serverDoc));

  // Every acknowledged comment.
  const threads = (await as('vnDrafter')(`/api/documents/${DOC}/threads`)).body.threads as ThreadView[];
  for (const [id, body] of ledger.threads) {
    expect(threads.find((t) => t.id === id)?.comments[0]?.body, `thread ${id}`).toBe(body);
  }

  // Every acknowledged approval (or one sent after it, whose answer the kill swallowed).
  const matrix = (await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs as PairApprovals[];
  for (const [key, { acked, possible }] of ledger.approvals) {
    const [pairId, party] = key.split('/');
    const approval = matrix.find((p) => p.pairId === pairId)?.approvals.find((a) => a.partyId === party);
    if (acked) expect(approval, `approval ${key}`).toBeDefined();
    if (approval) expect(possible.has(approval.hash), `approval ${key} holds a hash that was sent`).toBe(true);
  }

  // Every acknowledged version and signature, and the chain verifies.
  const versions = (await as('observer')(`/api/documents/${DOC}/versions`)).body.versions as VersionSummary[];
  for (const [number, hash] of ledger.versions) expect(versions.find((v) => v.number === number)?.hash, `version ${number}`).toBe(hash);
  for (const signature of ledger.signatures) {
    const [number, party] = signature.split('/');
    expect(versions.find((v) => v.number === Number(number))?.signatures.some((s) => s.partyId === party), `signature ${signature}`).toBe(true);
  }
  const verification = (await as('observer')(`/api/documents/${DOC}/verify`)).body;
  expect(verification.ok, JSON.stringify(verification)).toBe(true);
  expect(verification.versions.length).toBe(versions.length);

  fresh.provider.destroy();
  return { updates: acceptedTokens.length, rows: stored.rows, versions: versions.length };
}

describe('crash safety', () => {
  const processes: ServerProcess[] = [];
  afterEach(() => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  });
  const start = async (dataDir: string, env: Record<string, string> = CRASH_ENV) => {
    const server = await startServerProcess(dataDir, 0, env);
    processes.push(server);
    return server;
  };

  it(`keeps every acknowledged edit, comment, approval, version and signature through ${ROUNDS} seeded SIGKILLs (mid-burst, mid-compaction, mid-cut, mid-sign-off)`, async () => {
    const dataDir = tempDataDir('accord-crash');
    let server = await start(dataDir);
    const cookies = await signInEveryone(server);
    const ledger = new Ledger();
    const hits = { compaction: 0, cut: 0, sign: 0, burst: 0 };
    let edits = 0;
    let compactions = 0;
    let last = { updates: 0, rows: 0, versions: 0 };
    let restarts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const report = await crashRound(round, server, cookies, ledger);
      edits += report.edits;
      compactions += report.compactions;
      for (const key of Object.keys(hits) as Array<keyof typeof hits>) if (report.hit[key]) hits[key]++;
      server = await start(dataDir);
      last = await checkAfterRestart(server, dataDir, cookies, ledger);
      restarts++;
    }

    // The command-line verifier agrees, on the same data directory.
    const cli = execFileSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'verify', '--document', DOC], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(cli).toContain('The chain and every signature verify.');

    // Each kind of kill point was reached at least once.
    expect(hits.burst).toBeGreaterThan(0);
    expect(hits.cut + hits.sign).toBeGreaterThan(0);
    expect(ledger.versions.size).toBeGreaterThan(0);
    expect(ledger.signatures.size).toBeGreaterThan(0);
    console.info(
      `crash safety: ${ROUNDS} rounds, ${restarts} restarts checked, ${edits} edits typed, ${last.updates} acknowledged edits checked, ` +
        `${ledger.threads.size} comments, ${ledger.approvalAcks} approvals (${ledger.approvals.size} pair/party slots), ${ledger.versions.size} versions, ${ledger.signatures.size} signatures; ` +
        `${compactions} compactions; kills in flight: burst ${hits.burst}, compaction ${hits.compaction}, version cut ${hits.cut}, sign-off ${hits.sign}; ${last.rows} stored rows at the end`,
    );
  }, 240_000);

  it('on SIGTERM stores every edit it acknowledged, closes connections with 1012 and exits with 0, while clients are typing', async () => {
    const dataDir = tempDataDir('accord-term');
    const server = await start(dataDir);
    const cookies = await signInEveryone(server);
    const editors = [connect(server, cookies, 'vnDrafter'), connect(server, cookies, 'frDrafter')];
    const witness = connect(server, cookies, 'observer');
    const clients = [...editors, witness];
    await Promise.all(clients.map((c) => synced(c.provider)));
    const pairs = readOrder(witness.doc);

    // Both editors keep typing, before, during and after the signal.
    let typing = true;
    let typed = 0;
    const typists = editors.map(async (editor, k) => {
      while (typing) {
        const text = firstXmlText(editor.doc, pairs[typed % pairs.length]!, typed % 2 ? 'vi' : 'fr');
        text.insert(text.length, ` [t${k}e${typed++}]`);
        await pause(typed % 4 ? 0 : 1);
      }
    });
    const posted = await api(server.url, cookies.frDrafter)(`/api/documents/${DOC}/threads`, {
      method: 'POST',
      json: { pairId: pairs[0], lang: 'fr', anchor: anchorOfRange(firstXmlText(witness.doc, pairs[0]!, 'fr'), 0, 4), quote: firstXmlText(witness.doc, pairs[0]!, 'fr').toString().slice(0, 4), visibility: 'shared', body: 'Avant l’arrêt' },
    });
    expect(posted.status).toBe(201);
    await waitFor(() => typed >= 150, 'a good deal of typing');
    server.child.kill('SIGTERM');
    const code = await server.exited;
    typing = false;
    await Promise.all(typists);

    expect(code).toBe(0);
    expect(server.output()).toContain('stopped: everything accepted is stored');
    await waitFor(() => clients.every((c) => c.closeCodes.length > 0), 'every client to see its connection close');
    for (const client of clients) expect(client.closeCodes[0], client.who).toBe(CloseCode.ServiceRestart);

    const ledger = new Ledger();
    ledger.threads.set(posted.body.thread.id, 'Avant l’arrêt');
    for (const client of clients) {
      for (const update of client.received) Y.applyUpdate(ledger.accepted, update);
      client.provider.destroy();
    }
    const restarted = await start(dataDir);
    const checked = await checkAfterRestart(restarted, dataDir, cookies, ledger);
    expect(checked.updates).toBeGreaterThan(100);
  }, 60_000);

  it('while the disk refuses writes: closes the document with 4500, answers writes 503, relays nothing unsaved, serves reads, and loses nothing', async () => {
    const dataDir = tempDataDir('accord-disk');
    const server = await start(dataDir);
    const cookies = await signInEveryone(server);
    const as = (who: Who) => api(server.url, cookies[who]);
    const editor = connect(server, cookies, 'vnDrafter');
    const witness = connect(server, cookies, 'observer');
    await Promise.all([synced(editor.provider), synced(witness.provider)]);
    const type = (token: string) => {
      const text = firstXmlText(editor.doc, 'heritage', 'vi');
      text.insert(text.length, ` ${token}`);
    };
    const witnessText = () => JSON.stringify(readAllPairs(witness.doc));
    const newThread = (body: string) => {
      const text = firstXmlText(witness.doc, 'heritage', 'fr');
      return as('frDrafter')(`/api/documents/${DOC}/threads`, {
        method: 'POST',
        json: { pairId: 'heritage', lang: 'fr', anchor: anchorOfRange(text, 0, 5), quote: text.toString().slice(0, 5), visibility: 'shared', body },
      });
    };
    const hashOf = async (pairId: string) =>
      ((await as('observer')(`/api/documents/${DOC}/approvals`)).body.pairs as PairApprovals[]).find((p) => p.pairId === pairId)!.hash;
    const approve = async (pairId: string) =>
      as('vnHead')(`/api/documents/${DOC}/pairs/${pairId}/approval`, { method: 'PUT', json: { status: 'agreed', reason: null, hash: await hashOf(pairId) } });
    const cut = () => as('secretariat')(`/api/documents/${DOC}/versions`, { method: 'POST', json: { allowDuplicate: true } });

    // Accepted before the failure: an edit, a comment, an approval, a version.
    type('[b1e1]');
    await waitFor(() => witnessText().includes('[b1e1]'), 'the edit to be relayed');
    const before = await newThread('Trước sự cố');
    expect(before.status).toBe(201);
    expect((await approve('digital')).status).toBe(200);
    expect((await cut()).status).toBe(201);

    // The kernel now refuses every write of the server process to a file
    // (RLIMIT_FSIZE 0: EFBIG, what SQLite meets on a full disk as ENOSPC).
    const pid = String(server.child.pid);
    execFileSync('prlimit', ['--pid', pid, '--fsize=0:unlimited']);
    type('[d1e1]');
    await waitFor(() => editor.closeCodes.includes(CloseCode.StorageFailure), 'the editor to be told the edit could not be stored');
    expect(editor.closeReasons[editor.closeCodes.indexOf(CloseCode.StorageFailure)]).toMatch(/could not store an update; reconnect to resend it/);
    // Stop the clients' automatic retries while the disk is down.
    editor.provider.disconnect();
    witness.provider.disconnect();
    expect(witnessText()).not.toContain('[d1e1]'); // never relayed: it was never stored

    for (const refused of [await newThread('Pendant la panne'), await approve('environment'), await cut()]) {
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe(ErrorCode.StorageUnavailable);
      expect(refused.body.error.message).toMatch(/cannot store changes right now: .*Nothing of this change was saved; everything saved before is safe/);
    }
    // Reads still work, and show only what is stored.
    const pairs = await as('observer')(`/api/documents/${DOC}/pairs`);
    expect(pairs.status).toBe(200);
    expect(JSON.stringify(pairs.body.pairs)).toContain('[b1e1]');
    expect(JSON.stringify(pairs.body.pairs)).not.toContain('[d1e1]');
    const threads = await as('vnDrafter')(`/api/documents/${DOC}/threads`);
    expect(threads.body.threads.map((t: ThreadView) => t.comments[0]!.body)).toEqual(['Trước sự cố']);
    expect((await as('observer')(`/api/documents/${DOC}/versions`)).body.versions).toHaveLength(1);

    // The disk is back: the editor's client resends the refused edit, which is now stored and relayed.
    execFileSync('prlimit', ['--pid', pid, '--fsize=unlimited:unlimited']);
    editor.provider.connect();
    witness.provider.connect();
    await waitFor(() => witnessText().includes('[d1e1]'), 'the refused edit to be resent, stored and relayed', 20_000);
    expect((await newThread('Après la panne')).status).toBe(201);

    // And after a kill -9, everything accepted is there.
    const ledger = new Ledger();
    for (const client of [editor, witness]) for (const update of client.received) Y.applyUpdate(ledger.accepted, update);
    server.child.kill('SIGKILL');
    await server.exited;
    editor.provider.destroy();
    witness.provider.destroy();
    const restarted = await start(dataDir);
    ledger.threads.set(before.body.thread.id, 'Trước sự cố');
    await checkAfterRestart(restarted, dataDir, cookies, ledger);
    const after = (await api(restarted.url, cookies.observer)(`/api/documents/${DOC}/pairs`)).body.pairs;
    expect(JSON.stringify(after)).toContain('[b1e1]');
    expect(JSON.stringify(after)).toContain('[d1e1]');
    const matrix = (await api(restarted.url, cookies.observer)(`/api/documents/${DOC}/approvals`)).body.pairs as PairApprovals[];
    expect(matrix.find((p) => p.pairId === 'digital')!.approvals.map((a) => a.partyId)).toEqual(['vn']);
    expect(matrix.find((p) => p.pairId === 'environment')!.approvals).toEqual([]);
  }, 60_000);

  it('refuses to start on a data directory it cannot write, saying why, and starts with everything once it can', async () => {
    const dataDir = tempDataDir('accord-ro');
    const first = await start(dataDir);
    const cookies = await signInEveryone(first);
    const pairs = (await api(first.url, cookies.observer)(`/api/documents/${DOC}/pairs`)).body.pairs;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Read-only: the directory and every file in it. Root ignores permission
    // bits, so as root the server runs as an unprivileged user instead.
    const files = fs.readdirSync(dataDir).map((f) => path.join(dataDir, f));
    for (const file of files) fs.chmodSync(file, 0o444);
    fs.chmodSync(dataDir, 0o555);
    const asRoot = process.getuid?.() === 0;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOME: os.tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, output).toBe(1);
    expect(output).toContain(`Cannot open the database ${path.join(dataDir, DATABASE_FILE)} for writing`);
    expect(output).toContain(`DATA_DIR (${dataDir}) must be writable by the user running Accord`);
    expect(output).not.toContain('Accord listening');

    fs.chmodSync(dataDir, 0o700);
    for (const file of files) fs.chmodSync(file, 0o600);
    const second = await start(dataDir);
    expect((await api(second.url, cookies.observer)(`/api/documents/${DOC}/pairs`)).body.pairs).toEqual(pairs);
  }, 60_000);
});
