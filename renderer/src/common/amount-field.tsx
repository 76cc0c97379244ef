import './amount-field.css';
import { forwardRef } from 'react';
import { currencyDecimals } from '../../../electron/shared/domain/money';

interface AmountFieldProps {
  id: string;
  testId: string;
  currency: string;
  value: string;
  invalid?: boolean;
  describedBy?: string;
  /** The shift's float: taller, larger figures. */
  large?: boolean;
  /** The input's class in place of the field's own (the till's tender forms size it with theirs). */
  inputClassName?: string;
  onChange(text: string): void;
}

/**
 * An amount typed as text in `currency` (shared's parseAmountText reads it),
 * with the currency code beside it: the till's cash, other and custom-tip
 * forms (which focus it, hence the ref), the shift's float and count, a refund.
 */
export const AmountField = forwardRef<HTMLInputElement, AmountFieldProps>(function AmountField(
  { id, testId, currency, value, invalid = false, describedBy, large = false, inputClassName, onChange },
  ref,
) {
  return (
    <div className="amount-field">
      <input
        ref={ref}
        id={id}
        data-testid={testId}
        className={inputClassName ?? `amount-field-input${large ? ' amount-field-input--large' : ''}`}
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
});
