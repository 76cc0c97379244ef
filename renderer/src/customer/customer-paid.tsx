import './customer-paid.css';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { formatMoney } from '../../../electron/shared/domain/money';

/** PAID, as unmistakable as on the till: the whole screen green, the word huge, the total, a thank-you. */
export function CustomerPaid({ view }: { view: Extract<CustomerView, { state: 'paid' }> }) {
  const money = (n: number) => formatMoney(n, view.currency);
  return (
    <section className="customer-paid" data-testid="customer-paid" role="status" aria-live="assertive" aria-label="Payment received">
      <p className="customer-paid-word">PAID</p>
      <p className="customer-paid-total" data-testid="customer-total">
        {money(view.total)}
      </p>
      {view.tipAmount > 0 && (
        <p className="customer-paid-tip" data-testid="customer-tip-line">
          including a {money(view.tipAmount)} tip
        </p>
      )}
      <p className="customer-paid-thanks">Thank you</p>
    </section>
  );
}
