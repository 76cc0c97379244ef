// What the sales log, the end of day and the chart report. Amounts are
// integer hundredths. What was taken leads; what was rung up but never paid
// is a separate figure, so one cancelled test charge cannot swell a day's takings.
import type { Mode, Sale, SaleStatus } from './sale';

export interface SalesPage {
  sales: Sale[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** What was taken in each kind of tender, in hundredths. */
export interface TenderAmounts {
  code: number;
  cash: number;
  other: number;
}

/** Counts and sums of the sales in one currency. */
export interface CurrencyTotals {
  currency: string;
  /** Every sale rung up, whatever its outcome. */
  count: number;
  /** Sales whose tenders cover them. */
  paidCount: number;
  /** What was taken: every paid tender, on paid and partly paid sales alike (cash net of change). */
  paidAmount: number;
  /** `paidAmount` by kind of tender. */
  byTender: TenderAmounts;
  /** Change handed back on cash tenders (not part of the takings). */
  changeGiven: number;
  /** Tips on paid sales: part of `paidAmount`, shown apart (the sales themselves are paidAmount − tips). */
  tips: number;
  /** How many paid sales carried a tip. */
  tippedCount: number;
  /** Not (fully) paid: pending, partly paid, cancelled or expired. */
  unpaidCount: number;
  /** What those sales still owe; never part of the takings. */
  unpaidAmount: number;
  pendingCount: number;
  partlyPaidCount: number;
  cancelledCount: number;
  expiredCount: number;
  /** Of the paid ones, how many had a Code payment arrive after cancel or expiry. */
  paidLateCount: number;
  /**
   * Handed back in refunds (voids' included) made in the range, in this
   * currency and mode, whenever their sale was rung up: not taken off
   * `paidAmount`, which stays what was taken (see `netTakings`).
   */
  refunds: number;
  /** How many refunds those were. */
  refundCount: number;
}

/** What was taken less what was handed back in refunds over the same range. */
export function netTakings(t: Pick<CurrencyTotals, 'paidAmount' | 'refunds'>): number {
  return t.paidAmount - t.refunds;
}

export interface DayTotals extends CurrencyTotals {
  date: string;
}

export interface ChartBucket {
  /** Inclusive UTC start, ms. */
  start: number;
  /** "2026-11-23" for a day bucket, "14:00" for an hour bucket (shop time). */
  label: string;
  /** Paid hundredths per currency in this bucket. */
  paid: Record<string, number>;
  count: number;
}

export interface SalesChart {
  unit: 'hour' | 'day';
  buckets: ChartBucket[];
}

export interface DaySummary {
  date: string;
  mode: Mode | 'all';
  totals: CurrencyTotals[];
  byStatus: Record<SaleStatus, number>;
  firstSaleAt: number | null;
  lastSaleAt: number | null;
  count: number;
  /** How often the cash drawer was opened that day: for cash tenders, and for "No sale". */
  drawerOpenings: { cash: number; noSale: number };
}

/** A currency's totals before any sale is counted: where the queries and the tests' hand count start. */
export function emptyTotals(currency: string): CurrencyTotals {
  return {
    currency,
    count: 0,
    paidCount: 0,
    paidAmount: 0,
    byTender: { code: 0, cash: 0, other: 0 },
    changeGiven: 0,
    tips: 0,
    tippedCount: 0,
    unpaidCount: 0,
    unpaidAmount: 0,
    pendingCount: 0,
    partlyPaidCount: 0,
    cancelledCount: 0,
    expiredCount: 0,
    paidLateCount: 0,
    refunds: 0,
    refundCount: 0,
  };
}
