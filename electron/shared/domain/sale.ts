// A sale, its tenders and its payment events: what the ledger stores, the API
// returns and the screens show. Amounts are integer hundredths of the sale's
// currency.
import type { PersonRef } from './people';

/**
 * Where a sale stands. `partly_paid`: some tenders are paid but they do not
 * cover the amount yet. Paid sales never go back; a payment that arrives
 * after a cancel or an expiry is still recorded (flagged `paidLate`).
 */
export const SALE_STATUSES = ['pending', 'partly_paid', 'paid', 'cancelled', 'expired'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

/** A sale's status in words, the same on every screen and on printed receipts. */
export const SALE_STATUS_WORDS: Record<SaleStatus, string> = {
  paid: 'Paid',
  partly_paid: 'Partly paid',
  pending: 'Pending',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const MODES = ['live', 'sandbox'] as const;
export type Mode = (typeof MODES)[number];

/** Where a proof of payment came from. Only webhook and status_poll are proofs the sequencer vouches for; cash and other tenders are 'manual'. */
export const PROOF_SOURCES = ['webhook', 'status_poll', 'browser_event', 'manual'] as const;
export type ProofSource = (typeof PROOF_SOURCES)[number];
export type EventSource = ProofSource | 'system';

/**
 * How part of a sale is paid: `code` is one Code payment request (its own
 * intent, idempotency key and proofs), `cash` is notes and coins with the
 * change given, `other` a labelled manual tender (a card on a separate
 * terminal, a voucher).
 */
export const TENDER_KINDS = ['code', 'cash', 'other'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

/** Cash and other tenders are paid when taken; only a Code tender waits, and can be cancelled or expire. */
export const TENDER_STATUSES = ['pending', 'paid', 'cancelled', 'expired'] as const;
export type TenderStatus = (typeof TENDER_STATUSES)[number];

export interface Tender {
  id: number;
  saleId: number;
  /** 1, 2, 3 … in the order the tenders were started on the sale. */
  seq: number;
  kind: TenderKind;
  /** What this tender pays towards the sale, in hundredths (for cash: tendered minus change). */
  amount: number;
  status: TenderStatus;
  createdAt: number;
  updatedAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  expiredAt: number | null;
  /** Code: the payment request's intent id (derived before any network call). */
  intentId: string | null;
  /** Code: where the sequencer delivers this payment's webhook; null means status polling alone. */
  webhookUrl: string | null;
  /** Code: Kin paid, in quarks, and the rate the sequencer used; known once paid. */
  quarks: number | null;
  exchangeRate: number | null;
  /** The first proof that paid this tender (cash and other: 'manual'). */
  firstProof: ProofSource | null;
  /** Code: paid after the tender was cancelled or had expired. */
  paidLate: boolean;
  /** Who took it (for a Code payment: who asked for it); null before the owner existed. */
  takenBy: PersonRef | null;
  /** Cash: what the customer handed over, and the change given back (tendered = amount + change). */
  tendered: number | null;
  change: number | null;
  /** Other: what it was, as the cashier wrote it ("Card", "Voucher"). */
  label: string | null;
}

export interface Sale {
  id: number;
  /** Random, install-unique reference. */
  ref: string;
  /** Integer hundredths of `currency`: the sale itself, without the tip. */
  amount: number;
  /** The tip, in hundredths, stored apart from the amount and never negative; 0 when there is none. The customer owes amount + tipAmount. */
  tipAmount: number;
  /** The preset percentage the tip was chosen as; null for a custom amount or no tip. */
  tipPercent: number | null;
  /** Tips were on when the sale was rung up and no choice is made yet: no tender can be taken until it is. */
  awaitingTip: boolean;
  /** Who chose the tip, once chosen. */
  tipChosenBy: 'customer' | 'cashier' | null;
  currency: string;
  mode: Mode;
  status: SaleStatus;
  /** The shop's Code deposit address when the sale was rung up. */
  destination: string;
  createdAt: number;
  updatedAt: number;
  /** When the paid tenders first covered amount + tipAmount. */
  paidAt: number | null;
  cancelledAt: number | null;
  expiredAt: number | null;
  /** The proof that completed the sale. */
  firstProof: ProofSource | null;
  /** A Code payment arrived after its tender or the sale was cancelled or had expired: the cashier must look. */
  paidLate: boolean;
  /** Sum of the paid tenders' amounts; above amount + tipAmount only when a late Code payment overpaid the sale. */
  paidAmount: number;
  /** In the order they were started. */
  tenders: Tender[];
  /** Who rang it up; null before the owner existed. */
  soldBy: PersonRef | null;
  /** The shift it was rung up on; null with no shift open (before the owner existed). */
  shiftId: number | null;
  /** Handed back so far in refunds (never more than paidAmount). */
  refundedAmount: number;
  /** When a manager voided it: closed it with everything it had taken handed back. */
  voidedAt: number | null;
  /** Who cancelled or voided it. */
  closedBy: PersonRef | null;
}

export type EventOutcome = 'credited' | 'duplicate' | 'late' | 'rejected' | 'cancelled' | 'expired' | 'tendered' | 'tipped';

export interface PaymentEvent {
  id: number;
  saleId: number;
  /** The tender the event is about; null for events about the whole sale. */
  tenderId: number | null;
  source: EventSource;
  kind: string;
  outcome: EventOutcome;
  receivedAt: number;
  /** Exactly what arrived (a webhook's raw JWT, a status answer as JSON). */
  payload: string;
}

/** What the customer owes in all: the sale's amount and its tip. */
export function totalDue(sale: Pick<Sale, 'amount' | 'tipAmount'>): number {
  return sale.amount + sale.tipAmount;
}

/** What the sale still needs (amount and tip), never negative. */
export function outstanding(sale: Pick<Sale, 'amount' | 'tipAmount' | 'paidAmount'>): number {
  return Math.max(0, totalDue(sale) - sale.paidAmount);
}

/** Whether more tenders can be taken on the sale. */
export function isOpen(sale: Pick<Sale, 'status'>): boolean {
  return sale.status === 'pending' || sale.status === 'partly_paid';
}

/** The sale's Code tender that is waiting for the customer, if any (at most one at a time). */
export function pendingCodeTender(sale: Pick<Sale, 'tenders'>): Tender | null {
  return sale.tenders.find((t) => t.kind === 'code' && t.status === 'pending') ?? null;
}
