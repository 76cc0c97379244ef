import { z } from 'zod';
import { daysInRange, isReportDate, localDaysBetween, nextLocalDate, REPORT_DATE_HINT, startOfLocalDay, type LocalDay } from '../../shared/domain/local-days';
import { MODES, type Mode, type SaleStatus } from '../../shared/domain/sale';
import { salesFilterInput, type SalesFilterParsed } from '../../shared/domain/sales-filter';
import { emptyTotals, type ChartBucket, type CurrencyTotals, type DaySummary, type SalesChart } from '../../shared/domain/totals';
import { LedgerError } from './errors';
import { parseInput } from './parse-input';

/**
 * The pure half of the owner's reports, whatever database answers them: the
 * filter and page checks (with their words), the days of a range, the chart's
 * buckets and the folding of per-state sums into per-currency totals. The
 * till's ledger (sales-queries.ts, SQLite) and the shop view
 * (../shop-db/shop-reports.ts, PostgreSQL) both fold their rows here, so one
 * filter gives the same answer from either.
 */

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
/** Per-day totals or a chart over more than this many days are refused rather than computed slowly. */
export const MAX_RANGE_DAYS = 1_100;
/** Hour buckets past this many days would draw an unreadable chart; days are used instead. */
const HOURLY_MAX_DAYS = 1;
const HOUR_MS = 3_600_000;

/** A sales log page request; each reader says what its cursors look like. */
export function pageInput<C extends z.ZodType<string>>(cursor: C) {
  return z
    .object({
      limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
      cursor: cursor.nullish(),
    })
    .strict();
}

/** The sales log's filter checked and its search parsed, or LedgerError('invalid-input') naming every problem. */
export function parseSalesFilter(filter: unknown): SalesFilterParsed {
  return parseInput(salesFilterInput, filter ?? {}, 'sales filter');
}

/** The end-of-day summary's date and mode checked, with the ledger's words. */
export function parseDaySummaryArgs(date: unknown, mode: unknown): { date: string; mode: Mode | 'all' } {
  if (!isReportDate(date)) throw new LedgerError('invalid-input', `The end-of-day summary needs a date: ${REPORT_DATE_HINT}`);
  if (mode !== 'all' && !MODES.includes(mode as Mode)) throw new LedgerError('invalid-input', `Unknown mode ${JSON.stringify(mode)}`);
  return { date, mode: mode as Mode | 'all' };
}

/** The local days of a filter that needs both ends (day totals, the chart). */
export function reportDays(f: SalesFilterParsed, what: string, timeZone: string): LocalDay[] {
  if (!f.from || !f.to) throw new LedgerError('invalid-input', `${what} need a date range (both "from" and "to")`);
  // Counted by arithmetic before a single day is built: walking a
  // centuries-long range is what froze the main process.
  if (daysInRange(f.from, f.to) > MAX_RANGE_DAYS) {
    throw new LedgerError('invalid-input', `${what} cover at most ${MAX_RANGE_DAYS} days; choose a shorter range`);
  }
  return localDaysBetween(f.from, f.to, timeZone, MAX_RANGE_DAYS);
}

/** The filter's date range in ms, [start, end); open ends are as wide as time. */
export function filterRange(f: SalesFilterParsed, timeZone: string): readonly [number, number] {
  return [
    f.from ? startOfLocalDay(f.from, timeZone) : Number.MIN_SAFE_INTEGER,
    f.to ? startOfLocalDay(nextLocalDate(f.to), timeZone) : Number.MAX_SAFE_INTEGER,
  ];
}

/** The instants [start, end) of a local date in the shop's zone. */
export function dayRange(date: string, timeZone: string): readonly [number, number] {
  return [startOfLocalDay(date, timeZone), startOfLocalDay(nextLocalDate(date), timeZone)];
}

/** One derived state's sums in one currency (and range), as every totals query returns them. */
export interface StateSums {
  currency: string;
  state: SaleStatus;
  saleCount: number;
  amount: number;
  paidAmount: number;
  codeAmount: number;
  cashAmount: number;
  otherAmount: number;
  changeGiven: number;
  paidLateCount: number;
  /** The tips of these sales, and how many had one. */
  tipAmount: number;
  tippedCount: number;
}

/** The refunds made in one range, in one currency. */
export interface RefundSums {
  currency: string;
  refunds: number;
  refundCount: number;
}

/**
 * Adds one state's sums to a currency's totals: what was taken (every paid
 * tender, on paid and partly paid sales alike) apart from what the unpaid
 * sales still owe, amount and tip. The tips of paid sales are part of what
 * was taken, also shown apart. The filter's statuses were applied in SQL.
 */
