// Words for the ledger's values, as the screens show them. The values
// themselves (statuses, proof sources, the Kin unit) are shared's.
import type { PaymentEvent, ProofSource, SaleStatus, TenderKind, TenderStatus } from '../../../electron/shared/contract';
import { QUARKS_PER_KIN } from '../../../electron/shared/domain/money';
import { SALE_STATUS_WORDS } from '../../../electron/shared/domain/sale';

export const STATUS_LABELS: Record<SaleStatus, string> = SALE_STATUS_WORDS;

export const SOURCE_LABELS: Record<PaymentEvent['source'], string> = {
  webhook: 'Webhook',
  status_poll: 'Status poll',
  browser_event: 'Browser event',
  manual: 'Manual',
  system: 'System',
};

export const OUTCOME_LABELS: Record<PaymentEvent['outcome'], string> = {
  credited: 'Credited',
  duplicate: 'Duplicate',
  late: 'Paid late',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
  expired: 'Expired',
  tendered: 'Tendered',
  tipped: 'Tip chosen',
};

export const TENDER_KIND_LABELS: Record<TenderKind, string> = {
  code: 'Code',
  cash: 'Cash',
  other: 'Other',
};

export const TENDER_STATUS_LABELS: Record<TenderStatus, string> = {
  pending: 'Waiting',
  paid: 'Paid',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export function proofLabel(source: ProofSource | null): string {
  return source ? SOURCE_LABELS[source] : '—';
}

/** Enough of an intent id to recognise it and to type into the search box. */
export function shortIntent(intentId: string | null): string {
  if (!intentId) return '—';
  return intentId.length > 10 ? `${intentId.slice(0, 8)}…` : intentId;
}

const kinFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 5 });
export function formatKin(quarks: number): string {
  return `${kinFormat.format(quarks / QUARKS_PER_KIN)} Kin`;
}

const rateFormat = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 8 });
/** Code's exchange rate is the price of one Kin in the sale's currency. */
export function formatRate(rate: number, currency: string): string {
  return `1 Kin = ${rateFormat.format(rate)} ${currency.toUpperCase()}`;
}

const countFormat = new Intl.NumberFormat();
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** "1 sale", "1,204 sales". */
export function salesCount(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'sale' : 'sales'}`;
}
