import './sales-row.css';
import { memo } from 'react';
import { formatMoney } from '../../../electron/shared/domain/money';
import { totalDue } from '../../../electron/shared/domain/sale';
import { ModeBadge, RefundedBadge, StatusBadge } from './sale-badges';
import { proofLabel } from '../common/sale-labels';
import { intentIds, tendersSummary } from '../common/tender-text';
import { rowTime } from '../common/shop-time';
import { hasTip, tipText } from '../common/tip-text';
import { rowKey, saleTill, tillLabelParts, type LogSale } from './sales-scope';

interface SalesRowProps {
  sale: LogSale;
  timeZone: string;
  /** The one row Tab stops at (roving tabindex): Tab enters and leaves the list in one step, arrows move within. */
  tabbable: boolean;
}

/**
 * One sale in the log. Plain and memoised: appending a page renders only the
 * new rows, and clicks and keys are handled once for the whole list. Read
 * from the shop database, it says its till ("#12 · Corner Café · 3f2a9c1d").
 */
export const SalesRow = memo(function SalesRow({ sale, timeZone, tabbable }: SalesRowProps) {
  const till = saleTill(sale);
  const label = till ? tillLabelParts(till) : null;
  return (
    <div
      role="row"
      tabIndex={tabbable ? 0 : -1}
      className={`log-row${sale.paidLate ? ' log-row--late' : ''}${sale.mode === 'sandbox' ? ' log-row--sandbox' : ''}`}
      data-testid="log-row"
      data-sale-id={sale.id}
      data-row-key={rowKey(sale)}
      data-till-id={till?.id}
      data-status={sale.status}
    >
      <span role="cell" className="log-cell log-cell--id" data-testid="log-row-sale">
        {/* The shop scope: the number on one line (this till's marked), its till on the next, so the number never gives way. */}
        <span className="log-sale-line">
          <span className="log-sale-number">#{sale.id}</span>
          {till?.thisTill && <span className="log-till-mark">this till</span>}
        </span>
        {till && label && (
          <span className="log-till" data-testid="log-row-till" title={till.label}>
            <span className="visually-hidden">, </span>
            <span className="log-till-name">{label.name}</span>
            {label.short && <span className="log-till-id">{` · ${label.short}`}</span>}
          </span>
        )}
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