function addState(t: CurrencyTotals, s: StateSums): void {
  t.count += s.saleCount;
  t.paidAmount += s.paidAmount;
  t.byTender.code += s.codeAmount;
  t.byTender.cash += s.cashAmount;
  t.byTender.other += s.otherAmount;
  t.changeGiven += s.changeGiven;
  if (s.state === 'paid') {
    t.paidCount += s.saleCount;
    t.paidLateCount += s.paidLateCount;
    t.tips += s.tipAmount;
    t.tippedCount += s.tippedCount;
    return;
  }
  t.unpaidCount += s.saleCount;
  // A cancelled or expired sale has nothing taken (the store keeps it so): it owes its amount and tip.
  t.unpaidAmount += s.amount + s.tipAmount - s.paidAmount;
  if (s.state === 'pending') t.pendingCount += s.saleCount;
  else if (s.state === 'partly_paid') t.partlyPaidCount += s.saleCount;
  else if (s.state === 'cancelled') t.cancelledCount += s.saleCount;
  else t.expiredCount += s.saleCount;
}

/**
 * Per-currency totals from rows of StateSums sorted by currency, with the
 * refunds made over the same range; currencies with neither a sale nor a
 * refund left out. A refund of an older sale shows in a currency with no
 * sale in the range: the money left the shop then.
 */
export function foldTotals(rows: readonly StateSums[], refunds: readonly RefundSums[] = []): CurrencyTotals[] {
  const out: CurrencyTotals[] = [];
  for (const row of rows) {
    let t = out[out.length - 1];
    if (!t || t.currency !== row.currency) out.push((t = emptyTotals(row.currency)));
    addState(t, row);
  }
  for (const r of refunds) {
    let t = out.find((x) => x.currency === r.currency);
    if (!t) out.push((t = emptyTotals(r.currency)));
    t.refunds += r.refunds;
    t.refundCount += r.refundCount;
  }
  return out.filter((t) => t.count > 0 || t.refundCount > 0).sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}

/** Per-range totals from sums and refunds tagged with their range's index `i` (each list sorted by range, then currency). */
export function foldByRange(
  sums: ReadonlyArray<StateSums & { i: number }>,
  refunds: ReadonlyArray<RefundSums & { i: number }> = [],
): Map<number, CurrencyTotals[]> {
  const byRange = new Map<number, { sums: StateSums[]; refunds: RefundSums[] }>();
  const entry = (i: number) => {
    let e = byRange.get(i);
    if (!e) byRange.set(i, (e = { sums: [], refunds: [] }));
    return e;
  };
  for (const row of sums) entry(row.i).sums.push(row);
  for (const row of refunds) entry(row.i).refunds.push(row);
  return new Map([...byRange].map(([i, e]) => [i, foldTotals(e.sums, e.refunds)]));
}

/** A chart's empty buckets over `days` (one per hour for a single day, else one per day) and each one's range [start, end). */
export function chartFrame(days: readonly LocalDay[], timeZone: string): { chart: SalesChart; ranges: Array<readonly [number, number]> } {
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
  return { chart: { unit, buckets }, ranges };
}

/** Adds each bucket's totals (by bucket index) to the chart: sales counted, what was taken per currency. */
export function fillChart(chart: SalesChart, byBucket: ReadonlyMap<number, readonly CurrencyTotals[]>): SalesChart {
  for (const [i, totals] of byBucket) {
    const bucket = chart.buckets[i]!;
    for (const t of totals) {
      bucket.count += t.count;
      if (t.paidAmount) bucket.paid[t.currency] = (bucket.paid[t.currency] ?? 0) + t.paidAmount;
    }
  }
  return chart;
}

/** The end-of-day summary from a day's totals, the span of its sales and its drawer openings. */
export function summarizeDay(
  date: string,
  mode: Mode | 'all',
  totals: CurrencyTotals[],
  span: { first: number | null; last: number | null; count: number },
  drawerOpenings: DaySummary['drawerOpenings'],
): DaySummary {
  const byStatus: Record<SaleStatus, number> = { pending: 0, partly_paid: 0, paid: 0, cancelled: 0, expired: 0 };
  for (const t of totals) {
    byStatus.pending += t.pendingCount;
    byStatus.partly_paid += t.partlyPaidCount;
    byStatus.paid += t.paidCount;
    byStatus.cancelled += t.cancelledCount;
    byStatus.expired += t.expiredCount;
  }
  return { date, mode, totals, byStatus, firstSaleAt: span.first, lastSaleAt: span.last, count: span.count, drawerOpenings };
}

const hourFormats = new Map<string, Intl.DateTimeFormat>();
function hourLabel(ms: number, timeZone: string): string {
  let f = hourFormats.get(timeZone);
  if (!f) hourFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return f.format(new Date(ms));
}
