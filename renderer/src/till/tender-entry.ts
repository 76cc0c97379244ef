// The cash and other-tender forms as plain data: what the cashier typed, read
// with shared's parseAmountText (so the till sends exactly what the ledger
// will store), the quick amounts offered, and what the form says before the
// tender is taken. Amounts are integer hundredths.
import { currencyDecimals, formatMoney, hundredthsToDecimalString, MAX_AMOUNT_HUNDREDTHS, parseAmountText } from '../../../electron/shared/domain/money';

/** An amount as the cashier would type it: 150 → "1.50", 1000 → "10.00"; ¥1,250 (125000) → "1250". */
export function amountInputText(hundredths: number, currency: string): string {
  const text = hundredthsToDecimalString(hundredths);
  return currencyDecimals(currency) === 0 ? text.replace(/\.00$/, '') : text;
}

/** The typed amount in hundredths, or null when it is not an amount of the currency (empty included). */
export function typedAmount(text: string, currency: string): number | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : parseAmountText(trimmed, currency);
}

/** Notes a customer might hand over, in hundredths of a major unit: 1, 5, 10, 20, 50, 100 … (the currency's own scale follows from the amount owed). */
const ROUND_STEPS = [1, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000].map((n) => n * 100);

/**
 * Quick amounts for the cash form, after the exact amount: the next round
 * sums above what is owed (1.50 → 2.00, 5.00, 10.00; 13.75 → 14.00, 15.00,
 * 20.00; ¥1,250 → ¥1,300, ¥1,400, ¥1,500), at most `count`. Steps far below
 * the amount are skipped, so a large bill is not offered "one more dollar";
 * past two million units there are none (the cashier types the amount).
 */
export function cashSuggestions(owed: number, count = 3): number[] {
  if (owed <= 0) return [];
  const out: number[] = [];
  for (const step of ROUND_STEPS) {
    if (step * 20 < owed) continue;
    const next = Math.ceil(owed / step) * step;
    const above = next === owed ? next + step : next;
    if (above <= MAX_AMOUNT_HUNDREDTHS && !out.includes(above)) out.push(above);
    if (out.length === count) break;
  }
  return out.sort((a, b) => a - b);
}

export type CashCheck =
  | { ok: true; tendered: number; change: number; rest: number }
  | { ok: false; message: string | null };

/**
 * What the cash form says about the typed amount before it is taken: the
 * change to give, or what the sale will still owe, or why it cannot be taken
 * (null message: nothing typed yet).
 */
export function checkCash(text: string, owed: number, currency: string): CashCheck {
  if (text.trim() === '') return { ok: false, message: null };
  const tendered = typedAmount(text, currency);
  if (tendered === null) return { ok: false, message: amountProblem(currency) };
  if (tendered <= 0) return { ok: false, message: 'Type the cash the customer handed over.' };
  return { ok: true, tendered, change: Math.max(0, tendered - owed), rest: Math.max(0, owed - tendered) };
}

export type OtherCheck = { ok: true; amount: number; label: string } | { ok: false; field: 'label' | 'amount'; message: string };

/** Another tender may pay up to what is owed, never more (there is no change on a card), and must say what it was. */
export function checkOther(label: string, text: string, owed: number, currency: string): OtherCheck {
  const amount = typedAmount(text, currency);
  if (amount === null) return { ok: false, field: 'amount', message: amountProblem(currency) };
  if (amount <= 0) return { ok: false, field: 'amount', message: 'Type the amount paid this way.' };
  if (amount > owed) return { ok: false, field: 'amount', message: `At most ${formatMoney(owed, currency)}, what the sale still owes.` };
  const name = label.trim();
  if (!name) return { ok: false, field: 'label', message: 'Say what it was (Card, Voucher …).' };
  if (name.length > 40) return { ok: false, field: 'label', message: 'At most 40 characters.' };
  return { ok: true, amount, label: name };
}

/** Why typed text is not an amount of the currency, in the cashier's words. */
export function amountProblem(currency: string): string {
  return currencyDecimals(currency) === 0
    ? `Type a whole amount in ${currency.toUpperCase()}, like 1000.`
    : `Type an amount in ${currency.toUpperCase()} with at most two decimals, like 20 or 7.50.`;
}
