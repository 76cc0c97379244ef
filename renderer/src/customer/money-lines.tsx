import './money-lines.css';
import type { CustomerAmounts } from '../../../electron/shared/domain/customer-view';
import { formatMoney } from '../../../electron/shared/domain/money';

/**
 * The small print under a big amount: what the total is made of (the sale
 * and the tip) and what was already paid, each only when there is one, so
 * a plain sale shows its one amount and nothing to puzzle over.
 */
export function MoneyLines({ amounts }: { amounts: CustomerAmounts }) {
  const money = (n: number) => formatMoney(n, amounts.currency);
  if (amounts.tipAmount === 0 && amounts.paid === 0) return null;
  return (
    <dl className="money-lines">
      {amounts.tipAmount > 0 && (
        <>
          <div data-testid="customer-amount-line">
            <dt>Purchase</dt>
            <dd>{money(amounts.amount)}</dd>
          </div>
          <div data-testid="customer-tip-line">
            <dt>Tip</dt>
            <dd>{money(amounts.tipAmount)}</dd>
          </div>
        </>
      )}
      {amounts.paid > 0 && (
        <>
          <div data-testid="customer-paid-so-far">
            <dt>Paid so far</dt>
            <dd>{money(amounts.paid)}</dd>
          </div>
          <div className="money-lines-left" data-testid="customer-left">
            <dt>Left to pay</dt>
            <dd>{money(Math.max(0, amounts.total - amounts.paid))}</dd>
          </div>
        </>
      )}
    </dl>
  );
}
