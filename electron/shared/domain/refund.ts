// Refunds: Code has no refund API, so a refund is what the shop handed back,
// recorded against a paid sale. Amounts are integer hundredths.
import type { Mode } from './sale';

/** Cash back from the drawer; sent back by Code (the shop pays the customer from its Code wallet, a note says to whom); another way (a note says how). */
export const REFUND_METHODS = ['cash', 'code', 'other'] as const;
export type RefundMethod = (typeof REFUND_METHODS)[number];

export const REFUND_METHOD_WORDS: Record<RefundMethod, string> = { cash: 'Cash back', code: 'Sent back by Code', other: 'Other' };

export const MAX_REFUND_NOTE = 200;

export interface Refund {
  id: number;
  saleId: number;
  amount: number;
  currency: string;
  mode: Mode;
  method: RefundMethod;
  note: string | null;
  personId: number;
  personName: string;
  /** The shift open when it was made (cash refunds always have one). */
  shiftId: number | null;
  /** Written by a void, which hands back everything a sale had taken. */
  voidOfSale: boolean;
  createdAt: number;
}

/** How much of a sale can still be refunded. */
export function refundable(sale: { paidAmount: number; refundedAmount: number }): number {
  return Math.max(0, sale.paidAmount - sale.refundedAmount);
}
