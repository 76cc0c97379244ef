import './tender-list.css';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { codeNumbers, tenderDetail, tenderStatusText, tenderTitle, type CodePaymentPlace } from '../common/tender-text';

interface TenderListProps {
  sale: Sale;
  /** The Code payment on screen, for its "k of n". */
  codePayment: CodePaymentPlace | null;
  /** On the green PAID banner: light text. */
  tone?: 'plain' | 'paid';
}

/** The sale's tenders in the order they were started: what each paid, and where it stands. */
export function TenderList({ sale, codePayment, tone = 'plain' }: TenderListProps) {
  if (sale.tenders.length === 0) return null;
  const numbers = codeNumbers(sale, codePayment);
  return (
    <ul className={`tenders tenders--${tone}`} data-testid="tenders" aria-label="Tenders">
      {[...sale.tenders]
        .sort((a, b) => a.seq - b.seq)
        .map((t) => {
          const detail = tenderDetail(t, sale.currency);
          return (
            <li key={t.id} className={`tender tender--${t.status}`} data-testid="tender" data-kind={t.kind} data-status={t.status}>
              <span className="tender-title">{tenderTitle(t, numbers)}</span>
              <span className="tender-amount">{formatMoney(t.amount, sale.currency)}</span>
              <span className={`tender-status tender-status--${t.status}`}>{tenderStatusText(t)}</span>
              {detail && <span className="tender-detail">{detail}</span>}
            </li>
          );
        })}
    </ul>
  );
}
