/**
 * Summaries of the fan-out runs: medians per (server, N), ratios Accord / peer,
 * the markdown section for docs/benchmarks.md and a hand-written SVG chart of
 * p99 latency against the number of clients.
 */
import { median } from './stats.ts';
import type { LoadResult } from './loadgen.ts';
import { REPORTED_SERVER_NAMES, type ServerName } from './servers.ts';

export interface Run {
  server: ServerName;
  round: number;
  result: LoadResult;
}

export interface Summary {
  server: ServerName;
  clients: number;
  runs: number;
  p50: number;
  p99: number;
  max: number;
  cpuPer1000: number;
  rssMiB: number;
  /** Every run converged and delivered every update. */
  ok: boolean;
  /** Runs that had not delivered everything within their drain time (their latencies cover only what arrived). */
  fellBehind: number;
  drainSeconds: number;
  deliveredPerSecond: number;
}

export function summarise(runs: Run[], seconds: number): Summary[] {
  const summaries: Summary[] = [];
  const clientCounts = [...new Set(runs.map((r) => r.result.clients))].sort((a, b) => a - b);
  for (const clients of clientCounts) {
    for (const server of REPORTED_SERVER_NAMES) {
      const mine = runs.filter((r) => r.server === server && r.result.clients === clients).map((r) => r.result);
      if (mine.length === 0) continue;
      summaries.push({
        server,
        clients,
        runs: mine.length,
        p50: median(mine.map((r) => r.latencyMs.p50)),
        p99: median(mine.map((r) => r.latencyMs.p99)),
        max: median(mine.map((r) => r.latencyMs.max)),
        cpuPer1000: median(mine.map((r) => r.cpuPer1000)),
        rssMiB: median(mine.map((r) => r.peakRssKiB / 1024)),
        ok: mine.every((r) => r.drained && r.converged && r.missing === 0 && r.duplicates === 0),
        fellBehind: mine.filter((r) => !r.drained).length,
        drainSeconds: Math.max(...mine.map((r) => r.drainSeconds)),
        deliveredPerSecond: median(mine.map((r) => r.delivered / seconds)),
      });
    }
  }
  return summaries;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

function verdict(s: Summary): string {
  if (s.fellBehind > 0) return `**no: fell behind** (${s.fellBehind} of ${s.runs} runs not drained within ${s.drainSeconds} s; latencies of what arrived)`;
  return s.ok ? 'yes' : '**no**';
}

/** The result table plus the ratio table (Accord / reference, Accord / Hocuspocus). */
export function markdownTables(summaries: Summary[]): string {
  const lines = [
    '| server | clients | p50 ms | p99 ms | max ms | CPU s / 1,000 updates | peak RSS MiB | deliveries/s | all arrived, converged |',
    '|---|---|---|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${s.server} | ${s.clients} | ${fmt(s.p50)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${fmt(s.cpuPer1000, 4)} | ${fmt(s.rssMiB, 0)} | ${fmt(s.deliveredPerSecond, 0)} | ${verdict(s)} |`,
    ),
    '',
    '| clients | p99 Accord / ref | p99 Accord / Hocuspocus | CPU Accord / ref | CPU Accord / Hocuspocus | RSS Accord / ref | RSS Accord / Hocuspocus |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const clients of [...new Set(summaries.map((s) => s.clients))]) {
    const of = (server: ServerName) => summaries.find((s) => s.server === server && s.clients === clients);
    const [a, r, h] = [of('accord'), of('reference'), of('hocuspocus')];
    lines.push(
      `| ${clients} | ${ratio(a?.p99, r?.p99)} | ${ratio(a?.p99, h?.p99)} | ${ratio(a?.cpuPer1000, r?.cpuPer1000)} | ${ratio(a?.cpuPer1000, h?.cpuPer1000)} | ${ratio(a?.rssMiB, r?.rssMiB)} | ${ratio(a?.rssMiB, h?.rssMiB)} |`,
    );
  }
  if (summaries.some((s) => s.server === 'accord-base')) {
    lines.push('', '| clients | p99 Accord / Accord base | CPU Accord / Accord base | RSS Accord / Accord base |', '|---|---|---|---|');
    for (const clients of [...new Set(summaries.map((s) => s.clients))]) {
      const a = summaries.find((s) => s.server === 'accord' && s.clients === clients);
      const b = summaries.find((s) => s.server === 'accord-base' && s.clients === clients);
      lines.push(`| ${clients} | ${ratio(a?.p99, b?.p99)} | ${ratio(a?.cpuPer1000, b?.cpuPer1000)} | ${ratio(a?.rssMiB, b?.rssMiB)} |`);
    }
  }
  return lines.join('\n');
}

