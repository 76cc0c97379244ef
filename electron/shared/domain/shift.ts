// Shifts: a till's cash drawer between a counted float and a counted close,
// and the Z-report that closes it. Amounts are integer hundredths of the
// shift's currency.
import type { PersonRef } from './people';
import type { Mode } from './sale';
import type { RefundMethod } from './refund';
import type { TenderAmounts } from './totals';


export interface Shift {
  id: number;
  mode: Mode;
  currency: string;
  openedAt: number;
  openedBy: PersonRef;
  /** The counted cash the drawer started with. */
  floatAmount: number;
  closedAt: number | null;
  closedBy: PersonRef | null;
  countedCash: number | null;
  expectedCash: number | null;
}

/**
 * The Z-report of a shift: live while it is open, frozen when it closes.
 * Sales are those rung up on the shift, in its currency; refunds those made
 * while it was open (whatever shift the sale was on), since their cash left
 * this drawer.
 */
export interface ShiftReport {
  shift: Shift;
  /** When the figures were worked out (the close, for a closed shift). */
  at: number;
  sales: {
    /** Every sale rung up on the shift. */
    count: number;
    paidCount: number;
    /** Open (pending or partly paid) at the time of the report; a shift cannot close with any. */
    openCount: number;
    cancelledCount: number;
    expiredCount: number;
    voidedCount: number;
  };
  /** What was taken on the shift's sales, by kind of tender (cash net of change). */
  taken: TenderAmounts & { total: number };
  /** Other tenders by their label ("Card"), largest first. */
  otherByLabel: { label: string; amount: number }[];
  changeGiven: number;
  tips: number;
  tippedCount: number;
  refunds: { count: number; total: number; byMethod: Record<RefundMethod, number> };
  /** Takings less refunds. */
  net: number;
  cash: {
    float: number;
    /** Cash tenders, net of change. */
    taken: number;
    /** Cash handed back as refunds. */
    refunded: number;
    /** float + taken − refunded. */
    expected: number;
    /** Null until the shift is closed. */
    counted: number | null;
    /** counted − expected: positive over, negative short; null until closed. */
    overShort: number | null;
  };
  drawerOpenings: { cash: number; noSale: number };
  firstSaleAt: number | null;
  lastSaleAt: number | null;
  /** Who sold on the shift, with their count and takings, most first. */
  people: { id: number | null; name: string; sales: number; taken: number }[];
  /** Sales on the shift in another currency, not in these figures. */
  otherCurrencySales: number;
}
