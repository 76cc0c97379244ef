/**
 * A till in a process of its own, for the kill tests: it sells (through the
 * ledger, so the outbox fills as in the app) while its sync worker pushes to
 * the shop database, and says on stdout what the worker does, each line in
 * the pipe before the next step, so the parent can SIGKILL it at a known
 * point of a batch.
 *
 *   sync-till.ts <dir> <url> <sales> <seed> <mode>
 *
 * Modes:
 *   run          sell, sync until nothing waits, say `synced`, exit 0
 *   hang-after   like run, but the first push that commits never returns to
 *                the worker (so it is never acknowledged): the parent kills it there
 *
 * Lines: `pushing <rows>` (a batch is on its way), `pushed <rows>` (PostgreSQL
 * committed it; the ack has not run), `sold <n>`, `synced`, `error <message>`.
 */
import { createLedger } from '../../electron/core/ledger/ledger';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import type { ShopDatabase } from '../../electron/core/sync/sync-record';
import { createSyncWorker } from '../../electron/core/sync/sync-worker';
import { prng } from './prng';
import { openTill, sellOne } from './sync-sales';
import { say } from './child-stdout';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const [dir, url, salesText, seedText, mode] = process.argv.slice(2);
  if (!dir || !url || !salesText || !seedText || (mode !== 'run' && mode !== 'hang-after')) {
    throw new Error('usage: sync-till.ts <dir> <url> <sales> <seed> run|hang-after');
  }
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  const till = openTill(ledger, prng(Number(seedText)));
  let hang = mode === 'hang-after';

  const connect = async (): Promise<ShopDatabase> => {
    const shop = await connectShopDatabase({ url, connectTimeoutMs: 5_000 });
    return {
      async push(t, records) {
        say(`pushing ${records.length}`);
        await shop.push(t, records);
        say(`pushed ${records.length}`);
        if (hang) {
          hang = false;
          // Committed over there, never acknowledged here: the parent's SIGKILL lands in this gap.
          await new Promise(() => {});
        }
      },
      close: () => shop.close(),
    };
  };
  const worker = createSyncWorker({
    outbox: ledger.outbox,
    connect,
    shopName: () => 'Three tills',
    batchRows: 40,
    timing: { idleMs: 10, backoff: { baseMs: 20, capMs: 200 } },
    onStatus: (s) => {
      if (s.state === 'error') say(`error ${s.error}`);
    },
  });
  worker.start();

  const sales = Number(salesText);
  for (let i = 0; i < sales; i++) {
    sellOne(till);
    // A till sells at human pace; here a sale every couple of milliseconds, with the worker pushing in between.
    await pause(2);
  }
  say(`sold ${sales}`);
  while (worker.status().state !== 'synced' || ledger.outbox.waiting() > 0) await pause(10);
  await worker.stop();
  ledger.close();
  say('synced');
}

main().catch((error: unknown) => {
  say(`error ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
