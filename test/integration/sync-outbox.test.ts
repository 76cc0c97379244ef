import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { HELD_BACK_COLUMNS, MAX_BATCH_ROWS, OUTBOX_ENTITIES, OUTBOX_TABLES } from '../../electron/core/ledger/outbox-store';
import { SHOP_TABLES } from '../../electron/core/shop-db/shop-columns';
import { SYNC_ENTITIES } from '../../electron/core/sync/sync-record';
import { prng } from '../support/prng';
import { openTill, sell } from '../support/sync-sales';
import { tempDir } from '../support/temp-dir';

/** The outbox store (ledger.outbox) on a real ledger file: what a batch holds, what an ack marks, what a prune deletes. */

const DAY = 86_400_000;

function ledgerAt(dir: string, clock: { now: number }): Ledger {
  return createLedger({ dir, timeZone: 'UTC', now: () => clock.now });
}

function allRows(ledger: Ledger) {
  return ledger.database.prepare('SELECT seq, entity, local_id, acked_at FROM outbox ORDER BY seq').all() as Array<{
    seq: number;
    entity: string;
    local_id: number;
    acked_at: number | null;
  }>;
}

describe('the outbox store', () => {
  it('names the till with a UUID that stays the same across opens', () => {
    const dir = tempDir();
    const first = createLedger({ dir, timeZone: 'UTC' });
    const id = first.outbox.tillId();
    first.close();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const again = createLedger({ dir, timeZone: 'UTC' });
    expect(again.outbox.tillId()).toBe(id);
    expect(createLedger({ dir: tempDir(), timeZone: 'UTC' }).outbox.tillId()).not.toBe(id);
    again.close();
  });

  it('has nothing waiting on a new ledger, and a batch of nothing is null', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    expect(ledger.outbox.waiting()).toBe(0);
    expect(ledger.outbox.nextBatch(100)).toBeNull();
    ledger.close();
  });

  it('sends each named record once, in its current state, versioned by its latest change', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const sale = ledger.createSale({ amount: 1_000, currency: 'usd', mode: 'live', destination: openTill(ledger, prng(1)).destination });
    const { tender } = ledger.addCashTender(sale.id, { tendered: 1_500 });
    const rows = allRows(ledger);
    const saleRows = rows.filter((r) => r.entity === 'sale' && r.local_id === sale.id);
    // Created, then paid: two rows naming the sale.
    expect(saleRows.length).toBeGreaterThanOrEqual(2);

    const batch = ledger.outbox.nextBatch(MAX_BATCH_ROWS)!;
    expect(batch.rows).toBe(rows.length);
    expect(batch.throughSeq).toBe(rows.at(-1)!.seq);
    const sent = batch.records.filter((r) => r.entity === 'sale');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ localId: sale.id, version: saleRows.at(-1)!.seq });
    expect(sent[0]!.data).toMatchObject({ status: 'paid', amount: 1_000, cash_amount: 1_000, change_given: 500 });
    const cash = batch.records.find((r) => r.entity === 'tender')!;
    expect(cash).toMatchObject({ localId: tender.id, data: { kind: 'cash', tendered: 1_500, change: 500 } });
    // People come first in a batch: a shop database reading it in order meets a person before the sales naming them.
    expect(batch.records.map((r) => OUTBOX_ENTITIES.indexOf(r.entity))).toEqual(
      [...batch.records.map((r) => OUTBOX_ENTITIES.indexOf(r.entity))].sort((a, b) => a - b),
    );
    ledger.close();
  });

  it('sends what the shop database keeps, and never a PIN hash, lockout state or a column that changes without an outbox row', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(2)), 300);
    const seen = new Map<string, Set<string>>();
    for (let batch = ledger.outbox.nextBatch(1_000); batch; batch = ledger.outbox.nextBatch(1_000)) {
      for (const r of batch.records) {
        const keys = seen.get(r.entity) ?? new Set<string>();
        for (const key of Object.keys(r.data)) keys.add(key);
        seen.set(r.entity, keys);
      }
      ledger.outbox.ack(batch);
    }
    expect(SYNC_ENTITIES).toEqual(OUTBOX_ENTITIES);
    for (const entity of OUTBOX_ENTITIES) {
      // Every entity occurs in what the seller made, and its columns are the shop database's, exactly.
      expect([...(seen.get(entity) ?? [])].sort(), entity).toEqual(SHOP_TABLES[entity].columns.map((c) => c.name).sort());
      expect(SHOP_TABLES[entity].table).toBe(OUTBOX_TABLES[entity]);
      for (const held of HELD_BACK_COLUMNS[entity]) expect(seen.get(entity)!.has(held)).toBe(false);
    }
    expect(seen.get('person')!.has('pin_hash')).toBe(false);
    ledger.close();
  });

  it('reads the oldest rows first and acks exactly what the batch covered, and the later rows its records already carried', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const till = openTill(ledger, prng(3));
    for (let batch = ledger.outbox.nextBatch(1_000); batch; batch = ledger.outbox.nextBatch(1_000)) ledger.outbox.ack(batch);
    const sale = ledger.createSale({ amount: 1_000, currency: 'usd', mode: 'live', destination: till.destination });
    const other = ledger.createSale({ amount: 2_000, currency: 'usd', mode: 'live', destination: till.destination });
    ledger.cancel(sale.id);
    // Rows now: sale created, other created, sale cancelled (and the cancel's event). A batch of one names the sale only, read as cancelled.
    const batch = ledger.outbox.nextBatch(1)!;
    expect(batch.rows).toBe(1);
    expect(batch.records).toHaveLength(1);
    expect(batch.records[0]).toMatchObject({ entity: 'sale', localId: sale.id, data: { status: 'cancelled' } });
    const cancelRow = allRows(ledger).filter((r) => r.entity === 'sale' && r.local_id === sale.id).at(-1)!;
    expect(batch.records[0]!.version).toBe(cancelRow.seq);
    const before = allRows(ledger).filter((r) => r.acked_at === null && !(r.entity === 'sale' && r.local_id === sale.id));
    // A change made after the read (a new sale) stays waiting whatever the ack does.
    ledger.createSale({ amount: 3_000, currency: 'usd', mode: 'live', destination: till.destination });

    expect(ledger.outbox.ack(batch)).toBe(2);
    const waiting = allRows(ledger).filter((r) => r.acked_at === null);
    // Everything but the sale's two rows still waits: the other sale, the cancel's event, and the sale made after the read.
    expect(waiting.map((r) => r.seq)).toEqual([...before.map((r) => r.seq), waiting.at(-1)!.seq]);
    expect(waiting.filter((r) => r.entity === 'sale').map((r) => r.local_id)).toEqual([other.id, other.id + 1]);
    expect(ledger.outbox.waiting()).toBe(before.length + 1);
    // The same batch acked again marks nothing more (a retry after a lost answer).
    expect(ledger.outbox.ack(batch)).toBe(0);
    ledger.close();
  });

  it('sends nothing for a row whose record is gone, and acks it', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    // No code path deletes a synced record; a row naming a missing one must still not wedge the outbox.
    ledger.database.prepare(`INSERT INTO outbox (entity, local_id, changed_at) VALUES ('sale', 999, 0)`).run();
    const batch = ledger.outbox.nextBatch(10)!;
    expect(batch).toMatchObject({ rows: 1, records: [] });
    ledger.outbox.ack(batch);
    expect(ledger.outbox.waiting()).toBe(0);
    ledger.close();
  });

  it('prunes acknowledged rows older than the retention, never a waiting row', () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const dir = tempDir();
    const ledger = ledgerAt(dir, clock);
    sell(openTill(ledger, prng(4)), 5);
    const batch = ledger.outbox.nextBatch(3)!;
    ledger.outbox.ack(batch);
    const acked = allRows(ledger).filter((r) => r.acked_at !== null).length;
    expect(acked).toBeGreaterThanOrEqual(3);
    const waitingBefore = ledger.outbox.waiting();

    clock.now += 30 * DAY - 1;
    expect(ledger.outbox.prune(30)).toBe(0);
    clock.now += 2;
    expect(ledger.outbox.prune(30)).toBe(acked);
    expect(ledger.outbox.waiting()).toBe(waitingBefore);
    expect(allRows(ledger).every((r) => r.acked_at === null)).toBe(true);
    ledger.close();
  });

  it('refuses a batch size or a retention that makes no sense, with the reason', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    for (const bad of [0, -1, 1.5, MAX_BATCH_ROWS + 1, Number.NaN, '10' as unknown as number]) {
      expect(() => ledger.outbox.nextBatch(bad)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/^Invalid batch size: /) }));
    }
    for (const bad of [0, 0.5, -3]) {
      expect(() => ledger.outbox.prune(bad)).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/^Invalid outbox retention: /) }));
    }
    ledger.close();
  });

  it('refuses every call once the ledger is closed', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const batch = { records: [], rows: 0, throughSeq: 0 };
    ledger.close();
    for (const call of [() => ledger.outbox.tillId(), () => ledger.outbox.waiting(), () => ledger.outbox.nextBatch(1), () => ledger.outbox.ack(batch), () => ledger.outbox.prune(1)]) {
      expect(call).toThrow(expect.objectContaining({ code: 'closed' }));
    }
  });
});
