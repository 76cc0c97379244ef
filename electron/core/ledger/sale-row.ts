import type { Mode, ProofSource, Sale } from '../../shared/domain/sale';

/** A row of the sales table as SQLite returns it. */
export interface SaleRow {
  id: number;
  ref: string;
  amount: number;
  currency: string;
  mode: Mode;
  status: Sale['status'];
  destination: string;
  intent_id: string | null;
  webhook_url: string | null;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  expired_at: number | null;
  quarks: number | null;
  exchange_rate: number | null;
  first_proof: ProofSource | null;
  paid_late: number;
}

/** snake_case row to the camelCase Sale the rest of the app uses. */
export function toSale(r: SaleRow): Sale {
  return {
    id: r.id,
    ref: r.ref,
    amount: r.amount,
    currency: r.currency,
    mode: r.mode,
    status: r.status,
    destination: r.destination,
    intentId: r.intent_id,
    webhookUrl: r.webhook_url,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    paidAt: r.paid_at,
    cancelledAt: r.cancelled_at,
    expiredAt: r.expired_at,
    quarks: r.quarks,
    exchangeRate: r.exchange_rate,
    firstProof: r.first_proof,
    paidLate: r.paid_late === 1,
  };
}

/**
 * The columns the CSV export reads, in the order of `SaleExportRow`. A
 * million export rows come back as arrays, not objects: better-sqlite3
 * builds an array per row much faster than an object, and the export needs
 * neither the ref, the webhook URL nor updated_at.
 */
export const SALE_EXPORT_COLUMNS =
  'id, created_at, status, mode, amount, currency, paid_at, first_proof, paid_late, quarks, exchange_rate, intent_id, destination, cancelled_at, expired_at';

export type SaleExportRow = readonly [
  id: number,
  createdAt: number,
  status: Sale['status'],
  mode: Mode,
  amount: number,
  currency: string,
  paidAt: number | null,
  firstProof: ProofSource | null,
  paidLate: number,
  quarks: number | null,
  exchangeRate: number | null,
  intentId: string | null,
  destination: string,
  cancelledAt: number | null,
  expiredAt: number | null,
];
