// Shifts in words: the cash count's outcome, the float and count forms.
import { formatMoney } from '../../../electron/shared/domain/money';
import { amountFromText, amountTextProblem } from '../common/amount-text';

/** "Over by $2.00", "Short by $1.50", "Exact: the count matches what was expected". */
export function overShortText(overShort: number, currency: string): string {
  if (overShort === 0) return 'Exact: the count matches what was expected';
  return `${overShort > 0 ? 'Over' : 'Short'} by ${formatMoney(Math.abs(overShort), currency)}`;
}

export type OverShortTone = 'exact' | 'over' | 'short';

export function overShortTone(overShort: number): OverShortTone {
  return overShort === 0 ? 'exact' : overShort > 0 ? 'over' : 'short';
}

/**
 * Counted cash as typed (the float when opening, the drawer when closing):
 * the amount, or what is wrong in words. Zero is a count (an empty drawer).
 */
export function countedCash(text: string, currency: string, what: 'float' | 'count'): { amount: number } | { error: string } {
  if (text.trim() === '') {
    return { error: what === 'float' ? 'Count the cash in the drawer and type it (0 when it is empty).' : 'Count the cash in the drawer and type what you counted.' };
  }
  const amount = amountFromText(text, currency);
  return amount === null ? { error: amountTextProblem(currency, 150_00) } : { amount };
}
