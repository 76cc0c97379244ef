import { REFUND_METHODS, type RefundMethod } from '../../shared/domain/refund';
import type { Shift, ShiftReport } from '../../shared/domain/shift';
import type { ShiftFigures } from '../ledger/ledger';

/**
 * The Z-report of a shift, shaped from the figures the ledger sums for it
 * (ledger/shift-store.ts). What each figure means, exactly:
 *
 * - Sales are those rung up on the shift (`sales.shift_id`) in the shift's
 *   currency; the rest are only counted (`otherCurrencySales`). `count` is
 *   every one of them, whatever became of it; `paidCount` the paid ones;
 *   `openCount` those still pending or partly paid (a shift cannot close
 *   with any); `cancelledCount` the cancelled ones, voided ones included;
 *   `expiredCount` the expired ones; `voidedCount` those a manager voided
 *   (also in `cancelledCount`).
 * - `taken` is every paid tender of those sales, whatever the sale's state,
 *   as the sales totals count takings (CurrencyTotals.paidAmount): a partly
 *   paid sale's money is in the drawer, and so is a voided sale's until its
 *   void refunds hand it back (those are in `refunds`). Cash is net of
 *   change (a cash tender's amount is what stayed in the drawer);
 *   `changeGiven` is the change apart. Tips are part of `taken`, shown
 *   apart for the paid sales (`tips`, `tippedCount`).
 * - `refunds` are those made while the shift was open (`refunds.shift_id`),
 *   in its currency, whichever shift the sale was rung up on: their cash
 *   left this drawer. Voids' refunds included.
 * - `net` = taken − refunds.
 * - Cash: expected = float + cash taken − cash refunded; counted and
 *   over/short (counted − expected, positive over) once closed.
 * - Drawer openings are those recorded on the shift (`drawer_openings.shift_id`).
 * - First and last sale: the earliest and latest rung up on the shift (in its currency).
 * - People: who rang the sales up (`sales.person_id`), each with how many
 *   and what was taken on them; most taken first, then most sales, then by name.
 *   Other tenders by label: largest first, then by label.
 *
 * A Code payment that arrives after a shift closed, on a sale of that shift,
 * changes nothing in the kept report: a closed shift's report is frozen.
 */

/** Who rang up sales with nobody signed in (before the owner existed). */
export const NOBODY = 'Nobody signed in';

/** Code-point order, as SQLite's BINARY collation sorts (the labels' order): the same on every machine. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildShiftReport(shift: Shift, f: ShiftFigures, at: number): ShiftReport {
  const sales = { count: 0, paidCount: 0, openCount: 0, cancelledCount: 0, expiredCount: 0, voidedCount: 0 };
  for (const s of f.salesByStatus) {
    sales.count += s.count;
    sales.voidedCount += s.voided;
    if (s.status === 'paid') sales.paidCount += s.count;
    else if (s.status === 'pending') sales.openCount += s.count;
    else if (s.status === 'cancelled') sales.cancelledCount += s.count;
    else sales.expiredCount += s.count;
  }

  const taken = { code: 0, cash: 0, other: 0, total: 0 };
  let changeGiven = 0;
  for (const t of f.takenByKind) {
    taken[t.kind] += t.amount;
    taken.total += t.amount;
    changeGiven += t.change;
  }

  const byMethod = Object.fromEntries(REFUND_METHODS.map((m) => [m, 0])) as Record<RefundMethod, number>;
  const refunds = { count: 0, total: 0, byMethod };
  for (const r of f.refunds) {
    refunds.count += r.count;
    refunds.total += r.amount;
    byMethod[r.method] += r.amount;
  }

  const expected = shift.floatAmount + taken.cash - byMethod.cash;
  const counted = shift.closedAt === null ? null : shift.countedCash;
  const drawer = { cash: 0, noSale: 0 };
  for (const d of f.drawerOpenings) {
    if (d.reason === 'cash') drawer.cash += d.count;
    else drawer.noSale += d.count;
  }

  const people = f.people
    .map((p) => ({ id: p.id, name: p.id === null ? NOBODY : (p.name ?? ''), sales: p.sales, taken: p.taken }))
    .sort((a, b) => b.taken - a.taken || b.sales - a.sales || byText(a.name, b.name) || (a.id ?? 0) - (b.id ?? 0));

  return {
    shift: shift.closedAt === null ? shift : { ...shift, expectedCash: expected },
    at,
    sales,
    taken,
    otherByLabel: f.otherByLabel.map((o) => ({ label: o.label, amount: o.amount })),
    changeGiven,
    tips: f.tips.amount,
    tippedCount: f.tips.count,
    refunds,
    net: taken.total - refunds.total,
    cash: {
      float: shift.floatAmount,
      taken: taken.cash,
      refunded: byMethod.cash,
      expected,
      counted,
      overShort: counted === null ? null : counted - expected,
    },
    drawerOpenings: drawer,
    firstSaleAt: f.firstSaleAt,
    lastSaleAt: f.lastSaleAt,
    people,
    otherCurrencySales: f.otherCurrencySales,
  };
}
