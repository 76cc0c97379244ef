// The custom tip the customer types on the display's keypad (or a kiosk's
// keyboard), as text, and what it comes to in integer hundredths. Unlike the
// till's entry, the text takes any digits and separators the customer types:
// the display then says plainly what is wrong ("at most two decimals", "at
// most $12.00") instead of silently ignoring a key, since the person typing
// is a customer who has never used this screen. No floating point: the
// whole and the decimal part are read as integers.
import { currencyDecimals, formatMoney, MAX_AMOUNT_HUNDREDTHS } from '../../../electron/shared/domain/money';

/** A key of the custom-tip keypad: a digit or the decimal separator. */
export type TipKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.';

/** Long enough for any tip up to the largest sale ("100000000.00"), short enough to stay on one line of the display. */
export const MAX_TIP_TEXT = 12;

export type CustomTipCheck = { ok: true; amount: number } | { ok: false; message: string };

/** The keyboard key as a keypad key: digits, "." and "," (the numpad's decimal key types one of them); null for anything else. */
export function tipKeyOf(key: string): TipKey | null {
  if (/^[0-9]$/.test(key)) return key as TipKey;
  if (key === '.' || key === ',') return '.';
  return null;
}

/** The text after a key: appended as typed (a wrong amount is explained, not refused), up to MAX_TIP_TEXT characters. */
export function typeTipKey(text: string, key: TipKey): string {
  if (text.length >= MAX_TIP_TEXT) return text;
  // A separator typed first reads as "0.", as on the till.
  if (key === '.' && text === '') return '0.';
  return `${text}${key}`;
}

export function tipBackspace(text: string): string {
  return text.slice(0, -1);
}

/**
 * What the typed text comes to, or the sentence the customer sees: nothing
 * typed, not an amount, too many decimals, decimals in a currency without
 * minor units, or more than `maxCustom` (the prompt's maximum).
 */
export function checkCustomTip(text: string, currency: string, maxCustom: number): CustomTipCheck {
  if (text === '') return { ok: false, message: 'Type the tip amount, or go back.' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return { ok: false, message: 'That is not an amount: use one decimal point at most.' };
  const whole = m[1]!;
  const decimals = m[2] ?? '';
  if (currencyDecimals(currency) === 0 && decimals.replace(/0+$/, '') !== '') {
    return { ok: false, message: 'Whole amounts only, without decimals.' };
  }
  if (decimals.length > 2) return { ok: false, message: 'At most two decimals (cents), like 2.50.' };
  const tooMuch = { ok: false as const, message: `The largest tip is ${formatMoney(maxCustom, currency)}.` };
  // 11 digits of whole units is already past MAX_AMOUNT_HUNDREDTHS: no Number is built from a longer string.
  if (whole.replace(/^0+(?=\d)/, '').length > 11) return tooMuch;
  const amount = Number(whole) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'));
  if (!Number.isSafeInteger(amount) || amount > MAX_AMOUNT_HUNDREDTHS || amount > maxCustom) return tooMuch;
  return { ok: true, amount };
}
