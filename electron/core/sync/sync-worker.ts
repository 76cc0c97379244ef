import { CounterError } from '../app/errors';
import { silentLogger, type Logger } from '../app/logger';
import type { OutboxBatch, OutboxRecord, OutboxStore } from '../ledger/outbox-store';
import { backoffDelay, type Backoff } from './backoff';
import { recordUuid, type ShopDatabase, type SyncRecord, type SyncTill } from './sync-record';

/**
 * The sync worker: sends the ledger's outbox to the shop database, one batch
 * at a time, on a timer of its own. A sale never waits for it: the sale's
 * transaction only appends outbox rows (the triggers of migration 12), and
 * the worker reads them later.
 *
 * Each batch is pushed, and only once the shop database has committed it
 * is it acknowledged in the ledger. A kill between the two leaves the batch
 * waiting, so it is sent again after a restart; the shop database keeps the
 * higher version only, so the second push changes nothing. Nothing is lost
 * (no ack before the commit) and nothing doubles (records are upserted by
 * UUID).
 *
 * A failure (no network, the server down or restarting, a record refused)
 * is retried after an exponential back-off with jitter and a cap, and shows
 * in the status with its reason until a push succeeds.
 */

export type SyncStatus = { state: 'synced' } | { state: 'waiting'; waiting: number } | { state: 'error'; error: string; waiting: number };

export interface SyncTiming {
  /** How long the worker rests once the outbox is empty before looking again (default 2 s). */
  idleMs: number;
  /** The back-off after failures: the first retry waits about `baseMs`, doubling up to `capMs`. */
  backoff: Backoff;
  /** Acknowledged outbox rows are deleted after this many days (default 30). */
  pruneAfterDays: number;
  /** How often acknowledged rows are pruned (default hourly; first at start). */
  pruneEveryMs: number;
}

export const DEFAULT_SYNC_TIMING: SyncTiming = {
  idleMs: 2_000,
  backoff: { baseMs: 1_000, capMs: 60_000 },
  pruneAfterDays: 30,
  pruneEveryMs: 60 * 60_000,
};

/** Rows per batch by default: a few hundred records per PostgreSQL transaction. */
export const DEFAULT_BATCH_ROWS = 500;

export interface SyncWorkerOptions {
  outbox: Pick<OutboxStore, 'tillId' | 'waiting' | 'nextBatch' | 'ack' | 'prune'>;
  /** Opens the shop database: called at the first push, and again after a failure, since a dropped connection may not come back. */
  connect: () => Promise<ShopDatabase>;
  /** The shop's name as the till knows it now (it goes with every batch). */
  shopName: () => string;
  /** This till's own name as it is now: it goes with every batch too. Without it, the till has none (''). */
  tillName?: () => string;
  batchRows?: number;
  timing?: Partial<SyncTiming>;
  onStatus?: (status: SyncStatus) => void;
  logger?: Logger;
  /** For the jitter; tests pass their own. */
  random?: () => number;
}

export interface SyncWorker {
  start(): void;
  /**
   * Waits for the batch in flight (pushed and acknowledged, or failed), then
   * closes the shop database. An attempt still connecting is not waited for
   * (a server far away may take its connect timeout to answer): it closes
   * what it opens and sends nothing.
   */
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Looks at the outbox now instead of at the end of the rest (a sale just made); no effect while a batch is in flight or failing. */
  wake(): void;
}

export class SyncError extends CounterError {
  override readonly name = 'SyncError';
}

