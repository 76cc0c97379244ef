// What the customer display shows (SPEC §7): idle, the sale, the tip choice,
// the scan code, PAID. Nothing else reaches it: no totals, no log, no
// settings, no sale but the one on the till, and no control but the tip.
import type { Mode } from './sale';
import type { ScanCodeDrawing } from './scan-code';
import type { TipPrompt } from './tip';

interface Shop {
  shopName: string;
  /** Sandbox sales are marked on the customer's screen too: no real money moves. */
  mode: Mode;
}

/** The money on screen for one sale, in hundredths of `currency`. */
export interface CustomerAmounts {
  saleId: number;
  currency: string;
  amount: number;
  tipAmount: number;
  /** amount + tipAmount. */
  total: number;
  /** Already paid by earlier tenders (a split sale, cash first). */
  paid: number;
}

export type CustomerView =
  | ({ state: 'idle' } & Shop)
  /** A sale is on the till with nothing for the customer to do yet (the cashier is taking cash, Code is unavailable). */
  | ({ state: 'sale' } & Shop & CustomerAmounts)
  /** The customer chooses a tip (presets, custom, none). */
  | ({ state: 'tip'; prompt: TipPrompt } & Shop & CustomerAmounts)
  /** One Code payment to scan: its amount and place ("2 of 3") and the code itself. */
  | ({ state: 'code'; payment: { tenderId: number; intentId: string; amount: number; index: number; count: number }; code: ScanCodeDrawing } & Shop &
      CustomerAmounts)
  /** Paid: the total and a thank-you, for a few seconds, then idle. */
  | ({ state: 'paid' } & Shop & CustomerAmounts);

export type CustomerViewState = CustomerView['state'];
