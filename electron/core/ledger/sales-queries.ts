import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { Mode } from '../../shared/domain/sale';
import type { SalesFilterParsed } from '../../shared/domain/sales-filter';
import type { CurrencyTotals, DaySummary, DayTotals, SalesChart, SalesPage } from '../../shared/domain/totals';
import { createStatementCache } from './db/statement-cache';
import { parseInput } from './parse-input';
import {
  chartFrame,
  dayRange,
  DEFAULT_PAGE_SIZE,
  fillChart,
  filterRange,
  foldByRange,
  foldTotals,
  pageInput as pageInputOf,
  parseDaySummaryArgs,
  parseSalesFilter,
  reportDays,
  summarizeDay,
  type RefundSums,
  type StateSums,
} from './report-folding';
import { SALE_COLUMNS, SALE_EXPORT_SELECT, SALE_EXPORT_SOURCE_COLUMNS, saleStateSql, TENDER_COLUMNS, toSale, type SaleExportRow, type SaleRow, type TenderRow } from './sale-row';
import { onRollupBuckets, ROLLUP_BUCKET_MS, rollupFilterClause, salesFilterClause, type FilterClause } from './sales-filter';

/**
 * Every read behind the owner's screens: the sales log (keyset pages), the
 * totals of a range, per day and per chart bucket, the end-of-day summary
 * and the row stream behind the CSV export. All of them take the sales log's
 * one filter, parsed in one place, so what the owner sees filtered is exactly
 * what they total, chart and export.
 *
 * Totals come from the rollup table (migrations 7 and 9) whenever it can answer
 * exactly: no search, and every boundary on a quarter hour. Otherwise they
 * are computed from the sales themselves; both paths return the same rows.
 */

/**
 * Rows per export batch. Small on purpose: a batch is what is alive while it
 * is encoded, and at a million rows the garbage collector sizes the heap by
 * what survives; measured, 100 keeps the export's peak RSS about 25 MiB below
 * what 500 does, for the same time.
 */
const EXPORT_BATCH = 100;

const pageInput = pageInputOf(z.string().regex(/^-?\d+\.\d+$/, 'is not a cursor this ledger issued'));

/** StateSums over the sales themselves (alias `s`), grouped by currency and state. */
const SALES_SUMS = `s.currency AS currency, ${saleStateSql('s.')} AS state, count(*) AS saleCount, sum(s.amount) AS amount,
  sum(s.paid_amount) AS paidAmount, sum(s.code_amount) AS codeAmount, sum(s.cash_amount) AS cashAmount,
  sum(s.other_amount) AS otherAmount, sum(s.change_given) AS changeGiven, sum(s.paid_late) AS paidLateCount,
  sum(s.tip_amount) AS tipAmount, sum(s.tip_amount > 0) AS tippedCount`;

