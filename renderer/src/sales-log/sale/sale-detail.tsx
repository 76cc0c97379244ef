import './sale-detail.css';
import { useState, type ReactNode } from 'react';
import type { PaymentEvent, Refund, Sale, Tender } from '../../../../electron/shared/contract';
import { REFUND_METHOD_WORDS } from '../../../../electron/shared/domain/refund';
import { formatMoney } from '../../../../electron/shared/domain/money';
import type { ShopSaleTill } from '../../../../electron/shared/domain/shop-view';
import { outstanding, totalDue } from '../../../../electron/shared/domain/sale';
import { ModeBadge, StatusBadge } from '../sale-badges';
import { getCounterApi } from '../../common/api';
import { PrinterAction } from '../../common/printer-action';
import { formatCount, formatKin, formatRate, proofLabel } from '../../common/sale-labels';
import { codeNumbers, tenderStatusText, tenderTitle } from '../../common/tender-text';
import { SaleTimeline } from './sale-timeline';
import { fullTime } from '../../common/shop-time';
import { tipAsked, tipChooserText, tipText } from '../../common/tip-text';
import { useSale } from './use-sale';
import { RefundDialog } from './refund-dialog';
import { canRefundSale, canVoidSale } from './refund-form';
import { VoidDialog } from './void-dialog';

interface SaleDetailProps {
  saleId: number;
  timeZone: string;
  /** A receipt printer is set: the receipt can be printed on it from here. */
  printer: boolean;
  /** What the person signed in may do here (a manager: refund and void; anyone: print a refund receipt). */
  may: { refund: boolean; void: boolean; printRefund: boolean };
  /** Another till's sale, read only from the shop database: its receipt, refunds and voids are that till's. Absent: this till's. */
  till?: ShopSaleTill | null;
  onBack(): void;
  onReceipt(): void;
}

