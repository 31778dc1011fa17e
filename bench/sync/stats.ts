/** Small statistics and /proc readers shared by the sync bench. */
import fs from 'node:fs';

/** The q-quantile (0..1) of already sorted numbers, nearest rank; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

/** User + system CPU seconds a process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the full line, 12 and 13 here (0-based: 11, 12).
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Peak resident set size of a process, in KiB (VmHWM). */
export function peakRssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

/** Write system calls (write, writev, sendmsg…) and bytes a process (all its threads) has made so far (/proc/<pid>/io). */
export function writeCalls(pid: number): { calls: number; bytes: number } {
  const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
  return { calls: Number(/syscw:\s+(\d+)/.exec(io)?.[1] ?? NaN), bytes: Number(/wchar:\s+(\d+)/.exec(io)?.[1] ?? NaN) };
}
