import { forwardRef } from 'react';
import { currencyDecimals } from '../../../electron/shared/domain/money';

interface MoneyInputProps {
  id: string;
  testId: string;
  currency: string;
  value: string;
  invalid: boolean;
  describedBy: string;
  onChange(text: string): void;
}

/** An amount typed as text in the sale's currency (the cash and other tender forms), with the currency beside it. */
export const MoneyInput = forwardRef<HTMLInputElement, MoneyInputProps>(function MoneyInput(
  { id, testId, currency, value, invalid, describedBy, onChange },
  ref,
) {
  return (
    <div className="tender-form-amount">
      <input
        ref={ref}
        id={id}
        data-testid={testId}
        className="tender-form-input"
        inputMode={currencyDecimals(currency) > 0 ? 'decimal' : 'numeric'}
        autoComplete="off"
        spellCheck={false}
        maxLength={14}
        value={value}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <span className="tender-form-currency">{currency.toUpperCase()}</span>
    </div>
  );
});
