import { emptyTotals, type CurrencyTotals } from '../../electron/shared/domain/totals';
import type { Refund } from '../../electron/shared/domain/refund';
import type { Sale, SaleStatus } from '../../electron/shared/domain/sale';

/** A range filter of the ledger's totals, dates as UTC days (the tests' ledgers keep UTC). */
export interface UtcRangeFilter {
  mode?: 'live' | 'sandbox' | 'all';
  status?: SaleStatus[];
  from?: string;
  to?: string;
}

/** The UTC day (YYYY-MM-DD) of a time. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The sales `f` takes, by hand: live ones unless told, its statuses, created from its first day to its last (UTC), both included. */
export const bruteMatches = (sales: Sale[], f: UtcRangeFilter): Sale[] =>
  sales.filter(
    (s) =>
      ((f.mode ?? 'live') === 'all' || s.mode === (f.mode ?? 'live')) &&
      (!f.status || f.status.includes(s.status)) &&
      (!f.from || utcDay(s.createdAt) >= f.from) &&
      (!f.to || utcDay(s.createdAt) <= f.to),
  );

/** What was taken on a sale, by hand from its tenders. */
export const takenOn = (s: Sale) => s.tenders.filter((t) => t.status === 'paid').reduce((n, t) => n + t.amount, 0);

const COUNT_OF = { pending: 'pendingCount', partly_paid: 'partlyPaidCount', cancelled: 'cancelledCount', expired: 'expiredCount' } as const;

/**
 * Per-currency totals of `sales`, by hand from the sales and their tenders as
 * the API returns them: what was taken apart from what the unpaid ones still
 * owe (amount and tip), and the tips of the paid ones; with `refunds` (those
 * the caller counts as made in the range) summed per currency, a currency
 * with refunds but no sale included. The tests hold the ledger's SQL totals
 * against this.
 */
export function bruteTotals(sales: Sale[], refunds: readonly Refund[] = []): CurrencyTotals[] {
  const by = new Map<string, CurrencyTotals>();
  for (const s of sales) {
    const t: CurrencyTotals = by.get(s.currency) ?? emptyTotals(s.currency);
    t.count++;
    for (const tender of s.tenders) {
      if (tender.status !== 'paid') continue;
      t.paidAmount += tender.amount;
      t.byTender[tender.kind] += tender.amount;
      t.changeGiven += tender.change ?? 0;
    }
    if (s.status === 'paid') {
      t.paidCount++;
      if (s.paidLate) t.paidLateCount++;
      t.tips += s.tipAmount;
      if (s.tipAmount > 0) t.tippedCount++;
    } else {
      t.unpaidCount++;
      t.unpaidAmount += s.amount + s.tipAmount - takenOn(s);
      t[COUNT_OF[s.status]]++;
    }
    by.set(s.currency, t);
  }
  for (const r of refunds) {
    const t: CurrencyTotals = by.get(r.currency) ?? emptyTotals(r.currency);
    t.refunds += r.amount;
    t.refundCount++;
    by.set(r.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