/** StateSums over the rollup (alias `r`), grouped by currency and state. */
const ROLLUP_SUMS = `r.currency AS currency, r.state AS state, sum(r.sale_count) AS saleCount, sum(r.amount) AS amount,
  sum(r.paid_amount) AS paidAmount, sum(r.code_amount) AS codeAmount, sum(r.cash_amount) AS cashAmount,
  sum(r.other_amount) AS otherAmount, sum(r.change_given) AS changeGiven, sum(r.paid_late_count) AS paidLateCount,
  sum(r.tip_amount) AS tipAmount, sum(r.tipped_count) AS tippedCount`;

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
    return parseSalesFilter(filter);
  }

  /**
   * StateSums per (range, currency, state) for a list of adjacent ranges
   * [start, end) in ms: one grouped query, each range one index range. The
   * CROSS JOIN keeps the range list outside, whatever the planner's
   * statistics say.
   */
  function sumsByRange(f: SalesFilterParsed, ranges: ReadonlyArray<readonly [number, number]>) {
    type Row = StateSums & { i: number };
    const unbounded = { ...f, from: undefined, to: undefined };
    const rollup = rollupFilterClause(unbounded, timeZone, 'r.');
    if (rollup && onRollupBuckets(ranges.flat())) {
      const list = ranges.map(([start, end], i) => [i, start / ROLLUP_BUCKET_MS, end / ROLLUP_BUCKET_MS]);
      const sql = `
        WITH ranges AS (SELECT value ->> 0 AS i, value ->> 1 AS first, value ->> 2 AS last FROM json_each(@ranges))
        SELECT ranges.i AS i, ${ROLLUP_SUMS}
        FROM ranges CROSS JOIN sales_rollup r ON r.bucket >= ranges.first AND r.bucket < ranges.last ${andWhere(rollup.where)}
        GROUP BY ranges.i, r.currency, r.state ORDER BY ranges.i, r.currency`;
      return prepared(sql).all({ ...rollup.params, ranges: JSON.stringify(list) }) as Row[];
    }
    const { where, params } = salesFilterClause(unbounded, timeZone, 's.');
    const list = ranges.map(([start, end], i) => [i, start, end]);
    const sql = `
      WITH ranges AS (SELECT value ->> 0 AS i, value ->> 1 AS start, value ->> 2 AS end FROM json_each(@ranges))
      SELECT ranges.i AS i, ${SALES_SUMS}
      FROM ranges CROSS JOIN sales s ON s.created_at >= ranges.start AND s.created_at < ranges.end ${andWhere(where)}
      GROUP BY ranges.i, s.currency, state ORDER BY ranges.i, s.currency`;
    return prepared(sql).all({ ...params, ranges: JSON.stringify(list) }) as Row[];
  }

  /**
   * The refunds made in each range [start, end) by refund time, per
   * currency, against the sales the filter matches apart from its dates (its
   * mode, statuses and search): one grouped query over the refunds' time index.
   */
  function refundsByRange(f: SalesFilterParsed, ranges: ReadonlyArray<readonly [number, number]>) {
    const { where, params } = salesFilterClause({ ...f, from: undefined, to: undefined }, timeZone, 's.');
    const list = ranges.map(([start, end], i) => [i, start, end]);
    const sql = `
      WITH ranges AS (SELECT value ->> 0 AS i, value ->> 1 AS start, value ->> 2 AS end FROM json_each(@ranges))
      SELECT ranges.i AS i, f.currency AS currency, sum(f.amount) AS refunds, count(*) AS refundCount
      FROM ranges CROSS JOIN refunds f ON f.created_at >= ranges.start AND f.created_at < ranges.end
      JOIN sales s ON s.id = f.sale_id ${andWhere(where)}
      GROUP BY ranges.i, f.currency ORDER BY ranges.i, f.currency`;
    return prepared(sql).all({ ...params, ranges: JSON.stringify(list) }) as Array<RefundSums & { i: number }>;
  }

  /** Per-range totals: rows of sumsByRange grouped by range index, with each range's refunds unless `refunds` is false (the chart). */
  function totalsByRange(f: SalesFilterParsed, ranges: ReadonlyArray<readonly [number, number]>, refunds = true): Map<number, CurrencyTotals[]> {
    return foldByRange(sumsByRange(f, ranges), refunds ? refundsByRange(f, ranges) : []);
  }

  /** Per-currency totals of everything the filter matches, with the refunds made over its range. */
  function totalsOf(f: SalesFilterParsed): CurrencyTotals[] {
    const refunds = refundsByRange(f, [filterRange(f, timeZone)]);
    const rollup = rollupFilterClause(f, timeZone, 'r.');
    if (rollup) {
      const sql = `SELECT ${ROLLUP_SUMS} FROM sales_rollup r ${whereSql(rollup.where)} GROUP BY r.currency, r.state ORDER BY r.currency`;
      return foldTotals(prepared(sql).all(rollup.params) as StateSums[], refunds);
    }
    const { where, params } = salesFilterClause(f, timeZone, 's.');
    const sql = `SELECT ${SALES_SUMS} FROM sales s ${whereSql(where)} GROUP BY s.currency, state ORDER BY s.currency`;
    return foldTotals(prepared(sql).all(params) as StateSums[], refunds);
  }

  function whereOf(f: SalesFilterParsed): FilterClause {
    return salesFilterClause(f, timeZone);
  }

  /** The tenders of `saleIds`, grouped by sale, each in seq order: one query for a whole page. */
  function tendersOf(saleIds: readonly number[]): Map<number, TenderRow[]> {
    const bySale = new Map<number, TenderRow[]>();
    if (!saleIds.length) return bySale;
    const sql = `SELECT ${TENDER_COLUMNS} FROM tenders WHERE sale_id IN (SELECT value FROM json_each(?)) ORDER BY sale_id, seq`;
    for (const row of prepared(sql).all(JSON.stringify(saleIds)) as TenderRow[]) {
      const list = bySale.get(row.sale_id);
      if (list) list.push(row);
      else bySale.set(row.sale_id, [row]);
    }
    return bySale;
  }

  /** Newest first, keyset-paged on (created_at, id) so page 10,000 costs what page 1 does; each sale with its tenders. */
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
    const sql = `SELECT ${SALE_COLUMNS} FROM sales ${whereSql(where)} ORDER BY created_at DESC, id DESC LIMIT @limit`;
    const found = prepared(sql).all({ ...params, limit: limit + 1 }) as SaleRow[];
    const rows = found.slice(0, limit);
    const tenders = tendersOf(rows.map((r) => r.id));
    const sales = rows.map((r) => toSale(r, tenders.get(r.id) ?? []));
    const last = sales[sales.length - 1];
    return { sales, nextCursor: found.length > limit && last ? `${last.createdAt}.${last.id}` : null };
  }

  /** How many sales the filter matches. */
  function countSales(filter: unknown): number {
    const f = parseFilter(filter);
    const rollup = rollupFilterClause(f, timeZone, 'r.');
    if (rollup) {
      const sql = `SELECT coalesce(sum(r.sale_count), 0) AS n FROM sales_rollup r ${whereSql(rollup.where)}`;
      return (prepared(sql).get(rollup.params) as { n: number }).n;
    }
    const { where, params } = whereOf(f);
    return (prepared(`SELECT count(*) AS n FROM sales ${whereSql(where)}`).get(params) as { n: number }).n;
  }

  /** Per-currency totals of every sale the filter matches. */
  function rangeTotals(filter: unknown): CurrencyTotals[] {
    return totalsOf(parseFilter(filter));
  }

  /** Totals per local day and currency over [from, to], days with no sales left out. */
  function dayTotals(filter: unknown): DayTotals[] {
    const f = parseFilter(filter);
    const days = reportDays(f, 'Day totals', timeZone);
    const byDay = totalsByRange(
      f,
      days.map((d) => [d.start, d.end] as const),
    );
    return days.flatMap((day, i) => (byDay.get(i) ?? []).map((totals) => ({ date: day.date, ...totals })));
  }

  /**
   * What was taken over the filter's range: one bucket per hour for a single
   * day, one per day for longer ranges. Needs both ends of the range.
   */
  function chart(filter: unknown): SalesChart {
    const f = parseFilter(filter);
    const { chart, ranges } = chartFrame(reportDays(f, 'The chart and its totals', timeZone), timeZone);
    return fillChart(chart, totalsByRange(f, ranges, false));
  }

  /** The end-of-day summary for one local date. */
  function daySummary(date: unknown, mode: unknown = 'live'): DaySummary {
    ensureOpen();
    const day = parseDaySummaryArgs(date, mode);
    const f = parseFilter({ from: day.date, to: day.date, mode: day.mode });
    const totals = totalsOf(f);
    const { where, params } = whereOf(f);
    const span = prepared(`SELECT min(created_at) AS first, max(created_at) AS last, count(*) AS count FROM sales ${whereSql(where)}`).get(params) as {
      first: number | null;
      last: number | null;
      count: number;
    };
    return summarizeDay(day.date, day.mode, totals, span, drawerOpeningsOn(day.date, day.mode));
  }

  /** How often the drawer was opened on a shop-time date, in a mode (or both): for cash tenders and for "No sale". */
  function drawerOpeningsOn(date: string, mode: Mode | 'all'): DaySummary['drawerOpenings'] {
    const sql = `SELECT coalesce(sum(reason = 'cash'), 0) AS cash, coalesce(sum(reason = 'no-sale'), 0) AS noSale
      FROM drawer_openings WHERE at >= @start AND at < @end AND (@mode = 'all' OR mode = @mode)`;
    const [start, end] = dayRange(date, timeZone);
    return prepared(sql).get({ start, end, mode }) as DaySummary['drawerOpenings'];
  }

  /**
   * Every sale the filter matches, oldest first, in keyset batches of
   * export rows (SaleExportRow, tender columns aggregated over each batch's
   * sales): memory stays flat at a million rows and no read transaction is
   * held between batches, so the till keeps writing while an export runs.
   */
  function* iterateSales(filter: unknown): Generator<SaleExportRow[]> {
    const f = parseFilter(filter);
    const { where, params } = whereOf(f);
    where.push('(created_at, id) > (@afterAt, @afterId)');
    // Grouped on the batch's own order, so neither the grouping nor the
    // ORDER BY (which the keyset needs) sorts; only the few tenders of each
    // sale are ordered, for the intents and labels.
    const sql = `
      SELECT ${SALE_EXPORT_SELECT}
      FROM (SELECT ${SALE_EXPORT_SOURCE_COLUMNS} FROM sales ${whereSql(where)} ORDER BY created_at, id LIMIT ${EXPORT_BATCH}) s
      LEFT JOIN tenders t ON t.sale_id = s.id
      GROUP BY s.created_at, s.id ORDER BY s.created_at, s.id`;
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
