import type { Ledger } from '../ledger/ledger';
import type { Mode, Sale } from '../../shared/domain/sale';
import type { ProofResult } from '../ledger/ledger';
import type { IntentStatus } from './code-sequencer';
import { silentLogger, type Logger } from '../app/logger';

/**
 * The second proof of payment: asks Code for the status of every sale that
 * could still be paid, so a payment whose webhook never arrived (tunnel down,
 * URL changed, app restarted) is still recorded. The sale on screen is asked
 * about every tick; the others with exponential back-off. Pending sales left
 * too long expire, but stay watched for a while so a late payment still
 * lands (flagged).
 */

export interface ReconcilerTiming {
  /** How often the loop runs, and how often the sale on screen is polled. */
  tickMs: number;
  /** First back-off step for a sale that is not on screen. */
  backgroundInitialMs: number;
  /** Back-off cap for a pending sale. */
  backgroundMaxMs: number;
  /** Back-off cap for a cancelled or expired sale still watched for a late payment. */
  closedMaxMs: number;
  /** A pending sale older than this expires. */
  expireAfterMs: number;
  /** How long a cancelled or expired sale is still watched. */
  lateWindowMs: number;
  /** Polls in flight at once, so a long backlog after a restart cannot flood Code. */
  maxConcurrentPolls: number;
}

export const DEFAULT_RECONCILER_TIMING: ReconcilerTiming = {
  tickMs: 1_000,
  backgroundInitialMs: 2_000,
  backgroundMaxMs: 30_000,
  closedMaxMs: 5 * 60_000,
  expireAfterMs: 15 * 60_000,
  lateWindowMs: 2 * 60 * 60_000,
  maxConcurrentPolls: 4,
};

export interface ReconcilerOptions {
  ledger: Ledger;
  mode: () => Mode;
  getStatus: (intentId: string) => Promise<IntentStatus>;
  recordProof: (input: { saleId: number; source: 'status_poll'; payload: Record<string, unknown> }) => ProofResult;
  onExpired: (sale: Sale) => void;
  timing?: Partial<ReconcilerTiming>;
  now?: () => number;
  logger?: Logger;
}

interface Schedule {
  nextAt: number;
  delay: number;
}

export interface Reconciler {
  start(): void;
  stop(): Promise<void>;
  /** The sale on screen, polled every tick; null when the till is idle. */
  focus(saleId: number | null): void;
  /** Runs one pass now (also what each tick does). */
  runOnce(): Promise<void>;
}

export function createReconciler(options: ReconcilerOptions): Reconciler {
  const timing = { ...DEFAULT_RECONCILER_TIMING, ...options.timing };
  const now = options.now ?? Date.now;
  const log = (options.logger ?? silentLogger).child('reconciler');
  const schedules = new Map<number, Schedule>();
  const inFlight = new Map<number, Promise<void>>();
  let focused: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = false;
  let pass: Promise<void> | null = null;

  async function poll(sale: Sale): Promise<void> {
    const schedule = schedules.get(sale.id)!;
    try {
      const status = await options.getStatus(sale.intentId!);
      if (stopped) return;
      if (status.status === 'confirmed') {
        const result = options.recordProof({ saleId: sale.id, source: 'status_poll', payload: { ...status } });
        log.info(`sale ${sale.id} confirmed by status poll (${result.outcome})`);
        schedules.delete(sale.id);
        return;
      }
    } catch (error) {
      log.warn(`status of sale ${sale.id} unavailable: ${(error as Error).message}`);
    }
    const cap = sale.status === 'pending' ? timing.backgroundMaxMs : timing.closedMaxMs;
    schedule.delay = Math.min(schedule.delay * 2, cap);
    schedule.nextAt = now() + schedule.delay;
  }

  async function runOnce(): Promise<void> {
    const at = now();
    for (const sale of options.ledger.expirePendingBefore(Math.max(0, at - timing.expireAfterMs))) {
      log.info(`sale ${sale.id} expired unpaid`);
      options.onExpired(sale);
    }
    const open = options.ledger.openSales(options.mode(), Math.max(0, at - timing.lateWindowMs));
    const openIds = new Set(open.map((s) => s.id));
    for (const id of schedules.keys()) if (!openIds.has(id)) schedules.delete(id);
    const due: Sale[] = [];
    for (const sale of open) {
      let schedule = schedules.get(sale.id);
      if (!schedule) {
        // First sight (a new sale, or one found after a restart): ask at once.
        schedule = { nextAt: at, delay: timing.backgroundInitialMs / 2 };
        schedules.set(sale.id, schedule);
      }
      if (inFlight.has(sale.id)) continue;
      if (sale.id === focused || schedule.nextAt <= at) due.push(sale);
    }
    // The sale on screen goes first; then the longest-waiting.
    due.sort((a, b) => (a.id === focused ? -1 : b.id === focused ? 1 : schedules.get(a.id)!.nextAt - schedules.get(b.id)!.nextAt));
    const slots = Math.max(0, timing.maxConcurrentPolls - inFlight.size);
    for (const sale of due.slice(0, slots)) {
      const p = poll(sale).finally(() => inFlight.delete(sale.id));
      inFlight.set(sale.id, p);
    }
  }

  /** One pass, then the next one a tick later, for as long as the loop runs. */
  function loop(): void {
    pass = runOnce()
      .catch((error: unknown) => log.warn(`pass failed: ${(error as Error).message}`))
      .finally(() => {
        pass = null;
        if (!running) return;
        timer = setTimeout(() => {
          timer = null;
          loop();
        }, timing.tickMs);
        timer.unref();
      });
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop();
    },
    async stop() {
      running = false;
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await pass;
      await Promise.allSettled([...inFlight.values()]);
    },
    focus(saleId) {
      focused = saleId;
    },
    runOnce,
  };
}
