import './amount-display.css';
import type { CSSProperties } from 'react';
import { formatMoney } from '../../../electron/shared/domain/money';

interface AmountDisplayProps {
  /** Integer hundredths. */
  amount: number;
  currency: string;
  label?: string;
  /** What the cashier typed ("12.5"), shown small beside the label while it differs from the amount's look. */
  typed?: string;
}

/** The big number the cashier and the customer both read. */
export function AmountDisplay({ amount, currency, label = 'Amount', typed }: AmountDisplayProps) {
  const text = formatMoney(amount, currency);
  // The font shrinks with the text's length (see .amount-display), so even the largest amount fits whole: never cut an amount.
  const style = { '--chars': Math.max(text.length, 8) } as CSSProperties;
  return (
    <div className="amount">
      <div className="amount-head">
        <span className="amount-label" id="amount-label">
          {label} <span className="amount-currency">{currency.toUpperCase()}</span>
        </span>
        {typed ? (
          <span className="amount-typed" data-testid="amount-typed" aria-hidden="true">
            typed {typed}
          </span>
        ) : null}
      </div>
      <output className="amount-display" style={style} data-testid="amount" aria-labelledby="amount-label" aria-live="polite">
        {text}
      </output>
    </div>
  );
}
