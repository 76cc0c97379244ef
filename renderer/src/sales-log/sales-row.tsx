import './sales-row.css';
import { memo } from 'react';
import type { Sale } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { totalDue } from '../../../electron/shared/domain/sale';
import { ModeBadge, RefundedBadge, StatusBadge } from './sale-badges';
import { proofLabel } from '../common/sale-labels';
import { intentIds, tendersSummary } from '../common/tender-text';
import { rowTime } from '../common/shop-time';
import { hasTip, tipText } from '../common/tip-text';

interface SalesRowProps {
  sale: Sale;
  timeZone: string;
  /** The one row Tab stops at (roving tabindex): Tab enters and leaves the list in one step, arrows move within. */
  tabbable: boolean;
}

/**
 * One sale in the log. Plain and memoised: appending a page renders only the
 * new rows, and clicks and keys are handled once for the whole list.
 */
export const SalesRow = memo(function SalesRow({ sale, timeZone, tabbable }: SalesRowProps) {
  return (
    <div
      role="row"
      tabIndex={tabbable ? 0 : -1}
      className={`log-row${sale.paidLate ? ' log-row--late' : ''}${sale.mode === 'sandbox' ? ' log-row--sandbox' : ''}`}
      data-testid="log-row"
      data-sale-id={sale.id}
      data-status={sale.status}
    >
      <span role="cell" className="log-cell log-cell--id">
        #{sale.id}
      </span>
      <span role="cell" className="log-cell log-cell--time">
        {rowTime(sale.createdAt, timeZone)}
      </span>
      <span role="cell" className="log-cell log-cell--amount" title={hasTip(sale) ? `Sale ${formatMoney(sale.amount, sale.currency)} + tip ${tipText(sale)}` : undefined}>
        {/* What the customer paid in all; the marker says a tip is part of it (the detail shows how much). */}
        {hasTip(sale) && (
          <span className="log-tip" data-testid="log-tip">
            tip
          </span>
        )}
        {formatMoney(totalDue(sale), sale.currency)}
        <span className="log-currency">{sale.currency.toUpperCase()}</span>
      </span>
      <span role="cell" className="log-cell log-cell--status">
        <StatusBadge sale={sale} />
        <RefundedBadge sale={sale} />
      </span>
      <span role="cell" className="log-cell log-cell--mode">
        <ModeBadge mode={sale.mode} />
      </span>
      <span role="cell" className="log-cell log-cell--proof">
        {proofLabel(sale.firstProof)}
      </span>
      <span role="cell" className="log-cell log-cell--tenders" title={intentIds(sale).join('\n') || undefined}>
        {tendersSummary(sale)}
      </span>
    </div>
  );
});
