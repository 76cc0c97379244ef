import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { OUTBOX_ENTITIES, OUTBOX_TABLES } from '../../electron/core/ledger/outbox-store';
import { backoffDelay } from '../../electron/core/sync/backoff';
import { recordUuid } from '../../electron/core/sync/sync-record';
import { createSyncWorker, type SyncStatus, type SyncWorkerOptions } from '../../electron/core/sync/sync-worker';
import { memoryLogger } from '../support/memory-logger';
import { prng } from '../support/prng';
import { standInShop, waitFor, type StandInShop } from '../support/sync-fixture';
import { openTill, sell } from '../support/sync-sales';
import { tempDir } from '../support/temp-dir';

/**
 * The worker's own logic on a real ledger, against a stand-in shop database
 * that can fail or hold a push on demand. (The same worker against a real
 * PostgreSQL server, with kills and restarts: sync-postgres.test.ts.)
 */

const FAST = { idleMs: 5, backoff: { baseMs: 5, capMs: 20 } };

function records(ledger: Ledger): number {
  return OUTBOX_ENTITIES.reduce((n, e) => n + (ledger.database.prepare(`SELECT count(*) AS n FROM ${OUTBOX_TABLES[e]}`).get() as { n: number }).n, 0);
}

function worker(ledger: Ledger, shop: StandInShop, extra: Partial<SyncWorkerOptions> = {}) {
  const statuses: SyncStatus[] = [];
  let connects = 0;
  const w = createSyncWorker({
    outbox: ledger.outbox,
    connect: async () => {
      connects += 1;
      return shop;
    },
    shopName: () => 'Corner shop',
    batchRows: 50,
    timing: FAST,
    onStatus: (s) => statuses.push(s),
    ...extra,
  });
  return { w, statuses, connects: () => connects };
}

