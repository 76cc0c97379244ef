import { isValidCurrency } from '@code-wallet/currency';

/**
 * Money lives as integer hundredths of the currency unit everywhere in
 * Counter; Code's SDK and webhooks speak decimals with at most two places.
 * These are the only two places where the two meet.
 */

/** Largest amount a sale may carry: far above any till sale, far below 2^53. */
export const MAX_AMOUNT_HUNDREDTHS = 100_000_000_00;

/** 125 → 1.25, the number Code's `paymentIntents.create` and button take. */
export function hundredthsToDecimal(hundredths: number): number {
  return Number((hundredths / 100).toFixed(2));
}

/** 125 → "1.25", for CSV and receipts where a string must not lose the trailing zero. */
export function hundredthsToDecimalString(hundredths: number): string {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * 1.25 → 125. Returns null when the decimal has more than two places or is
 * not a finite number, so a webhook claiming 1.255 can never match a sale.
 */
export function decimalToHundredths(decimal: number): number | null {
  if (typeof decimal !== 'number' || !Number.isFinite(decimal)) return null;
  const hundredths = Math.round(decimal * 100);
  if (Math.abs(hundredths - decimal * 100) > 1e-6) return null;
  return Number.isSafeInteger(hundredths) ? hundredths : null;
}

/** Lower-case ISO code known to Code (`@code-wallet/currency`), e.g. "usd", "kin". */
export function normalizeCurrency(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const code = value.trim().toLowerCase();
  return isValidCurrency(code) ? code : null;
}