/** A reason fit for the status bar: the error's own message, never a stack. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function toSyncRecords(tillId: string, records: readonly OutboxRecord[]): SyncRecord[] {
  return records.map((r) => ({ entity: r.entity, localId: r.localId, uuid: recordUuid(tillId, r.entity, r.localId), version: r.version, data: r.data }));
}

export function createSyncWorker(options: SyncWorkerOptions): SyncWorker {
  const log = (options.logger ?? silentLogger).child('sync-worker');
  const timing: SyncTiming = { ...DEFAULT_SYNC_TIMING, ...options.timing };
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new SyncError('invalid-sync-options', `A sync batch holds a whole number of rows, at least 1 (got ${String(batchRows)}).`);
  }
  if (!(timing.backoff.baseMs > 0 && timing.backoff.capMs >= timing.backoff.baseMs)) {
    throw new SyncError('invalid-sync-options', 'The sync back-off needs a positive base and a cap no smaller than the base.');
  }
  const random = options.random ?? Math.random;
  const { outbox } = options;

  let database: ShopDatabase | null = null;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  /** True while the shop database is being opened: the one wait stop() does not share. */
  let connecting = false;
  let failures = 0;
  let lastPrune = -Infinity;
  let current: SyncStatus = { state: 'waiting', waiting: 0 };

  function setStatus(next: SyncStatus): void {
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    current = next;
    try {
      options.onStatus?.(next);
    } catch (error) {
      log.warn(`a sync status listener failed: ${reasonOf(error)}`);
    }
  }

  function schedule(ms: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      inFlight = step().finally(() => {
        inFlight = null;
      });
    }, ms);
  }

  async function dropConnection(): Promise<void> {
    const old = database;
    database = null;
    await old?.close().catch(() => {});
  }

  /** One batch: read, push, ack. Answers whether more may be waiting. */
  async function pushOne(): Promise<boolean> {
    const batch: OutboxBatch | null = outbox.nextBatch(batchRows);
    if (!batch) return false;
    if (!database) {
      connecting = true;
      try {
        database = await options.connect();
      } finally {
        connecting = false;
      }
      // Stopped while connecting (stop() does not wait for a server that may take seconds to answer): nothing is sent.
      if (!running) {
        await dropConnection();
        return false;
      }
    }
    const tillId = outbox.tillId();
    const till: SyncTill = { id: tillId, shopName: options.shopName(), tillName: options.tillName?.() ?? '' };
    await database.push(till, toSyncRecords(tillId, batch.records));
    // Only now, with the batch committed over there, may the till forget it.
    outbox.ack(batch);
    return batch.rows === batchRows;
  }

  async function step(): Promise<void> {
    try {
      if (Date.now() - lastPrune >= timing.pruneEveryMs) {
        lastPrune = Date.now();
        const pruned = outbox.prune(timing.pruneAfterDays);
        if (pruned) log.info(`pruned ${pruned} acknowledged outbox rows`);
      }
      const more = await pushOne();
      if (!running) return;
      if (failures) log.info(`sync works again after ${failures} failed attempt(s)`);
      failures = 0;
      const waiting = outbox.waiting();
      setStatus(waiting ? { state: 'waiting', waiting } : { state: 'synced' });
      // Straight on while there is more, through the event loop, so the till's own work interleaves.
      schedule(more || waiting ? 0 : timing.idleMs);
    } catch (error) {
      // Stopped meanwhile: the failure is the stop's (a closed connection), not news.
      if (!running) {
        await dropConnection();
        return;
      }
      failures += 1;
      const reason = reasonOf(error);
      const delay = backoffDelay(failures, timing.backoff, random);
      // The connection may be the broken part: the next attempt opens a new one.
      await dropConnection();
      let waiting = 0;
      try {
        waiting = outbox.waiting();
      } catch {
        // The ledger itself failing is already the reason shown.
      }
      if (failures === 1 || failures % 10 === 0) log.warn(`sync failed (attempt ${failures}), retrying in ${delay} ms: ${reason}`);
      setStatus({ state: 'error', error: reason, waiting });
      schedule(delay);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      try {
        const waiting = outbox.waiting();
        setStatus(waiting ? { state: 'waiting', waiting } : { state: 'synced' });
      } catch (error) {
        log.warn(`could not count the outbox: ${reasonOf(error)}`);
      }
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      // The batch in flight finishes (or fails) first, so its ack is not torn off;
      // an attempt still connecting is left to notice the stop and close what it opens.
      if (!connecting) await inFlight;
      await dropConnection();
    },
    status: () => current,
    wake() {
      if (!running || inFlight || failures || !timer) return;
      clearTimeout(timer);
      schedule(0);
    },
  };
}
