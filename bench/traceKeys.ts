/**
 * A keystroke's way to the screen, from a Chromium trace of a typing phase
 * (bench/browser.bench.ts with `BENCH_TRACE=<page>`): Chromium's own Event
 * Timing records, one per key event, give for each keystroke when Chromium
 * received it, when the page began and finished handling it, when the main
 * thread committed the frame that shows it, and when that frame was
 * presented (on screen, as far as Chromium knows: after raster and draw).
 * The in-page probe of the bench stops at the end of the main thread's frame;
 * this adds what comes after it.
 *
 * Usage: `node --import tsx bench/traceKeys.ts test-artifacts/browser-bench-busy.trace.json`
 */
import fs from 'node:fs';
import { quantile } from './sync/stats.ts';

export interface EventTimingData {
  type: string;
  interactionId?: number;
  timeStamp: number;
  processingStart: number;
  processingEnd: number;
  commitFinishTime?: number;
  duration: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  args?: { data?: EventTimingData };
}

/** The stages of a keystroke, in ms, from Chromium receiving the key. */
export interface KeystrokePath {
  /** Received → the page's keydown handler starts (the main thread was busy). */
  queued: number;
  /** keydown start → keypress handled (the character is in the DOM). */
  handled: number;
  /** → the main thread committed the frame that shows it (the page's own work, the wait for the frame, the frame). */
  committed: number;
  /** → that frame was presented (raster, draw). */
  presented: number;
  /** Received → presented. */
  total: number;
}

export function keystrokePaths(trace: { traceEvents: TraceEvent[] }): KeystrokePath[] {
  const byInteraction = new Map<string, Map<string, EventTimingData>>();
  for (const event of trace.traceEvents) {
    const data = event.args?.data;
    if (event.name !== 'EventTiming' || event.ph !== 'b' || !data?.interactionId) continue;
    const key = `${event.pid}:${data.interactionId}`;
    if (!byInteraction.has(key)) byInteraction.set(key, new Map());
    byInteraction.get(key)!.set(data.type, data);
  }
  const paths: KeystrokePath[] = [];
  for (const events of byInteraction.values()) {
    const down = events.get('keydown');
    const press = events.get('keypress');
    if (!down || !press || down.commitFinishTime === undefined) continue;
    const presentedAt = down.timeStamp + down.duration;
    paths.push({
      queued: down.processingStart - down.timeStamp,
      handled: press.processingEnd - down.processingStart,
      committed: down.commitFinishTime - press.processingEnd,
      presented: presentedAt - down.commitFinishTime,
      total: down.duration,
    });
  }
  return paths;
}

/** One line per stage: p50, p95 and max across keystrokes. */
export function describeKeystrokePaths(paths: KeystrokePath[]): string {
  const stages: Array<keyof KeystrokePath> = ['queued', 'handled', 'committed', 'presented', 'total'];
  const lines = stages.map((stage) => {
    const sorted = paths.map((p) => p[stage]).sort((a, b) => a - b);
    return `  ${stage.padEnd(10)} p50 ${quantile(sorted, 0.5).toFixed(1).padStart(5)}  p95 ${quantile(sorted, 0.95).toFixed(1).padStart(5)}  max ${(sorted.at(-1) ?? NaN).toFixed(1).padStart(5)} ms`;
  });
  return [`keystroke → presented frame (Chromium's Event Timing, ${paths.length} keystrokes):`, ...lines].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node --import tsx bench/traceKeys.ts <trace.json>');
  console.log(describeKeystrokePaths(keystrokePaths(JSON.parse(fs.readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] })));
}
