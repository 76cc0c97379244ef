// The till's tip choice as plain data: which key picks which preset, and
// what the custom tip form says before the choice is sent. The main process
// checks the choice again (SPEC §7) and its refusal is shown as is. Amounts
// are integer hundredths.
import type { TipChoice, TipPrompt } from '../../../electron/shared/contract';
import { formatMoney, MAX_AMOUNT_HUNDREDTHS } from '../../../electron/shared/domain/money';
import { amountProblem, typedAmount } from './tender-entry';

/** Presets answer to the digits 1, 2, 3, 4, in the order they are offered. */
export function presetForKey(key: string, prompt: TipPrompt): TipChoice | null {
  if (!/^[1-9]$/.test(key)) return null;
  const option = prompt.options[Number(key) - 1];
  return option ? { kind: 'percent', percent: option.percent } : null;
}

/** What a letter does while the till waits for the tip: N no tip, C the custom amount (when allowed). */
export function tipLetter(key: string, prompt: TipPrompt | null): 'none' | 'custom' | null {
  const k = key.toLowerCase();
  if (k === 'n') return 'none';
  if (k === 'c' && prompt?.custom) return 'custom';
  return null;
}

export type CustomTipCheck = { ok: true; amount: number; total: number } | { ok: false; message: string | null };

/**
 * A custom tip as typed: a whole amount of the currency from 0 (no tip) up
 * to the prompt's maximum (the sale's own amount, so 50.00 typed for 5.00 is
 * caught here, not charged), with the total kept within what Counter takes.
 * Null message: nothing typed yet.
 */
export function checkCustomTip(text: string, saleAmount: number, prompt: Pick<TipPrompt, 'maxCustom'>, currency: string): CustomTipCheck {
  if (text.trim() === '') return { ok: false, message: null };
  if (text.trim().startsWith('-')) return { ok: false, message: 'A tip is never negative: type 0 or No tip for none.' };
  const amount = typedAmount(text, currency);
  if (amount === null) return { ok: false, message: amountProblem(currency) };
  if (amount > prompt.maxCustom) return { ok: false, message: `At most ${formatMoney(prompt.maxCustom, currency)}, the sale's own amount.` };
  if (saleAmount + amount > MAX_AMOUNT_HUNDREDTHS) {
    return { ok: false, message: `The total would be above ${formatMoney(MAX_AMOUNT_HUNDREDTHS, currency)}, the most Counter takes for one sale.` };
  }
  return { ok: true, amount, total: saleAmount + amount };
}
