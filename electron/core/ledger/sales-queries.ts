import type Database from 'better-sqlite3';
import { z } from 'zod';
import { isLocalDate, localDaysBetween } from '../../shared/domain/local-days';
import { MODES, type Mode, type SaleStatus } from '../../shared/domain/sale';
import { salesFilterInput, type SalesFilterParsed } from '../../shared/domain/sales-filter';
import type { ChartBucket, CurrencyTotals, DaySummary, DayTotals, SalesChart, SalesPage } from '../../shared/domain/totals';
import { createStatementCache } from './db/statement-cache';
import { LedgerError } from './errors';
import { parseInput } from './parse-input';
import { SALE_EXPORT_COLUMNS, toSale, type SaleExportRow, type SaleRow } from './sale-row';
import { onRollupBuckets, ROLLUP_BUCKET_MS, rollupFilterClause, salesFilterClause, type FilterClause } from './sales-filter';

/**
 * Every read behind the owner's screens: the sales log (keyset pages), the
 * totals of a range, per day and per chart bucket, the end-of-day summary
 * and the row stream behind the CSV export. All of them take the sales log's
 * one filter, parsed in one place, so what the owner sees filtered is exactly
 * what they total, chart and export.
 *
 * Totals come from the rollup table (migration 6) whenever it can answer
 * exactly: no search, and every boundary on a quarter hour. Otherwise they
 * are computed from the sales themselves; both paths return the same rows.
 */

const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 50;
/** Per-day totals or a chart over more than this many days are refused rather than computed slowly. */
const MAX_RANGE_DAYS = 1_100;
/** Hour buckets past this many days would draw an unreadable chart; days are used instead. */
const HOURLY_MAX_DAYS = 1;
const HOUR_MS = 3_600_000;
/**
 * Rows per export batch. Small on purpose: a batch is what is alive while it
 * is encoded, and at a million rows the garbage collector sizes the heap by
 * what survives; measured, 100 keeps the export's peak RSS about 25 MiB below
 * what 500 does, for the same time.
 */
const EXPORT_BATCH = 100;

const pageInput = z
  .object({
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
    cursor: z.string().regex(/^-?\d+\.\d+$/, 'is not a cursor this ledger issued').nullish(),
  })
  .strict();

/** Count and amount of each status, and the paid ones that came late, as both totals queries return them. */
interface StatusSums {
  paidCount: number;
  paidAmount: number;
  pendingCount: number;
  pendingAmount: number;
  cancelledCount: number;
  cancelledAmount: number;
  expiredCount: number;
  expiredAmount: number;
  paidLateCount: number;
}

/** StatusSums over the sales themselves (alias `s`). */
const SALES_SUMS = `sum(s.status = 'paid') AS paidCount, sum(iif(s.status = 'paid', s.amount, 0)) AS paidAmount,
  sum(s.status = 'pending') AS pendingCount, sum(iif(s.status = 'pending', s.amount, 0)) AS pendingAmount,
  sum(s.status = 'cancelled') AS cancelledCount, sum(iif(s.status = 'cancelled', s.amount, 0)) AS cancelledAmount,
  sum(s.status = 'expired') AS expiredCount, sum(iif(s.status = 'expired', s.amount, 0)) AS expiredAmount,
  sum(s.status = 'paid' AND s.paid_late = 1) AS paidLateCount`;

/** StatusSums over the rollup (alias `r`). */
const ROLLUP_SUMS = `sum(r.paid_count) AS paidCount, sum(r.paid_amount) AS paidAmount,
  sum(r.pending_count) AS pendingCount, sum(r.pending_amount) AS pendingAmount,
  sum(r.cancelled_count) AS cancelledCount, sum(r.cancelled_amount) AS cancelledAmount,
  sum(r.expired_count) AS expiredCount, sum(r.expired_amount) AS expiredAmount,
  sum(r.paid_late_count) AS paidLateCount`;

