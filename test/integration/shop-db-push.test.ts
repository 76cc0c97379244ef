import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectShopDatabase, SHOP_TABLES, ShopDbError, type ShopDatabaseConnection } from '../../electron/core/shop-db';
import { recordUuid, SYNC_ENTITIES, type SyncEntity, type SyncRecord, type SyncTill } from '../../electron/core/sync/sync-record';
import { memoryLogger } from '../support/memory-logger';
import { rejectedAs } from '../support/ledger-guard';
import { usePostgres } from '../support/use-postgres';
import { webhookPathFor } from '../../electron/core/webhook/listener-server';

/**
 * push() against a real PostgreSQL server: every entity lands with the
 * ledger's columns, a batch is idempotent and version-checked, and a bad
 * batch writes nothing.
 */

const server = usePostgres();
const open: ShopDatabaseConnection[] = [];

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
});

async function fresh(): Promise<ShopDatabaseConnection> {
  const db = await connectShopDatabase({ url: await server().database() });
  open.push(db);
  return db;
}

const till = (shopName = 'Corner shop', tillName = ''): SyncTill => ({ id: randomUUID(), shopName, tillName });

/** A ledger-shaped row of each entity, as the outbox store reads it (with the columns that do not sync). */
function ledgerRow(entity: SyncEntity, id: number, n = 1): Record<string, unknown> {
  const t = 1_760_000_000_000 + id * 1000 + n;
  switch (entity) {
    case 'person':
      return { id, name: `Person ${id}`, role: 'cashier', active: 1, created_at: t, updated_at: t + n, last_sign_in_at: null };
    case 'shift':
      return {
        id, mode: 'live', currency: 'usd', opened_by: 1, opened_at: t, float_amount: 10_000,
        closed_by: null, closed_at: null, counted_cash: null, expected_cash: null, report: null,
      };
    case 'sale':
      return {
        id, ref: `S-${id}`, amount: 1250 * n, currency: 'usd', mode: 'live', status: 'paid', destination: 'dest',
        intent_id: `intent-${id}`, webhook_url: null, created_at: t, updated_at: t + n, paid_at: t + 5, cancelled_at: null,
        expired_at: null, quarks: 123_456_789, exchange_rate: 0.0000123, first_proof: 'webhook', paid_late: 0,
        paid_amount: 1250 * n + 100, code_amount: 1250 * n + 100, cash_amount: 0, other_amount: 0, change_given: 0,
        tip_amount: 100, tip_percent: 8, awaiting_tip: 0, tip_chosen_by: 'customer', person_id: 1, shift_id: 1,
        closed_by: 1, voided_at: null, refunded_amount: 0,
      };
    case 'tender':
      return {
        id, sale_id: id, seq: 1, kind: 'cash', amount: 1250, status: 'paid', ref: null, intent_id: null, webhook_url: null,
        quarks: null, exchange_rate: null, first_proof: 'manual', paid_late: 0, tendered: 2000, change: 750, label: null,
        created_at: t, updated_at: t, paid_at: t, cancelled_at: null, expired_at: null, duplicate_proofs: 0, person_id: 1,
      };
    case 'event':
      return { id, sale_id: id, source: 'webhook', kind: 'paid', outcome: 'applied', received_at: t, payload: '{"ok":true}', tender_id: null };
    case 'refund':
      return {
        id, sale_id: id, amount: 200, currency: 'usd', mode: 'live', method: 'cash', note: null, person_id: 1, shift_id: 1,
        void_of_sale: 0, created_at: t,
      };
    case 'drawer':
      return { id, at: t, reason: 'no-sale', mode: 'live', sale_id: null, tender_id: null, print_job_id: 7, person_id: 1, shift_id: 1 };
  }
}

function record(t: SyncTill, entity: SyncEntity, id: number, version: number, data = ledgerRow(entity, id)): SyncRecord {
  return { entity, localId: id, uuid: recordUuid(t.id, entity, id), version, data };
}

/** What PostgreSQL should hold of a ledger row: the synced columns only. */
function synced(entity: SyncEntity, data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(SHOP_TABLES[entity].columns.map((c) => [c.name, data[c.name]]));
}

/** Every row of every synced table, with PostgreSQL's row version (xmin): an unchanged xmin means the row was not written. */
async function snapshot(db: ShopDatabaseConnection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const entity of SYNC_ENTITIES) {
    const { table } = SHOP_TABLES[entity];
    out[table] = await db.query(`SELECT xmin::text AS xmin, * FROM "${table}" ORDER BY uuid`);
  }
  out.tills = await db.query('SELECT * FROM tills ORDER BY id');
  return out;
}

