import type { CounterEvent, Settings } from '../../shared/contract';
import { PAPER_COLUMNS, type DrawerOpening, type PrinterSettings, type PrinterStatus, type PrintJob, type ReceiptCopy } from '../../shared/domain/printer';
import type { Actor } from '../../shared/domain/people';
import { buildDaySummaryReceipt, buildRefundReceipt, buildSaleReceipt, buildShiftReportReceipt, buildTestReceipt } from '../../shared/domain/receipt-builder';
import type { Mode, Sale } from '../../shared/domain/sale';
import type { ShiftReport } from '../../shared/domain/shift';
import { CounterError } from '../app/errors';
import { silentLogger, type Logger } from '../app/logger';
import { LedgerError } from '../ledger/errors';
import type { ClaimedJob, Ledger } from '../ledger/ledger';
import type { SaleUpdate } from '../payments/payments-service';
import { PrinterError, type PrinterTransport, type PrintPayload } from './printer-transport';

/**
 * The print queue (SPEC §8): receipts, end-of-day reports, test receipts and
 * drawer kicks, printed one at a time in the order they were queued, from
 * the ledger's print_jobs table. Queuing is one small insert; the sending
 * happens afterwards, off the caller's path, so a slow or broken printer
 * never holds up a sale, and a printer fault only ever fails the job (with
 * the message the cashier sees), never the sale. A failed job waits for
 * Retry, which sends the same job again once.
 *
 * Automatic receipts: when a sale becomes paid, each configured copy is
 * queued at most once (a unique index, so a webhook and a status poll for
 * the same payment make one receipt). At start, sales paid in the last hour
 * (and since auto-print was turned on) with no automatic receipt are queued:
 * the app may have stopped between the payment and the print. A job found
 * printing at start was cut off mid-send: whether paper came out is unknown,
 * so it is failed "interrupted" and never reprinted by itself.
 */

/** What a job cut off by a stop or a crash says; Retry sends it again. */
export const INTERRUPTED_MESSAGE = 'Interrupted: Counter stopped while this was printing. Check the printer, then Retry.';
export const NO_PRINTER_MESSAGE = 'No receipt printer is set up: choose one in Settings.';
export const DRAWER_NEEDS_NETWORK_MESSAGE =
  'The cash drawer opens through a network receipt printer (its drawer port); a system printer cannot open it.';

/** Sales paid longer ago than this are not printed automatically at start: a restart never prints a backlog. */
const SWEEP_WINDOW_MS = 60 * 60_000;
/** How long stop() waits for the job being sent before leaving it (it is then found printing at the next start). */
const STOP_WAIT_MS = 2_000;
/** The queue tries again this long after the ledger was too busy to hand out the next job. */
const BUSY_RETRY_MS = 1_000;
/** How often the end of a job is written again when the ledger is busy (each write already waits out the busy timeout). */
const END_WRITE_ATTEMPTS = 3;

export interface PrintQueueOptions {
  ledger: Pick<Ledger, 'printing' | 'getSale' | 'queries' | 'timeZone' | 'refunds'>;
  /**
   * A shift's Z-report as it stands (the live figures of an open shift, the
   * frozen ones of a closed shift): the shifts service's, read when the job
   * prints. Without it, a Z-report job fails with the reason.
   */
  shiftReport?: (shiftId: number) => ShiftReport;
  /** Read at every job, so a settings change applies to the next job printed. */
  settings: () => Settings;
  /** When automatic receipts were turned on, or null while they are off. */
  autoPrintSince: () => number | null;
  transports: Record<'network' | 'system', PrinterTransport>;
  /** The sales' changes (the payments service): a paid sale's receipt, the drawer on cash. */
  sales?: { subscribe(fn: (update: SaleUpdate) => void): () => void };
  /** Every job's change goes to the screens as {type: 'print-job'}. */
  publish: (event: CounterEvent) => void;
  /** The printer's status changed: the status bar is pushed again. */
  onStatus?: () => void;
  logger?: Logger;
  now?: () => number;
  stopWaitMs?: number;
}

