import './sale-summary.css';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { outstanding, totalDue } from '../../../electron/shared/domain/sale';
import type { CodePaymentPlace } from '../common/tender-text';
import { hasTip, tipLineName } from '../common/tip-text';
import { AmountDisplay } from './amount-display';
import { TenderList } from './tender-list';

interface SaleSummaryProps {
  sale: Sale;
  codePayment: CodePaymentPlace | null;
}

/** The open sale as the ledger has it: its total (with the tip, once chosen), what is paid and still owed, and its tenders. */
export function SaleSummary({ sale, codePayment }: SaleSummaryProps) {
  const owed = outstanding(sale);
  const total = totalDue(sale);
  const money = (n: number) => formatMoney(n, sale.currency);
  return (
    <section className="sale-summary" data-testid="sale-summary" aria-label={`Sale #${sale.id}`}>
      <AmountDisplay amount={total} currency={sale.currency} label={sale.awaitingTip ? 'Sale amount' : hasTip(sale) ? 'Total with tip' : 'Sale total'} />
      {sale.awaitingTip ? (
        <p className="sale-tip" data-testid="sale-tip">
          Tip: waiting for the choice
        </p>
      ) : hasTip(sale) ? (
        <p className="sale-tip" data-testid="sale-tip">
          Sale {money(sale.amount)} + {tipLineName(sale)} <strong>{money(sale.tipAmount)}</strong>
        </p>
      ) : sale.tipChosenBy !== null ? (
        <p className="sale-tip" data-testid="sale-tip">
          No tip
        </p>
      ) : null}
      <div className="sale-paid">
        {sale.paidAmount > 0 ? (
          <p className="sale-partly" data-testid="partly-paid">
            Partly paid: {money(sale.paidAmount)} of {money(total)}
          </p>
        ) : (
          <p className="sale-nothing">Nothing paid yet</p>
        )}
        <p className="sale-owed">
          Still owed <strong data-testid="owed">{sale.awaitingTip ? `${money(owed)} + tip` : money(owed)}</strong>
        </p>
      </div>
      <TenderList sale={sale} codePayment={codePayment} />
    </section>
  );
}
