// Whose sales the log shows (issue 16): this till's, read from its own
// ledger, or the shop's (every till, or one), read from the shop database.
// Pure: the screen, the log's data and the tests share it.
import type { Sale } from '../../../electron/shared/contract';
import type { ShopSale, ShopSaleTill, ShopTill } from '../../../electron/shared/domain/shop-view';

/** This till's ledger, or the shop database: every till (tillId null) or one. */
export type SalesScope = { kind: 'till' } | { kind: 'shop'; tillId: string | null };

export const THIS_TILL: SalesScope = { kind: 'till' };
export const WHOLE_SHOP: SalesScope = { kind: 'shop', tillId: null };

/** A sale in the log: this till's own, or one read from the shop database (which says its till). */
export type LogSale = Sale | ShopSale;

export function sameScope(a: SalesScope, b: SalesScope): boolean {
  return a.kind === b.kind && (a.kind === 'till' || a.tillId === (b as { tillId: string | null }).tillId);
}

/** The till a sale was read with; null for this till's ledger. */
export function saleTill(sale: LogSale): ShopSaleTill | null {
  return 'till' in sale ? sale.till : null;
}

/**
 * A row's identity in the list: sale numbers are each till's own, so in the
 * shop scope "#12" may be on the list once per till.
 */
export function rowKey(sale: LogSale): string {
  const till = saleTill(sale);
  return till ? `${till.id}/${sale.id}` : String(sale.id);
}

/** Whether the sale's detail can open here: its till is this one (getSale reads this till's ledger). */
export function opensHere(sale: LogSale): boolean {
  return saleTill(sale)?.thisTill ?? true;
}

/**
 * A till's label in two parts, so a long shop name can give way on a narrow
 * row while the start of the id (what tells the tills of one shop apart)
 * stays: "Corner Café" and "3f2a9c1d".
 */
export function tillLabelParts(till: { id: string; label: string }): { name: string; short: string } {
  const short = till.id.slice(0, 8);
  const tail = ` · ${short}`;
  return till.label.endsWith(tail) ? { name: till.label.slice(0, -tail.length), short } : { name: till.label, short: '' };
}

/** The scope in words, for headings: "This till", "Whole shop", "Corner Café · 3f2a9c1d". */
export function scopeWords(scope: SalesScope, tills: readonly ShopTill[] | null): string {
  if (scope.kind === 'till') return 'This till';
  if (scope.tillId === null) return 'Whole shop';
  const till = tills?.find((t) => t.id === scope.tillId);
  if (!till) return `Till ${scope.tillId.slice(0, 8)}`;
  return till.thisTill ? `${till.label} (this till)` : till.label;
}
