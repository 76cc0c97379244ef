import { useEffect, useRef } from 'react';
import type { AppStatus } from '../../../electron/shared/contract';
import { AmountDisplay } from './amount-display';
import { Keypad } from './keypad';
import { PaidBanner } from './paid-banner';
import { PaymentNotices } from './payment-notices';
import { SaleOutcome } from './sale-outcome';
import { TillError } from './till-error';
import { isWaiting } from './till-state';
import { useTill } from './use-till';
import { useTillKeyboard } from './use-till-keyboard';
import { WaitingPanel } from './waiting-panel';
import { SaleActions } from './sale-actions';
import { formatMoney } from '../common/format-money';

interface TillProps {
  status: AppStatus | null;
  /** Whether the till is the screen shown: its keyboard listens only then. */
  active: boolean;
  /** The sale on screen was paid: the till must come to the front. */
  onPaid(): void;
}

/** Amount entry, the sale on screen, and its outcome. */
export function Till({ status, active, onPaid }: TillProps) {
  const till = useTill(status?.currency ?? null);
  const { state } = till;
  const current = state.current;
  const waiting = isWaiting(current);
  const ended = current !== null && !waiting ? current.sale : null;
  const charging = state.busy === 'charge';
  const currency = current?.charge.currency ?? status?.currency ?? 'usd';

  const paidId = ended?.status === 'paid' ? ended.id : null;
  const latestOnPaid = useRef(onPaid);
  latestOnPaid.current = onPaid;
  useEffect(() => {
    if (paidId !== null) latestOnPaid.current();
  }, [paidId]);

  useTillKeyboard(active, {
    digits: till.digits,
    back: till.back,
    clear: till.clear,
    escape: () => (current === null ? till.clear() : waiting ? void till.cancel() : till.nextSale()),
    enter: () => (current === null ? void till.charge() : waiting ? undefined : till.nextSale()),
  });

  return (
    <div className="till">
      <PaymentNotices sales={state.notices} onDismiss={till.dismissNotice} />
      {ended?.status === 'paid' ? (
        <PaidBanner sale={ended} onNextSale={till.nextSale} />
      ) : ended ? (
        <SaleOutcome sale={ended} cause={current?.cause ?? null} onNextSale={till.nextSale} />
      ) : (
        <div className="till-grid">
          <div className="till-main">
            {current ? (
              // The sale's own amount: after a reload the typed amount is gone, the sale is not.
              <AmountDisplay amount={current.sale?.amount ?? current.charge.amount} currency={current.charge.currency} label="Charging" />
            ) : (
              <AmountDisplay amount={state.amount} currency={currency} label="Amount" />
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
                  {charging ? 'Requesting payment…' : status === null ? 'Connecting to Counter…' : `Charge ${formatMoney(state.amount, currency)}`}
                  {!charging && status !== null && <span className="key-hint">Enter</span>}
                </button>
                <p className="hint">Type the amount with the keys or the keyboard. Backspace removes a digit, Esc clears.</p>
              </>
            ) : (
              <WaitingPanel charge={current.charge} buttonNote={state.buttonNote} onButtonEvent={till.reportButtonEvent} />
            )}
          </div>
          <div className="till-side">
            {current === null ? (
              <Keypad disabled={charging} onDigits={till.digits} onBack={till.back} onClear={till.clear} />
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
    </div>
  );
}
