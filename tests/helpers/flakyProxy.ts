import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/**
 * A seeded, misbehaving network between real WebSocket clients and the real
 * server. The proxy is itself a WebSocket server: each client connection gets
 * its own upstream connection to the target (same path and query, same
 * cookie), and every message is forwarded with faults:
 *
 * - delay: each message waits a random time before it is forwarded;
 * - reorder: delays are independent, so a later message can overtake an
 *   earlier one (a WebSocket is ordered, so this is the only reordering there
 *   can be: the proxy holds messages and releases them out of order);
 * - duplicate: a message is forwarded twice, the copy at another time;
 * - drop: a message is never forwarded, and the connection dies shortly after
 *   (the data in flight when a TCP connection is lost; y-websocket has no
 *   retransmission, only the resync when it reconnects);
 * - cut: both sides of a connection are terminated without a close frame;
 * - outage: new connections are refused (terminated at once) for a while.
 *
 * Messages still held when a connection is cut are lost with it.
 */
export interface Faults {
  /** Longest delay of a message, in ms (each gets a uniform random delay up to this). */
  maxDelayMs: number;
  /** Whether a message may overtake an earlier one on the same connection and direction. */
  reorder: boolean;
  /** Probability that a message is dropped (its connection then dies within 200 ms). */
  dropRate: number;
  /** Probability that a message is forwarded twice. */
  duplicateRate: number;
}

export const HEALTHY: Faults = { maxDelayMs: 0, reorder: false, dropRate: 0, duplicateRate: 0 };

export interface ProxyStats {
  connections: number;
  forwarded: number;
  delayed: number;
  reordered: number;
  duplicated: number;
  dropped: number;
  cuts: number;
  refused: number;
}

/** One direction of one connection: messages held until their release time. */
class Pipe {
  /** Release time of the last message, to keep order when reordering is off. */
  private lastRelease = 0;
  private sequence = 0;
  /** Sequence numbers of the messages not yet released. */
  private readonly held = new Set<number>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly proxy: FlakyProxy,
    private readonly to: () => WebSocket | undefined,
    private readonly onDrop: () => void,
  ) {}

  push(data: Buffer, isBinary: boolean): void {
    const { faults, random, stats } = this.proxy;
    if (random() < faults.dropRate) {
      stats.dropped++;
      this.onDrop();
      return;
    }
    this.schedule(data, isBinary);
    if (random() < faults.duplicateRate) {
      stats.duplicated++;
      this.schedule(data, isBinary, true);
    }
  }

  private schedule(data: Buffer, isBinary: boolean, copy = false): void {
    const { faults, random, stats } = this.proxy;
    const now = Date.now();
    let release = now + Math.floor(random() * (faults.maxDelayMs + 1));
    // A copy may come at any time; an original keeps its place unless reordering is on.
    if (!faults.reorder && !copy) release = Math.max(release, this.lastRelease);
    if (!copy) this.lastRelease = Math.max(this.lastRelease, release);
    const seq = this.sequence++;
    this.held.add(seq);
    if (release > now) stats.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.held.delete(seq);
      // Anything held with a smaller number was overtaken by this message.
      for (const other of this.held) {
        if (other < seq) {
          stats.reordered++;
          break;
        }
      }
      const ws = this.to();
      if (ws?.readyState === WebSocket.OPEN) {
        ws.send(data, { binary: isBinary });
        stats.forwarded++;
      }
    }, release - now);
    this.timers.add(timer);
  }

  /** Messages not yet forwarded. */
  get pending(): number {
    return this.held.size;
  }

  /** Forgets every held message (the connection is gone). */
  discard(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held.clear();
  }
}

/** A client connection and its upstream connection, relayed through two pipes. */
class Link {
  upstream: WebSocket | undefined;
  /** Client-to-server messages that arrived before the upstream connection opened. */
  private early: Array<{ data: Buffer; isBinary: boolean }> = [];
  readonly up: Pipe;
  readonly down: Pipe;
  private dead = false;

