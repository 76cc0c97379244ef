import './till.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AppStatus, SessionView, ShiftReport } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { isOpen, outstanding, pendingCodeTender } from '../../../electron/shared/domain/sale';
import { canUse, rolesApply } from '../common/access';
import { armPaidSound, playPaidSound } from '../common/paid-sound';
import { actorText } from '../common/person-text';
import { clockTime } from '../common/shop-time';
import { AmountDisplay } from './amount-display';
import { entryAmount, takesDecimals } from './amount-entry';
import { CashForm } from './cash-form';
import { ConfirmChargeDialog } from './confirm-charge-dialog';
import { CustomTipForm } from './custom-tip-form';
import { Keypad } from './keypad';
import { OtherForm } from './other-form';
import { PaidBanner } from './paid-banner';
import { NoSaleButton } from './no-sale-button';
import { NoShiftPanel } from './no-shift-panel';
import { PaymentNotices } from './payment-notices';
import { PrinterNotices } from './printer-notices';
import { SaleActions } from './sale-actions';
import { SaleOutcome } from './sale-outcome';
import { SaleSummary } from './sale-summary';
import { TillError } from './till-error';
import { cancelBlockedReason, codeUnavailableNote, isWaiting, type CodeOffer } from './till-state';
import { presetForKey, tipLetter } from './tip-entry';
import { TipPanel } from './tip-panel';
import { usePrinterFaults } from './use-printer-faults';
import { useTill } from './use-till';
import { useTillKeyboard } from './use-till-keyboard';
import { WaitingPanel } from './waiting-panel';

interface TillProps {
  status: AppStatus | null;
  session: SessionView | null;
  /** The open shift (null: none; undefined: not known, or not this person's to see). */
  shift: ShiftReport | null | undefined;
  /** "Open a shift first": the shift screen. */
  onOpenShift(): void;
  /** Whether the till is the screen shown: its keyboard listens only then. */
  active: boolean;
  /** The sale on screen was paid: the till must come to the front. */
  onPaid(): void;
}