/** Every fact the ledger holds about one sale and each of its tenders, then the event timeline, tender by tender. */
export function SaleDetail({ saleId, timeZone, printer, may, till = null, onBack, onReceipt }: SaleDetailProps) {
  const { sale, events, refunds, error, reload } = useSale(saleId, till?.id ?? null);
  const here = till === null;
  const time = (ms: number | null) => (ms === null ? '—' : fullTime(ms, timeZone));
  const [dialog, setDialog] = useState<'refund' | 'void' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [latestRefund, setLatestRefund] = useState<number | null>(null);

  return (
    <section className="sale-detail" data-testid="sale-detail" data-sale-id={saleId} data-till-id={till?.id}>
      <div className="log-toolbar">
        <button type="button" className="button button--small" data-testid="detail-back" onClick={onBack}>
          ← Back to the log
        </button>
        {here && (
          <button type="button" className="button button--small button--primary" data-testid="open-receipt" disabled={!sale} onClick={onReceipt}>
            Receipt
          </button>
        )}
        {here && printer && (
          <PrinterAction
            label="Print on the receipt printer"
            testId="detail-print-printer"
            disabled={!sale}
            run={() => getCounterApi().printReceipt({ saleId })}
          />
        )}
        {here && may.refund && sale && canRefundSale(sale) && (
          <button type="button" className="button button--small" data-testid="refund-sale" onClick={() => (setDone(null), setDialog('refund'))}>
            Refund…
          </button>
        )}
        {here && may.void && sale && canVoidSale(sale) && (
          <button type="button" className="button button--small" data-testid="void-sale" onClick={() => (setDone(null), setDialog('void'))}>
            Void…
          </button>
        )}
      </div>
      {till && (
        <p className="note detail-other-till" data-testid="detail-other-till" role="note">
          Rung up on {till.label}: reprints, refunds and voids are made on that till.
        </p>
      )}
      {done && (
        <p className="note detail-done" data-testid="detail-done" role="status">
          {done}
        </p>
      )}
      {sale && dialog === 'refund' && (
        <RefundDialog
          sale={sale}
          onClose={() => setDialog(null)}
          onDone={({ refund }) => {
            setDialog(null);
            setLatestRefund(refund.id);
            setDone(
              `Refunded ${formatMoney(refund.amount, refund.currency)}: ${REFUND_METHOD_WORDS[refund.method].toLowerCase()}.${refund.method === 'cash' ? ' Hand the cash to the customer.' : ''}`,
            );
            reload();
          }}
        />
      )}
      {sale && dialog === 'void' && (
        <VoidDialog
          sale={sale}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            setDone(`Sale #${sale.id} voided.`);
            reload();
          }}
        />
      )}
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
            <div className="detail-column">
              <dl className="facts" data-testid="sale-facts">
                <Fact name="Amount" id="amount">
                  <strong className="facts-amount">{formatMoney(sale.amount, sale.currency)}</strong> {sale.currency.toUpperCase()}
                </Fact>
                {tipAsked(sale) && (
                  <>
                    <Fact name="Tip" id="tip">
                      <span data-testid="detail-tip">{tipText(sale)}</span>
                      {tipChooserText(sale) ? ` · ${tipChooserText(sale)}` : ''}
                    </Fact>
                    <Fact name="Total" id="total">
                      <strong data-testid="detail-total">{formatMoney(totalDue(sale), sale.currency)}</strong>
                      {sale.awaitingTip ? ' + the tip' : ''}
                    </Fact>
                  </>
                )}
                <Fact name="Taken" id="taken">
                  {formatMoney(sale.paidAmount, sale.currency)}
                  {outstanding(sale) > 0 && sale.status !== 'cancelled' && sale.status !== 'expired' ? ` · still owed ${formatMoney(outstanding(sale), sale.currency)}` : ''}
                </Fact>
                {sale.refundedAmount > 0 && (
                  <Fact name="Refunded" id="refunded">
                    <strong data-testid="detail-refunded">{formatMoney(sale.refundedAmount, sale.currency)}</strong> · kept{' '}
                    {formatMoney(sale.paidAmount - sale.refundedAmount, sale.currency)}
                  </Fact>
                )}
                <Fact name="Status" id="status">
                  <StatusBadge sale={sale} />
                  {sale.voidedAt !== null && (
                    <span className="badge badge--voided" data-testid="detail-voided">
                      Voided
                    </span>
                  )}
                </Fact>
                <Fact name="Rung up by" id="sold-by">
                  <span data-testid="detail-sold-by">{sale.soldBy?.name ?? '— (before the owner was created)'}</span>
                  {sale.shiftId !== null ? ` · shift #${sale.shiftId}` : ''}
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
                <Fact name="Created" id="created">
                  {time(sale.createdAt)}
                </Fact>
                <Fact name="Paid" id="paid">
                  {time(sale.paidAt)}
                </Fact>
                {sale.voidedAt !== null ? (
                  <Fact name="Voided" id="voided">
                    {time(sale.voidedAt)}
                    {sale.closedBy ? ` by ${sale.closedBy.name}` : ''}
                  </Fact>
                ) : (
                  sale.cancelledAt !== null && (
                    <Fact name="Cancelled" id="cancelled">
                      {time(sale.cancelledAt)}
                      {sale.closedBy ? <span data-testid="detail-closed-by"> by {sale.closedBy.name}</span> : ''}
                    </Fact>
                  )
                )}
                {sale.expiredAt !== null && (
                  <Fact name="Expired" id="expired">
                    {time(sale.expiredAt)}
                  </Fact>
                )}
                <Fact name="Last change" id="updated">
                  {time(sale.updatedAt)}
                </Fact>
                <Fact name="First proof" id="first-proof">
                  {proofLabel(sale.firstProof)}
                </Fact>
                <Fact name="Paid late" id="paid-late">
                  {sale.paidLate ? 'Yes: a Code payment arrived after it was closed' : 'No'}
                </Fact>
                <Fact name="Destination" id="destination" mono>
                  {sale.destination}
                </Fact>
              </dl>
            </div>
            <div className="detail-column">
              {refunds.length > 0 && (
                <section className="log-panel detail-refunds" aria-labelledby="sale-refunds-title" data-testid="detail-refunds">
                  <h2 id="sale-refunds-title" className="log-panel-title">
                    Refunds ({refunds.length})
                  </h2>
                  <RefundList refunds={refunds} timeZone={timeZone} printer={here && printer && may.printRefund} latest={latestRefund} />
                </section>
              )}
              <section className="log-panel detail-tenders" aria-labelledby="sale-tenders-title">
                <h2 id="sale-tenders-title" className="log-panel-title">
                  Tenders ({sale.tenders.length})
                </h2>
                <TenderCards sale={sale} timeZone={timeZone} />
              </section>
              <section className="log-panel detail-events" aria-labelledby="sale-events-title">
                <h2 id="sale-events-title" className="log-panel-title">
                  Events ({events.length})
                </h2>
                <EventsByTender sale={sale} events={events} timeZone={timeZone} />
              </section>
            </div>
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

