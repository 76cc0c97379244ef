// A sale and its payment events: what the ledger stores, the API returns and
// the screens show. Amounts are integer hundredths of the sale's currency.

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