/** Amount entry, the sale on screen with its tenders, and its outcome. */
export function Till({ status, session, shift, active, onPaid, onOpenShift }: TillProps) {
  const confirmAbove = status?.confirmAbove ?? 0;
  const rail = status?.rail;
  const limits = status?.codeLimits;
  const shopCurrency = status?.currency;
  const offer = useMemo<CodeOffer | null>(
    () => (rail && limits && shopCurrency ? { rail, limits, currency: shopCurrency } : null),
    [rail, limits, shopCurrency],
  );
  const till = useTill(status?.currency ?? null, confirmAbove, offer);
  const { state } = till;
  const current = state.current;
  // Once roles apply a sale goes into a counted drawer: with no shift open the till offers to open one instead of charging.
  const needsShift = rolesApply(session) && shift === null && current === null;
  const waiting = isWaiting(current);
  const ended = current !== null && !waiting ? current.sale : null;
  const charging = state.busy === 'charge';
  const currency = state.currency;
  const amount = entryAmount(state.entry, currency);
  const decimals = takesDecimals(currency);

  const paidId = ended?.status === 'paid' ? ended.id : null;
  const latestOnPaid = useRef(onPaid);
  latestOnPaid.current = onPaid;
  useEffect(() => {
    if (paidId !== null) latestOnPaid.current();
  }, [paidId]);

  // Another screen never keeps the till's question open behind it.
  const { closeConfirm } = till;
  useEffect(() => {
    if (!active) closeConfirm();
  }, [active, closeConfirm]);

  // The chime sounds when the ledger turns a sale the till showed open into
  // paid: once per sale, and not for a paid sale shown again after a reload.
  const paidSound = status?.paidSound ?? false;
  const latestPaidSound = useRef(paidSound);
  latestPaidSound.current = paidSound;
  const seenOpen = useRef<number | null>(null);
  const saleId = current?.sale.id ?? null;
  const saleOpen = current ? isOpen(current.sale) : false;
  const salePaid = current?.sale.status === 'paid';
  useEffect(() => armPaidSound(), []);
  useEffect(() => {
    if (saleId === null) seenOpen.current = null;
    else if (saleOpen) seenOpen.current = saleId;
    else if (salePaid && seenOpen.current === saleId) {
      seenOpen.current = null;
      if (latestPaidSound.current) playPaidSound();
    }
  }, [saleId, saleOpen, salePaid]);

  const open = waiting && current ? current : null;
  const cancelBlocked = open ? cancelBlockedReason(open.sale) : null;
  const awaitingTip = open?.sale.awaitingTip ?? false;
  const tipPrompt = open?.tipPrompt ?? null;
  const tipBusy = state.busy !== null;

  // The custom tip form belongs to one sale's choice: it closes when the tip is chosen (here or on the customer display).
  const [customTip, setCustomTip] = useState(false);
  const tipKey = awaitingTip && open ? open.sale.id : null;
  useEffect(() => setCustomTip(false), [tipKey]);

  useTillKeyboard(active && !needsShift, {
    key: (key) => {
      if (!awaitingTip) return till.key(key);
      const choice = tipPrompt && !tipBusy ? presetForKey(key, tipPrompt) : null;
      if (choice) void till.chooseTip(choice);
    },
    letter: (key) => {
      if (!awaitingTip || tipBusy) return false;
      const action = tipLetter(key, tipPrompt);
      if (action === 'none') void till.chooseTip({ kind: 'none' });
      else if (action === 'custom') setCustomTip(true);
      return action !== null;
    },
    back: till.back,
    clear: till.clear,
    escape: () => {
      if (customTip && awaitingTip) setCustomTip(false);
      else if (state.form) till.openForm(null);
      else if (state.confirming) till.closeConfirm();
      else if (current === null) till.clear();
      else if (waiting) {
        // A sale with money taken is not cancelled from the keyboard (nor at all, here).
        if (!cancelBlocked) void till.cancel();
      } else till.nextSale();
    },
    enter: () => (state.confirming ? void till.confirmCharge() : current === null ? void till.charge() : waiting ? undefined : till.nextSale()),
  });

  const owed = open ? outstanding(open.sale) : 0;
  const codeBlocked = open ? codeUnavailableNote(open.sale, offer) : null;
  const canRequestCode = open !== null && open.codePayment === null && pendingCodeTender(open.sale) === null && codeBlocked === null && owed > 0;
  const tenderBusy = state.busy === 'cash' || state.busy === 'other';
  // A receipt printer is set: PAID offers Print receipt, and the idle till No sale.
  const printerStatus = status?.printer ?? null;
  const printerSet = printerStatus !== null && printerStatus.state !== 'off';
  const printer = usePrinterFaults(printerStatus);

  return (
    <div className="till" data-paid-sound={paidSound}>
      <PrinterNotices faults={printer.faults} retryErrors={printer.retryErrors} onRetry={(id) => void printer.retry(id)} onDismiss={printer.dismiss} />
      <PaymentNotices sales={state.notices} onDismiss={till.dismissNotice} />
      {needsShift ? (
        <NoShiftPanel onOpenShift={onOpenShift} />
      ) : ended?.status === 'paid' ? (
        <PaidBanner sale={ended} printer={printerSet} onNextSale={till.nextSale} />
      ) : ended ? (
        <SaleOutcome sale={ended} cause={current?.cause ?? null} onNextSale={till.nextSale} />
      ) : (
        <div className="till-grid" data-state={open ? 'sale' : 'entry'}>
          <div className="till-main">
            {open ? (
              <>
                <SaleSummary sale={open.sale} codePayment={open.codePayment} />
                {open.codeNote && !awaitingTip && (
                  <p className="note note--warning code-note" data-testid="code-note" role="alert">
                    {open.codeNote}
                  </p>
                )}
                {awaitingTip ? (
                  <TipPanel
                    sale={open.sale}
                    prompt={tipPrompt}
                    busy={state.busy === 'tip'}
                    error={state.error}
                    customOpen={customTip}
                    onChoose={(choice) => void till.chooseTip(choice)}
                    onCustom={setCustomTip}
                  />
                ) : open.codePayment ? (
                  <WaitingPanel payment={open.codePayment} buttonNote={state.buttonNote} onButtonEvent={till.reportButtonEvent} />
                ) : state.busy === 'request-code' || state.followUp ? (
                  <p className="note" data-testid="asking-code" role="status">
                    Asking Code for the next payment…
                  </p>
                ) : open.codeNote ? null : (
                  <p className="note" data-testid="no-code-payment">
                    No Code payment is waiting: take the rest, <strong>{formatMoney(owed, open.sale.currency)}</strong>, in cash or another tender
                    {canRequestCode ? ', or ask for a Code payment' : ''}.
                  </p>
                )}
              </>
            ) : (
              <>
                <AmountDisplay amount={amount} currency={currency} label="Amount" typed={state.entry.includes('.') ? state.entry : undefined} />
                <TillError message={state.error} />
                <button
                  type="button"
                  className="button button--charge"
                  data-testid="charge"
                  disabled={charging || status === null}
                  aria-busy={charging}
                  onClick={() => void till.charge()}
                >
                  {charging ? 'Ringing up…' : status === null ? 'Connecting to Counter…' : `Charge ${formatMoney(amount, currency)}`}
                  {!charging && status !== null && <span className="key-hint">Enter</span>}
                </button>
                {session?.person && (
                  <p className="till-who" data-testid="till-who">
                    Selling as <strong>{actorText(session.person)}</strong>
                    {shift ? ` · shift #${shift.shift.id}, open since ${clockTime(shift.shift.openedAt, status?.timeZone ?? 'UTC')}` : ''}
                  </p>
                )}
                <p className="hint">
                  {decimals
                    ? 'Type the amount with the keys or the keyboard: 12.5 is 12.50. Backspace removes a key, Esc clears.'
                    : 'Type the amount in whole units with the keys or the keyboard. Backspace removes a digit, Esc clears.'}
                </p>
              </>
            )}
          </div>
          <div className="till-side">
            {open ? (
              <SaleActions
                sandbox={open.sale.mode === 'sandbox' && open.codePayment !== null}
                suggestCash={open.codePayment === null && !canRequestCode}
                busy={state.busy}
                error={state.error}
                form={state.form}
                canRequestCode={canRequestCode}
                cancelBlocked={cancelBlocked}
                awaitingTip={awaitingTip}
                onForm={till.openForm}
                onRequestCode={() => void till.requestCode()}
                onCancel={() => void till.cancel()}
                onSimulatePayment={() => void till.simulatePayment()}
                onSimulateCancel={() => void till.simulateCancel()}
              >
                {awaitingTip ? (
                  customTip && tipPrompt?.custom ? (
                    <CustomTipForm
                      saleAmount={open.sale.amount}
                      currency={open.sale.currency}
                      prompt={tipPrompt}
                      busy={state.busy === 'tip'}
                      error={state.error}
                      onTip={(amount) => void till.chooseTip({ kind: 'amount', amount })}
                      onClose={() => setCustomTip(false)}
                    />
                  ) : null
                ) : state.form === 'cash' ? (
                  <CashForm
                    owed={owed}
                    currency={open.sale.currency}
                    busy={tenderBusy}
                    error={state.error}
                    onTake={(tendered) => void till.takeCash(tendered)}
                    onClose={() => till.openForm(null)}
                  />
                ) : state.form === 'other' ? (
                  <OtherForm
                    owed={owed}
                    currency={open.sale.currency}
                    busy={tenderBusy}
                    error={state.error}
                    onTake={(value, label) => void till.takeOther(value, label)}
                    onClose={() => till.openForm(null)}
                  />
                ) : null}
              </SaleActions>
            ) : (
              <>
                <Keypad disabled={charging || state.confirming} decimals={decimals} onKey={till.key} onBack={till.back} onClear={till.clear} />
                {printerSet && current === null && !charging && canUse(session, 'openDrawer') && <NoSaleButton />}
              </>
            )}
          </div>
        </div>
      )}
      <ConfirmChargeDialog
        open={state.confirming}
        amount={amount}
        currency={currency}
        confirmAbove={confirmAbove}
        onCharge={() => void till.confirmCharge()}
        onBack={till.closeConfirm}
      />
    </div>
  );
}
