import './tender-form.css';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { TipPrompt } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { AmountField } from '../common/amount-field';
import { escapeCloses } from './cash-form';
import { TillError } from './till-error';
import { checkCustomTip } from './tip-entry';

interface CustomTipFormProps {
  /** The sale's own amount, without the tip. */
  saleAmount: number;
  currency: string;
  prompt: Pick<TipPrompt, 'maxCustom'>;
  busy: boolean;
  /** The main process's refusal, shown as is. */
  error: string | null;
  onTip(amount: number): void;
  onClose(): void;
}

/**
 * A tip typed by the cashier for the customer: checked as it is typed (an
 * amount of the currency, at most the sale's own amount), with the total it
 * makes. Typing here never reaches the till's keys; Escape closes the form.
 */
export function CustomTipForm({ saleAmount, currency, prompt, busy, error, onTip, onClose }: CustomTipFormProps) {
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const check = checkCustomTip(text, saleAmount, prompt, currency);

  useEffect(() => input.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (check.ok && !busy) onTip(check.amount);
  };

  return (
    <form className="tender-form" data-testid="custom-tip-form" aria-labelledby={`${id}-title`} onSubmit={submit} onKeyDown={escapeCloses(onClose)} noValidate>
      <div className="tender-form-head">
        <h3 id={`${id}-title`} className="tender-form-title">
          Custom tip
        </h3>
        <p className="tender-form-owed">
          Sale <strong>{formatMoney(saleAmount, currency)}</strong>
        </p>
      </div>
      <label className="tender-form-label" htmlFor={`${id}-amount`}>
        Tip amount
      </label>
      <AmountField
        ref={input}
        id={`${id}-amount`}
        testId="custom-tip-amount"
        inputClassName="tender-form-input"
        currency={currency}
        value={text}
        invalid={!check.ok && check.message !== null}
        describedBy={`${id}-result`}
        onChange={setText}
      />
      <p id={`${id}-result`} className="tender-form-result" data-testid="custom-tip-preview" aria-live="polite">
        {check.ok ? `Total with the tip: ${formatMoney(check.total, currency)}` : (check.message ?? `Type the tip, at most ${formatMoney(prompt.maxCustom, currency)}.`)}
      </p>
      <TillError message={error} />
      <div className="tender-form-actions">
        <button type="submit" className="button button--primary" data-testid="custom-tip-take" disabled={!check.ok || busy} aria-busy={busy}>
          {busy ? 'Adding the tip…' : check.ok ? (check.amount === 0 ? 'No tip' : `Add ${formatMoney(check.amount, currency)} tip`) : 'Add tip'} <span className="key-hint">Enter</span>
        </button>
        <button type="button" className="button" data-testid="custom-tip-close" onClick={onClose}>
          Back <span className="key-hint">Esc</span>
        </button>
      </div>
    </form>
  );
}
