/**
 * The CSV export in a process of its own, as the app runs it: opens the
 * ledger, writes every sale to a file and prints one JSON line with the time
 * and the process's own peak RSS, so the bench's million-row fill and its
 * other measurements do not count towards the export's memory.
 *
 *   node --import tsx bench/export-process.ts <ledger dir> <time zone> <csv file>
 *
 * bench/sales-log.ts runs it bundled (esbuild), as the app runs its main process.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createLedger } from '../electron/core/ledger/ledger';
import { writeSalesCsv } from '../electron/core/export/sales-csv';

export interface ExportRun {
  written: number;
  ms: number;
  /** Resident set size once the ledger is open, before the export: the runtime's own share. */
  rssBeforeBytes: number;
  /** Peak resident set size of this process, start to finish. */
  maxRssBytes: number;
  /** Where maxRssBytes comes from: VmHWM on Linux, getrusage elsewhere. */
  maxRssSource: string;
  /** process.memoryUsage() at the progress event with the highest RSS: where the memory is. */
  sampled: { rss: number; heapTotal: number; external: number; arrayBuffers: number };
}

/**
 * This process's own peak RSS. On Linux that is VmHWM: getrusage's maxRSS
 * also counts the parent's resident memory at the fork before exec, which
 * here is the bench's million-row fill (it read 330 MiB for a 106 MiB export).
 */
function peakRss(): { bytes: number; source: string } {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return { bytes: Number(hwm[1]) * 1024, source: 'VmHWM' };
  } catch {
    // no /proc: not Linux
  }
  return { bytes: process.resourceUsage().maxRSS * 1024, source: 'getrusage maxRSS (includes the parent at fork)' };
}

async function main(): Promise<void> {
  const [dir, timeZone, file] = process.argv.slice(2);
  if (!dir || !timeZone || !file) throw new Error('usage: export-process.ts <ledger dir> <time zone> <csv file>');
  const ledger = createLedger({ dir, timeZone });
  try {
    const rssBeforeBytes = process.memoryUsage().rss;
    const out = createWriteStream(file);
    const started = performance.now();
    let sampled = process.memoryUsage();
    const written = await writeSalesCsv(ledger.queries, { mode: 'all' }, out, () => {
      const now = process.memoryUsage();
      if (now.rss > sampled.rss) sampled = now;
    });
    out.end();
    await finished(out);
    const ms = performance.now() - started;
    const { rss, heapTotal, external, arrayBuffers } = sampled;
    const peak = peakRss();
    const run: ExportRun = {
      written,
      ms,
      rssBeforeBytes,
      maxRssBytes: peak.bytes,
      maxRssSource: peak.source,
      sampled: { rss, heapTotal, external, arrayBuffers },
    };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    ledger.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
