/**
 * The owner's sales-log screen on a big ledger: what opening it costs (first
 * page, the range's totals, the chart), what changing a filter costs, and a
 * CSV export of every sale. Called by bench/ledger.ts on its million-sale
 * ledger, so the numbers share one fill.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Ledger } from '../electron/core/ledger/ledger';
import { localDateOf } from '../electron/shared/domain/local-days';
import { formatBytes, formatCount, formatLatency, formatMs, formatRate, quantile, timeRuns, type BenchRow } from './bench-table';
import type { ExportRun } from './export-process';

/** Runs `node <args>` and reads back the export process's one line of results. */
function runExportProcess(args: string[]): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      // NODE_PATH: the bundle lives in the bench's temp directory and requires better-sqlite3 from here.
      { maxBuffer: 1024 * 1024, env: { ...process.env, NODE_PATH: join(__dirname, '..', 'node_modules') } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the export process failed: ${stderr || error.message}`));
        resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ExportRun);
      },
    );
  });
}

/**
 * Runs the export in a fresh process: bench/export-process.ts bundled by
 * esbuild, as electron-vite bundles the app's main process. (Under tsx the
 * same process also holds a TypeScript loader the app never has; that run
 * is reported beside it.)
 */
async function exportBundled(dir: string, timeZone: string, file: string): Promise<ExportRun> {
  const bundle = join(dir, 'export-process.cjs');
  await build({
    entryPoints: [join(__dirname, 'export-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    // The native module stays a require of the installed package.
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
  return runExportProcess([bundle, dir, timeZone, file]);
}

export async function benchSalesLog(ledger: Ledger, dir: string, newest: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const reports = ledger.queries;
  const to = localDateOf(newest, ledger.timeZone);
  const from = localDateOf(newest - 29 * 86_400_000, ledger.timeZone);
  const month = { from, to };

  // Opening the screen: the newest page, the month's totals and its chart.
  const open = timeRuns(() => {
    reports.listSales({ ...month }, { limit: 50 });
    reports.rangeTotals(month);
    reports.chart(month);
  }, 20, 3);
  rows.push({ metric: 'sales log: open (page + totals + chart, 30 days)', value: formatMs(quantile(open, 0.5)), note: formatLatency(open) });

  const filters: Array<[string, object]> = [
    ['status paid', { ...month, status: ['paid'] }],
    ['one day', { from: to, to }],
    ['search amount 12.50', { search: '12.50' }],
    ['search sale #500000', { search: '#500000', mode: 'all' }],
    ['sandbox, all time', { mode: 'sandbox' }],
  ];
  for (const [label, filter] of filters) {
    const times = timeRuns(() => {
      reports.listSales(filter, { limit: 50 });
      reports.rangeTotals(filter);
    }, 20, 3);
    rows.push({ metric: `sales log: filter ${label} (page + totals)`, value: formatMs(quantile(times, 0.5)), note: formatLatency(times) });
  }
  const hourly = timeRuns(() => reports.chart({ from: to, to }), 20, 3);
  rows.push({ metric: 'sales log: chart of one day by the hour', value: formatMs(quantile(hourly, 0.5)), note: formatLatency(hourly) });

  // Every sale, live and sandbox, to a real file, from a process of its own
  // (as the app's export is alone in its process, not beside a million-row fill).
  const file = join(dir, 'export.csv');
  const run = await exportBundled(dir, ledger.timeZone, file);
  rows.push({
    metric: `CSV export of all ${formatCount(run.written)} sales`,
    value: formatMs(run.ms),
    note: `${formatRate(run.written, run.ms, 'rows')}; ${formatBytes(statSync(file).size)} written; in a fresh process (bench/export-process.ts, bundled)`,
  });
  rows.push({
    metric: 'CSV export: peak RSS of the exporting process',
    value: formatBytes(run.maxRssBytes),
    note: `${run.maxRssSource} of that process, start to finish; ${formatBytes(run.rssBeforeBytes)} resident with the ledger open, before the first row; at the highest sample: RSS ${formatBytes(run.sampled.rss)}, V8 heap ${formatBytes(run.sampled.heapTotal)}, external ${formatBytes(run.sampled.external)}`,
  });
  const unbundled = await runExportProcess(['--import', 'tsx', join(__dirname, 'export-process.ts'), dir, ledger.timeZone, file]);
  rows.push({
    metric: 'CSV export under tsx: time, peak RSS',
    value: `${formatMs(unbundled.ms)}, ${formatBytes(unbundled.maxRssBytes)}`,
    note: `the same process unbundled, its TypeScript compiled in-process by tsx; ${formatBytes(unbundled.rssBeforeBytes)} resident before the first row`,
  });
  return rows;
}