export interface PrintQueue {
  /** A sale's receipt: the settings' copies unless told ('both', or one copy). 'auto' queues each copy at most once, and only with auto-print on. */
  enqueueReceipt(saleId: number, copy: ReceiptCopy | 'both' | undefined, reason: 'auto' | 'manual'): PrintJob[];
  enqueueDaySummary(date: string, mode: Mode | 'all'): PrintJob;
  enqueueTest(): PrintJob;
  /**
   * A refund's receipt. 'auto' (just after the refund): queued at most once
   * per refund, and only with a printer set (else nothing, []). 'manual' (a
   * reprint): refused with no printer set.
   */
  enqueueRefund(refundId: number, reason: 'auto' | 'manual'): PrintJob[];
  /**
   * A shift's Z-report. 'auto' (its close): at most once per shift, and only
   * with a printer set (else null). 'manual': refused with no printer set.
   */
  enqueueShiftReport(shiftId: number, reason: 'auto' | 'manual'): PrintJob | null;
  /** "No sale": the drawer opening is recorded (by `by`, in the open shift) and the drawer kicked. */
  openDrawer(reason: 'no-sale', by?: Actor | null): DrawerOpening;
  /** A cash tender on `saleId` (its latest cash tender): null when it already opened the drawer. */
  openDrawer(reason: 'cash', saleId: number): DrawerOpening | null;
  retry(jobId: number): PrintJob;
  jobs(limit: number): PrintJob[];
  status(): PrinterStatus;
  start(): void;
  stop(): Promise<void>;
}

