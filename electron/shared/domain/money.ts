import { isValidCurrency } from '@code-wallet/currency';

/**
 * Money lives as integer hundredths of the currency unit everywhere in
 * Counter; Code's SDK and webhooks speak decimals with at most two places.
 * Conversions between the two happen only here.
 */

/** Largest amount a sale may carry: far above any till sale, far below 2^53. */
export const MAX_AMOUNT_HUNDREDTHS = 100_000_000_00;

/** 1 Kin = 100,000 quarks (Code's unit of account). */
export const QUARKS_PER_KIN = 100_000;

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

const decimalsCache = new Map<string, number>();

/**
 * How many decimals the currency is written with: 2 for USD, 0 for JPY and
 * KRW (ISO 4217 minor units, as Intl knows them). The till takes whole units
 * of a currency without minor units; the ledger still stores hundredths.
 */
export function currencyDecimals(currency: string): 0 | 2 {
  const code = currency.toUpperCase();
  let digits = decimalsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      // Codes Intl does not know (Code's "kin"): two places, as Code takes them.
      digits = 2;
    }
    decimalsCache.set(code, digits);
  }
  // Three-decimal currencies (BHD, KWD …) still take two: Code's amounts have at most two places.
  return digits === 0 ? 0 : 2;
}

/** "12.5" → 1250 for a currency with cents; null when the text is not an amount the currency can take. */
export function parseAmountText(text: string, currency: string): number | null {
  const decimals = currencyDecimals(currency);
  const m = decimals === 0 ? /^(\d{1,11})$/.exec(text) : /^(\d{1,11})(?:[.,](\d{0,2}))?$/.exec(text);
  if (!m) return null;
  const hundredths = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(hundredths) && hundredths <= MAX_AMOUNT_HUNDREDTHS ? hundredths : null;
}

const formatters = new Map<string, { format(n: number): string }>();

function formatterFor(currency: string, locale: string | undefined): { format(n: number): string } {
  const code = currency.toUpperCase();
  const key = `${locale ?? ''}|${code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = currencyDecimals(code);
    try {
      formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: 2 });
    } catch {
      // Codes Intl refuses (Code's "kin"): plain number, code after it.
      const plain = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      formatter = { format: (n: number) => `${plain.format(n)} ${code}` };
    }
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * 125, "usd" → "$1.25"; 125000, "jpy" → "¥1,250". A currency without minor
 * units shows its cents only when an amount has some (what is shown is what is charged).
 */
export function formatMoney(hundredths: number, currency: string, locale?: string): string {
  return formatterFor(currency, locale).format(hundredths / 100);
}

/** 123456789 quarks → "1234.56789", exactly (no floating point). */
export function quarksToKinString(quarks: number): string {
  return `${Math.trunc(quarks / QUARKS_PER_KIN)}.${String(quarks % QUARKS_PER_KIN).padStart(5, '0')}`;
}
