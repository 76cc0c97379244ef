import './payment-notices.css';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { totalDue } from '../../../electron/shared/domain/sale';

interface PaymentNoticesProps {
  sales: Sale[];
  onDismiss(saleId: number): void;
}

/** Payments for sales that are no longer on screen: a late payment must never pass unnoticed. */
export function PaymentNotices({ sales, onDismiss }: PaymentNoticesProps) {
  if (sales.length === 0) return null;
  return (
    <ul className="notices" aria-label="Payments for earlier sales">
      {sales.map((sale) => (
        <li key={sale.id} className={`notice ${sale.paidLate ? 'notice--late' : ''}`} data-testid="payment-notice" role="alert">
          <span>
            <strong>
              {sale.status === 'paid'
                ? `Sale #${sale.id} (${formatMoney(totalDue(sale), sale.currency)}) was paid${sale.paidLate ? ' late' : ''}.`
                : `Sale #${sale.id} received a late Code payment: ${formatMoney(sale.paidAmount, sale.currency)} of ${formatMoney(totalDue(sale), sale.currency)} is paid.`}
            </strong>{' '}
            {sale.paidLate
              ? `It had been ${sale.expiredAt !== null ? 'expired' : 'cancelled'}: the money was received, check with the customer.`
              : 'Counter found the payment while checking earlier sales.'}
          </span>
          <button type="button" className="button button--small" onClick={() => onDismiss(sale.id)}>
            Dismiss
          </button>
        </li>
      ))}
    </ul>
  );
}