/**
 * One currency's totals, keeping only the statuses the filter asks for (the
 * rollup holds them all), or null when none of its sales is left: what was
 * taken (paid) apart from what was rung up and never paid.
 */
function currencyTotals(currency: string, s: StatusSums, statuses: readonly SaleStatus[] | undefined): CurrencyTotals | null {
  const keep = (status: SaleStatus) => !statuses || statuses.includes(status);
  const paidCount = keep('paid') ? s.paidCount : 0;
  const paidAmount = keep('paid') ? s.paidAmount : 0;
  const pendingCount = keep('pending') ? s.pendingCount : 0;
  const cancelledCount = keep('cancelled') ? s.cancelledCount : 0;
  const expiredCount = keep('expired') ? s.expiredCount : 0;
  const unpaidCount = pendingCount + cancelledCount + expiredCount;
  if (paidCount + unpaidCount === 0) return null;
  const unpaidAmount = (keep('pending') ? s.pendingAmount : 0) + (keep('cancelled') ? s.cancelledAmount : 0) + (keep('expired') ? s.expiredAmount : 0);
  return {
    currency,
    count: paidCount + unpaidCount,
    paidCount,
    paidAmount,
    unpaidCount,
    unpaidAmount,
    pendingCount,
    cancelledCount,
    expiredCount,
    paidLateCount: keep('paid') ? s.paidLateCount : 0,
  };
}

const andWhere = (where: string[]) => where.map((w) => `AND ${w}`).join(' ');
const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

export interface SalesQueriesOptions {
  db: Database.Database;
  timeZone: string;
  /** Throws LedgerError('closed') once the ledger is closed. */
  ensureOpen: () => void;
}

export type SalesQueries = ReturnType<typeof createSalesQueries>;

