import './paid-banner.css';
import { useEffect, useRef } from 'react';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { totalDue } from '../../../electron/shared/domain/sale';
import { getCounterApi } from '../common/api';
import { PrinterAction } from '../common/printer-action';
import { changeGiven } from '../common/tender-text';
import { hasTip, tipLineName } from '../common/tip-text';
import { TenderList } from './tender-list';

interface PaidBannerProps {
  sale: Sale;
  /** A receipt printer is set: Print receipt (or Print again, once the automatic receipt is out). */
  printer: boolean;
  onNextSale(): void;
}

/**
 * Shown only when the ledger says the sale on screen is paid (webhook, status
 * poll, or cash and other tenders taken), never on the button's word. The
 * change to hand back, when cash was over, is the largest thing after PAID.
 */
export function PaidBanner({ sale, printer, onNextSale }: PaidBannerProps) {
  const next = useRef<HTMLButtonElement>(null);
  // Enter then starts the next sale, and a screen reader lands on the result.
  useEffect(() => next.current?.focus(), []);
  const change = changeGiven(sale);
  // One Code payment needs no list: PAID and the amount say it all.
  const list = sale.tenders.filter((t) => t.status === 'paid');
  const showTenders = list.length > 1 || list.some((t) => t.kind !== 'code');
  return (
    <section
      className={`paid${showTenders || change > 0 ? ' paid--tenders' : ''}`}
      data-testid="paid"
      role="status"
      aria-live="assertive"
      aria-label="Payment received"
    >
      <p className="paid-word">PAID</p>
      <p className="paid-amount" data-testid="paid-amount">
        {formatMoney(totalDue(sale), sale.currency)}
      </p>
      {hasTip(sale) && (
        <p className="paid-tip" data-testid="paid-tip">
          Sale {formatMoney(sale.amount, sale.currency)} + {tipLineName(sale)} {formatMoney(sale.tipAmount, sale.currency)}
        </p>
      )}
      {change > 0 && (
        <p className="paid-change" data-testid="change-due">
          Change: <strong>{formatMoney(change, sale.currency)}</strong>
        </p>
      )}
      {showTenders && (
        <div className="paid-tenders">
          <TenderList sale={{ ...sale, tenders: list }} codePayment={null} tone="paid" />
        </div>
      )}
      {sale.paidLate && (
        <p className="paid-late" data-testid="paid-late" role="alert">
          <strong>Paid late.</strong> A Code payment arrived after {sale.cancelledAt !== null || sale.expiredAt !== null ? `the sale was ${sale.expiredAt !== null ? 'expired' : 'cancelled'}` : 'it was closed'}. The
          money was received: check with the customer before they leave.
        </p>
      )}
      <p className="paid-meta">
        Sale #{sale.id}
        {sale.mode === 'sandbox' ? ' · sandbox test payment' : ''}
      </p>
      <div className="paid-actions">
        <button ref={next} type="button" className="button button--next" data-testid="next-sale" onClick={onNextSale}>
          Next sale <span className="key-hint">Enter</span>
        </button>
        {printer && (
          <div className="paid-print">
            <PrinterAction
              label="Print receipt"
              againLabel="Print again"
              testId="paid-print-receipt"
              run={() => getCounterApi().printReceipt({ saleId: sale.id })}
              // The automatic receipt of this sale shows here too; a fault's Retry is the notice's, above.
              adopt={(job) => job.kind === 'receipt' && job.saleId === sale.id}
              retry={false}
              keepFocus
            />
          </div>
        )}
      </div>
    </section>
  );
}
