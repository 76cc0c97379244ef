import './till.css';
import { useEffect, useRef } from 'react';
import type { AppStatus } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { AmountDisplay } from './amount-display';
import { entryAmount, takesDecimals } from './amount-entry';
import { ConfirmChargeDialog } from './confirm-charge-dialog';
import { Keypad } from './keypad';
import { PaidBanner } from './paid-banner';
import { PaymentNotices } from './payment-notices';
import { SaleActions } from './sale-actions';
import { SaleOutcome } from './sale-outcome';
import { TillError } from './till-error';
import { isWaiting } from './till-state';
import { useTill } from './use-till';
import { useTillKeyboard } from './use-till-keyboard';
import { WaitingPanel } from './waiting-panel';

interface TillProps {
  status: AppStatus | null;
  /** Whether the till is the screen shown: its keyboard listens only then. */
  active: boolean;
  /** The sale on screen was paid: the till must come to the front. */
  onPaid(): void;
}

/** Amount entry, the sale on screen, and its outcome. */
export function Till({ status, active, onPaid }: TillProps) {
  const confirmAbove = status?.confirmAbove ?? 0;
  const till = useTill(status?.currency ?? null, confirmAbove);
  const { state } = till;
  const current = state.current;
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

  useTillKeyboard(active, {
    key: till.key,
    back: till.back,
    clear: till.clear,
    escape: () => (state.confirming ? till.closeConfirm() : current === null ? till.clear() : waiting ? void till.cancel() : till.nextSale()),
    enter: () => (state.confirming ? void till.confirmCharge() : current === null ? void till.charge() : waiting ? undefined : till.nextSale()),
  });

  return (
    <div className="till">
      <PaymentNotices sales={state.notices} onDismiss={till.dismissNotice} />
      {ended?.status === 'paid' ? (
        <PaidBanner sale={ended} onNextSale={till.nextSale} />
      ) : ended ? (
        <SaleOutcome sale={ended} cause={current?.cause ?? null} onNextSale={till.nextSale} />
      ) : (
        <div className="till-grid" data-state={current ? 'sale' : 'entry'}>
          <div className="till-main">
            {current ? (
              // The sale's own amount: after a reload the typed amount is gone, the sale is not.
              <AmountDisplay amount={current.sale?.amount ?? current.charge.amount} currency={current.charge.currency} label="Charging" />
            ) : (
              <AmountDisplay amount={amount} currency={currency} label="Amount" typed={state.entry.includes('.') ? state.entry : undefined} />
            )}
            {current === null ? (
              <>
                <TillError message={state.error} />
                <button
                  type="button"
                  className="button button--charge"
                  data-testid="charge"
                  disabled={charging || status === null}
                  aria-busy={charging}
                  onClick={() => void till.charge()}
                >
                  {charging ? 'Requesting payment…' : status === null ? 'Connecting to Counter…' : `Charge ${formatMoney(amount, currency)}`}
                  {!charging && status !== null && <span className="key-hint">Enter</span>}
                </button>
                <p className="hint">
                  {decimals
                    ? 'Type the amount with the keys or the keyboard: 12.5 is 12.50. Backspace removes a key, Esc clears.'
                    : 'Type the amount in whole units with the keys or the keyboard. Backspace removes a digit, Esc clears.'}
                </p>
              </>
            ) : (
              <WaitingPanel charge={current.charge} buttonNote={state.buttonNote} onButtonEvent={till.reportButtonEvent} />
            )}
          </div>
          <div className="till-side">
            {current === null ? (
              <Keypad disabled={charging || state.confirming} decimals={decimals} onKey={till.key} onBack={till.back} onClear={till.clear} />
            ) : (
              <SaleActions
                sandbox={current.charge.mode === 'sandbox'}
                busy={state.busy}
                error={state.error}
                onCancel={() => void till.cancel()}
                onSimulatePayment={() => void till.simulatePayment()}
                onSimulateCancel={() => void till.simulateCancel()}
              />
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