  constructor(
    private readonly proxy: FlakyProxy,
    readonly client: WebSocket,
    request: http.IncomingMessage,
  ) {
    const doom = () => this.doom();
    this.up = new Pipe(proxy, () => this.upstream, doom);
    this.down = new Pipe(proxy, () => this.client, doom);
    const headers: Record<string, string> = {};
    if (request.headers.cookie) headers.cookie = request.headers.cookie;
    const upstream = new WebSocket(`${proxy.target}${request.url ?? '/'}`, { headers, perMessageDeflate: false });
    upstream.binaryType = 'nodebuffer';
    this.upstream = upstream;
    upstream.on('open', () => {
      for (const { data, isBinary } of this.early.splice(0)) this.up.push(data, isBinary);
    });
    upstream.on('message', (data: RawData, isBinary) => this.down.push(toBuffer(data), isBinary));
    // The server closed (e.g. with an application code): pass the code on, like a transparent network.
    upstream.on('close', (code, reason) => this.close(code, reason.toString()));
    upstream.on('error', () => this.cut());
    client.on('message', (data: RawData, isBinary) => {
      if (upstream.readyState === WebSocket.CONNECTING) this.early.push({ data: toBuffer(data), isBinary });
      else this.up.push(toBuffer(data), isBinary);
    });
    client.on('close', () => this.cut());
    client.on('error', () => this.cut());
  }

  get pending(): number {
    return this.up.pending + this.down.pending;
  }

  /** A dropped message means the connection is failing: it dies within 200 ms. */
  private doom(): void {
    setTimeout(() => this.cut(), Math.floor(this.proxy.random() * 200));
  }

  /** Ends both sides without a close handshake, as a lost network does. */
  cut(): void {
    if (this.dead) return;
    this.dead = true;
    this.proxy.stats.cuts++;
    this.release();
    this.client.terminate();
    this.upstream?.terminate();
  }

  private close(code: number, reason: string): void {
    if (this.dead) return;
    this.dead = true;
    this.release();
    // 1005/1006 cannot be sent in a close frame.
    if (code === 1005 || code === 1006) this.client.terminate();
    else this.client.close(code, reason);
  }

  private release(): void {
    this.up.discard();
    this.down.discard();
    this.early = [];
    this.proxy.links.delete(this);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

export class FlakyProxy {
  faults: Faults = HEALTHY;
  readonly stats: ProxyStats = { connections: 0, forwarded: 0, delayed: 0, reordered: 0, duplicated: 0, dropped: 0, cuts: 0, refused: 0 };
  readonly links = new Set<Link>();
  private readonly http = http.createServer();
  private readonly wss = new WebSocketServer({ server: this.http, perMessageDeflate: false });
  private outageUntil = 0;
  url = '';

  /**
   * @param target the server's base WebSocket URL (`ws://host:port`)
   * @param random the seeded source of every fault decision
   */
  constructor(
    readonly target: string,
    readonly random: () => number,
  ) {
    this.wss.on('connection', (client, request) => {
      if (Date.now() < this.outageUntil) {
        this.stats.refused++;
        client.terminate();
        return;
      }
      this.stats.connections++;
      client.binaryType = 'nodebuffer';
      this.links.add(new Link(this, client, request));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
    return this;
  }

  /** Terminates one random open connection, if there is one. */
  cutOne(): void {
    const links = [...this.links];
    if (links.length > 0) links[Math.floor(this.random() * links.length)]!.cut();
  }

  /** Refuses new connections for `ms` and cuts every open one: the network is down. */
  outage(ms: number): void {
    this.outageUntil = Date.now() + ms;
    for (const link of [...this.links]) link.cut();
  }

  /** No more faults from now on (messages already held are still delivered). */
  heal(): void {
    this.faults = HEALTHY;
    this.outageUntil = 0;
  }

  /** Messages held, not yet forwarded, over all connections. */
  get pending(): number {
    let n = 0;
    for (const link of this.links) n += link.pending;
    return n;
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) link.cut();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
