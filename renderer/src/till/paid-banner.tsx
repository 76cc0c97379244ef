import './paid-banner.css';
import { useEffect, useRef } from 'react';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';

interface PaidBannerProps {
  sale: Sale;
  onNextSale(): void;
}

/** Shown only when the ledger says the sale on screen is paid (webhook or status poll), never on the button's word. */
export function PaidBanner({ sale, onNextSale }: PaidBannerProps) {
  const next = useRef<HTMLButtonElement>(null);
  // Enter then starts the next sale, and a screen reader lands on the result.
  useEffect(() => next.current?.focus(), []);
  return (
    <section className="paid" data-testid="paid" role="status" aria-live="assertive" aria-label="Payment received">
      <p className="paid-word">PAID</p>
      <p className="paid-amount">{formatMoney(sale.amount, sale.currency)}</p>
      {sale.paidLate && (
        <p className="paid-late" data-testid="paid-late" role="alert">
          <strong>Paid late.</strong> This payment arrived after the sale was {sale.expiredAt !== null ? 'expired' : 'cancelled'}. The money was
          received: check with the customer before they leave.
        </p>
      )}
      <p className="paid-meta">
        Sale #{sale.id}
        {sale.mode === 'sandbox' ? ' · sandbox test payment' : ''}
      </p>
      <button ref={next} type="button" className="button button--next" data-testid="next-sale" onClick={onNextSale}>
        Next sale <span className="key-hint">Enter</span>
      </button>
    </section>
  );
}
