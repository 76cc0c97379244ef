import './tender-form.css';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { formatMoney } from '../../../electron/shared/domain/money';
import { AmountField } from '../common/amount-field';
import { escapeCloses } from './cash-form';
import { amountInputText, checkOther } from './tender-entry';
import { TillError } from './till-error';

interface OtherFormProps {
  owed: number;
  currency: string;
  busy: boolean;
  error: string | null;
  onTake(amount: number, label: string): void;
  onClose(): void;
}

/** Common answers to "what was it?"; the cashier may type any other. */
const LABELS = ['Card', 'Voucher', 'Bank transfer'];

/** Another tender (a card on a separate terminal, a voucher): what it was and how much, at most what is owed. */
export function OtherForm({ owed, currency, busy, error, onTake, onClose }: OtherFormProps) {
  const [label, setLabel] = useState('');
  const [text, setText] = useState(() => amountInputText(owed, currency));
  const [tried, setTried] = useState(false);
  const labelInput = useRef<HTMLInputElement>(null);
  const id = useId();
  const check = checkOther(label, text, owed, currency);
  // A missing label is said only once the cashier tried to take it; a bad amount at once.
  const problem = !check.ok && (tried || check.field === 'amount') ? check : null;

  useEffect(() => labelInput.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (check.ok && !busy) onTake(check.amount, check.label);
  };

  return (
    <form className="tender-form" data-testid="other-form" aria-labelledby={`${id}-title`} onSubmit={submit} onKeyDown={escapeCloses(onClose)} noValidate>
      <div className="tender-form-head">
        <h2 id={`${id}-title`} className="tender-form-title">
          Other tender
        </h2>
        <p className="tender-form-owed">
          Still owed <strong>{formatMoney(owed, currency)}</strong>
        </p>
      </div>
      <div className="tender-form-row">
        <div className="tender-form-field">
          <label className="tender-form-label" htmlFor={`${id}-label`}>
            What was it?
          </label>
          <input
            ref={labelInput}
            id={`${id}-label`}
            data-testid="other-label"
            className="tender-form-input tender-form-input--text"
            autoComplete="off"
            maxLength={40}
            placeholder="Card"
            value={label}
            aria-invalid={problem?.field === 'label' ? true : undefined}
            aria-describedby={`${id}-problem`}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        <div className="tender-form-field">
          <label className="tender-form-label" htmlFor={`${id}-amount`}>
            Amount
          </label>
          <AmountField
            id={`${id}-amount`}
            testId="other-amount"
            inputClassName="tender-form-input"
            currency={currency}
            value={text}
            invalid={problem?.field === 'amount'}
            describedBy={`${id}-problem`}
            onChange={setText}
          />
        </div>
      </div>
      <div className="tender-form-quick" role="group" aria-label="Common tenders">
        {LABELS.map((name) => (
          <button key={name} type="button" className="button button--small" aria-pressed={label === name} onClick={() => (setLabel(name), labelInput.current?.focus())}>
            {name}
          </button>
        ))}
        <button type="button" className="button button--small" data-testid="other-exact" onClick={() => setText(amountInputText(owed, currency))}>
          All {formatMoney(owed, currency)}
        </button>
      </div>
      <p id={`${id}-problem`} className="tender-form-result" data-testid="other-problem" aria-live="polite">
        {problem ? problem.message : 'Take it on the other terminal first, then record it here.'}
      </p>
      <TillError message={error} />
      <div className="tender-form-actions">
        <button type="submit" className="button button--primary" data-testid="take-other" disabled={busy} aria-busy={busy}>
          {busy ? 'Recording…' : check.ok ? `Take ${formatMoney(check.amount, currency)} by ${check.label}` : 'Take it'} <span className="key-hint">Enter</span>
        </button>
        <button type="button" className="button" data-testid="close-form" onClick={onClose}>
          Back <span className="key-hint">Esc</span>
        </button>
      </div>
    </form>
  );
}
