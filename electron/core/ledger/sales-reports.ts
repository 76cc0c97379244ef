import type Database from 'better-sqlite3';
import { LedgerError } from './errors';
import type { Ledger } from './ledger';
import { isLocalDate, localDaysBetween } from '../../shared/domain/local-days';
import { toSale, type SaleRow } from './sale-row';
import { salesFilterInput, type SalesFilterParsed } from '../../shared/domain/sales-filter';
import { salesFilterClause } from './sales-filter';
import type { ChartBucket, CurrencyTotals, DaySummary } from '../../shared/domain/totals';
import { MODES, type Mode, type Sale, type SaleStatus } from '../../shared/domain/sale';

export type { ChartBucket, CurrencyTotals, DaySummary };

/**
 * The owner's read-only views of the ledger: totals for a range, the chart
 * series, the end-of-day summary and the row stream behind the CSV export.
 * All of them take the sales log's filter, so what the owner sees filtered
 * is exactly what they total, chart and export.
 */



const TOTALS_COLUMNS = `count(*) AS count,
  sum(status = 'paid') AS paidCount,
  sum(CASE WHEN status = 'paid' THEN amount ELSE 0 END) AS paidAmount,
  sum(status <> 'paid') AS unpaidCount,
  sum(CASE WHEN status <> 'paid' THEN amount ELSE 0 END) AS unpaidAmount,
  sum(status = 'pending') AS pendingCount,
  sum(status = 'cancelled') AS cancelledCount,
  sum(status = 'expired') AS expiredCount,
  sum(paid_late) AS paidLateCount`;

/** Hour buckets past this many days would draw an unreadable chart; days are used instead. */
const HOURLY_MAX_DAYS = 1;
const EXPORT_BATCH = 2_000;

function parseFilter(filter: unknown): SalesFilterParsed {
  const parsed = salesFilterInput.safeParse(filter ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new LedgerError('invalid-input', `Invalid sales filter: ${issues.join('; ')}`, parsed.error.issues);
  }
  return parsed.data;
}

export type SalesReports = ReturnType<typeof createSalesReports>;

