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
  /** Tells tills apart on screen: the shop's name and the start of the till's id ("Corner Café · 3f2a9c1d"). */
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

/** The label of a till: its shop's name and the first 8 characters of its id. */
export function tillLabel(shopName: string, tillId: string): string {
  return `${shopName} · ${tillId.slice(0, 8)}`;
}
