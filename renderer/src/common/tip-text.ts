// A sale's tip in words, the same on the till, in the sales log and on the
// receipt: "Tip 15 %", "$1.80 (15 %)", "No tip". The tip is stored apart
// from the sale's amount (shared's Sale.tipAmount); what the customer owes
// in all is shared's totalDue.
import type { Sale, TipOption } from '../../../electron/shared/contract';
import { formatMoney } from '../../../electron/shared/domain/money';
import { percentText, tipLineName } from '../../../electron/shared/domain/tip';

export { percentText, tipLineName };

type TipFacts = Pick<Sale, 'tipAmount' | 'tipPercent' | 'awaitingTip' | 'tipChosenBy' | 'currency'>;


/** A preset as offered: "15 % · $1.80". */
export function tipOptionText(option: TipOption, currency: string): string {
  return `${percentText(option.percent)} · ${formatMoney(option.amount, currency)}`;
}


/** Whether the sale carries a tip worth a line of its own (a tip of 0 is "No tip", said only where the choice matters). */
export function hasTip(sale: Pick<Sale, 'tipAmount'>): boolean {
  return sale.tipAmount > 0;
}

/** Whether tips were asked for on this sale at all: waiting for the choice, or chosen (a tip, or none). */
export function tipAsked(sale: Pick<Sale, 'tipAmount' | 'awaitingTip' | 'tipChosenBy'>): boolean {
  return sale.awaitingTip || sale.tipChosenBy !== null || sale.tipAmount > 0;
}

/**
 * The tip as the sale's detail states it: "$1.80 (15 %)", "$1.00", "No tip",
 * "Waiting for the customer's choice"; null when tips were not asked for.
 */
export function tipText(sale: TipFacts): string | null {
  if (!tipAsked(sale)) return null;
  if (sale.awaitingTip) return "Waiting for the customer's choice";
  if (sale.tipAmount === 0) return 'No tip';
  const money = formatMoney(sale.tipAmount, sale.currency);
  return sale.tipPercent !== null ? `${money} (${percentText(sale.tipPercent)})` : money;
}

/** Who chose: "chosen by the customer" / "chosen by the cashier"; null when nobody has. */
export function tipChooserText(sale: Pick<Sale, 'tipChosenBy'>): string | null {
  return sale.tipChosenBy === null ? null : `chosen by the ${sale.tipChosenBy}`;
}