describe('the sync worker', () => {
  it('sends the whole outbox in batches, each record by its UUID at its latest version, then reports synced', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(1)), 60);
    const shop = standInShop();
    const { w, statuses } = worker(ledger, shop);
    expect(w.status()).toEqual({ state: 'waiting', waiting: 0 });
    w.start();
    expect(w.status()).toMatchObject({ state: 'waiting', waiting: expect.any(Number) });
    await waitFor('synced', () => w.status().state === 'synced');
    await w.stop();

    expect(ledger.outbox.waiting()).toBe(0);
    expect(shop.pushes.length).toBeGreaterThan(2);
    expect(shop.pushes.every((p) => p.records.length <= 50)).toBe(true);
    const tillId = ledger.outbox.tillId();
    expect(shop.pushes.every((p) => p.till.id === tillId && p.till.shopName === 'Corner shop')).toBe(true);
    expect(shop.rows.size).toBe(records(ledger));
    for (const r of shop.rows.values()) expect(r.uuid).toBe(recordUuid(tillId, r.entity, r.localId));
    // Counting down while it worked, and synced at the end.
    expect(statuses.at(-1)).toEqual({ state: 'synced' });
    expect(statuses.some((s) => s.state === 'waiting' && s.waiting > 0)).toBe(true);
    expect(shop.closed).toBe(1);
    ledger.close();
  });

  it('keeps the batch when a push fails, shows the reason and what waits, backs off, reconnects and sends it again', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(2)), 10);
    const waiting = ledger.outbox.waiting();
    const shop = standInShop();
    shop.failNext(3, new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const logger = memoryLogger();
    const { w, statuses, connects } = worker(ledger, shop, { logger });
    w.start();
    await waitFor('synced', () => w.status().state === 'synced');
    await w.stop();

    expect(statuses).toContainEqual({ state: 'error', error: 'connect ECONNREFUSED 127.0.0.1:5432', waiting });
    // Three failures, then the same first batch again.
    expect(shop.pushes[0]!.records).toEqual(shop.pushes[3]!.records);
    // A failed push drops the connection: each attempt after one opens a new one.
    expect(connects()).toBeGreaterThanOrEqual(4);
    expect(shop.closed).toBeGreaterThanOrEqual(4);
    expect(shop.rows.size).toBe(records(ledger));
    expect(logger.lines.some((l) => l.startsWith('sync-worker: sync failed (attempt 1)'))).toBe(true);
    expect(logger.lines).toContain('sync-worker: sync works again after 3 failed attempt(s)');
    ledger.close();
  });

  it('retries when the shop database cannot even be opened', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(3)), 3);
    const shop = standInShop();
    let refusals = 2;
    const { w, statuses } = worker(ledger, shop, {
      connect: async () => {
        if (refusals-- > 0) throw new Error('password authentication failed for user "till"');
        return shop;
      },
    });
    w.start();
    await waitFor('synced', () => w.status().state === 'synced');
    await w.stop();
    expect(statuses.filter((s) => s.state === 'error')).toHaveLength(1);
    expect(statuses.find((s) => s.state === 'error')).toMatchObject({ error: 'password authentication failed for user "till"' });
    expect(shop.rows.size).toBe(records(ledger));
    ledger.close();
  });

  it('waits on stop for the batch in flight, which is acknowledged, and starts nothing after it', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(4)), 20);
    const shop = standInShop();
    shop.holdNext();
    const { w } = worker(ledger, shop);
    w.start();
    await shop.held();
    const through = (ledger.database.prepare('SELECT seq FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT 1 OFFSET 49').get() as { seq: number }).seq;
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    shop.release();
    await stopping;
    expect(shop.pushes).toHaveLength(1);
    // The held batch was acknowledged on its way out; the rest still waits.
    expect(ledger.database.prepare('SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL AND seq <= ?').get(through)).toEqual({ n: 0 });
    expect(ledger.outbox.waiting()).toBeGreaterThan(0);
    expect(shop.closed).toBe(1);
    ledger.close();
  });

  it('does not wait on stop for a server that is slow to answer the connect; what it opens then is closed unused', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(8)), 3);
    const shop = standInShop();
    let answer: (db: StandInShop) => void = () => {};
    let asked: () => void = () => {};
    const connectAsked = new Promise<void>((resolve) => (asked = resolve));
    const { w } = worker(ledger, shop, {
      connect: () =>
        new Promise((resolve) => {
          answer = resolve;
          asked();
        }),
    });
    w.start();
    await connectAsked;
    await w.stop();
    const waiting = ledger.outbox.waiting();
    ledger.close();
    answer(shop);
    await waitFor('the late connection closed', () => shop.closed === 1);
    expect(shop.pushes).toHaveLength(0);
    expect(waiting).toBeGreaterThan(0);
  });

  it('looks at the outbox at once when woken, instead of at the end of its rest', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const till = openTill(ledger, prng(5));
    const shop = standInShop();
    const { w } = worker(ledger, shop, { timing: { ...FAST, idleMs: 3_600_000 } });
    w.start();
    await waitFor('synced', () => w.status().state === 'synced');
    sell(till, 1);
    w.wake();
    await waitFor('the new sale sent', () => ledger.outbox.waiting() === 0);
    expect(shop.rows.size).toBe(records(ledger));
    await w.stop();
    ledger.close();
  });

  it('keeps going when a status listener throws, and logs it', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    sell(openTill(ledger, prng(6)), 2);
    const logger = memoryLogger();
    const shop = standInShop();
    const { w } = worker(ledger, shop, {
      logger,
      onStatus: () => {
        throw new Error('the status bar is gone');
      },
    });
    w.start();
    await waitFor('synced', () => w.status().state === 'synced');
    await w.stop();
    expect(logger.lines).toContain('sync-worker: a sync status listener failed: the status bar is gone');
    ledger.close();
  });

  it('stops cleanly when never started, and starting twice runs one loop', async () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const shop = standInShop();
    await worker(ledger, shop).w.stop();
    sell(openTill(ledger, prng(7)), 3);
    const { w } = worker(ledger, shop);
    w.start();
    w.start();
    await waitFor('synced', () => w.status().state === 'synced');
    await w.stop();
    // One loop: no record was sent twice.
    expect(shop.pushes.flatMap((p) => p.records).length).toBe(records(ledger));
    ledger.close();
  });

  it('refuses a batch size or a back-off that makes no sense', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    const shop = standInShop();
    for (const batchRows of [0, 1.5, -2]) {
      expect(() => worker(ledger, shop, { batchRows })).toThrow(expect.objectContaining({ code: 'invalid-sync-options', name: 'SyncError' }));
    }
    for (const backoff of [{ baseMs: 0, capMs: 10 }, { baseMs: 10, capMs: 5 }, { baseMs: Number.NaN, capMs: 5 }]) {
      expect(() => worker(ledger, shop, { timing: { backoff } })).toThrow(expect.objectContaining({ code: 'invalid-sync-options' }));
    }
    ledger.close();
  });
});

describe('the back-off', () => {
  const backoff = { baseMs: 1_000, capMs: 60_000 };

  it('doubles from the base up to the cap, each wait in the upper half of its step', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n, backoff, high))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect([1, 2, 3, 7].map((n) => backoffDelay(n, backoff, low))).toEqual([500, 1_000, 2_000, 30_000]);
    // However many failures: finite, and never past the cap.
    expect(backoffDelay(10_000, backoff, high)).toBe(60_000);
  });

  it('spreads tills that failed together', () => {
    const random = prng(9);
    const waits = new Set(Array.from({ length: 20 }, () => backoffDelay(3, backoff, random)));
    expect(waits.size).toBeGreaterThan(15);
    for (const wait of waits) expect(wait >= 2_000 && wait <= 4_000).toBe(true);
  });

  it('refuses a failure count that is not a count', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => backoffDelay(bad, backoff)).toThrow(RangeError);
  });
});
