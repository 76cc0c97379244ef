import type { CSSProperties } from 'react';
import { formatMoney } from '../common/format-money';

interface AmountDisplayProps {
  /** Integer hundredths. */
  amount: number;
  currency: string;
  label?: string;
}

/** The big number the cashier and the customer both read. */
export function AmountDisplay({ amount, currency, label = 'Amount' }: AmountDisplayProps) {
  const text = formatMoney(amount, currency);
  // The font shrinks with the text's length (see .amount-display), so even the largest amount fits whole: never cut an amount.
  const style = { '--chars': Math.max(text.length, 8) } as CSSProperties;
  return (
    <div className="amount">
      <span className="amount-label" id="amount-label">
        {label} <span className="amount-currency">{currency.toUpperCase()}</span>
      </span>
      <output className="amount-display" style={style} data-testid="amount" aria-labelledby="amount-label" aria-live="polite">
        {text}
      </output>
    </div>
  );
}