export function createSalesReports(ledger: Ledger) {
  const db = ledger.database;
  const timeZone = ledger.timeZone;
  const cache = new Map<string, Database.Statement>();
  const prepared = (sql: string) => {
    let s = cache.get(sql);
    if (!s) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const whereOf = (f: SalesFilterParsed) => {
    const { where, params } = salesFilterClause(f, timeZone);
    return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  };

  /** Per-currency totals of every sale the filter matches. */
  function rangeTotals(filter: unknown): CurrencyTotals[] {
    const { sql, params } = whereOf(parseFilter(filter));
    return prepared(`SELECT currency, ${TOTALS_COLUMNS} FROM sales ${sql} GROUP BY currency ORDER BY currency`).all(params) as CurrencyTotals[];
  }

  function countSales(filter: unknown): number {
    const { sql, params } = whereOf(parseFilter(filter));
    return (prepared(`SELECT count(*) AS n FROM sales ${sql}`).get(params) as { n: number }).n;
  }

  /**
   * Paid amounts over the filter's range: one bucket per hour for a single
   * day, one per day for longer ranges. Needs both ends of the range.
   */
  function chart(filter: unknown): { unit: 'hour' | 'day'; buckets: ChartBucket[] } {
    const f = parseFilter(filter);
    if (!f.from || !f.to) throw new LedgerError('invalid-input', 'The chart needs a date range (from and to)');
    const days = localDaysBetween(f.from, f.to, timeZone);
    if (days.length > 1_100) throw new LedgerError('invalid-input', 'The chart covers at most three years; choose a shorter range');
    const unit = days.length <= HOURLY_MAX_DAYS ? 'hour' : 'day';
    const buckets: ChartBucket[] = [];
    for (const day of days) {
      if (unit === 'day') {
        buckets.push({ start: day.start, label: day.date, paid: {}, count: 0 });
        continue;
      }
      for (let start = day.start; start < day.end; start += 3_600_000) {
        buckets.push({ start, label: hourLabel(start, timeZone), paid: {}, count: 0 });
      }
    }
    // One grouped query over the bucket list: each bucket is an index range.
    const ranges = buckets.map((b, i) => [i, b.start, buckets[i + 1]?.start ?? days[days.length - 1]!.end]);
    const { where, params } = salesFilterClause({ ...f, from: undefined, to: undefined }, timeZone, 's.');
    const sql = `
      WITH buckets AS (SELECT value ->> 0 AS i, value ->> 1 AS start, value ->> 2 AS end FROM json_each(@buckets))
      SELECT buckets.i AS i, s.currency AS currency, count(*) AS count,
        sum(CASE WHEN s.status = 'paid' THEN s.amount ELSE 0 END) AS paid
      FROM buckets CROSS JOIN sales s ON s.created_at >= buckets.start AND s.created_at < buckets.end
      ${where.map((w) => `AND ${w}`).join(' ')}
      GROUP BY buckets.i, s.currency`;
    const rows = prepared(sql).all({ ...params, buckets: JSON.stringify(ranges) }) as { i: number; currency: string; count: number; paid: number }[];
    for (const row of rows) {
      const bucket = buckets[row.i]!;
      bucket.count += row.count;
      if (row.paid) bucket.paid[row.currency] = (bucket.paid[row.currency] ?? 0) + row.paid;
    }
    return { unit, buckets };
  }

  /** The end-of-day summary for one local date. */
  function daySummary(date: unknown, mode: unknown = 'live'): DaySummary {
    if (!isLocalDate(date)) throw new LedgerError('invalid-input', 'The end-of-day summary needs a date YYYY-MM-DD');
    if (mode !== 'all' && !MODES.includes(mode as Mode)) throw new LedgerError('invalid-input', `Unknown mode ${JSON.stringify(mode)}`);
    const f = parseFilter({ from: date, to: date, mode });
    const totals = rangeTotals({ from: date, to: date, mode });
    const { sql, params } = whereOf(f);
    const span = prepared(`SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS count FROM sales ${sql}`).get(params) as {
      first: number | null;
      last: number | null;
      count: number;
    };
    const byStatus: Record<SaleStatus, number> = { pending: 0, paid: 0, cancelled: 0, expired: 0 };
    for (const t of totals) {
      byStatus.pending += t.pendingCount;
      byStatus.paid += t.paidCount;
      byStatus.cancelled += t.cancelledCount;
      byStatus.expired += t.expiredCount;
    }
    return { date, mode: mode as Mode | 'all', totals, byStatus, firstSaleAt: span.first, lastSaleAt: span.last, count: span.count };
  }

  /**
   * Every sale the filter matches, oldest first, in keyset batches: memory
   * stays flat at a million rows and no read transaction is held between
   * batches, so the till keeps writing while an export runs.
   */
  function* iterateSales(filter: unknown): Generator<Sale[]> {
    const f = parseFilter(filter);
    const { where, params } = salesFilterClause(f, timeZone);
    const sql = `SELECT * FROM sales ${where.length ? `WHERE ${where.join(' AND ')} AND` : 'WHERE'}
      (created_at > @afterAt OR (created_at = @afterAt AND id > @afterId)) ORDER BY created_at, id LIMIT ${EXPORT_BATCH}`;
    let afterAt = -1;
    let afterId = 0;
    for (;;) {
      const batch = (prepared(sql).all({ ...params, afterAt, afterId }) as SaleRow[]).map(toSale);
      if (!batch.length) return;
      const last = batch[batch.length - 1]!;
      afterAt = last.createdAt;
      afterId = last.id;
      yield batch;
      if (batch.length < EXPORT_BATCH) return;
    }
  }

  return { rangeTotals, countSales, chart, daySummary, iterateSales, timeZone };
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function hourLabel(ms: number, timeZone: string): string {
  let f = hourFormats.get(timeZone);
  if (!f) hourFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(new Date(ms));
}