async function expectRefused(promise: Promise<unknown>, code: string, words: RegExp): Promise<ShopDbError> {
  const error = await rejectedAs(ShopDbError, promise);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(words);
  return error;
}

describe('push', () => {
  it('stores every entity with the ledger columns, the till, and the version', async () => {
    const db = await fresh();
    const t = till();
    const batch = SYNC_ENTITIES.flatMap((entity, i) => [record(t, entity, 1, 10 + i), record(t, entity, 2, 20 + i)]);
    await db.push(t, batch);

    for (const entity of SYNC_ENTITIES) {
      const rows = await db.rows(entity, t.id);
      expect(rows).toEqual(
        batch
          .filter((r) => r.entity === entity)
          .map((r) => ({ uuid: r.uuid, tillId: t.id, localId: r.localId, version: r.version, data: synced(entity, r.data) })),
      );
    }
    const tills = await db.tills();
    expect(tills.map((x) => [x.id, x.shopName])).toEqual([[t.id, 'Corner shop']]);
  });

  it("leaves a Code payment's webhook path secret on the till: the URL is stored with it masked", async () => {
    const db = await fresh();
    const t = till();
    const url = `https://shop.trycloudflare.com${webhookPathFor('s3cretPathSegment')}`;
    await db.push(t, [
      record(t, 'sale', 1, 1, { ...ledgerRow('sale', 1), webhook_url: url }),
      record(t, 'tender', 1, 2, { ...ledgerRow('tender', 1), kind: 'code', webhook_url: url }),
      record(t, 'tender', 2, 3, { ...ledgerRow('tender', 2), webhook_url: 'https://elsewhere.example/hook' }),
    ]);
    const masked = `https://shop.trycloudflare.com${webhookPathFor('')}[redacted]`;
    expect((await db.rows('sale', t.id)).map((r) => r.data.webhook_url)).toEqual([masked]);
    expect((await db.rows('tender', t.id)).map((r) => r.data.webhook_url)).toEqual([masked, 'https://elsewhere.example/hook']);
    expect(JSON.stringify([await db.query('SELECT * FROM sales'), await db.query('SELECT * FROM tenders')])).not.toContain('s3cretPathSegment');
  });

  it('is idempotent: the same batch twice writes nothing the second time', async () => {
    const db = await fresh();
    const t = till();
    const batch = SYNC_ENTITIES.map((entity) => record(t, entity, 1, 5));
    await db.push(t, batch);
    const before = await snapshot(db);
    await db.push(t, batch);
    const after = await snapshot(db);
    // Every synced row keeps its xmin: not one was rewritten.
    for (const entity of SYNC_ENTITIES) expect(after[SHOP_TABLES[entity].table]).toEqual(before[SHOP_TABLES[entity].table]);
  });

  it('keeps the newest version: an older one after it changes nothing, a newer one replaces it', async () => {
    const db = await fresh();
    const t = till();
    await db.push(t, [record(t, 'sale', 1, 7, ledgerRow('sale', 1, 2))]);
    await db.push(t, [record(t, 'sale', 1, 3, ledgerRow('sale', 1, 1))]);
    expect((await db.rows('sale'))[0]).toMatchObject({ version: 7, data: { amount: 2500 } });
    await db.push(t, [record(t, 'sale', 1, 9, ledgerRow('sale', 1, 3))]);
    expect((await db.rows('sale'))[0]).toMatchObject({ version: 9, data: { amount: 3750 } });
    // The same version again is no change either (a batch sent twice after a kill).
    await db.push(t, [record(t, 'sale', 1, 9, ledgerRow('sale', 1, 4))]);
    expect((await db.rows('sale'))[0]).toMatchObject({ version: 9, data: { amount: 3750 } });
  });

  it('keeps the newest of a record named twice in one batch', async () => {
    const db = await fresh();
    const t = till();
    await db.push(t, [record(t, 'sale', 1, 4, ledgerRow('sale', 1, 2)), record(t, 'sale', 1, 2, ledgerRow('sale', 1, 1))]);
    expect(await db.rows('sale')).toMatchObject([{ version: 4, data: { amount: 2500 } }]);
  });

  it('keeps tills apart: the same local ids from three tills are three rows each', async () => {
    const db = await fresh();
    const tills = [till('A'), till('B'), till('C')];
    await Promise.all(tills.map((t) => db.push(t, [record(t, 'sale', 1, 1), record(t, 'tender', 1, 2)])));
    expect(await db.rows('sale')).toHaveLength(3);
    for (const t of tills) expect((await db.rows('tender', t.id)).map((r) => r.localId)).toEqual([1]);
    expect((await db.tills()).map((x) => x.shopName).sort()).toEqual(['A', 'B', 'C']);
  });

  it('takes a batch larger than one statement holds (chunked), in one transaction', async () => {
    const db = await fresh();
    const t = till();
    const batch = Array.from({ length: 2500 }, (_, i) => record(t, 'sale', i + 1, i + 1));
    await db.push(t, batch);
    const totals = await db.query<{ n: string; total: string }>('SELECT count(*) AS n, sum(amount) AS total FROM sales');
    expect(totals.map((r) => [Number(r.n), Number(r.total)])).toEqual([[2500, 2500 * 1250]]);
  });

  it('an empty batch records the till and its last push', async () => {
    const db = await fresh();
    const t = till();
    await db.push(t, []);
    await db.push({ ...t, shopName: 'Renamed' }, []);
    expect((await db.tills()).map((x) => x.shopName)).toEqual(['Renamed']);
  });

  it("keeps the till's name as its latest push says: named, renamed, and back to none", async () => {
    const db = await fresh();
    const t = till('Corner shop', 'Front counter');
    await db.push(t, []);
    expect((await db.tills()).map((x) => [x.shopName, x.tillName])).toEqual([['Corner shop', 'Front counter']]);
    await db.push({ ...t, tillName: 'Back bar' }, []);
    expect((await db.tills()).map((x) => x.tillName)).toEqual(['Back bar']);
    await db.push({ ...t, tillName: '' }, []);
    expect((await db.tills()).map((x) => x.tillName)).toEqual(['']);
  });

  it('the views add up paid sales per till and day, and across tills, in integers', async () => {
    const db = await fresh();
    const [a, b] = [till('A'), till('B')];
    const unpaid = { ...ledgerRow('sale', 3), status: 'pending', paid_at: null, first_proof: null, paid_amount: 0, code_amount: 0, tip_amount: 0 };
    await db.push(a, [record(a, 'sale', 1, 1), record(a, 'sale', 2, 2), record(a, 'sale', 3, 3, unpaid)]);
    await db.push(b, [record(b, 'sale', 1, 1, { ...ledgerRow('sale', 1), refunded_amount: 300 })]);
    const perTill = await db.query<{ till_id: string; sales: string; paid_amount: string; net_amount: string }>(
      'SELECT till_id, sales, paid_amount, net_amount FROM till_day_totals ORDER BY till_id',
    );
    const byTill = Object.fromEntries(perTill.map((r) => [r.till_id, [Number(r.sales), Number(r.paid_amount), Number(r.net_amount)]]));
    expect(byTill[a.id]).toEqual([2, 2700, 2700]);
    expect(byTill[b.id]).toEqual([1, 1350, 1050]);
    const shop = await db.query<{ sales: string; paid_amount: string; tip_amount: string; net_amount: string; tills: string }>(
      'SELECT sales, paid_amount, tip_amount, net_amount, tills FROM shop_day_totals',
    );
    expect(shop.map((r) => [r.sales, r.paid_amount, r.tip_amount, r.net_amount, r.tills].map(Number))).toEqual([[3, 4050, 300, 3750, 2]]);
    const sales = await db.query<{ shop_name: string }>('SELECT shop_name FROM shop_sales ORDER BY shop_name');
    expect(sales.map((s) => s.shop_name)).toEqual(['A', 'A', 'A', 'B']);
  });
});

