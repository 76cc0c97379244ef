import type { Mode, ProofSource, Sale, SaleStatus, Tender, TenderKind, TenderStatus } from '../../shared/domain/sale';

/** The stored statuses of a sale; 'partly_paid' is derived (see `saleState`). */
export type StoredSaleStatus = 'pending' | 'paid' | 'cancelled' | 'expired';

/**
 * The sales columns the ledger reads. Not `*`: the old per-sale intent_id,
 * webhook_url, quarks and exchange_rate stay in the table (migration 7) but
 * belong to the tenders now and are never read.
 */
export const SALE_COLUMNS =
  'id, ref, amount, tip_amount, tip_percent, awaiting_tip, tip_chosen_by, currency, mode, status, destination, created_at, updated_at, paid_at, cancelled_at, expired_at, first_proof, paid_late, paid_amount, code_amount, cash_amount, other_amount, change_given, ' +
  'person_id, (SELECT name FROM people WHERE id = person_id) AS person_name, shift_id, refunded_amount, voided_at, ' +
  'closed_by, (SELECT name FROM people WHERE id = closed_by) AS closed_by_name';

/** The tenders columns the ledger reads: every one, and the name of the person who took it (as they are named now). */
export const TENDER_COLUMNS = '*, (SELECT name FROM people WHERE id = person_id) AS person_name';

/** A row of the sales table (SALE_COLUMNS) as SQLite returns it. */
export interface SaleRow {
  id: number;
  ref: string;
  amount: number;
  tip_amount: number;
  tip_percent: number | null;
  awaiting_tip: number;
  tip_chosen_by: 'customer' | 'cashier' | null;
  currency: string;
  mode: Mode;
  status: StoredSaleStatus;
  destination: string;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  expired_at: number | null;
  first_proof: ProofSource | null;
  paid_late: number;
  paid_amount: number;
  code_amount: number;
  cash_amount: number;
  other_amount: number;
  change_given: number;
  person_id: number | null;
  person_name: string | null;
  shift_id: number | null;
  refunded_amount: number;
  voided_at: number | null;
  closed_by: number | null;
  closed_by_name: string | null;
}

/** A row of the tenders table as SQLite returns it. */
export interface TenderRow {
  id: number;
  sale_id: number;
  seq: number;
  kind: TenderKind;
  amount: number;
  status: TenderStatus;
  ref: string | null;
  intent_id: string | null;
  webhook_url: string | null;
  quarks: number | null;
  exchange_rate: number | null;
  first_proof: ProofSource | null;
  paid_late: number;
  tendered: number | null;
  change: number | null;
  label: string | null;
  person_id: number | null;
  /** Joined from people where the query selects it (TENDER_COLUMNS). */
  person_name?: string | null;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
  cancelled_at: number | null;
  expired_at: number | null;
}

/** The sale's state as the app shows it: a pending sale with money taken is partly paid. */
export function saleState(status: StoredSaleStatus, paidAmount: number): SaleStatus {
  return status === 'pending' && paidAmount > 0 ? 'partly_paid' : status;
}

/** The same derivation in SQL, over the sales row `alias` (with its dot, or ''). */
export const saleStateSql = (alias = '') => `iif(${alias}status = 'pending' AND ${alias}paid_amount > 0, 'partly_paid', ${alias}status)`;

export function toTender(r: TenderRow): Tender {
  return {
    id: r.id,
    saleId: r.sale_id,
    seq: r.seq,
    kind: r.kind,
    amount: r.amount,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    paidAt: r.paid_at,
    cancelledAt: r.cancelled_at,
    expiredAt: r.expired_at,
    intentId: r.intent_id,
    webhookUrl: r.webhook_url,
    quarks: r.quarks,
    exchangeRate: r.exchange_rate,
    firstProof: r.first_proof,
    paidLate: r.paid_late === 1,
    tendered: r.tendered,
    change: r.change,
    label: r.label,
    takenBy: r.person_id === null ? null : { id: r.person_id, name: r.person_name ?? '' },
  };
}