/**
 * Every round's figures (the medians above hide how far rounds spread). CPU
 * per 1,000 deliveries is given to 5 decimals: at N = 200 it is ~0.008 s, and
 * the server's CPU seconds themselves (10 ms ticks of /proc/<pid>/stat over
 * ~5–8 s) are good to ~0.2 %.
 */
export function roundsTable(runs: Run[]): string {
  const lines = [
    '| clients | round | server | p50 ms | p99 ms | max ms | server CPU s | deliveries | CPU s / 1,000 | write calls / bytes | peak RSS MiB | load generator lag p99 / max ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const sorted = [...runs].sort((x, y) => x.result.clients - y.result.clients || x.round - y.round);
  for (const { server, round, result: r } of sorted) {
    lines.push(
      `| ${r.clients} | ${round} | ${server} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${fmt(r.serverCpuSeconds, 2)} | ${r.delivered} | ${fmt(r.cpuPer1000, 5)} | ${r.serverWrites ? `${r.serverWrites.calls} / ${(r.serverWrites.bytes / 1e6).toFixed(1)} MB` : '—'} | ${fmt(r.peakRssKiB / 1024, 0)} | ${fmt(r.loadgenLagMs.p99, 0)} / ${fmt(r.loadgenLagMs.max, 0)} |`,
    );
  }
  return lines.join('\n');
}

const COLORS: Record<ServerName, string> = { accord: '#c0392b', 'accord-base': '#e6a0a0', reference: '#2c7fb8', hocuspocus: '#31a354' };

/** A line chart of median p99 latency (y, log scale) against clients (x, log scale), one line per server. */
export function svgChart(summaries: Summary[], title: string): string {
  const W = 640, H = 400, left = 70, right = 150, top = 40, bottom = 50;
  const xs = [...new Set(summaries.map((s) => s.clients))].sort((a, b) => a - b);
  const values = summaries.map((s) => s.p99).filter((v) => Number.isFinite(v) && v > 0);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...values, 1)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values, 10)));
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  const x = (n: number) => left + (xMax === xMin ? 0.5 : (Math.log(n) - Math.log(xMin)) / (Math.log(xMax) - Math.log(xMin))) * (W - left - right);
  const y = (v: number) => top + (1 - (Math.log(v) - Math.log(yMin)) / (Math.log(yMax) - Math.log(yMin))) * (H - top - bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - right / 2 + left / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="black"/>`,
  ];
  for (let v = yMin; v <= yMax; v *= 10) {
    out.push(`<line x1="${left}" y1="${y(v)}" x2="${W - right}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v} ms</text>`);
  }
  for (const n of xs) out.push(`<text x="${x(n)}" y="${H - bottom + 18}" text-anchor="middle">${n}</text>`);
  out.push(`<text x="${(left + W - right) / 2}" y="${H - 12}" text-anchor="middle">clients on one document (log scale)</text>`);
  out.push(`<text x="16" y="${(top + H - bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(top + H - bottom) / 2})">p99 latency (log scale)</text>`);
  REPORTED_SERVER_NAMES.filter((server) => summaries.some((s) => s.server === server)).forEach((server, i) => {
    const points = summaries.filter((s) => s.server === server && s.p99 > 0).map((s) => `${x(s.clients).toFixed(1)},${y(s.p99).toFixed(1)}`);
    if (points.length === 0) return;
    out.push(`<polyline fill="none" stroke="${COLORS[server]}" stroke-width="2" points="${points.join(' ')}"/>`);
    for (const p of points) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3.5" fill="${COLORS[server]}"/>`);
    out.push(`<line x1="${W - right + 15}" y1="${top + 10 + i * 20}" x2="${W - right + 35}" y2="${top + 10 + i * 20}" stroke="${COLORS[server]}" stroke-width="2"/>`);
    out.push(`<text x="${W - right + 40}" y="${top + 14 + i * 20}">${server}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