describe('a bad batch writes nothing', () => {
  const cases: Array<[string, (t: SyncTill) => SyncRecord, RegExp]> = [
    ['a missing column', (t) => record(t, 'sale', 2, 2, (({ paid_amount: _, ...rest }) => rest)(ledgerRow('sale', 2))), /lacks paid_amount/],
    ['a NOT NULL column empty', (t) => record(t, 'tender', 2, 2, { ...ledgerRow('tender', 2), amount: null }), /amount is empty/],
    ['a fraction for money', (t) => record(t, 'sale', 2, 2, { ...ledgerRow('sale', 2), amount: 12.5 }), /amount is not a whole number/],
    ['a money amount as text', (t) => record(t, 'refund', 2, 2, { ...ledgerRow('refund', 2), amount: '200' }), /amount is not a whole number/],
    ['a flag that is not 0 or 1', (t) => record(t, 'sale', 2, 2, { ...ledgerRow('sale', 2), paid_late: true }), /paid_late is not 0 or 1/],
    ['text that is a number', (t) => record(t, 'event', 2, 2, { ...ledgerRow('event', 2), payload: 5 }), /payload is not text/],
    ['a PIN hash', (t) => record(t, 'person', 2, 2, { ...ledgerRow('person', 2), pin_hash: 'scrypt$abc' }), /pin_hash, which never leaves the till/],
    ['a uuid not derived from the till', (t) => ({ ...record(t, 'sale', 2, 2), uuid: randomUUID() }), /not the one derived/],
    ['a data id that is not the local id', (t) => record(t, 'sale', 2, 2, { ...ledgerRow('sale', 2), id: 3 }), /id 3 is not its local id/],
    ['a version that is not positive', (t) => record(t, 'sale', 2, 0), /version 0 is not a positive whole number/],
    ['an unknown entity', (t) => ({ ...record(t, 'sale', 2, 2), entity: 'coupon' as SyncEntity }), /"coupon" is not one that syncs/],
  ];

  it.each(cases)('%s: refused with a clear error, the batch rolled back', async (_name, bad, words) => {
    const db = await fresh();
    const t = till();
    const before = await snapshot(db);
    await expectRefused(db.push(t, [record(t, 'sale', 1, 1), record(t, 'person', 1, 1), bad(t)]), 'invalid-record', words);
    expect(await snapshot(db)).toEqual(before);
  });

  it('a till id that is not a UUID is refused', async () => {
    const db = await fresh();
    await expectRefused(db.push({ id: 'till-1', shopName: 'x', tillName: '' }, []), 'invalid-record', /till id "till-1" is not a lower-case UUID/);
    expect(await db.tills()).toEqual([]);
  });

  it('a row the server refuses mid-batch rolls back the rows before it', async () => {
    const db = await fresh();
    const t = till();
    await db.push(t, [record(t, 'sale', 1, 1)]);
    const before = await snapshot(db);
    // PostgreSQL's text cannot hold a NUL: the last statement of the transaction fails on the server.
    const nul = record(t, 'event', 1, 9, { ...ledgerRow('event', 1), payload: 'a\u0000b' });
    await expectRefused(db.push(t, [record(t, 'sale', 1, 5, ledgerRow('sale', 1, 2)), record(t, 'sale', 2, 6), nul]), 'push-failed', /refused it/);
    expect(await snapshot(db)).toEqual(before);
    // The connection is still good for the next batch.
    await db.push(t, [record(t, 'sale', 2, 6)]);
    expect((await db.rows('sale')).map((r) => r.localId)).toEqual([1, 2]);
  });

  it('refuses to push once closed', async () => {
    const db = await fresh();
    await db.close();
    await expectRefused(db.push(till(), []), 'closed', /closed/);
  });
});