/** snake_case rows to the camelCase Sale the rest of the app uses; `tenders` are the sale's, in seq order. */
export function toSale(r: SaleRow, tenders: readonly TenderRow[]): Sale {
  return {
    id: r.id,
    ref: r.ref,
    amount: r.amount,
    tipAmount: r.tip_amount,
    tipPercent: r.tip_percent,
    awaitingTip: r.awaiting_tip === 1,
    tipChosenBy: r.tip_chosen_by,
    currency: r.currency,
    mode: r.mode,
    status: saleState(r.status, r.paid_amount),
    destination: r.destination,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    paidAt: r.paid_at,
    cancelledAt: r.cancelled_at,
    expiredAt: r.expired_at,
    firstProof: r.first_proof,
    paidLate: r.paid_late === 1,
    paidAmount: r.paid_amount,
    tenders: tenders.map(toTender),
    soldBy: r.person_id === null ? null : { id: r.person_id, name: r.person_name ?? '' },
    shiftId: r.shift_id,
    refundedAmount: r.refunded_amount,
    voidedAt: r.voided_at,
    closedBy: r.closed_by === null ? null : { id: r.closed_by, name: r.closed_by_name ?? '' },
  };
}

/**
 * The export's rows, one per sale, in the CSV's column order (kin aside,
 * which is quarks again). A million export rows come back as arrays, not
 * objects: better-sqlite3 builds an array per row much faster than an
 * object. The tender columns are aggregated in SQL over the batch's sales.
 */
export type SaleExportRow = readonly [
  id: number,
  createdAt: number,
  status: SaleStatus,
  mode: Mode,
  amount: number,
  tipAmount: number,
  /** The preset percentage the tip was chosen as; null for a custom amount or none. */
  tipPercent: number | null,
  paidAmount: number,
  codeAmount: number,
  cashAmount: number,
  changeGiven: number,
  otherAmount: number,
  /** The other tenders' labels in order, "; "-separated; null when there is none. */
  otherLabels: string | null,
  /** Tenders started on the sale, cancelled and expired Code payments included. */
  tenders: number,
  currency: string,
  paidAt: number | null,
  firstProof: ProofSource | null,
  paidLate: number,
  /** Summed over the paid Code tenders; null when none is paid or one lacks its quarks. */
  quarks: number | null,
  /** The rate of the paid Code tenders when they all used one; null otherwise. */
  exchangeRate: number | null,
  /** Every Code tender's intent id, in order, space-separated; null when there is none. */
  intentIds: string | null,
  destination: string,
  cancelledAt: number | null,
  expiredAt: number | null,
  /** Handed back in refunds so far (voids' included). */
  refundedAmount: number,
];

/** The sales columns an export batch reads (not `*`: the batch is copied once into the join). */
export const SALE_EXPORT_SOURCE_COLUMNS =
  'id, created_at, status, mode, amount, tip_amount, tip_percent, paid_amount, code_amount, cash_amount, change_given, other_amount, currency, paid_at, ' +
  'first_proof, paid_late, destination, cancelled_at, expired_at, refunded_amount';

/**
 * The SELECT list of an export batch over `s` (a page of sales) LEFT JOIN
 * `t` (their tenders) grouped by sale, in SaleExportRow's order.
 */
export const SALE_EXPORT_SELECT = `s.id, s.created_at, ${saleStateSql('s.')}, s.mode, s.amount, s.tip_amount, s.tip_percent, s.paid_amount,
  s.code_amount, s.cash_amount, s.change_given, s.other_amount, group_concat(t.label, '; ' ORDER BY t.seq), count(t.id), s.currency, s.paid_at, s.first_proof, s.paid_late,
  iif(sum(t.kind = 'code' AND t.status = 'paid' AND t.quarks IS NULL) > 0, NULL, sum(iif(t.kind = 'code' AND t.status = 'paid', t.quarks, NULL))),
  iif(min(iif(t.kind = 'code' AND t.status = 'paid', t.exchange_rate, NULL)) = max(iif(t.kind = 'code' AND t.status = 'paid', t.exchange_rate, NULL)),
    min(iif(t.kind = 'code' AND t.status = 'paid', t.exchange_rate, NULL)), NULL),
  group_concat(t.intent_id, ' ' ORDER BY t.seq), s.destination, s.cancelled_at, s.expired_at, s.refunded_amount`;
