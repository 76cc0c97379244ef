// The owner's shop view (issue 16): the sales log, totals, chart and end of
// day of every till, read from the shop's PostgreSQL database rather than
// this till's ledger. Sale numbers are each till's own, so a sale read from
// the shop database always says which till it belongs to.
import type { Sale } from './sale';

/** A till that has sent its sales to the shop database. */
export interface ShopTill {
  /** The till's id (a UUID made when its ledger first ran). */
  id: string;
  /** The shop name the till sent with its last batch. */
  shopName: string;
  /** The till's own name (Settings, "This till's name") as it sent it with its last batch; '' when it has none. */
  tillName: string;
  /**
   * Tells tills apart on screen: the shop's name and the till's name
   * ("Corner Café · Front counter"), or the start of its id when it has no
   * name ("Corner Café · 3f2a9c1d").
   */
  label: string;
  /** The till this screen runs on. */
  thisTill: boolean;
  /** When it last sent a batch, epoch ms. */
  lastPush: number;
  /** How many of its sales the shop database holds. */
  sales: number;
}

/** Which till a sale from the shop database was rung up on. */
export interface ShopSaleTill {
  id: string;
  label: string;
  thisTill: boolean;
}

/** A sale as the shop database holds it: the till's own sale, and the till. */
export interface ShopSale extends Sale {
  till: ShopSaleTill;
}

export interface ShopSalesPage {
  sales: ShopSale[];
  /** Where the next (older) page starts; null at the oldest. */
  nextCursor: string | null;
}

/** The label of a till: its shop's name and its own name, or the first 8 characters of its id when it has none. */
export function tillLabel(shopName: string, tillName: string, tillId: string): string {
  return `${shopName} · ${tillName.trim() || tillId.slice(0, 8)}`;
}

/** The longest name a till may have: it shares a line with the shop's name in the shop view. */
export const MAX_TILL_NAME = 40;

/** Characters no name shows: ASCII and C1 controls (tabs, line breaks, escapes). */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** Why `text` cannot be this till's name, in the owner's words, or null (empty is no name). The core checks the same rules. */
export function tillNameProblem(text: string): string | null {
  const name = text.trim();
  if (name.length > MAX_TILL_NAME) return `At most ${MAX_TILL_NAME} characters: this name has ${name.length}.`;
  if (CONTROL_CHARACTER.test(name)) return 'Letters, digits and punctuation only: no tabs or line breaks.';
  return null;
}
