export const SALE_STATUSES = ['pending', 'paid', 'cancelled', 'expired'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export const MODES = ['live', 'sandbox'] as const;
export type Mode = (typeof MODES)[number];

/** Where a proof of payment came from. Only webhook and status_poll are proofs the sequencer vouches for. */
export const PROOF_SOURCES = ['webhook', 'status_poll', 'browser_event', 'manual'] as const;
export type ProofSource = (typeof PROOF_SOURCES)[number];
export type EventSource = ProofSource | 'system';

export interface Sale {
  id: number;
  /** Random, install-unique reference: part of the intent's idempotency key. */
  ref: string;
  /** Integer hundredths of `currency`. */
  amount: number;
  currency: string;
  mode: Mode;
  status: SaleStatus;
  destination: string;
  intentId: string | null;
  webhookUrl: string | null;
  createdAt: number;
  updatedAt: number;
  paidAt: number | null;
  cancelledAt: number | null;
  expiredAt: number | null;
  quarks: number | null;
  exchangeRate: number | null;
  firstProof: ProofSource | null;
  /** Paid after the sale was cancelled or had expired: the cashier must look. */
  paidLate: boolean;
}

export type EventOutcome = 'credited' | 'duplicate' | 'late' | 'rejected' | 'cancelled' | 'expired';

export interface PaymentEvent {
  id: number;
  saleId: number;
  source: EventSource;
  kind: string;
  outcome: EventOutcome;
  receivedAt: number;
  /** Exactly what arrived (a webhook's raw JWT, a status answer as JSON). */
  payload: string;
}

export interface ProofResult {
  sale: Sale;
  /** credited: this proof paid the sale; duplicate: it was already paid; late: paid after cancel/expiry. */
  outcome: 'credited' | 'duplicate' | 'late';
  event: PaymentEvent;
}

export interface SalesFilter {
  /** Local calendar dates, both inclusive, in the ledger's time zone. */
  from?: string;
  to?: string;
  status?: SaleStatus[];
  /** Default 'live': sandbox sales stay out of the owner's numbers unless asked for. */
  mode?: Mode | 'all';
  /** An amount ("12.50") or the start of an intent id. */
  search?: string;
}

export interface SalesPage {
  sales: Sale[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Counts and sums (hundredths) of the sales in one currency. */
export interface CurrencyTotals {
  currency: string;
  count: number;
  /** Sum of every sale rung up, whatever its outcome. */
  grossAmount: number;
  paidCount: number;
  /** Sum of paid sales. */
  paidAmount: number;
  pendingCount: number;
  cancelledCount: number;
  expiredCount: number;
  /** Of the paid ones, how many arrived after cancel/expiry. */
  paidLateCount: number;
}

export interface DayTotals extends CurrencyTotals {
  date: string;
}
