import { z } from 'zod';
import type { RefundRow } from '../ledger/refund-store';
import type { SaleRow, TenderRow } from '../ledger/sale-row';
import type { EventRow } from '../ledger/sales-store';
import { SHOP_TABLES } from './shop-columns';
import { toNumber } from './shop-database';

/**
 * The shop database's sales and tenders shaped as the ledger's rows
 * (SaleRow, TenderRow), so ../ledger/sale-row.ts's toSale builds the very
 * Sale a till's own ledger would: `local_id` is the sale's `id`, the names
 * of the people come from `people` by (till_id, local_id), and bigints
 * (which pg hands over as strings) become numbers.
 */

type ShownEntity = 'sale' | 'tender' | 'event' | 'refund';

const columnsOf = (alias: string, entity: ShownEntity) => SHOP_TABLES[entity].columns.map((c) => `${alias}"${c.name}"`).join(', ');

/**
 * A sale row over `s` (sales), `t` (tills), `p` (who sold it) and `c` (who closed it): every
 * synced column (the per-sale intent columns too, which toSale never reads), the till, its shop name and its own name.
 */
export const SHOP_SALE_SELECT = `s.local_id AS id, ${columnsOf('s.', 'sale')}, p.name AS person_name, c.name AS closed_by_name, s.till_id, t.shop_name, t.till_name`;
export const SHOP_SALE_JOINS = `JOIN tills t ON t.id = s.till_id
  LEFT JOIN people p ON p.till_id = s.till_id AND p.local_id = s.person_id
  LEFT JOIN people c ON c.till_id = s.till_id AND c.local_id = s.closed_by`;

/** A tender row over `t` (tenders) and `p` (who took it), with its till. */
export const SHOP_TENDER_SELECT = `t.local_id AS id, ${columnsOf('t.', 'tender')}, p.name AS person_name, t.till_id`;
export const SHOP_TENDER_JOINS = 'LEFT JOIN people p ON p.till_id = t.till_id AND p.local_id = t.person_id';

/** A payment event over `e` (payment_events), as the ledger's EventRow. */
export const SHOP_EVENT_SELECT = `e.local_id AS id, ${columnsOf('e.', 'event')}`;

/** A refund over `r` (refunds) and `p` (who made it), as the ledger's RefundRow. */
export const SHOP_REFUND_SELECT = `r.local_id AS id, ${columnsOf('r.', 'refund')}, p.name AS person_name`;
export const SHOP_REFUND_JOINS = 'LEFT JOIN people p ON p.till_id = r.till_id AND p.local_id = r.person_id';

const intColumns = (entity: ShownEntity) => ['id', ...SHOP_TABLES[entity].columns.filter((c) => c.kind === 'int').map((c) => c.name)];
const SALE_INTS = intColumns('sale');
const TENDER_INTS = intColumns('tender');
const EVENT_INTS = intColumns('event');
const REFUND_INTS = intColumns('refund');

/** The named columns of `row` as numbers (null stays null). */
export function withNumbers<T>(row: Record<string, unknown>, names: readonly string[]): T {
  const out: Record<string, unknown> = { ...row };
  for (const name of names) if (out[name] !== null && out[name] !== undefined) out[name] = toNumber(out[name]);
  return out as T;
}

export type ShopSaleRow = SaleRow & { till_id: string; shop_name: string; till_name: string };
export type ShopTenderRow = TenderRow & { till_id: string };

export const toShopSaleRow = (row: Record<string, unknown>) => withNumbers<ShopSaleRow>(row, SALE_INTS);
// A tender's webhook URL arrives with its path secret already masked (upsert-batch.ts).
export const toShopTenderRow = (row: Record<string, unknown>) => withNumbers<ShopTenderRow>(row, TENDER_INTS);
export const toShopEventRow = (row: Record<string, unknown>) => withNumbers<EventRow>(row, EVENT_INTS);
export const toShopRefundRow = (row: Record<string, unknown>) => withNumbers<RefundRow>(row, REFUND_INTS);

/**
 * Where the next page starts: the last sale's created_at, till and id, in
 * the keyset order (created_at DESC, till_id DESC, local_id DESC). Checked
 * strictly: only the shape issued here passes, ids within the ledger's range.
 */
export interface ShopCursor {
  createdAt: number;
  tillId: string;
  localId: number;
}

const CURSOR = /^(-?\d{1,16})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,16})$/;
const NOT_OURS = 'is not a cursor the shop view issued';

/** At most 128 characters (what is issued is at most 70): one refusal, whatever is wrong with it. */
export const shopCursor = z.string().refine((text) => text.length <= 128 && decodeCursor(text) !== null, NOT_OURS);

export function encodeCursor(c: ShopCursor): string {
  return `${c.createdAt}.${c.tillId}.${c.localId}`;
}

export function decodeCursor(text: string): ShopCursor | null {
  const m = CURSOR.exec(text);
  if (!m) return null;
  const createdAt = Number(m[1]);
  const localId = Number(m[3]);
  if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(localId) || localId < 1) return null;
  const cursor = { createdAt, tillId: m[2]!, localId };
  // Only the spelling issued here: no leading zeros, no "-0".
  return encodeCursor(cursor) === text ? cursor : null;
}
