import type { Ledger } from '../ledger/ledger';
import type { Mode, Sale, Tender } from '../../shared/domain/sale';
import type { ProofResult } from '../ledger/ledger';
import type { IntentStatus } from '../rails/payment-rail';
import { silentLogger, type Logger } from '../app/logger';

/**
 * The second proof of payment: asks the sequencer for the status of every
 * Code payment (tender) that could still be paid, so a payment whose webhook
 * never arrived (tunnel down, URL changed, app restarted) is still recorded.
 * Tenders of both modes are watched, each through the rail of its own sale's
 * mode: switching the app to sandbox does not abandon a live sale. The
 * sale on screen is asked about every tick; the others with exponential
 * back-off. Code payments left too long expire (and sales nothing paid),
 * but stay watched for a while so a late payment still lands (flagged).
 */

export interface ReconcilerTiming {
  /** How often the loop runs, and how often the sale on screen is polled. */
  tickMs: number;
  /** First back-off step for a Code payment whose sale is not on screen. */
  backgroundInitialMs: number;
  /** Back-off cap for a pending Code payment. */
  backgroundMaxMs: number;
  /** Back-off cap for a cancelled or expired Code payment still watched for a late payment. */
  closedMaxMs: number;
  /** A pending Code payment older than this expires (and its sale, when nothing paid it). */
  expireAfterMs: number;
  /** How long a cancelled or expired Code payment is still watched. */
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
  /** Asks the rail of `mode` (the tender's sale's mode) for an intent's status. */
  statusOf: (mode: Mode, intentId: string) => Promise<IntentStatus>;
  recordProof: (input: { tenderId: number; source: 'status_poll'; payload: Record<string, unknown> }) => ProofResult;
  /**
   * A waiting Code payment the sequencer says does not exist: its request
   * never reached it (the app stopped between writing the tender and sending
   * it). The payments service sends the same request again.
   */
  onMissing?: (entry: { tender: Tender; sale: Sale }) => Promise<void>;
  /** A sale changed by expiry: its Code payment expired, and the sale too when nothing paid it. */
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
  /** By tender id. */
  const schedules = new Map<number, Schedule>();
  const inFlight = new Map<number, Promise<void>>();
  let focused: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = false;
  let pass: Promise<void> | null = null;

  async function poll({ tender, sale }: { tender: Tender; sale: Sale }): Promise<void> {
    const schedule = schedules.get(tender.id)!;
    try {
      const status = await options.statusOf(sale.mode, tender.intentId!);
      if (stopped) return;
      if (status.status === 'confirmed') {
        const result = options.recordProof({ tenderId: tender.id, source: 'status_poll', payload: { ...status } });
        log.info(`sale ${sale.id}, Code payment ${tender.id} confirmed by status poll (${result.outcome})`);
        schedules.delete(tender.id);
        return;
      }
      if (!status.exists && tender.status === 'pending' && options.onMissing) await options.onMissing({ tender, sale });
    } catch (error) {
      log.warn(`status of sale ${sale.id}, Code payment ${tender.id} unavailable: ${(error as Error).message}`);
    }
    const cap = tender.status === 'pending' ? timing.backgroundMaxMs : timing.closedMaxMs;
    schedule.delay = Math.min(schedule.delay * 2, cap);
    schedule.nextAt = now() + schedule.delay;
  }

  async function runOnce(): Promise<void> {
    const at = now();
    for (const sale of options.ledger.expirePendingBefore(Math.max(0, at - timing.expireAfterMs))) {
      log.info(sale.status === 'expired' ? `sale ${sale.id} expired unpaid` : `sale ${sale.id}: its waiting Code payment expired`);
      options.onExpired(sale);
    }
    const open = options.ledger.openCodeTenders(Math.max(0, at - timing.lateWindowMs));
    const openIds = new Set(open.map((o) => o.tender.id));
    for (const id of schedules.keys()) if (!openIds.has(id)) schedules.delete(id);
    const due: typeof open = [];
    for (const entry of open) {
      const id = entry.tender.id;
      let schedule = schedules.get(id);
      if (!schedule) {
        // First sight (a new Code payment, or one found after a restart): ask at once.
        schedule = { nextAt: at, delay: timing.backgroundInitialMs / 2 };
        schedules.set(id, schedule);
      }
      if (inFlight.has(id)) continue;
      if (entry.sale.id === focused || schedule.nextAt <= at) due.push(entry);
    }
    // The sale on screen goes first; then the longest-waiting.
    const onScreen = (e: (typeof open)[number]) => e.sale.id === focused;
    due.sort((a, b) => (onScreen(a) !== onScreen(b) ? (onScreen(a) ? -1 : 1) : schedules.get(a.tender.id)!.nextAt - schedules.get(b.tender.id)!.nextAt));
    const slots = Math.max(0, timing.maxConcurrentPolls - inFlight.size);
    for (const entry of due.slice(0, slots)) {
      const p = poll(entry).finally(() => inFlight.delete(entry.tender.id));
      inFlight.set(entry.tender.id, p);
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
