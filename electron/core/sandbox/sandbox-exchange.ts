import { microPaymentLimit } from '../../shared/domain/payment-limits';

/**
 * What a paid sandbox intent reports as its Kin side: `exchangeRate` is the
 * price of one Kin in the intent's currency (Code's ExchangeData convention,
 * 1 for "kin") and `quarks` the Kin paid, 1 Kin = 100,000 quarks.
 *
 * The rates are fixed and fictional but plausible: one Kin is US$0.00001,
 * and other currencies follow from the sequencer's own limit table, whose
 * minimum is about US$0.05 everywhere (0.05 usd, 5 jpy, 1000 vnd, ...).
 */

export const QUARKS_PER_KIN = 100_000;
export const SANDBOX_KIN_PRICE_USD = 0.00001;

export interface KinSide {
  exchangeRate: number;
  quarks: number;
}

/** Fixed sandbox price of one Kin in `currency`, or undefined when the sequencer does not support it. */
export function sandboxExchangeRate(currency: string): number | undefined {
  if (currency === 'kin') return 1;
  const limit = microPaymentLimit(currency);
  if (!limit) return undefined;
  // Rounded to 8 significant digits so the JSON number stays short and stable.
  return Number((SANDBOX_KIN_PRICE_USD * (limit.min / 0.05)).toPrecision(8));
}

/**
 * Kin side of a payment of `amount` `currency` at `exchangeRate`. The Code
 * app pays whole Kin for fiat bills, so quarks are a whole number of Kin,
 * rounded to the nearest; the result is always a safe integer.
 */
export function kinSideOf(amount: number, currency: string, exchangeRate?: number): KinSide {
  if (currency === 'kin') return { exchangeRate: 1, quarks: Math.round(amount * QUARKS_PER_KIN) };
  const rate = exchangeRate ?? sandboxExchangeRate(currency);
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) throw new RangeError(`no usable exchange rate for ${currency}: ${rate}`);
  const kin = Math.max(1, Math.round(amount / rate));
  return { exchangeRate: rate, quarks: kin * QUARKS_PER_KIN };
}