export function createPrintQueue(options: PrintQueueOptions): PrintQueue {
  const { ledger, transports } = options;
  const store = ledger.printing;
  const log = (options.logger ?? silentLogger).child('print-queue');
  const now = options.now ?? Date.now;
  let started = false;
  let stopped = false;
  let pumping = false;
  let scheduled: NodeJS.Immediate | null = null;
  let busyTimer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastStatus: PrinterStatus = { state: 'off' };

  const printer = (): PrinterSettings => options.settings().printer;

  function changed(jobs: readonly PrintJob[]): void {
    for (const job of jobs) options.publish({ type: 'print-job', job });
    if (jobs.length) options.onStatus?.();
  }

  /** Refuses a print when no printer is chosen: nothing is queued that could only fail. */
  function requirePrinter(): PrinterSettings {
    const p = printer();
    if (p.kind === 'none') throw new PrinterError('printer-not-set', NO_PRINTER_MESSAGE);
    return p;
  }

  /** Runs the queue on a later turn of the event loop: whoever queued a job gets its answer first. */
  function schedule(): void {
    if (!started || stopped || scheduled) return;
    scheduled = setImmediate(() => {
      scheduled = null;
      void pump();
    });
  }

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (!stopped) {
        let claimed: ClaimedJob | null;
        try {
          claimed = store.claimNext();
        } catch (error) {
          log.error(`could not take the next job: ${(error as Error).message}`);
          // Another writer held the ledger: the jobs wait in it, so try again shortly rather than at the next print.
          if (error instanceof LedgerError && error.code === 'busy' && !busyTimer && !stopped) {
            busyTimer = setTimeout(() => {
              busyTimer = null;
              schedule();
            }, BUSY_RETRY_MS);
            busyTimer.unref();
          }
          return;
        }
        if (!claimed) return;
        changed([claimed.job]);
        inFlight = run(claimed);
        await inFlight;
        inFlight = null;
      }
    } finally {
      pumping = false;
    }
  }

  /** Sends one job with the settings as they are now, and records how it ended. */
  async function run({ job, summaryMode }: ClaimedJob): Promise<void> {
    const settings = options.settings();
    const p = settings.printer;
    let failure: string | null = null;
    try {
      if (p.kind === 'none') throw new PrinterError('printer-not-set', `${NO_PRINTER_MESSAGE} Then Retry.`);
      if (job.kind === 'drawer' && p.kind !== 'network') throw new PrinterError('printer-unsupported', DRAWER_NEEDS_NETWORK_MESSAGE);
      await transports[p.kind].send(payloadOf(job, summaryMode, settings), p);
    } catch (error) {
      failure = error instanceof CounterError ? error.message : `Counter could not print this: ${(error as Error).message}`;
      const code = error instanceof CounterError ? error.code : 'unexpected';
      log.warn(`job ${job.id} (${describe(job)}) failed: ${code}: ${failure}`, { jobId: job.id, code });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const done = store.finish(job.id, failure === null ? { printed: true } : { printed: false, message: failure });
        if (failure === null) log.info(`job ${job.id} (${describe(job)}) printed`, { jobId: job.id });
        changed([done]);
        return;
      } catch (error) {
        if (error instanceof LedgerError && error.code === 'busy' && attempt < END_WRITE_ATTEMPTS) continue;
        // The ledger closed meanwhile (a quit), or stayed busy: the job is found printing at the next start.
        log.warn(`the end of job ${job.id} was not recorded: ${(error as Error).message}`);
        return;
      }
    }
  }

  /** What a job prints, built from the ledger's facts and the settings of now. */
  function payloadOf(job: PrintJob, summaryMode: Mode | 'all' | null, settings: Settings): PrintPayload {
    const p = settings.printer;
    const layout = { shopName: settings.shopName, timeZone: ledger.timeZone, header: p.header, footer: p.footer, columns: PAPER_COLUMNS[p.paperWidth] };
    switch (job.kind) {
      case 'receipt':
        return {
          doc: buildSaleReceipt(ledger.getSale(job.saleId), { ...layout, copy: job.copy ?? 'customer', receiptDetails: settings.receiptDetails }),
          drawerKick: false,
        };
      case 'day-summary':
        return { doc: buildDaySummaryReceipt(ledger.queries.daySummary(job.date, summaryMode ?? 'live'), layout), drawerKick: false };
      case 'test':
        return { doc: buildTestReceipt({ shopName: settings.shopName, columns: layout.columns, settings: p, at: now(), timeZone: ledger.timeZone }), drawerKick: false };
      case 'drawer':
        return { doc: null, drawerKick: true };
      case 'refund': {
        const refund = ledger.refunds.get(job.refundId);
        const sale = ledger.getSale(refund.saleId);
        return { doc: buildRefundReceipt(refund, sale, ledger.refunds.listBySale(sale.id), layout), drawerKick: false };
      }
      case 'shift-report': {
        if (!options.shiftReport) throw new PrinterError('printer-unsupported', 'Shift reports cannot be printed from here.');
        return { doc: buildShiftReportReceipt(options.shiftReport(job.shiftId!), layout), drawerKick: false };
      }
    }
  }

  function copiesOf(copy: ReceiptCopy | 'both' | undefined, p: PrinterSettings): ReceiptCopy[] {
    if (copy === 'both') return ['customer', 'shop'];
    if (copy) return [copy];
    const configured = (['customer', 'shop'] as const).filter((c) => p.copies[c]);
    // Asked for from the log with no copy configured: the customer's is what a reprint is for.
    return configured.length ? configured : ['customer'];
  }

  const autoPrintOn = (p: PrinterSettings) => p.autoPrint && p.kind !== 'none';

  /** Queues the automatic receipt of a paid sale once per configured copy; nothing when auto-print is off or the sale was paid before it was on. */
  function enqueueAuto(sale: Pick<Sale, 'id' | 'paidAt'>): PrintJob[] {
    const p = printer();
    const since = options.autoPrintSince();
    if (!autoPrintOn(p) || since === null || sale.paidAt === null || sale.paidAt < since) return [];
    const copies = (['customer', 'shop'] as const).filter((c) => p.copies[c]);
    if (!copies.length) return [];
    return store.enqueueAuto({ saleId: sale.id, copies });
  }

  function enqueueReceipt(saleId: number, copy: ReceiptCopy | 'both' | undefined, reason: 'auto' | 'manual'): PrintJob[] {
    const jobs = reason === 'auto' ? enqueueAuto(ledger.getSale(saleId)) : copiesOf(copy, requirePrinter()).map((c) => store.enqueue({ kind: 'receipt', reason: 'manual', saleId, copy: c }));
    changed(jobs);
    schedule();
    return jobs;
  }

  function enqueueDaySummary(date: string, mode: Mode | 'all'): PrintJob {
    requirePrinter();
    // Computed once now only to refuse a bad date or mode before anything is queued; it is printed as it stands when its turn comes.
    ledger.queries.daySummary(date, mode);
    const job = store.enqueue({ kind: 'day-summary', reason: 'manual', date, mode });
    changed([job]);
    schedule();
    return job;
  }

  function enqueueTest(): PrintJob {
    requirePrinter();
    const job = store.enqueue({ kind: 'test', reason: 'manual' });
    changed([job]);
    schedule();
    return job;
  }

  function enqueueRefund(refundId: number, reason: 'auto' | 'manual'): PrintJob[] {
    let jobs: PrintJob[];
    if (reason === 'auto') {
      if (printer().kind === 'none') return [];
      const job = store.enqueueAutoOnce({ kind: 'refund', refundId });
      jobs = job ? [job] : [];
    } else {
      requirePrinter();
      jobs = [store.enqueue({ kind: 'refund', reason: 'manual', refundId })];
    }
    changed(jobs);
    schedule();
    return jobs;
  }

  function enqueueShiftReport(shiftId: number, reason: 'auto' | 'manual'): PrintJob | null {
    let job: PrintJob | null;
    if (reason === 'auto') {
      if (printer().kind === 'none') return null;
      job = store.enqueueAutoOnce({ kind: 'shift-report', shiftId });
    } else {
      requirePrinter();
      job = store.enqueue({ kind: 'shift-report', reason: 'manual', shiftId });
    }
    changed(job ? [job] : []);
    schedule();
    return job;
  }

  function openDrawer(reason: 'no-sale', by?: Actor | null): DrawerOpening;
  function openDrawer(reason: 'cash', saleId: number): DrawerOpening | null;
  function openDrawer(reason: 'no-sale' | 'cash', arg?: number | Actor | null): DrawerOpening | null {
    const saleId = typeof arg === 'number' ? arg : undefined;
    const by = typeof arg === 'object' ? arg : null;
    const p = requirePrinter();
    if (p.kind !== 'network') throw new PrinterError('printer-unsupported', DRAWER_NEEDS_NETWORK_MESSAGE);
    let opened: ReturnType<typeof store.openDrawer>;
    if (reason === 'cash') {
      const sale = ledger.getSale(saleId);
      const cash = [...sale.tenders].reverse().find((t) => t.kind === 'cash' && t.status === 'paid');
      if (!cash) return null;
      opened = store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: cash.id });
    } else {
      opened = store.openDrawer({ reason: 'no-sale', mode: options.settings().mode, personId: by?.id ?? null });
    }
    if (!opened) return null;
    log.info(`drawer opened (${reason === 'cash' ? `cash, sale ${saleId}` : `no sale${by ? `, by ${by.name}` : ''}`})`, { reason, saleId });
    changed([opened.job]);
    schedule();
    return opened.opening;
  }

  /** A sale changed: the drawer for the cash just taken, and the receipt of a sale just paid. Never throws into the payments service. */
  function onSale({ sale, cause }: SaleUpdate): void {
    try {
      const p = printer();
      if (cause === 'tendered' && p.kind === 'network' && p.drawerOnCash && sale.tenders[sale.tenders.length - 1]?.kind === 'cash') {
        openDrawer('cash', sale.id);
      }
      if (sale.status === 'paid') {
        const jobs = enqueueAuto(sale);
        changed(jobs);
        schedule();
      }
    } catch (error) {
      log.error(`sale ${sale.id} (${cause}) was not queued for printing: ${(error as Error).message}`, { saleId: sale.id });
    }
  }

  function retry(jobId: number): PrintJob {
    requirePrinter();
    const { job, requeued } = store.retry(jobId);
    if (requeued) {
      log.info(`job ${job.id} (${describe(job)}) sent again`, { jobId: job.id });
      changed([job]);
      schedule();
    }
    return job;
  }

  function computeStatus(): PrinterStatus {
    if (printer().kind === 'none') return { state: 'off' };
    const c = store.counts();
    if (c.printing > 0) return { state: 'printing', queued: c.queued };
    // The printer is in trouble while its latest outcome is a failure; a job printed since says it works again.
    const failure = c.latestFailure;
    if (failure && (c.lastPrintedAt === null || failure.at >= c.lastPrintedAt)) {
      return { state: 'error', message: failure.message, queued: c.queued, failed: c.failed };
    }
    return { state: 'ready', queued: c.queued };
  }

  function status(): PrinterStatus {
    try {
      lastStatus = computeStatus();
    } catch (error) {
      // Asked after the ledger closed (a status pushed during quit): what it last was.
      log.warn(`status not read: ${(error as Error).message}`);
    }
    return lastStatus;
  }

  function start(): void {
    if (started || stopped) return;
    // 1. Jobs cut off mid-send: failed, never reprinted by themselves.
    const interrupted = store.interruptPrinting(INTERRUPTED_MESSAGE);
    for (const job of interrupted) log.warn(`job ${job.id} (${describe(job)}) was interrupted by a stop; it waits for Retry`, { jobId: job.id });
    changed(interrupted);
    // 2. Paid sales from now on; then those paid while the app was down or before it queued them.
    if (options.sales) unsubscribe = options.sales.subscribe(onSale);
    const since = options.autoPrintSince();
    if (autoPrintOn(printer()) && since !== null) {
      const from = Math.max(since, now() - SWEEP_WINDOW_MS);
      for (const saleId of store.paidWithoutAutoReceipt(from)) {
        const jobs = enqueueAuto(ledger.getSale(saleId));
        if (jobs.length) log.info(`sale ${saleId} was paid without its receipt printed; queued`, { saleId });
        changed(jobs);
      }
    }
    // 3. Whatever waits, in order.
    started = true;
    schedule();
    options.onStatus?.();
  }

  async function stop(): Promise<void> {
    stopped = true;
    unsubscribe?.();
    unsubscribe = null;
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (busyTimer) clearTimeout(busyTimer);
    busyTimer = null;
    const sending = inFlight;
    if (!sending) return;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.stopWaitMs ?? STOP_WAIT_MS);
      timer.unref();
    });
    await Promise.race([sending, waited]);
    clearTimeout(timer);
  }

  return {
    enqueueReceipt,
    enqueueDaySummary,
    enqueueTest,
    enqueueRefund,
    enqueueShiftReport,
    openDrawer,
    retry,
    jobs: (limit) => store.jobs(limit),
    status,
    start,
    stop,
  };
}

function describe(job: PrintJob): string {
  switch (job.kind) {
    case 'receipt':
      return `${job.copy} receipt of sale ${job.saleId}, ${job.reason}`;
    case 'day-summary':
      return `end of day ${job.date}`;
    case 'test':
      return 'test receipt';
    case 'drawer':
      return job.reason === 'cash' ? `drawer, cash on sale ${job.saleId}` : 'drawer, no sale';
    case 'refund':
      return `receipt of refund ${job.refundId}, ${job.reason}`;
    case 'shift-report':
      return `Z-report of shift ${job.shiftId}, ${job.reason}`;
  }
}
