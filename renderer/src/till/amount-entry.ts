// What the cashier types, as text: digits and at most one decimal separator
// with at most two decimals after it ("12.5" is 12.50), or whole units only
// for a currency without minor units ("1250" is ¥1,250). The text is turned
// into hundredths by the shared parseAmountText, so the till charges exactly
// what the ledger and Code would read, and never more than MAX_AMOUNT_HUNDREDTHS.
import { currencyDecimals, parseAmountText } from '../../../electron/shared/domain/money';

/** A key of the keypad or the keyboard: a digit, "00", or the decimal separator (typed "." or ","). */
export type EntryKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.';

const SEPARATOR = '.';

/** The keyboard key for an entry key, or null: "." and "," (and the numpad's decimal key, which types one of them) are the separator. */
export function entryKeyOf(key: string): EntryKey | null {
  if (/^[0-9]$/.test(key)) return key as EntryKey;
  if (key === '.' || key === ',') return SEPARATOR;
  return null;
}

/** Whether the currency's amounts are typed with a decimal separator (USD yes, JPY no). */
export function takesDecimals(currency: string): boolean {
  return currencyDecimals(currency) > 0;
}

/** The amount the entry text stands for, in hundredths: 0 for nothing typed. */
export function entryAmount(entry: string, currency: string): number {
  if (entry === '') return 0;
  return parseAmountText(entry, currency) ?? 0;
}

/**
 * The entry after a key, or the same entry when the key is refused: a second
 * separator, a third decimal, a separator in a currency without minor units,
 * or an amount past the maximum. Leading zeros are dropped ("05" is "5"), and
 * a separator typed first reads as "0.".
 */
export function typeKey(entry: string, key: EntryKey, currency: string): string {
  if (key === SEPARATOR) {
    if (!takesDecimals(currency) || entry.includes(SEPARATOR)) return entry;
    return `${entry === '' ? '0' : entry}${SEPARATOR}`;
  }
  const sep = entry.indexOf(SEPARATOR);
  if (sep >= 0 && entry.length - sep - 1 + key.length > 2) return entry;
  let next = `${entry}${key}`;
  // No leading zeros in the whole part: "0" then "5" is "5", "00" on nothing is "0".
  if (sep < 0) next = next.replace(/^0+(?=\d)/, '');
  return parseAmountText(next, currency) === null ? entry : next;
}

/** The entry without its last character (a separator counts as one). */
export function backspace(entry: string): string {
  return entry.slice(0, -1);
}

/** Whether a charge of `amount` must be confirmed first: above the owner's threshold, when there is one (0 never asks). */
export function needsConfirmation(amount: number, confirmAbove: number): boolean {
  return confirmAbove > 0 && amount > confirmAbove;
}
