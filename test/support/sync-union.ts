/**
 * The sync tests' verdict: PostgreSQL holds exactly the union of the tills'
 * ledgers. Every record of every till, every synced column, version = the
 * seq of its latest change, compared row by row: nothing missing, nothing
 * extra or twice, nothing different; and the sales totals per till equal.
 */
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { Ledger } from '../../electron/core/ledger/ledger';
import { OUTBOX_ENTITIES } from '../../electron/core/ledger/outbox-store';
import { SHOP_TABLES } from '../../electron/core/shop-db/shop-columns';
import type { ShopDatabaseConnection, ShopRow } from '../../electron/core/shop-db/shop-database';
import { recordUuid, type SyncEntity } from '../../electron/core/sync/sync-record';

/** What PostgreSQL must hold for one till, read from its ledger. */
export function expectedRows(ledger: Ledger, entity: SyncEntity): ShopRow[] {
  const { table, columns } = SHOP_TABLES[entity];
  const tillId = ledger.outbox.tillId();
  const rows = ledger.database
    .prepare(
      `SELECT id AS __id, (SELECT max(seq) FROM outbox o WHERE o.entity = ? AND o.local_id = t.id) AS __version,
         ${columns.map((c) => `"${c.name}"`).join(', ')} FROM ${table} t ORDER BY id`,
    )
    .all(entity) as Array<Record<string, unknown>>;
  return rows.map(({ __id, __version, ...data }) => ({
    uuid: recordUuid(tillId, entity, __id as number),
    tillId,
    localId: __id as number,
    version: __version as number,
    data,
  }));
}

export interface UnionReport {
  /** Records per entity, over all tills. */
  counts: Record<string, number>;
  missing: string[];
  extra: string[];
  different: Array<{ uuid: string; ledger: ShopRow; postgres: ShopRow }>;
}

/** Compares and answers the differences (empty lists when PostgreSQL is exactly the union). */
export async function compareUnion(shop: ShopDatabaseConnection, ledgers: readonly Ledger[]): Promise<UnionReport> {
  const report: UnionReport = { counts: {}, missing: [], extra: [], different: [] };
  for (const entity of OUTBOX_ENTITIES) {
    const want = new Map<string, ShopRow>();
    for (const ledger of ledgers) for (const row of expectedRows(ledger, entity)) want.set(row.uuid, row);
    const got = await shop.rows(entity);
    const seen = new Set<string>();
    for (const row of got) {
      // A second row for one record (nothing twice): the primary key forbids it, and this would still see it.
      if (seen.has(row.uuid)) report.extra.push(`${entity} ${row.uuid} (twice)`);
      seen.add(row.uuid);
      const expected = want.get(row.uuid);
      if (!expected) report.extra.push(`${entity} ${row.uuid} (till ${row.tillId} #${row.localId})`);
      else if (!isDeepStrictEqual(expected, row)) report.different.push({ uuid: row.uuid, ledger: expected, postgres: row });
    }
    for (const [uuid, row] of want) if (!seen.has(uuid)) report.missing.push(`${entity} ${uuid} (till ${row.tillId} #${row.localId})`);
    report.counts[entity] = want.size;
  }
  report.different = report.different.slice(0, 5);
  return report;
}

/** The full verdict: the union row by row, the sales totals per till, and each till's row in `tills`. */
export async function expectUnion(shop: ShopDatabaseConnection, ledgers: readonly Ledger[], shopName?: string): Promise<UnionReport> {
  const report = await compareUnion(shop, ledgers);
  expect({ missing: report.missing.slice(0, 10), extra: report.extra.slice(0, 10), different: report.different }).toEqual({ missing: [], extra: [], different: [] });
  expect(report.missing.length + report.extra.length).toBe(0);

  const totals = await shop.query<{ till_id: string; n: string; amount: string; paid: string; tips: string; refunded: string }>(
    `SELECT till_id, count(*) AS n, sum(amount) AS amount, sum(paid_amount) AS paid, sum(tip_amount) AS tips, sum(refunded_amount) AS refunded
     FROM sales GROUP BY till_id`,
  );
  const inPostgres = Object.fromEntries(totals.map((t) => [t.till_id, [t.n, t.amount, t.paid, t.tips, t.refunded].map(Number)]));
  const inLedgers = Object.fromEntries(
    ledgers.map((l) => {
      const t = l.database
        .prepare('SELECT count(*) AS n, sum(amount) AS amount, sum(paid_amount) AS paid, sum(tip_amount) AS tips, sum(refunded_amount) AS refunded FROM sales')
        .get() as Record<string, number>;
      return [l.outbox.tillId(), [t.n, t.amount, t.paid, t.tips, t.refunded]];
    }),
  );
  expect(inPostgres).toEqual(inLedgers);

  const tills = await shop.tills();
  expect(tills.map((t) => t.id).sort()).toEqual(ledgers.map((l) => l.outbox.tillId()).sort());
  if (shopName) expect(new Set(tills.map((t) => t.shopName))).toEqual(new Set([shopName]));
  return report;
}
