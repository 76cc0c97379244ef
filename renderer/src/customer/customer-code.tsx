import './customer-code.css';
import type { CustomerView } from '../../../electron/shared/domain/customer-view';
import { formatMoney } from '../../../electron/shared/domain/money';
import { ScanCodeImage } from '../common/scan-code-image';
import { MoneyLines } from './money-lines';

/**
 * The Code payment to scan, as large as the screen allows, beside what it
 * pays: this payment's amount, its place when the total is split ("Payment
 * 2 of 3"), and the total with the tip.
 */
export function CustomerCode({ view }: { view: Extract<CustomerView, { state: 'code' }> }) {
  const money = (n: number) => formatMoney(n, view.currency);
  const { payment } = view;
  const pay = money(payment.amount);
  return (
    <section className="customer-code" data-testid="customer-code" aria-label="Scan to pay">
      <ScanCodeImage code={view.code} intentId={payment.intentId} className="scan-code--customer" />
      <div className="customer-code-text">
        <p className="customer-code-scan">Scan with the Code app</p>
        {payment.count > 1 && (
          <p className="customer-code-part" data-testid="customer-code-part">
            Payment {payment.index} of {payment.count}
          </p>
        )}
        <p className={`customer-code-pay${pay.length > 9 ? ' customer-code-pay--long' : ''}`} data-testid="customer-code-amount">
          Pay <span className="customer-code-money">{pay}</span>
        </p>
        <p className="customer-code-total" data-testid="customer-total">
          Total {money(view.total)}
        </p>
        <MoneyLines amounts={view} />
      </div>
    </section>
  );
}
