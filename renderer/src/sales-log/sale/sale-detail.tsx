import './sale-detail.css';
import type { ReactNode } from 'react';
import type { Sale } from '../../../../electron/shared/contract';
import { formatMoney } from '../../../../electron/shared/domain/money';
import { ModeBadge, StatusBadge } from '../sale-badges';
import { formatCount, formatKin, formatRate, proofLabel } from '../../common/sale-labels';
import { SaleTimeline } from './sale-timeline';
import { fullTime } from '../../common/shop-time';
import { useSale } from './use-sale';

interface SaleDetailProps {
  saleId: number;
  timeZone: string;
  onBack(): void;
  onReceipt(): void;
}

/** Every fact the ledger holds about one sale, then its event timeline. */
export function SaleDetail({ saleId, timeZone, onBack, onReceipt }: SaleDetailProps) {
  const { sale, events, error, reload } = useSale(saleId);
  const time = (ms: number | null) => (ms === null ? '—' : fullTime(ms, timeZone));

  return (
    <section className="sale-detail" data-testid="sale-detail" data-sale-id={saleId}>
      <div className="log-toolbar">
        <button type="button" className="button button--small" data-testid="detail-back" onClick={onBack}>
          ← Back to the log
        </button>
        <button type="button" className="button button--small button--primary" data-testid="open-receipt" disabled={!sale} onClick={onReceipt}>
          Receipt
        </button>
      </div>
      {error && (
        <div className="error-note" role="alert">
          {error}{' '}
          <button type="button" className="button button--small" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {!sale ? (
        !error && <p className="hint">Loading sale #{saleId}…</p>
      ) : (
        <>
          {sale.paidLate && <PaidLateNotice sale={sale} timeZone={timeZone} />}
          <div className="detail-grid">
            <dl className="facts" data-testid="sale-facts">
              <Fact name="Amount" id="amount">
                <strong className="facts-amount">{formatMoney(sale.amount, sale.currency)}</strong> {sale.currency.toUpperCase()}
              </Fact>
              <Fact name="Status" id="status">
                <StatusBadge sale={sale} />
              </Fact>
              <Fact name="Mode" id="mode">
                <ModeBadge mode={sale.mode} />
              </Fact>
              <Fact name="Sale number" id="sale-id">
                #{sale.id}
              </Fact>
              <Fact name="Reference" id="ref" mono>
                {sale.ref}
              </Fact>
              <Fact name="Intent id" id="intent" mono>
                {sale.intentId ?? '— (no payment request was made)'}
              </Fact>
              <Fact name="Created" id="created">
                {time(sale.createdAt)}
              </Fact>
              <Fact name="Paid" id="paid">
                {time(sale.paidAt)}
              </Fact>
              <Fact name="Cancelled" id="cancelled">
                {time(sale.cancelledAt)}
              </Fact>
              <Fact name="Expired" id="expired">
                {time(sale.expiredAt)}
              </Fact>
              <Fact name="Last change" id="updated">
                {time(sale.updatedAt)}
              </Fact>
              <Fact name="First proof" id="first-proof">
                {proofLabel(sale.firstProof)}
              </Fact>
              <Fact name="Paid late" id="paid-late">
                {sale.paidLate ? 'Yes: paid after it was closed' : 'No'}
              </Fact>
              <Fact name="Quarks" id="quarks">
                {sale.quarks === null ? '—' : formatCount(sale.quarks)}
              </Fact>
              <Fact name="Kin amount" id="kin">
                {sale.quarks === null ? '—' : formatKin(sale.quarks)}
              </Fact>
              <Fact name="Exchange rate" id="rate">
                {sale.exchangeRate === null ? '—' : formatRate(sale.exchangeRate, sale.currency)}
              </Fact>
              <Fact name="Destination" id="destination" mono>
                {sale.destination}
              </Fact>
              {/* As the main process sends it: its secret path segment already shows as [redacted]. */}
              <Fact name="Webhook URL" id="webhook" mono={sale.webhookUrl !== null}>
                <span data-testid="detail-webhook-url">{sale.webhookUrl ?? 'none: status polling only'}</span>
              </Fact>
            </dl>
            <section className="log-panel detail-events" aria-labelledby="sale-events-title">
              <h2 id="sale-events-title" className="log-panel-title">
                Events ({events.length})
              </h2>
              <SaleTimeline events={events} timeZone={timeZone} />
            </section>
          </div>
        </>
      )}
    </section>
  );
}

function Fact({ name, id, mono, children }: { name: string; id: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className="fact" data-fact={id}>
      <dt>{name}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </div>
  );
}

function PaidLateNotice({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const closedAt = sale.cancelledAt ?? sale.expiredAt;
  const how = sale.cancelledAt !== null ? 'cancelled' : 'expired';
  return (
    <p className="detail-paid-late" data-testid="detail-paid-late" role="note">
      <strong>Paid late.</strong> The payment arrived {sale.paidAt !== null ? `at ${fullTime(sale.paidAt, timeZone)}` : ''}, after the sale was {how}
      {closedAt !== null ? ` at ${fullTime(closedAt, timeZone)}` : ''}. The money was received and the sale is recorded as paid.
    </p>
  );
}