describe('the server going away', () => {
  it('a push while the server is down fails as unreachable; the next push after it is back succeeds', async ({ skip }) => {
    if (!server().embedded) skip();
    const logger = memoryLogger();
    const db = await connectShopDatabase({ url: await server().database(), logger, connectTimeoutMs: 2000 });
    open.push(db);
    const t = till();
    await db.push(t, [record(t, 'sale', 1, 1)]);
    await server().down();
    try {
      const error = await expectRefused(db.push(t, [record(t, 'sale', 2, 2)]), 'unreachable', /could not be reached.*tries again/s);
      expect(error.message).not.toContain('counter-test');
    } finally {
      await server().up();
    }
    await db.push(t, [record(t, 'sale', 2, 2)]);
    expect((await db.rows('sale')).map((r) => r.localId)).toEqual([1, 2]);
    expect(logger.lines.join('\n')).not.toContain('counter-test');
  });

  it('after a crash (SIGKILL) and recovery, pushing resumes and what was committed is there', async ({ skip }) => {
    if (!server().embedded) skip();
    const db = await connectShopDatabase({ url: await server().database(), connectTimeoutMs: 2000 });
    open.push(db);
    const t = till();
    await db.push(t, [record(t, 'sale', 1, 1), record(t, 'sale', 2, 2)]);
    await server().kill();
    await server().up();
    await db.push(t, [record(t, 'sale', 2, 2), record(t, 'sale', 3, 3)]);
    expect((await db.rows('sale')).map((r) => [r.localId, r.version])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });
});
