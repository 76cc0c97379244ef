// An amount typed in a form (a float, counted cash, a refund), read with
// shared's parseAmountText; the words for one that cannot be read.
import { currencyDecimals, formatMoney, hundredthsToDecimalString, parseAmountText } from '../../../electron/shared/domain/money';

/** The typed amount in hundredths, or null when it is not an amount of `currency` (spaces around it are fine). */
export function amountFromText(text: string, currency: string): number | null {
  const t = text.trim();
  return t === '' ? null : parseAmountText(t, currency);
}

/** "Type an amount in USD with at most two decimals, like 150.00." */
export function amountTextProblem(currency: string, example: number): string {
  const code = currency.toUpperCase();
  return currencyDecimals(currency) === 0
    ? `Type a whole amount in ${code}, like ${formatMoney(example, currency)}.`
    : `Type an amount in ${code} with at most two decimals, like ${formatMoney(example, currency)}.`;
}

/** 12550 → "125.50", 10000 → "100": an amount as a person would type it, to prefill a field. */
export function amountAsTyped(hundredths: number, currency: string): string {
  const text = hundredthsToDecimalString(hundredths);
  return currencyDecimals(currency) === 0 ? text.replace(/\.\d\d$/, '') : text.replace(/\.00$/, '');
}
