import './sale-outcome.css';
import { useEffect, useRef } from 'react';
import type { Sale, SaleEventCause } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { totalDue } from '../../../electron/shared/domain/sale';

interface SaleOutcomeProps {
  sale: Sale;
  cause: SaleEventCause | null;
  onNextSale(): void;
}

const TITLES = {
  cancelled: 'Sale cancelled',
  expired: 'Payment request expired',
} as const;

/** A sale that ended without payment: cancelled, or expired (only a sale with nothing paid can end so). */
export function SaleOutcome({ sale, cause, onNextSale }: SaleOutcomeProps) {
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  const kind = sale.status === 'expired' || cause === 'expired' ? 'expired' : 'cancelled';
  return (
    <section className="outcome" data-testid="sale-outcome" data-outcome={kind} role="status" aria-live="assertive">
      <p className="outcome-title">{TITLES[kind]}</p>
      <p className="outcome-amount">{formatMoney(totalDue(sale), sale.currency)}</p>
      <p className="outcome-text">No payment was received. If the customer pays anyway, Counter records it and tells you.</p>
      <button ref={next} type="button" className="button button--primary" data-testid="next-sale" onClick={onNextSale}>
        Next sale <span className="key-hint">Enter</span>
      </button>
    </section>
  );
}
