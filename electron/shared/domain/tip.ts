// Tips (SPEC §7): optional, chosen by the customer on the customer display or
// by the cashier, stored on the sale as its own amount (never mixed into the
// sale amount, never negative) and paid by the tenders like the rest of the
// total. Amounts are integer hundredths; percentages are whole percent.

/** Whether the till asks for a tip, what percentages it offers, and whether a custom amount is allowed. */
export interface TipSettings {
  enabled: boolean;
  /** Whole percent, 1–100, at most four, shown in this order. */
  presets: number[];
  /** Whether a custom amount can be entered. */
  custom: boolean;
}

export const DEFAULT_TIP_SETTINGS: TipSettings = { enabled: false, presets: [10, 15, 20], custom: true };
export const MAX_TIP_PRESETS = 4;
export const MAX_TIP_PERCENT = 100;

/** What the customer (or the cashier) chose: a preset percentage, a custom amount, or no tip. */
export type TipChoice = { kind: 'percent'; percent: number } | { kind: 'amount'; amount: number } | { kind: 'none' };

/** One preset as offered for a sale: the percentage and what it comes to. */
export interface TipOption {
  percent: number;
  amount: number;
}

/** What the till and the customer display offer while a sale waits for its tip. */
export interface TipPrompt {
  options: TipOption[];
  custom: boolean;
  /** The largest custom tip accepted, in hundredths (the sale's amount). */
  maxCustom: number;
}

/** A percentage of an amount in hundredths, rounded half up to a whole hundredth: exact integer arithmetic. */
export function tipForPercent(amount: number, percent: number): number {
  return Math.floor((amount * percent + 50) / 100);
}

/** The largest tip accepted on a sale: its own amount (a slip of the finger, 50.00 for 5.00, is refused, not charged). */
export function maxTipFor(amount: number): number {
  return amount;
}

export function tipPrompt(amount: number, settings: Pick<TipSettings, 'presets' | 'custom'>): TipPrompt {
  return {
    options: settings.presets.map((percent) => ({ percent, amount: tipForPercent(amount, percent) })),
    custom: settings.custom,
    maxCustom: maxTipFor(amount),
  };
}

/** "15 %": a preset percentage as the screens and receipts write it. */
export function percentText(percent: number): string {
  return `${percent} %`;
}

/** A receipt's and a summary's line name: "Tip 15 %" for a preset, "Tip" for a custom amount. */
export function tipLineName(sale: { tipPercent: number | null }): string {
  return sale.tipPercent !== null ? `Tip ${percentText(sale.tipPercent)}` : 'Tip';
}