export function createSalesQueries({ db, timeZone, ensureOpen }: SalesQueriesOptions) {
  const prepared = createStatementCache(db);

  function parseFilter(filter: unknown): SalesFilterParsed {
    ensureOpen();
    return parseInput(salesFilterInput, filter ?? {}, 'sales filter');
  }

  /** The local days of a filter that needs both ends (day totals, the chart). */
  function daysOf(f: SalesFilterParsed, what: string) {
    if (!f.from || !f.to) throw new LedgerError('invalid-input', `${what} need a date range (both "from" and "to")`);
    const days = localDaysBetween(f.from, f.to, timeZone);
    if (days.length > MAX_RANGE_DAYS) {
      throw new LedgerError('invalid-input', `${what} cover at most ${MAX_RANGE_DAYS} days; choose a shorter range`);
    }
    return days;
  }

  /**
   * StatusSums per (range, currency) for a list of adjacent ranges
   * [start, end) in ms: one grouped query, each range one index range. The
   * CROSS JOIN keeps the range list outside, whatever the planner's
   * statistics say.
   */
  function sumsByRange(f: SalesFilterParsed, ranges: ReadonlyArray<readonly [number, number]>) {
    type Row = StatusSums & { i: number; currency: string };
    const unbounded = { ...f, from: undefined, to: undefined };
    const rollup = rollupFilterClause(unbounded, timeZone, 'r.');
    if (rollup && onRollupBuckets(ranges.flat())) {
      const list = ranges.map(([start, end], i) => [i, start / ROLLUP_BUCKET_MS, end / ROLLUP_BUCKET_MS]);
      const sql = `
        WITH ranges AS (SELECT value ->> 0 AS i, value ->> 1 AS first, value ->> 2 AS last FROM json_each(@ranges))
        SELECT ranges.i AS i, r.currency AS currency, ${ROLLUP_SUMS}
        FROM ranges CROSS JOIN sales_rollup r ON r.bucket >= ranges.first AND r.bucket < ranges.last ${andWhere(rollup.where)}
        GROUP BY ranges.i, r.currency ORDER BY ranges.i, r.currency`;
      return prepared(sql).all({ ...rollup.params, ranges: JSON.stringify(list) }) as Row[];
    }
    const { where, params } = salesFilterClause(unbounded, timeZone, 's.');
    const list = ranges.map(([start, end], i) => [i, start, end]);
    const sql = `
      WITH ranges AS (SELECT value ->> 0 AS i, value ->> 1 AS start, value ->> 2 AS end FROM json_each(@ranges))
      SELECT ranges.i AS i, s.currency AS currency, ${SALES_SUMS}
      FROM ranges CROSS JOIN sales s ON s.created_at >= ranges.start AND s.created_at < ranges.end ${andWhere(where)}
      GROUP BY ranges.i, s.currency ORDER BY ranges.i, s.currency`;
    return prepared(sql).all({ ...params, ranges: JSON.stringify(list) }) as Row[];
  }

  /** StatusSums per currency of everything the filter matches. */
  function sumsByCurrency(f: SalesFilterParsed) {
    type Row = StatusSums & { currency: string };
    const rollup = rollupFilterClause(f, timeZone, 'r.');
    if (rollup) {
      const sql = `SELECT r.currency AS currency, ${ROLLUP_SUMS} FROM sales_rollup r ${whereSql(rollup.where)} GROUP BY r.currency ORDER BY r.currency`;
      return prepared(sql).all(rollup.params) as Row[];
    }
    const { where, params } = salesFilterClause(f, timeZone, 's.');
    return prepared(`SELECT s.currency AS currency, ${SALES_SUMS} FROM sales s ${whereSql(where)} GROUP BY s.currency ORDER BY s.currency`).all(params) as Row[];
  }

  function whereOf(f: SalesFilterParsed): FilterClause {
    return salesFilterClause(f, timeZone);
  }

  /** Newest first, keyset-paged on (created_at, id) so page 10,000 costs what page 1 does. */
  function listSales(filter: unknown = {}, page: unknown = {}): SalesPage {
    const f = parseFilter(filter);
    const p = parseInput(pageInput, page, 'page');
    const limit = p.limit ?? DEFAULT_PAGE_SIZE;
    const { where, params } = whereOf(f);
    if (p.cursor) {
      const [createdAt, id] = p.cursor.split('.').map(Number) as [number, number];
      where.push('(created_at < @cursorAt OR (created_at = @cursorAt AND id < @cursorId))');
      params.cursorAt = createdAt;
      params.cursorId = id;
    }
    const sql = `SELECT * FROM sales ${whereSql(where)} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    const rows = prepared(sql).all({ ...params, limit: limit + 1 }) as SaleRow[];
    const sales = rows.slice(0, limit).map(toSale);
    const last = sales[sales.length - 1];
    return { sales, nextCursor: rows.length > limit && last ? `${last.createdAt}.${last.id}` : null };
  }

  /** How many sales the filter matches. */
  function countSales(filter: unknown): number {
    const f = parseFilter(filter);
    const rollup = rollupFilterClause(f, timeZone, 'r.');
    if (rollup) {
      const sums = prepared(`SELECT ${ROLLUP_SUMS} FROM sales_rollup r ${whereSql(rollup.where)}`).get(rollup.params) as StatusSums;
      return currencyTotals('', sums, f.status)?.count ?? 0;
    }
    const { where, params } = whereOf(f);
    return (prepared(`SELECT count(*) AS n FROM sales ${whereSql(where)}`).get(params) as { n: number }).n;
  }

  /** Per-currency totals of every sale the filter matches. */
  function rangeTotals(filter: unknown): CurrencyTotals[] {
    const f = parseFilter(filter);
    return sumsByCurrency(f).flatMap((row) => currencyTotals(row.currency, row, f.status) ?? []);
  }

  /** Totals per local day and currency over [from, to], days with no sales left out. */
  function dayTotals(filter: unknown): DayTotals[] {
    const f = parseFilter(filter);
    const days = daysOf(f, 'Day totals');
    return sumsByRange(
      f,
      days.map((d) => [d.start, d.end] as const),
    ).flatMap((row) => {
      const totals = currencyTotals(row.currency, row, f.status);
      return totals ? [{ date: days[row.i]!.date, ...totals }] : [];
    });
  }

  /**
   * Paid amounts over the filter's range: one bucket per hour for a single
   * day, one per day for longer ranges. Needs both ends of the range.
   */
  function chart(filter: unknown): SalesChart {
    const f = parseFilter(filter);
    const days = daysOf(f, 'The chart and its totals');
    const unit = days.length <= HOURLY_MAX_DAYS ? 'hour' : 'day';
    const buckets: ChartBucket[] = [];
    for (const day of days) {
      if (unit === 'day') {
        buckets.push({ start: day.start, label: day.date, paid: {}, count: 0 });
        continue;
      }
      for (let start = day.start; start < day.end; start += HOUR_MS) {
        buckets.push({ start, label: hourLabel(start, timeZone), paid: {}, count: 0 });
      }
    }
    const end = days[days.length - 1]!.end;
    const ranges = buckets.map((b, i) => [b.start, buckets[i + 1]?.start ?? end] as const);
    for (const row of sumsByRange(f, ranges)) {
      const totals = currencyTotals(row.currency, row, f.status);
      if (!totals) continue;
      const bucket = buckets[row.i]!;
      bucket.count += totals.count;
      if (totals.paidAmount) bucket.paid[row.currency] = (bucket.paid[row.currency] ?? 0) + totals.paidAmount;
    }
    return { unit, buckets };
  }

  /** The end-of-day summary for one local date. */
  function daySummary(date: unknown, mode: unknown = 'live'): DaySummary {
    ensureOpen();
    if (!isLocalDate(date)) throw new LedgerError('invalid-input', 'The end-of-day summary needs a date YYYY-MM-DD');
    if (mode !== 'all' && !MODES.includes(mode as Mode)) throw new LedgerError('invalid-input', `Unknown mode ${JSON.stringify(mode)}`);
    const f = parseFilter({ from: date, to: date, mode });
    const totals = sumsByCurrency(f).flatMap((row) => currencyTotals(row.currency, row, f.status) ?? []);
    const { where, params } = whereOf(f);
    const span = prepared(`SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS count FROM sales ${whereSql(where)}`).get(params) as {
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
   * Every sale the filter matches, oldest first, in keyset batches of
   * export rows (SALE_EXPORT_COLUMNS): memory stays flat at a million rows
   * and no read transaction is held between batches, so the till keeps
   * writing while an export runs.
   */
  function* iterateSales(filter: unknown): Generator<SaleExportRow[]> {
    const f = parseFilter(filter);
    const { where, params } = whereOf(f);
    where.push('(created_at, id) > (@afterAt, @afterId)');
    const sql = `SELECT ${SALE_EXPORT_COLUMNS} FROM sales ${whereSql(where)} ORDER BY created_at, id LIMIT ${EXPORT_BATCH}`;
    const statement = prepared(sql, { raw: true });
    let afterAt = Number.MIN_SAFE_INTEGER;
    let afterId = 0;
    for (;;) {
      ensureOpen();
      const batch = statement.all({ ...params, afterAt, afterId }) as SaleExportRow[];
      if (!batch.length) return;
      const last = batch[batch.length - 1]!;
      afterAt = last[1];
      afterId = last[0];
      yield batch;
      if (batch.length < EXPORT_BATCH) return;
    }
  }

  return { timeZone, listSales, countSales, rangeTotals, dayTotals, chart, daySummary, iterateSales };
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function hourLabel(ms: number, timeZone: string): string {
  let f = hourFormats.get(timeZone);
  if (!f) hourFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(new Date(ms));
}
