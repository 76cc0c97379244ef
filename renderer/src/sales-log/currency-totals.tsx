import './currency-totals.css';
import { Fragment } from 'react';
import type { CurrencyTotals } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { netTakings } from '../../../electron/shared/domain/totals';
import { formatCount } from '../common/sale-labels';

/**
 * One currency's numbers, what was taken first: the paid amount, how many
 * sales it came from, and what each kind of tender brought in (cash net of
 * the change given back, which is shown too, so the drawer can be counted);
 * the tips in it, apart, so they can be shared out.
 * What was rung up but not paid (pending, partly paid, cancelled, expired)
 * follows as its own labelled figure, with its counts by status: what is
 * still owed is never part of the takings, so one cancelled test charge
 * cannot swell a day.
 */
/** Only the kinds that took something are listed ("Code $5.00", not "· Cash $0.00 · Other $0.00"). */
const TENDERS = [
  ['code', 'Code'],
  ['cash', 'Cash'],
  ['other', 'Other'],
] as const;

export function CurrencyTotalsCard({ totals: t }: { totals: CurrencyTotals }) {
  const code = t.currency.toUpperCase();
  const unpaidByStatus = [
    [t.partlyPaidCount, 'partly paid'],
    [t.pendingCount, 'pending'],
    [t.cancelledCount, 'cancelled'],
    [t.expiredCount, 'expired'],
  ] as const;
  return (
    <section className="currency-totals" data-testid="currency-totals" data-currency={t.currency} aria-label={`Totals in ${code}`}>
      <p className="currency-totals-taken" data-total="paid">
        <span className="currency-totals-label">
          Taken <span className="currency-totals-code">{code}</span>
        </span>
        <strong className="currency-totals-amount">{formatMoney(t.paidAmount, t.currency)}</strong>
      </p>
      <p className="currency-totals-count" data-total="paid-count">
        <span className="currency-totals-phrase">
          {formatCount(t.paidCount)} paid {t.paidCount === 1 ? 'sale' : 'sales'},
        </span>{' '}
        <span className="currency-totals-phrase">of {formatCount(t.count)} rung up</span>
        {t.paidLateCount > 0 && (
          <span className="currency-totals-late" data-total="paid-late">
            {formatCount(t.paidLateCount)} paid late
          </span>
        )}
      </p>
      <p className="currency-totals-tenders" data-total="by-tender" hidden={t.paidAmount === 0}>
        {TENDERS.filter(([kind]) => t.byTender[kind] !== 0).map(([kind, name], i) => (
          <Fragment key={kind}>
            {i > 0 && ' · '}
            <span className="currency-totals-phrase" data-tender={kind}>
              {name} <strong>{formatMoney(t.byTender[kind], t.currency)}</strong>
            </span>
          </Fragment>
        ))}
      </p>
      {(t.tips > 0 || t.tippedCount > 0) && (
        <p className="currency-totals-tips" data-total="tips">
          Tips <strong>{formatMoney(t.tips, t.currency)}</strong> on {formatCount(t.tippedCount)} {t.tippedCount === 1 ? 'sale' : 'sales'}{' '}
          <span className="currency-totals-note">(part of what was taken)</span>
        </p>
      )}
      {t.changeGiven > 0 && (
        <p className="currency-totals-change" data-total="change">
          Change given: {formatMoney(t.changeGiven, t.currency)} <span className="currency-totals-note">(cash is net of it)</span>
        </p>
      )}
      {t.refundCount > 0 && (
        <p className="currency-totals-refunds" data-total="refunds">
          Refunds <strong>− {formatMoney(t.refunds, t.currency)}</strong> ({formatCount(t.refundCount)}) · net{' '}
          <strong data-total="net">{formatMoney(netTakings(t), t.currency)}</strong>
        </p>
      )}
      <p className="currency-totals-unpaid" data-total="unpaid">
        <span className="currency-totals-label">Rung up, not paid:</span>{' '}
        {t.unpaidCount === 0 ? (
          'none'
        ) : (
          <>
            <strong>{formatMoney(t.unpaidAmount, t.currency)}</strong>
            {unpaidByStatus
              .filter(([n]) => n > 0)
              .map(([n, status]) => (
                <Fragment key={status}>
                  {' · '}
                  <span className="currency-totals-status" data-status={status}>
                    {formatCount(n)} {status}
                  </span>
                </Fragment>
              ))}
          </>
        )}
      </p>
    </section>
  );
}
