/**
 * The owner's sales-log screen on a big ledger: what opening it costs (first
 * page, the range's totals, the chart), what changing a filter costs, and a
 * CSV export of every sale. Called by bench/ledger.ts on its million-sale
 * ledger, so the numbers share one fill.
 */
import { createWriteStream, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import type { Ledger } from '../electron/core/ledger/ledger';
import { localDateOf } from '../electron/shared/domain/local-days';
import { createSalesReports } from '../electron/core/ledger/sales-reports';
import { writeSalesCsv } from '../electron/core/export/sales-csv';
import { formatBytes, formatCount, formatLatency, formatMs, formatRate, quantile, timeRuns, type BenchRow } from './bench-table';

export async function benchSalesLog(ledger: Ledger, dir: string, newest: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const reports = createSalesReports(ledger);
  const to = localDateOf(newest, ledger.timeZone);
  const from = localDateOf(newest - 29 * 86_400_000, ledger.timeZone);
  const month = { from, to };

  // Opening the screen: the newest page, the month's totals and its chart.
  const open = timeRuns(() => {
    ledger.listSales({ ...month }, { limit: 50 });
    reports.rangeTotals(month);
    reports.chart(month);
  }, 20, 3);
  rows.push({ metric: 'sales log: open (page + totals + chart, 30 days)', value: formatMs(quantile(open, 0.5)), note: formatLatency(open) });

  const filters: Array<[string, object]> = [
    ['status paid', { ...month, status: ['paid'] }],
    ['one day', { from: to, to }],
    ['search amount 12.50', { search: '12.50' }],
    ['sandbox, all time', { mode: 'sandbox' }],
  ];
  for (const [label, filter] of filters) {
    const times = timeRuns(() => {
      ledger.listSales(filter, { limit: 50 });
      reports.rangeTotals(filter);
    }, 20, 3);
    rows.push({ metric: `sales log: filter ${label} (page + totals)`, value: formatMs(quantile(times, 0.5)), note: formatLatency(times) });
  }
  const hourly = timeRuns(() => reports.chart({ from: to, to }), 20, 3);
  rows.push({ metric: 'sales log: chart of one day by the hour', value: formatMs(quantile(hourly, 0.5)), note: formatLatency(hourly) });

  // Every sale, live and sandbox, to a real file.
  const file = join(dir, 'export.csv');
  const out = createWriteStream(file);
  const started = performance.now();
  const written = await writeSalesCsv(reports, { mode: 'all' }, out);
  out.end();
  await finished(out);
  const ms = performance.now() - started;
  rows.push({
    metric: `CSV export of all ${formatCount(written)} sales`,
    value: formatMs(ms),
    note: `${formatRate(written, ms, 'rows')}; ${formatBytes(statSync(file).size)} written; peak RSS ${formatBytes(process.memoryUsage().rss)}`,
  });
  return rows;
}
