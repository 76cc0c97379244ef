import './amount-field.css';
import { currencyDecimals } from '../../../electron/shared/domain/money';

interface AmountFieldProps {
  id: string;
  testId: string;
  currency: string;
  value: string;
  invalid?: boolean;
  describedBy?: string;
  large?: boolean;
  onChange(text: string): void;
}

/** An amount typed as text in `currency` (shared's parseAmountText reads it), with the currency code beside it. */
export function AmountField({ id, testId, currency, value, invalid = false, describedBy, large = false, onChange }: AmountFieldProps) {
  return (
    <div className="amount-field">
      <input
        id={id}
        data-testid={testId}
        className={`amount-field-input${large ? ' amount-field-input--large' : ''}`}
        inputMode={currencyDecimals(currency) > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        spellCheck={false}
        maxLength={14}
        value={value}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="amount-field-currency">{currency.toUpperCase()}</span>
    </div>
  );
}
