import './tender-form.css';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { formatMoney } from '../../../electron/shared/domain/money';
import { AmountField } from '../common/amount-field';
import { amountInputText, cashSuggestions, checkCash } from './tender-entry';
import { TillError } from './till-error';

interface CashFormProps {
  /** What the sale still owes, in hundredths. */
  owed: number;
  currency: string;
  busy: boolean;
  error: string | null;
  onTake(tendered: number): void;
  onClose(): void;
}

/**
 * Cash handed over: typed with the keyboard (prefilled with what is owed) or
 * picked from the quick amounts; the change to give shows before it is taken.
 * Typing here never reaches the till's keypad (use-till-keyboard.ts leaves
 * inputs alone); Escape closes the form.
 */
export function CashForm({ owed, currency, busy, error, onTake, onClose }: CashFormProps) {
  const [text, setText] = useState(() => amountInputText(owed, currency));
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const check = checkCash(text, owed, currency);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (check.ok && !busy) onTake(check.tendered);
  };
  const pick = (amount: number) => {
    setText(amountInputText(amount, currency));
    input.current?.focus();
  };

  return (
    <form className="tender-form" data-testid="cash-form" aria-labelledby={`${id}-title`} onSubmit={submit} onKeyDown={escapeCloses(onClose)} noValidate>
      <div className="tender-form-head">
        <h2 id={`${id}-title`} className="tender-form-title">
          Cash
        </h2>
        <p className="tender-form-owed">
          Still owed <strong>{formatMoney(owed, currency)}</strong>
        </p>
      </div>
      <label className="tender-form-label" htmlFor={`${id}-tendered`}>
        Cash handed over
      </label>
      <AmountField
        ref={input}
        id={`${id}-tendered`}
        testId="cash-tendered"
        inputClassName="tender-form-input"
        currency={currency}
        value={text}
        invalid={!check.ok && check.message !== null}
        describedBy={`${id}-result`}
        onChange={setText}
      />
      <div className="tender-form-quick tender-form-quick--cash" role="group" aria-label="Quick amounts">
        <button type="button" className="button button--small" data-testid="cash-exact" onClick={() => pick(owed)}>
          Exact {formatMoney(owed, currency)}
        </button>
        {cashSuggestions(owed).map((amount) => (
          <button key={amount} type="button" className="button button--small" data-testid="cash-quick" onClick={() => pick(amount)}>
            {formatMoney(amount, currency)}
          </button>
        ))}
      </div>
      <p id={`${id}-result`} className={`tender-form-result${check.ok && check.change > 0 ? ' tender-form-result--change' : ''}`} data-testid="cash-preview" aria-live="polite">
        {!check.ok
          ? (check.message ?? 'Type the cash the customer handed over.')
          : check.change > 0
            ? `Change to give: ${formatMoney(check.change, currency)}`
            : check.rest > 0
              ? `Leaves ${formatMoney(check.rest, currency)} still owed.`
              : 'Exact: no change.'}
      </p>
      <TillError message={error} />
      <div className="tender-form-actions">
        <button type="submit" className="button button--primary" data-testid="take-cash" disabled={!check.ok || busy} aria-busy={busy}>
          {busy ? 'Taking cash…' : check.ok ? `Take ${formatMoney(check.tendered, currency)} cash` : 'Take cash'} <span className="key-hint">Enter</span>
        </button>
        <button type="button" className="button" data-testid="close-form" onClick={onClose}>
          Back <span className="key-hint">Esc</span>
        </button>
      </div>
    </form>
  );
}

/** Escape anywhere in a tender form closes it, and goes no further (the till's own Escape would cancel the sale). */
export function escapeCloses(onClose: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };
}
