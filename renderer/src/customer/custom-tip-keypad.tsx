import './custom-tip-keypad.css';
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { currencyDecimals, formatMoney } from '../../../electron/shared/domain/money';
import { checkCustomTip, tipBackspace, tipKeyOf, typeTipKey, type TipKey } from './custom-tip';

interface CustomTipKeypadProps {
  currency: string;
  /** The largest custom tip, in hundredths (the prompt's maxCustom). */
  maxCustom: number;
  /** A choice is on its way to Counter: nothing more is sent until it answers. */
  busy: boolean;
  onConfirm(amount: number): void;
  onBack(): void;
}

const DIGITS: TipKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3'];

/** The currency's sign as the customer reads it ("$", "€"), or its code for one Intl does not know (Code's Kin). */
function currencySign(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency.toUpperCase();
  } catch {
    return currency.toUpperCase();
  }
}

// A tap must not leave focus on the key: Enter from a keyboard then confirms
// instead of pressing that key again. Tabbing to a key still works.
const keepFocus = (event: PointerEvent) => event.preventDefault();

/**
 * A custom tip on a touch keypad (or a kiosk keyboard: digits, "." or ",",
 * Backspace, Enter to add, Escape to go back). What is wrong with the amount
 * is said at once, in words; nothing is sent until it is right.
 */
export function CustomTipKeypad({ currency, maxCustom, busy, onConfirm, onBack }: CustomTipKeypadProps) {
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const check = checkCustomTip(text, currency, maxCustom);
  // Said as soon as the typed text is wrong; "type an amount" only after Add was pressed on nothing.
  const message = !check.ok && (text !== '' || tried) ? check.message : null;
  const decimals = currencyDecimals(currency) > 0;

  const type = (key: TipKey) => {
    setTried(false);
    setText((t) => typeTipKey(t, key));
  };
  const back = () => {
    setTried(false);
    setText((t) => tipBackspace(t));
  };
  const confirm = () => {
    if (busy) return;
    setTried(true);
    if (check.ok) onConfirm(check.amount);
  };

  // The keyboard, for a kiosk with one: only while this keypad is open, and only these keys.
  const latest = useRef({ type, back, confirm, onBack });
  useEffect(() => {
    latest.current = { type, back, confirm, onBack };
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const onButton = event.target instanceof HTMLButtonElement;
      const key = tipKeyOf(event.key);
      if (key) latest.current.type(key);
      else if (event.key === 'Backspace') latest.current.back();
      // A focused button (Back, a key reached with Tab) answers Enter itself.
      else if (event.key === 'Enter' && !onButton) latest.current.confirm();
      else if (event.key === 'Escape') latest.current.onBack();
      else return;
      if (!(event.key === 'Enter' && onButton)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="custom-tip" data-testid="customer-custom-tip">
      <div className="custom-tip-side">
        <p className="custom-tip-entry" data-testid="tip-custom-entry" aria-live="polite" aria-invalid={message !== null}>
          <span className="custom-tip-sign">{currencySign(currency)}</span>
          {text === '' ? <span className="custom-tip-placeholder">{decimals ? '0.00' : '0'}</span> : <span>{text}</span>}
        </p>
        <p className="custom-tip-limit">Up to {formatMoney(maxCustom, currency)}</p>
        <p className="custom-tip-error" data-testid="tip-custom-error" role="alert" hidden={message === null}>
          {message}
        </p>
        <div className="custom-tip-actions">
          <button type="button" className="tip-other custom-tip-back" data-testid="tip-custom-back" disabled={busy} onClick={onBack}>
            Back
          </button>
          <button type="button" className="custom-tip-confirm" data-testid="tip-custom-confirm" aria-busy={busy} disabled={busy} onClick={confirm}>
            {check.ok ? (
              <>
                Add <span className="custom-tip-money">{formatMoney(check.amount, currency)}</span> tip
              </>
            ) : (
              'Add tip'
            )}
          </button>
        </div>
      </div>
      <div className="custom-tip-keys" role="group" aria-label="Keypad" data-testid="customer-tip-keypad">
        {[...DIGITS, ...(decimals ? (['.'] as TipKey[]) : []), '0' as TipKey].map((key) => (
          <button
            key={key}
            type="button"
            className={`custom-tip-key${key === '0' && !decimals ? ' custom-tip-key--wide' : ''}`}
            data-testid={key === '.' ? 'tip-key-separator' : `tip-key-${key}`}
            aria-label={key === '.' ? 'Decimal point' : undefined}
            disabled={busy}
            onPointerDown={keepFocus}
            onClick={() => type(key)}
          >
            {key}
          </button>
        ))}
        <button type="button" className="custom-tip-key" data-testid="tip-key-back" aria-label="Backspace" disabled={busy} onPointerDown={keepFocus} onClick={back}>
          ⌫
        </button>
      </div>
    </div>
  );
}
