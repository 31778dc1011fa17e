import fs from 'node:fs';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * Optional trace of the group-commit path, for benchmarks
 * (ACCORD_BATCH_TRACE=<file>): for every batch of updates, when its first
 * update was applied, when it was handed to the write chain, when its write
 * started and ended (the insert and commit), and when its broadcast
 * ended; plus GC pauses and event-loop delay. At exit, writes quantiles of
 * each step to <file> as JSON, to tell where the latency tail comes from.
 * Off (undefined) unless the variable is set: the room then does nothing extra.
 */
export interface BatchRecord {
  firstApplied: number;
  updates: number;
  committed: number;
  writeStart: number;
  writeDone: number;
  broadcastDone: number;
  /** How many batches the write that took this one merged. */
  batchesInWrite: number;
}

export class BatchTrace {
  private readonly records: BatchRecord[] = [];
  private readonly gcPauses: Array<{ at: number; ms: number; kind: number }> = [];
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 5 });

  constructor(private readonly file: string) {
    this.loopDelay.enable();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcPauses.push({ at: entry.startTime, ms: entry.duration, kind: (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0 });
    }).observe({ entryTypes: ['gc'] });
    process.on('exit', () => this.write());
  }

  open(): BatchRecord {
    return { firstApplied: performance.now(), updates: 0, committed: 0, writeStart: 0, writeDone: 0, broadcastDone: 0, batchesInWrite: 0 };
  }

  private readonly samples = new Map<string, number[]>();

  /** A named duration (e.g. the worker's own time for a write), summarised at exit. */
  sample(name: string, ms: number): void {
    let list = this.samples.get(name);
    if (!list) this.samples.set(name, (list = []));
    list.push(ms);
  }

  done(record: BatchRecord): void {
    this.records.push(record);
  }

  private write(): void {
    const done = this.records.filter((r) => r.broadcastDone > 0);
    const q = (values: number[]) => {
      const sorted = Float64Array.from(values).sort();
      const at = (p: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN).toFixed(2));
      return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
    };
    // Weighted by updates: what one update's server-side latency is made of.
    const perUpdate = (f: (r: BatchRecord) => number) => q(done.flatMap((r) => Array<number>(r.updates).fill(f(r))));
    const total = (r: BatchRecord) => r.broadcastDone - r.firstApplied;
    const slowest = [...done].sort((a, b) => total(b) - total(a)).slice(0, 15);
    const summary = {
      batches: done.length,
      updates: done.reduce((s, r) => s + r.updates, 0),
      perUpdate: {
        total: perUpdate(total),
        turn: perUpdate((r) => r.committed - r.firstApplied),
        queueWait: perUpdate((r) => r.writeStart - r.committed),
        write: perUpdate((r) => r.writeDone - r.writeStart),
        broadcast: perUpdate((r) => r.broadcastDone - r.writeDone),
      },
      updatesPerBatch: q(done.map((r) => r.updates)),
      batchesPerWrite: q(done.map((r) => r.batchesInWrite)),
      gc: { count: this.gcPauses.length, totalMs: Number(this.gcPauses.reduce((s, g) => s + g.ms, 0).toFixed(1)), pause: q(this.gcPauses.map((g) => g.ms)) },
      samples: Object.fromEntries([...this.samples].map(([name, values]) => [name, q(values)])),
      eventLoopDelayMs: { p50: this.loopDelay.percentile(50) / 1e6, p99: this.loopDelay.percentile(99) / 1e6, max: this.loopDelay.max / 1e6 },
      slowest: slowest.map((r) => ({
        total: +total(r).toFixed(1),
        turn: +(r.committed - r.firstApplied).toFixed(1),
        queueWait: +(r.writeStart - r.committed).toFixed(1),
        write: +(r.writeDone - r.writeStart).toFixed(1),
        broadcast: +(r.broadcastDone - r.writeDone).toFixed(1),
        updates: r.updates,
        gcDuring: +this.gcPauses.filter((g) => g.at + g.ms > r.firstApplied && g.at < r.broadcastDone).reduce((s, g) => s + g.ms, 0).toFixed(1),
      })),
    };
    fs.writeFileSync(this.file, JSON.stringify(summary, null, 1));
  }
}

export const batchTrace: BatchTrace | undefined = process.env.ACCORD_BATCH_TRACE ? new BatchTrace(process.env.ACCORD_BATCH_TRACE) : undefined;
