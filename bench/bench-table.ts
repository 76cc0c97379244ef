/**
 * What every bench section returns, the table `bench/run.ts` prints, and the
 * few measuring and formatting helpers the sections share.
 */

export interface BenchRow {
  metric: string;
  value: string;
  note?: string;
}

export interface BenchSection {
  /** Heading printed above the section's table. */
  title: string;
  /** Short name for `npm run bench -- <name>`. */
  name: string;
  run: () => Promise<BenchRow[]>;
}

/** A Markdown table (metric | value | notes) with padded columns, readable in a terminal and pasteable into the README. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = [['metric', 'value', 'notes'], ...rows.map((r) => [r.metric, r.value, r.note ?? ''])].map((row) =>
    row.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')),
  );
  const widths = [0, 1, 2].map((i) => Math.max(3, ...cells.map((row) => row[i]!.length)));
  // The notes column is left unpadded: a long EXPLAIN note would widen every line.
  const line = (row: string[]) => `| ${row[0]!.padEnd(widths[0]!)} | ${row[1]!.padEnd(widths[1]!)} | ${row[2]!} |`;
  const [head, ...body] = cells;
  return [line(head!), `| ${'-'.repeat(widths[0]!)} | ${'-'.repeat(widths[1]!)} | --- |`, ...body.map(line)].join('\n');
}

/** Durations in ms, sorted ascending, of `runs` calls of `fn` after `warmup` unmeasured ones. */
export function timeRuns(fn: () => unknown, runs: number, warmup = Math.min(20, runs)): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Like `timeRuns`, for slow calls: as many runs as fit in `budgetMs` (judged
 * from one unmeasured warm-up call), at least 3 and at most `maxRuns`.
 */
export function timeWithin(fn: () => unknown, maxRuns: number, budgetMs: number): number[] {
  const start = performance.now();
  fn();
  const once = Math.max(performance.now() - start, 0.001);
  return timeRuns(fn, Math.max(3, Math.min(maxRuns, Math.floor(budgetMs / once))), 0);
}

/** The q-quantile (0…1) of ascending `sorted`, nearest-rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** "0.123 ms", "12.3 ms", "1.23 s". */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** "median 0.120 ms, p99 0.410 ms". */
export function formatLatency(sorted: readonly number[]): string {
  return `median ${formatMs(quantile(sorted, 0.5))}, p99 ${formatMs(quantile(sorted, 0.99))}`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${Math.round(bytes)} B`;
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatRate(count: number, ms: number, unit: string): string {
  return `${formatCount((count * 1000) / ms)} ${unit}/s`;
}

/** Runs an async `fn` `runs` times, one after another: each run's milliseconds, sorted. */
export async function timeAsyncRuns(fn: () => Promise<unknown>, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}
