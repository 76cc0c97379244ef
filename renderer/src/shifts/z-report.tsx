import './z-report.css';
import type { ReactNode } from 'react';
import type { ShiftReport } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { REFUND_METHODS, REFUND_METHOD_WORDS } from '../../../electron/shared/domain/refund';
import { formatCount, salesCount } from '../common/sale-labels';
import { clockTime, fullTime } from '../common/shop-time';
import { overShortText, overShortTone } from './shift-text';

interface ZReportProps {
  report: ShiftReport;
  timeZone: string;
  shopName: string;
}

/**
 * A shift's Z-report: the cash drawer first (expected against counted), then
 * what was taken by tender, the refunds and the net, then the sales, who
 * sold, and the drawer openings. Live while the shift is open (no count yet),
 * frozen once it is closed.
 */
export function ZReport({ report: r, timeZone, shopName }: ZReportProps) {
  const { shift } = r;
  const money = (n: number) => formatMoney(n, shift.currency);
  const closed = shift.closedAt !== null;
  return (
    <article className="z-report print-area" data-testid="z-report" data-shift-id={shift.id} data-state={closed ? 'closed' : 'open'} aria-label={`Z-report of shift ${shift.id}`}>
      <header className="z-head">
        <p className="z-title">
          {shopName ? `${shopName} · ` : ''}Shift #{shift.id} · {closed ? 'Z-report' : 'so far'}
        </p>
        <p className="z-meta" data-testid="z-meta">
          {shift.mode === 'sandbox' ? 'Sandbox (test) · ' : ''}
          {shift.currency.toUpperCase()} · opened {fullTime(shift.openedAt, timeZone)} by {shift.openedBy.name}
          {shift.closedAt !== null && shift.closedBy ? ` · closed ${fullTime(shift.closedAt, timeZone)} by ${shift.closedBy.name}` : ` · figures at ${clockTime(r.at, timeZone)}`}
        </p>
      </header>
      <div className="z-grid">
        <Panel name="cash" title="Cash drawer" shiftId={shift.id}>
          <dl className="z-lines">
            <Line label="Float at the start" id="float">
              {money(r.cash.float)}
            </Line>
            <Line label="+ Cash taken (net of change)" id="cash-taken">
              {money(r.cash.taken)}
            </Line>
            <Line label="− Cash refunded" id="cash-refunded">
              {money(r.cash.refunded)}
            </Line>
            <Line label="= Expected in the drawer" id="expected" strong>
              {money(r.cash.expected)}
            </Line>
            <Line label="Counted" id="counted" strong>
              {r.cash.counted === null ? 'at the close' : money(r.cash.counted)}
            </Line>
          </dl>
          {r.cash.overShort !== null && (
            <p className={`z-over-short z-over-short--${overShortTone(r.cash.overShort)}`} data-testid="z-over-short" data-over-short={r.cash.overShort}>
              {overShortText(r.cash.overShort, shift.currency)}
            </p>
          )}
        </Panel>

        <Panel name="taken" title="Taken" shiftId={shift.id}>
          <dl className="z-lines">
            <Line label="Code" id="taken-code">
              {money(r.taken.code)}
            </Line>
            <Line label="Cash" id="taken-cash">
              {money(r.taken.cash)}
            </Line>
            <Line label="Other" id="taken-other">
              {money(r.taken.other)}
            </Line>
            {r.otherByLabel.map((o) => (
              <Line key={o.label} label={`· ${o.label}`} id="taken-other-label" sub>
                {money(o.amount)}
              </Line>
            ))}
            <Line label="Total taken" id="taken-total" strong>
              {money(r.taken.total)}
            </Line>
            {r.tippedCount > 0 && (
              <Line label={`Tips (${formatCount(r.tippedCount)}, part of it)`} id="tips" sub>
                {money(r.tips)}
              </Line>
            )}
            {r.changeGiven > 0 && (
              <Line label="Change given" id="change" sub>
                {money(r.changeGiven)}
              </Line>
            )}
            <Line label={`Refunds (${formatCount(r.refunds.count)})`} id="refunds">
              {r.refunds.total > 0 ? `− ${money(r.refunds.total)}` : money(0)}
            </Line>
            {REFUND_METHODS.filter((m) => r.refunds.byMethod[m] > 0).map((m) => (
              <Line key={m} label={`· ${REFUND_METHOD_WORDS[m]}`} id={`refunds-${m}`} sub>
                {money(r.refunds.byMethod[m])}
              </Line>
            ))}
            <Line label="Net" id="net" strong>
              {money(r.net)}
            </Line>
          </dl>
        </Panel>

        <Panel name="sales" title="Sales" shiftId={shift.id}>
          <dl className="z-lines">
            <Line label="Rung up" id="count">
              {formatCount(r.sales.count)}
            </Line>
            <Line label="Paid" id="paid-count" sub>
              {formatCount(r.sales.paidCount)}
            </Line>
            {r.sales.openCount > 0 && (
              <Line label="Still open" id="open-count" sub>
                {formatCount(r.sales.openCount)}
              </Line>
            )}
            <Line label="Cancelled · expired · voided" id="closed-counts" sub>
              {`${formatCount(r.sales.cancelledCount)} · ${formatCount(r.sales.expiredCount)} · ${formatCount(r.sales.voidedCount)}`}
            </Line>
            <Line label="First · last sale" id="first-last">
              {r.firstSaleAt === null ? '—' : `${clockTime(r.firstSaleAt, timeZone)} · ${clockTime(r.lastSaleAt ?? r.firstSaleAt, timeZone)}`}
            </Line>
            <Line label="Drawer opened: cash · No sale" id="drawer">
              {`${formatCount(r.drawerOpenings.cash)} · ${formatCount(r.drawerOpenings.noSale)}`}
            </Line>
          </dl>
          {r.people.length > 0 && (
            <>
              <h4 className="z-subtitle">Who sold</h4>
              <ul className="z-people" data-testid="z-people">
                {r.people.map((p) => (
                  <li key={p.id ?? p.name} className="z-person">
                    <span>{p.name}</span>
                    <span className="z-person-figures">
                      {salesCount(p.sales)} · {money(p.taken)}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {r.otherCurrencySales > 0 && (
            <p className="note z-note">
              {salesCount(r.otherCurrencySales)} in another currency, not in these figures.
            </p>
          )}
        </Panel>
      </div>
    </article>
  );
}

/** One of the report's three panels (`z-cash`, `z-taken`, `z-sales`), titled; the cash drawer's is marked out. */
function Panel({ name, title, shiftId, children }: { name: 'cash' | 'taken' | 'sales'; title: string; shiftId: number; children: ReactNode }) {
  const titleId = `z-${name}-${shiftId}`;
  return (
    <section className={`z-panel${name === 'cash' ? ' z-panel--cash' : ''}`} aria-labelledby={titleId} data-testid={`z-${name}`}>
      <h3 id={titleId} className="z-panel-title">
        {title}
      </h3>
      {children}
    </section>
  );
}

function Line({ label, id, strong = false, sub = false, children }: { label: string; id: string; strong?: boolean; sub?: boolean; children: ReactNode }) {
  return (
    <div className={`z-line${strong ? ' z-line--strong' : ''}${sub ? ' z-line--sub' : ''}`} data-line={id}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
