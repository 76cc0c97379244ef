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

/**
 * Another till's sale, or null for this till's own: this till's opens from
 * its ledger (getSale) with its actions, another till's read only from the
 * shop database (shopSale), its reprints, refunds and voids made on that till.
 */
export function otherTill(sale: LogSale): ShopSaleTill | null {
  const till = saleTill(sale);
  return till && !till.thisTill ? till : null;
}

/**
 * A till's label in two parts, so a long shop name can give way on a narrow
 * row while what tells the tills of one shop apart stays: the till's name,
 * or the start of its id while it has none ("Corner Café" and "Front
 * counter", "Corner Café" and "3f2a9c1d"). The label is shared's tillLabel:
 * the shop's name, " · ", then that part.
 */
export function tillLabelParts(till: { label: string }): { name: string; short: string } {
  const at = till.label.lastIndexOf(' · ');
  return at < 0 ? { name: till.label, short: '' } : { name: till.label.slice(0, at), short: till.label.slice(at + ' · '.length) };
}

/** The scope in words, for headings: "This till", "Whole shop", "Corner Café · 3f2a9c1d". */
export function scopeWords(scope: SalesScope, tills: readonly ShopTill[] | null): string {
  if (scope.kind === 'till') return 'This till';
  if (scope.tillId === null) return 'Whole shop';
  const till = tills?.find((t) => t.id === scope.tillId);
  if (!till) return `Till ${scope.tillId.slice(0, 8)}`;
  return till.thisTill ? `${till.label} (this till)` : till.label;
}
