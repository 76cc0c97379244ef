import './sale-badges.css';
import type { EventOutcome, Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { OUTCOME_LABELS, STATUS_LABELS } from '../common/sale-labels';

/** The sale's status, with the "paid late" flag the cashier must not miss. */
export function StatusBadge({ sale }: { sale: Pick<Sale, 'status' | 'paidLate'> }) {
  return (
    <span className="badges">
      <span className={`badge badge--${sale.status}`} data-status={sale.status}>
        {STATUS_LABELS[sale.status]}
      </span>
      {sale.paidLate && (
        <span className="badge badge--late" data-testid="paid-late-flag" title="Paid after the sale was cancelled or had expired">
          Paid late
        </span>
      )}
    </span>
  );
}

/** Sandbox sales are marked everywhere they appear; live ones stay plain. */
export function ModeBadge({ mode }: { mode: Sale['mode'] }) {
  return mode === 'sandbox' ? <span className="badge badge--sandbox">Sandbox</span> : <span className="mode-live">Live</span>;
}

/** What one payment event did to the sale (credited, duplicate, paid late …). */
export function OutcomeBadge({ outcome }: { outcome: EventOutcome }) {
  return <span className={`badge badge--outcome-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}

/** Money was handed back on the sale: "Refunded" when all of what it took, else "Part refunded"; nothing when none. */
export function RefundedBadge({ sale }: { sale: Pick<Sale, 'refundedAmount' | 'paidAmount' | 'currency'> }) {
  if (sale.refundedAmount <= 0) return null;
  const all = sale.refundedAmount >= sale.paidAmount;
  return (
    <span className="badge badge--refunded" data-testid="log-refunded" title={`${formatMoney(sale.refundedAmount, sale.currency)} refunded`}>
      {all ? 'Refunded' : 'Part refunded'}
    </span>
  );
}
