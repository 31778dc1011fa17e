import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Optional event-loop stall report, for benchmarks (ACCORD_STALL_LOG=1): every
 * 250 ms prints `event-loop max <ms> <epoch ms>`, the longest delay of the loop
 * in the window ending then. A long synchronous step (applying a large update, encoding a state)
 * shows here as a stall every other document's clients had to wait out.
 */
export function startStallLog(): void {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    process.stdout.write(`event-loop max ${(histogram.max / 1e6).toFixed(1)} ${Date.now()}\n`);
    histogram.reset();
  }, 250);
  timer.unref();
}
