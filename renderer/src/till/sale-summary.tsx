import './sale-summary.css';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { outstanding } from '../../../electron/shared/domain/sale';
import type { CodePaymentPlace } from '../common/tender-text';
import { AmountDisplay } from './amount-display';
import { TenderList } from './tender-list';

interface SaleSummaryProps {
  sale: Sale;
  codePayment: CodePaymentPlace | null;
}

/** The open sale as the ledger has it: its total, what is paid and still owed, and its tenders. */
export function SaleSummary({ sale, codePayment }: SaleSummaryProps) {
  const owed = outstanding(sale);
  return (
    <section className="sale-summary" data-testid="sale-summary" aria-label={`Sale #${sale.id}`}>
      <AmountDisplay amount={sale.amount} currency={sale.currency} label="Sale total" />
      <div className="sale-paid">
        {sale.paidAmount > 0 ? (
          <p className="sale-partly" data-testid="partly-paid">
            Partly paid: {formatMoney(sale.paidAmount, sale.currency)} of {formatMoney(sale.amount, sale.currency)}
          </p>
        ) : (
          <p className="sale-nothing">Nothing paid yet</p>
        )}
        <p className="sale-owed">
          Still owed <strong data-testid="owed">{formatMoney(owed, sale.currency)}</strong>
        </p>
      </div>
      <TenderList sale={sale} codePayment={codePayment} />
    </section>
  );
}