/** Each tender with what the ledger holds on it: the intent and Kin for Code, tendered and change for cash, the label for other. */
function TenderCards({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  if (sale.tenders.length === 0) return <p className="hint">No tenders: nothing was asked for or taken on this sale.</p>;
  const numbers = codeNumbers(sale);
  const time = (ms: number | null) => (ms === null ? '—' : fullTime(ms, timeZone));
  const money = (n: number | null) => (n === null ? '—' : formatMoney(n, sale.currency));
  return (
    <ol className="tender-cards">
      {[...sale.tenders]
        .sort((a, b) => a.seq - b.seq)
        .map((t) => (
          <li key={t.id} className={`tender-card tender-card--${t.status}`} data-testid="detail-tender" data-kind={t.kind} data-status={t.status} data-tender-id={t.id}>
            <p className="tender-card-head">
              <strong className="tender-card-title">{tenderTitle(t, numbers)}</strong>
              <span className="tender-card-amount">{formatMoney(t.amount, sale.currency)}</span>
              <span className={`badge badge--tender-${t.status}${t.paidLate ? ' badge--late' : ''}`}>{tenderStatusText(t)}</span>
            </p>
            <dl className="tender-facts">
              {t.kind === 'code' && (
                <>
                  <TenderFact name="Intent id" mono>
                    {t.intentId ?? '— (no payment request was made)'}
                  </TenderFact>
                  <TenderFact name="Kin amount">{t.quarks === null ? '—' : `${formatKin(t.quarks)} (${formatCount(t.quarks)} quarks)`}</TenderFact>
                  <TenderFact name="Exchange rate">{t.exchangeRate === null ? '—' : formatRate(t.exchangeRate, sale.currency)}</TenderFact>
                  {/* As the main process sends it: its secret path segment already shows as [redacted]. */}
                  <TenderFact name="Webhook URL" mono={t.webhookUrl !== null}>
                    <span data-testid="detail-webhook-url">{t.webhookUrl ?? 'none: status polling only'}</span>
                  </TenderFact>
                  <TenderFact name="First proof">{proofLabel(t.firstProof)}</TenderFact>
                </>
              )}
              {t.kind === 'cash' && (
                <>
                  <TenderFact name="Tendered">{money(t.tendered)}</TenderFact>
                  <TenderFact name="Change">{money(t.change)}</TenderFact>
                </>
              )}
              {t.kind === 'other' && <TenderFact name="What">{t.label ?? '—'}</TenderFact>}
              {t.takenBy && (
                <TenderFact name={t.kind === 'code' ? 'Asked by' : 'Taken by'}>
                  <span data-testid="tender-taken-by">{t.takenBy.name}</span>
                </TenderFact>
              )}
              <TenderFact name="Started">{time(t.createdAt)}</TenderFact>
              {t.paidAt !== null && <TenderFact name="Paid">{time(t.paidAt)}</TenderFact>}
              {t.cancelledAt !== null && <TenderFact name="Cancelled">{time(t.cancelledAt)}</TenderFact>}
              {t.expiredAt !== null && <TenderFact name="Expired">{time(t.expiredAt)}</TenderFact>}
            </dl>
          </li>
        ))}
    </ol>
  );
}

/** Money handed back on the sale, oldest first: how much, how, the note, who and when, and its receipt. */
function RefundList({ refunds, timeZone, printer, latest }: { refunds: Refund[]; timeZone: string; printer: boolean; latest: number | null }) {
  return (
    <ol className="refund-cards">
      {refunds.map((r) => (
        <li key={r.id} className="refund-card" data-testid="detail-refund" data-refund-id={r.id} data-method={r.method}>
          <p className="refund-card-head">
            <strong className="refund-card-amount">− {formatMoney(r.amount, r.currency)}</strong>
            <span>{REFUND_METHOD_WORDS[r.method]}</span>
            {r.voidOfSale && <span className="badge badge--voided">Void</span>}
          </p>
          <p className="refund-card-facts">
            {fullTime(r.createdAt, timeZone)} · by {r.personName}
            {r.shiftId !== null ? ` · shift #${r.shiftId}` : ''}
          </p>
          {r.note && <p className="refund-card-note">“{r.note}”</p>}
          {printer && (
            <PrinterAction
              label="Print refund receipt"
              againLabel="Print again"
              testId={r.id === latest ? 'print-refund' : `print-refund-${r.id}`}
              run={() => getCounterApi().printRefund({ refundId: r.id })}
              adopt={(job) => job.kind === 'refund' && job.refundId === r.id}
            />
          )}
        </li>
      ))}
    </ol>
  );
}

function TenderFact({ name, mono, children }: { name: string; mono?: boolean; children: ReactNode }) {
  return (
    <div className="tender-fact">
      <dt>{name}</dt>
      <dd className={mono ? 'mono' : undefined}>{children}</dd>
    </div>
  );
}

/** The events in groups: the sale's own (rung up, cancelled), then each tender's, each group oldest first. */
function EventsByTender({ sale, events, timeZone }: { sale: Sale; events: PaymentEvent[]; timeZone: string }) {
  if (events.length === 0) return <p className="hint">No events recorded for this sale.</p>;
  const numbers = codeNumbers(sale);
  const tenders = new Map<number, Tender>(sale.tenders.map((t) => [t.id, t]));
  const groups: { key: string; title: string; events: PaymentEvent[] }[] = [];
  const saleEvents = events.filter((e) => e.tenderId === null || !tenders.has(e.tenderId));
  if (saleEvents.length > 0) groups.push({ key: 'sale', title: 'The sale', events: saleEvents });
  for (const t of [...sale.tenders].sort((a, b) => a.seq - b.seq)) {
    const own = events.filter((e) => e.tenderId === t.id);
    if (own.length > 0) groups.push({ key: `t${t.id}`, title: `${tenderTitle(t, numbers)} · ${formatMoney(t.amount, sale.currency)}`, events: own });
  }
  return (
    <div className="event-groups" data-testid="sale-events">
      {groups.map((g) => (
        <section key={g.key} className="event-group" aria-label={g.title}>
          {groups.length > 1 && <h3 className="event-group-title">{g.title}</h3>}
          <SaleTimeline events={g.events} timeZone={timeZone} />
        </section>
      ))}
    </div>
  );
}

function PaidLateNotice({ sale, timeZone }: { sale: Sale; timeZone: string }) {
  const closedAt = sale.cancelledAt ?? sale.expiredAt;
  const how = sale.cancelledAt !== null ? 'cancelled' : 'expired';
  const late = sale.tenders.filter((t) => t.paidLate && t.paidAt !== null);
  const at = late.length > 0 ? late[late.length - 1]!.paidAt : sale.paidAt;
  return (
    <p className="detail-paid-late" data-testid="detail-paid-late" role="note">
      <strong>Paid late.</strong> A Code payment arrived {at !== null ? `at ${fullTime(at, timeZone)}` : ''}
      {closedAt !== null ? `, after the sale was ${how} at ${fullTime(closedAt, timeZone)}` : ', after its payment request was closed'}. The money was received and is
      recorded.
    </p>
  );
}
