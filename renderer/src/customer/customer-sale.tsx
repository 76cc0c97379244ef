import './customer-sale.css';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { formatMoney } from '../../../electron/shared/domain/money';
import { MoneyLines } from './money-lines';

/** A sale on the till with nothing for the customer to do yet: the total, large, and what is happening. */
export function CustomerSale({ view }: { view: Extract<CustomerView, { state: 'sale' }> }) {
  const total = formatMoney(view.total, view.currency);
  return (
    <section className="customer-sale" data-testid="customer-sale" aria-label="Your sale">
      <p className="customer-label">Total</p>
      <p className={`customer-big-amount${total.length > 10 ? ' customer-big-amount--long' : ''}`} data-testid="customer-total">
        {total}
      </p>
      <MoneyLines amounts={view} />
      <p className="customer-sale-note" role="status">
        The cashier is finishing your sale
      </p>
    </section>
  );
}
