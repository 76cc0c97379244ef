import { afterEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../electron/core/api/api-handlers';
import type { CounterCore, CounterCoreOptions } from '../../electron/core/app/counter-core';
import { LedgerError } from '../../electron/core/ledger/errors';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { SaleUpdate } from '../../electron/core/payments/payments-service';
import { createNetworkTransport } from '../../electron/core/printing/network-transport';
import { createPrintQueue, INTERRUPTED_MESSAGE, type PrintQueue } from '../../electron/core/printing/print-queue';
import { PrinterError, type PrinterTransport } from '../../electron/core/printing/printer-transport';
import { createSettingsStore, type SettingsStore } from '../../electron/core/settings/settings-store';
import type { CounterEvent } from '../../electron/shared/contract';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings, type PrintJob } from '../../electron/shared/domain/printer';
import type { Sale } from '../../electron/shared/domain/sale';
import { startApiCore, type ApiCore } from '../support/api-core';
import { FAST_PRINTER_TIMING, networkPrinter, startStandInPrinter, type DecodedJob, type StandInMode, type StandInPrinter } from '../support/escpos-printer';
import { memoryLogger } from '../support/memory-logger';
import { waitFor } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

// The print queue against the stand-in printer over real TCP on loopback:
// a printer fault fails the job and never the sale, Retry prints once, jobs
// print one at a time in order, the automatic receipt prints exactly once
// per paid sale copy (duplicate proofs, a restart between the payment and
// the print), the drawer opens on cash and for "No sale", and the printer
// settings are read again at every job.

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function standIn(mode: StandInMode = 'ok'): Promise<StandInPrinter> {
  const printer = await startStandInPrinter({ mode });
  cleanups.push(() => printer.close());
  return printer;
}

const saleNumberOf = (job: DecodedJob) => Number(/Sale number\s+#(\d+)/.exec(job.text)?.[1] ?? NaN);
const isDrawerKick = (job: DecodedJob) => job.commands.some((c) => c.name === 'drawer-kick');
const isTestReceipt = (job: DecodedJob) => job.text.includes('Test receipt');

interface QueueSetup {
  ledger: Ledger;
  settings: SettingsStore;
  queue: PrintQueue;
  events: CounterEvent[];
  logs: string[];
  statusPushes: () => number;
  /** Rings up and pays a sale in cash, telling the queue as the payments service would. */
  payCash(amount?: number, tendered?: number, mode?: Sale['mode']): Sale;
  /** Rings up a sale and pays it with one Code payment's proof (a webhook). */
  payCode(amount?: number): { sale: Sale; tenderId: number };
  /** Tells the queue about a sale's change, as the payments service does. */
  emit(update: SaleUpdate): void;
  jobEvents(): PrintJob[];
  /** Waits for job `id` to reach `state`. */
  settled(id: number, state?: PrintJob['state']): Promise<PrintJob>;
  /** Queues a test print and waits for it: every job queued before it has had its turn. */
  sentinel(): Promise<PrintJob>;
}

async function setupQueue(
  o: {
    printer?: PrinterSettings;
    start?: boolean;
    dir?: string;
    clock?: () => number;
    transports?: Partial<Record<'network' | 'system', PrinterTransport>>;
    /** What the queue sees of the print store (a stand-in that fails some calls); the real one otherwise. */
    store?: (real: Ledger['printing']) => Ledger['printing'];
  } = {},
): Promise<QueueSetup> {
  const clock = o.clock ?? Date.now;
  const ledger = createLedger({ dir: o.dir ?? tempDir(), timeZone: 'UTC', now: clock });
  cleanups.push(() => ledger.close());
  const queueLedger = o.store ? Object.assign(Object.create(ledger) as Ledger, { printing: o.store(ledger.printing) }) : ledger;
  const settings = createSettingsStore(ledger, { now: clock });
  if (o.printer) settings.update({ printer: o.printer });
  const subscribers = new Set<(u: SaleUpdate) => void>();
  const events: CounterEvent[] = [];
  let pushes = 0;
  const logger = memoryLogger();
  const queue = createPrintQueue({
    ledger: queueLedger,
    settings: () => settings.get(),
    autoPrintSince: () => settings.autoPrintSince(),
    transports: {
      network: o.transports?.network ?? createNetworkTransport(FAST_PRINTER_TIMING),
      system: o.transports?.system ?? { send: () => Promise.reject(new PrinterError('printer-unsupported', 'no system printer here')) },
    },
    sales: {
      subscribe: (fn) => {
        subscribers.add(fn);
        return () => subscribers.delete(fn);
      },
    },
    publish: (e) => events.push(e),
    onStatus: () => pushes++,
    logger,
    now: clock,
    stopWaitMs: 50,
  });
  cleanups.push(() => queue.stop());
  if (o.start ?? true) queue.start();
  const destination = randomAddress();
  const emit = (u: SaleUpdate) => {
    for (const fn of subscribers) fn(u);
  };
  const t: QueueSetup = {
    ledger,
    settings,
    queue,
    events,
    logs: logger.lines,
    statusPushes: () => pushes,
    emit,
    payCash(amount = 1250, tendered = 2000, mode = 'live') {
      const sale = ledger.createSale({ amount, currency: 'usd', mode, destination });
      const after = ledger.addCashTender(sale.id, { tendered }).sale;
      emit({ sale: after, cause: 'tendered' });
      return after;
    },
    payCode(amount = 80) {
      const sale = ledger.createSale({ amount, currency: 'usd', mode: 'sandbox', destination });
      const { tender } = ledger.addCodeTender(sale.id, { amount, seq: 1, intentId: randomAddress() });
      const proof = ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: 'jwt' });
      emit({ sale: proof.sale, cause: 'credited' });
      return { sale: proof.sale, tenderId: tender.id };
    },
    jobEvents: () => events.flatMap((e) => (e.type === 'print-job' ? [e.job] : [])),
    settled: (id, state = 'printed') =>
      waitFor(`print job ${id} ${state}`, () => {
        const job = ledger.printing.getJob(id);
        return job.state === state ? job : null;
      }),
    sentinel: async () => t.settled(queue.enqueueTest().id),
  };
  return t;
}

describe('print queue: printing on the stand-in printer', () => {
  it('prints a paid sale’s receipt from the log, as the stand-in decodes it', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { header: ['12 Main Street'], footer: ['See you soon'] }) });
    const sale = t.payCash(1250, 2000);
    const [job] = t.queue.enqueueReceipt(sale.id, undefined, 'manual');
    expect(job).toMatchObject({ kind: 'receipt', reason: 'manual', saleId: sale.id, copy: 'customer', state: 'queued' });
    await t.settled(job!.id);
    const [printed] = await printer.waitForJobs(1);
    expect(printed!.lines).toEqual(expect.arrayContaining(['12 Main Street', 'See you soon']));
    expect(saleNumberOf(printed!)).toBe(sale.id);
    expect(printed!.text).toMatch(/Customer copy/);
    expect(printed!.text).toMatch(/Change\s+\$7\.50/);
    expect(printed!.commands.some((c) => c.name === 'cut')).toBe(true);
    expect(isDrawerKick(printed!)).toBe(false);
    expect(t.queue.status()).toEqual({ state: 'ready', queued: 0 });
  });

  it('prints both copies when asked, and the settings’ copies unless told', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { copies: { customer: false, shop: true } }) });
    const sale = t.payCash();
    const asSet = t.queue.enqueueReceipt(sale.id, undefined, 'manual');
    const both = t.queue.enqueueReceipt(sale.id, 'both', 'manual');
    expect([...asSet, ...both].map((j) => j.copy)).toEqual(['shop', 'customer', 'shop']);
    await t.settled(both[1]!.id);
    const jobs = await printer.waitForJobs(3);
    expect(jobs.map((j) => /(Customer|Shop) copy/.exec(j.text)?.[1])).toEqual(['Shop', 'Customer', 'Shop']);
  });

  it('prints jobs one at a time, in the order they were queued', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const sales = [t.payCash(100), t.payCash(200), t.payCash(300), t.payCash(400)];
    const jobs = sales.flatMap((s) => t.queue.enqueueReceipt(s.id, 'customer', 'manual'));
    await t.settled(jobs[3]!.id);
    expect((await printer.waitForJobs(4)).map(saleNumberOf)).toEqual(sales.map((s) => s.id));
    // Each job starts only once the one before has printed.
    const steps = t.jobEvents().filter((j) => j.state === 'printing' || j.state === 'printed').map((j) => `${j.id} ${j.state}`);
    expect(steps).toEqual(jobs.flatMap((j) => [`${j.id} printing`, `${j.id} printed`]));
  });

  it('queues without waiting for the printer: the job is written and answered before any connection is made', async () => {
    const printer = await standIn('stall');
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const sale = t.payCash();
    const [job] = t.queue.enqueueReceipt(sale.id, 'customer', 'manual');
    expect(job!.state).toBe('queued');
    expect(printer.connections()).toBe(0);
    // The till keeps selling while the printer hangs.
    await waitFor('the stalled job sending', () => t.ledger.printing.getJob(job!.id).state === 'printing');
    const next = t.payCash(300);
    expect(next.status).toBe('paid');
    await t.settled(job!.id, 'failed');
  });

  it('prints the end-of-day report of a shop-time date, with its drawer openings', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const sale = t.payCash(1250);
    t.queue.openDrawer('no-sale');
    const date = new Date(sale.createdAt).toISOString().slice(0, 10);
    // 'all': the sale is live, and "No sale" is counted in the till's mode (sandbox, a fresh install's).
    const job = t.queue.enqueueDaySummary(date, 'all');
    expect(job).toMatchObject({ kind: 'day-summary', date, state: 'queued' });
    await t.settled(job.id);
    const report = (await printer.waitForJobs(2)).find((j) => j.text.includes('End of day'))!;
    expect(report.text).toMatch(/Taken USD\s+\$12\.50/);
    expect(report.text).toMatch(/No sale\s+1/);
    // A bad date is refused before anything is queued.
    expect(() => t.queue.enqueueDaySummary('yesterday', 'live')).toThrow(/YYYY-MM-DD/);
    expect(t.queue.jobs(10)).toHaveLength(2);
  });
});

describe('print queue: a printer fault never touches the sale', () => {
  const faults: Array<[StandInMode, RegExp]> = [
    ['refuse', /does not answer/],
    ['stall', /stopped taking the receipt/],
    ['close-mid-job', /hung up before the receipt was fully sent/],
    ['paper-out', /out of paper/],
  ];

  it.each(faults)('%s: the job fails with the reason, the sale is as it was, the till is told; Retry prints exactly once', async (mode, reason) => {
    const printer = await standIn(mode);
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const sale = t.payCash(1250, 2000);
    const before = t.ledger.getSaleWithEvents(sale.id);
    const pushesBefore = t.statusPushes();

    const [job] = t.queue.enqueueReceipt(sale.id, 'customer', 'manual');
    const failed = await t.settled(job!.id, 'failed');
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, printedAt: null, lastError: expect.stringMatching(reason) });
    expect(failed.lastError).toContain(`${printer.host}:${printer.port}`);
    // The sale, its tenders and its events: exactly as they were.
    expect(t.ledger.getSaleWithEvents(sale.id)).toEqual(before);
    // The till hears it at once: the job's event and the status bar.
    expect(t.jobEvents().at(-1)).toEqual(failed);
    expect(t.statusPushes()).toBeGreaterThan(pushesBefore);
    expect(t.queue.status()).toEqual({ state: 'error', message: failed.lastError, queued: 0, failed: 1 });
    expect(printer.jobs).toHaveLength(0);

    await printer.setMode('ok');
    const retried = t.queue.retry(job!.id);
    expect(retried).toMatchObject({ id: job!.id, state: 'queued' });
    // A second Retry before it ran (a double click) is the same job.
    expect(t.queue.retry(job!.id)).toMatchObject({ id: job!.id, state: 'queued' });
    expect(await t.settled(job!.id)).toMatchObject({ state: 'printed', attempts: 2 });
    // A test print queued after it: when it is out, the receipt came out once.
    await t.sentinel();
    expect(printer.jobs.map((j) => (isTestReceipt(j) ? 'test' : saleNumberOf(j)))).toEqual([sale.id, 'test']);
    expect(t.queue.status()).toEqual({ state: 'ready', queued: 0 });
    expect(t.ledger.getSaleWithEvents(sale.id)).toEqual(before);
    // Printed is printed: printing it again is a reprint.
    expect(() => t.queue.retry(job!.id)).toThrow(/already printed/);
  });

  it('a failed job waits while later jobs print; the status says printing while one is being sent', async () => {
    const printer = await standIn('refuse');
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const first = t.queue.enqueueTest();
    await t.settled(first.id, 'failed');
    await printer.setMode('ok');
    const second = t.queue.enqueueTest();
    await waitFor('the second job sending or printed', () => t.jobEvents().some((j) => j.id === second.id && j.state === 'printing'));
    await t.settled(second.id);
    expect(t.ledger.printing.getJob(first.id).state).toBe('failed');
    // The printer works again: ready, with the failed job still listed for Retry.
    expect(t.queue.status()).toEqual({ state: 'ready', queued: 0 });
    expect(t.queue.jobs(10).map((j) => [j.id, j.state])).toEqual([
      [first.id, 'failed'],
      [second.id, 'printed'],
    ]);
  });
});

describe('print queue: a ledger busy with another writer', () => {
  it('delays a job, never loses it: the next job is taken again shortly, and its end is written again', async () => {
    const printer = await standIn();
    const busy = () => new LedgerError('busy', 'The sales ledger is busy with another writer; nothing was written. Try again.');
    let claimRefused = false;
    let endRefused = false;
    const t = await setupQueue({
      printer: networkPrinter(printer),
      store: (real) => ({
        ...real,
        claimNext: () => {
          if (!claimRefused) {
            claimRefused = true;
            throw busy();
          }
          return real.claimNext();
        },
        finish: (id, outcome) => {
          if (!endRefused) {
            endRefused = true;
            throw busy();
          }
          return real.finish(id, outcome);
        },
      }),
    });
    const job = t.queue.enqueueTest();
    expect(await t.settled(job.id)).toMatchObject({ state: 'printed', attempts: 1 });
    expect(printer.jobs).toHaveLength(1);
    expect([claimRefused, endRefused]).toEqual([true, true]);
  });

  it('a receipt that cannot be queued is logged; the payment that paid the sale is not disturbed', async () => {
    const printer = await standIn();
    const t = await setupQueue({
      printer: networkPrinter(printer, { autoPrint: true, drawerOnCash: true }),
      store: (real) => ({
        ...real,
        enqueueAuto: () => {
          throw new LedgerError('busy', 'The sales ledger is busy with another writer; nothing was written. Try again.');
        },
      }),
    });
    const sale = t.payCash();
    expect(t.ledger.getSale(sale.id).status).toBe('paid');
    expect(t.logs).toContainEqual(expect.stringMatching(new RegExp(`print-queue: sale ${sale.id} \\(tendered\\) was not queued for printing: The sales ledger is busy`)));
    // The drawer, queued before the receipt, still opens.
    await printer.waitForJobs(1);
    expect(printer.jobs.filter(isDrawerKick)).toHaveLength(1);
  });
});

describe('print queue: the printer settings', () => {
  it('prints nothing with no printer chosen (the default): the status is off and asking to print says why', async () => {
    const t = await setupQueue();
    expect(t.settings.get().printer).toEqual(DEFAULT_PRINTER_SETTINGS);
    expect(t.queue.status()).toEqual({ state: 'off' });
    const sale = t.payCash();
    expect(() => t.queue.enqueueReceipt(sale.id, undefined, 'manual')).toThrow(expect.objectContaining({ code: 'printer-not-set' }));
    expect(() => t.queue.enqueueTest()).toThrow(expect.objectContaining({ code: 'printer-not-set', message: 'No receipt printer is set up: choose one in Settings.' }));
    expect(() => t.queue.openDrawer('no-sale')).toThrow(expect.objectContaining({ code: 'printer-not-set' }));
    expect(() => t.queue.enqueueDaySummary('2026-11-23', 'live')).toThrow(expect.objectContaining({ code: 'printer-not-set' }));
    // Auto-print on without a printer prints nothing either.
    t.settings.update({ printer: { ...DEFAULT_PRINTER_SETTINGS, autoPrint: true } });
    expect(t.settings.autoPrintSince()).toBeNull();
    t.payCash();
    expect(t.queue.jobs(10)).toEqual([]);
    expect(t.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(0);
  });

  it('auto-print records when it was turned on, and forgets it when turned off or the printer is removed', async () => {
    let clock = Date.UTC(2026, 10, 23, 9);
    const t = await setupQueue({ clock: () => clock });
    const printer = { ...DEFAULT_PRINTER_SETTINGS, kind: 'network' as const, host: '10.0.0.5' };
    t.settings.update({ printer: { ...printer, autoPrint: true } });
    expect(t.settings.autoPrintSince()).toBe(clock);
    const since = clock;
    clock += 60_000;
    // Another change with auto-print still on keeps the time it was turned on.
    t.settings.update({ printer: { ...printer, autoPrint: true, paperWidth: 58 } });
    expect(t.settings.autoPrintSince()).toBe(since);
    t.settings.update({ printer: { ...printer, kind: 'none', autoPrint: true } });
    expect(t.settings.autoPrintSince()).toBeNull();
    t.settings.update({ printer: { ...printer, autoPrint: true } });
    expect(t.settings.autoPrintSince()).toBe(clock);
    t.settings.update({ printer: { ...printer, autoPrint: false } });
    expect(t.settings.autoPrintSince()).toBeNull();
    // Never shown to the screens.
    expect(t.settings.get()).not.toHaveProperty('autoPrintSince');
  });

  it('a saved printer is read over the defaults; one that no longer passes the checks prints nothing', async () => {
    const dir = tempDir();
    const first = await setupQueue({ dir, start: false });
    // A printer saved by an older version, without the fields added since.
    first.ledger.setSetting('printer', { kind: 'network', host: '10.0.0.5', port: 9100, paperWidth: 58, autoPrint: true });
    first.ledger.setSetting('autoPrintSince', null);
    const before = Date.now();
    const older = createSettingsStore(first.ledger);
    expect(older.get().printer).toEqual({ ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: '10.0.0.5', paperWidth: 58, autoPrint: true });
    // Auto-print on with no time it was turned on: from now, never the backlog.
    expect(older.autoPrintSince()).toBeGreaterThanOrEqual(before);
    for (const bad of [{ kind: 'network', host: '' }, { kind: 'network', host: 'http://x' }, { kind: 'system', systemName: '' }, { paperWidth: 57 }, 'network']) {
      first.ledger.setSetting('printer', typeof bad === 'string' ? bad : { ...DEFAULT_PRINTER_SETTINGS, autoPrint: true, ...bad });
      const store = createSettingsStore(first.ledger);
      expect(store.get().printer).toEqual(DEFAULT_PRINTER_SETTINGS);
      expect(store.autoPrintSince()).toBeNull();
    }
  });

  it('a test print uses the saved settings, and a settings change applies from the next job', async () => {
    const first = await standIn();
    const second = await standIn();
    const t = await setupQueue({ printer: networkPrinter(first, { paperWidth: 58, header: ['Corner Café'] }) });
    await t.sentinel();
    const [test] = await first.waitForJobs(1);
    expect(test!.text).toContain(`${first.host}:${first.port}`);
    expect(test!.text).toMatch(/Paper\s+58 mm, 32 characters/);
    expect(test!.lines).toContain('Corner Café');
    for (const line of test!.lines) expect(line.length).toBeLessThanOrEqual(32);

    t.settings.update({ printer: networkPrinter(second, { paperWidth: 80 }) });
    await t.sentinel();
    const [moved] = await second.waitForJobs(1);
    expect(moved!.text).toMatch(/Paper\s+80 mm, 48 characters/);
    expect(first.jobs).toHaveLength(1);
  });

  it('a job queued before the printer was turned off fails with the reason instead of printing', async () => {
    const printer = await standIn('stall');
    const t = await setupQueue({ printer: networkPrinter(printer) });
    const stuck = t.queue.enqueueTest();
    const waiting = t.queue.enqueueTest();
    await waitFor('the first job sending', () => t.ledger.printing.getJob(stuck.id).state === 'printing');
    t.settings.update({ printer: { ...DEFAULT_PRINTER_SETTINGS } });
    expect(await t.settled(waiting.id, 'failed')).toMatchObject({ lastError: /No receipt printer is set up/ });
    expect(t.queue.status()).toEqual({ state: 'off' });
  });

  it('a system printer goes through the system transport with the saved settings; it cannot open the drawer', async () => {
    const sent: Array<{ title: string | undefined; systemName: string; drawerKick: boolean }> = [];
    const t = await setupQueue({
      printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'system', systemName: 'Receipts', drawerOnCash: true },
      transports: {
        system: {
          send: async (payload, settings) => {
            sent.push({ title: payload.doc?.title, systemName: settings.systemName, drawerKick: payload.drawerKick });
          },
        },
      },
    });
    const sale = t.payCash();
    await t.settled(t.queue.enqueueReceipt(sale.id, 'customer', 'manual')[0]!.id);
    expect(sent).toEqual([{ title: `Receipt for sale #${sale.id} (customer copy)`, systemName: 'Receipts', drawerKick: false }]);
    // Cash with drawerOnCash on: no drawer job through a system printer, and "No sale" is refused with the reason.
    expect(t.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(0);
    expect(() => t.queue.openDrawer('no-sale')).toThrow(expect.objectContaining({ code: 'printer-unsupported', message: expect.stringMatching(/network receipt printer/) }));
    expect(t.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(0);
  });
});

describe('print queue: the cash drawer', () => {
  it('opens for a cash tender: the drawer job reaches the printer (ESC p) and the opening is recorded with the sale', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { drawerOnCash: true }) });
    const sale = t.payCash(1250, 2000);
    const [kick] = await printer.waitForJobs(1);
    expect(kick!.lines.filter((l) => l.trim())).toEqual([]);
    expect(kick!.commands.filter((c) => c.name === 'drawer-kick')).toHaveLength(1);
    expect(kick!.commands.some((c) => c.name === 'cut')).toBe(false);
    expect(t.ledger.database.prepare('SELECT reason, sale_id AS saleId, tender_id AS tenderId FROM drawer_openings').all()).toEqual([
      { reason: 'cash', saleId: sale.id, tenderId: sale.tenders[0]!.id },
    ]);
    const [job] = t.queue.jobs(10);
    expect(job).toMatchObject({ kind: 'drawer', reason: 'cash', saleId: sale.id });
    await t.settled(job!.id);
    // The same sale event again does not open it twice.
    t.emit({ sale, cause: 'tendered' });
    await t.sentinel();
    expect(printer.jobs.filter(isDrawerKick)).toHaveLength(1);
  });

  it('stays shut for a card, with drawerOnCash off, and when the cash was not the tender just taken', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { drawerOnCash: false }) });
    t.payCash();
    t.settings.update({ printer: networkPrinter(printer, { drawerOnCash: true }) });
    const sale = t.ledger.createSale({ amount: 900, currency: 'usd', mode: 'live', destination: randomAddress() });
    const card = t.ledger.addOtherTender(sale.id, { amount: 900, label: 'Card' }).sale;
    t.emit({ sale: card, cause: 'tendered' });
    await t.sentinel();
    expect(printer.jobs.filter(isDrawerKick)).toHaveLength(0);
    expect(t.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(0);
  });

  it('"No sale" records the opening and kicks the drawer; the day’s report counts both kinds', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { drawerOnCash: true }) });
    const sale = t.payCash();
    const opening = t.queue.openDrawer('no-sale');
    expect(opening).toMatchObject({ reason: 'no-sale', saleId: null, at: expect.any(Number) });
    await t.sentinel();
    expect(printer.jobs.filter(isDrawerKick)).toHaveLength(2);
    const date = new Date(sale.createdAt).toISOString().slice(0, 10);
    // Each opening in its own mode: the cash sale is live, "No sale" is the till's mode (sandbox, a fresh install's).
    expect(t.settings.get().mode).toBe('sandbox');
    expect(t.ledger.queries.daySummary(date, 'live').drawerOpenings).toEqual({ cash: 1, noSale: 0 });
    expect(t.ledger.queries.daySummary(date, 'sandbox').drawerOpenings).toEqual({ cash: 0, noSale: 1 });
    expect(t.ledger.queries.daySummary(date, 'all').drawerOpenings).toEqual({ cash: 1, noSale: 1 });
  });

  it('a drawer that cannot be kicked (printer off) still keeps its opening, and the failed kick can be retried', async () => {
    const printer = await standIn('refuse');
    const t = await setupQueue({ printer: networkPrinter(printer, { drawerOnCash: true }) });
    const sale = t.payCash();
    const [job] = t.queue.jobs(1);
    await t.settled(job!.id, 'failed');
    expect(t.ledger.getSale(sale.id).status).toBe('paid');
    await printer.setMode('ok');
    t.queue.retry(job!.id);
    await t.settled(job!.id);
    expect(printer.jobs.filter(isDrawerKick)).toHaveLength(1);
    expect(t.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get()).toBe(1);
  });
});

describe('print queue: automatic receipts', () => {
  it('prints each configured copy of a paid sale once, however often its payment is proved', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { autoPrint: true, copies: { customer: true, shop: true } }) });
    const { sale, tenderId } = t.payCode(80);
    // The status poll proves the same payment after the webhook: a duplicate.
    const dup = t.ledger.recordProof({ tenderId, source: 'status_poll', payload: {} });
    expect(dup.outcome).toBe('duplicate');
    t.emit({ sale: dup.sale, cause: 'duplicate' });
    t.emit({ sale: dup.sale, cause: 'credited' });
    await t.sentinel();
    const receipts = printer.jobs.filter((j) => !isTestReceipt(j));
    expect(receipts.map((j) => [saleNumberOf(j), /(Customer|Shop) copy/.exec(j.text)?.[1]])).toEqual([
      [sale.id, 'Customer'],
      [sale.id, 'Shop'],
    ]);
    expect(receipts[0]!.text).toMatch(/SANDBOX/);
    expect(t.queue.jobs(10).filter((j) => j.reason === 'auto')).toHaveLength(2);
  });

  it('prints nothing by itself while auto-print is off (the default), or for a sale not yet paid', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer) });
    expect(t.settings.get().printer.autoPrint).toBe(false);
    t.payCash();
    t.settings.update({ printer: networkPrinter(printer, { autoPrint: true }) });
    const open = t.ledger.createSale({ amount: 500, currency: 'usd', mode: 'live', destination: randomAddress() });
    t.emit({ sale: open, cause: 'created' });
    await t.sentinel();
    expect(printer.jobs.filter((j) => !isTestReceipt(j))).toEqual([]);
  });

  it('cash with the drawer on: the drawer opens first, then the receipt prints', async () => {
    const printer = await standIn();
    const t = await setupQueue({ printer: networkPrinter(printer, { autoPrint: true, drawerOnCash: true }) });
    const sale = t.payCash();
    const jobs = await printer.waitForJobs(2);
    expect(jobs.map((j) => (isDrawerKick(j) ? 'drawer' : saleNumberOf(j)))).toEqual(['drawer', sale.id]);
  });
});

describe('print queue: after a stop', () => {
  it('a job found printing at start is failed "interrupted" and not printed again by itself', async () => {
    const printer = await standIn('stall');
    const dir = tempDir();
    const first = await setupQueue({ dir, printer: networkPrinter(printer, { autoPrint: true }) });
    const sale = first.payCash();
    const [job] = first.queue.jobs(1);
    await waitFor('the receipt sending', () => first.ledger.printing.getJob(job!.id).state === 'printing');
    // The app quits (or dies) mid-send: the row stays printing.
    await first.queue.stop();
    first.ledger.close();

    await printer.setMode('ok');
    const second = await setupQueue({ dir });
    expect(second.ledger.printing.getJob(job!.id)).toMatchObject({ state: 'failed', lastError: INTERRUPTED_MESSAGE });
    expect(second.jobEvents()).toEqual([expect.objectContaining({ id: job!.id, state: 'failed' })]);
    expect(second.queue.status()).toMatchObject({ state: 'error', message: INTERRUPTED_MESSAGE, failed: 1 });
    await second.sentinel();
    expect(printer.jobs.map((j) => (isTestReceipt(j) ? 'test' : saleNumberOf(j)))).toEqual(['test']);
    second.queue.retry(job!.id);
    await second.settled(job!.id);
    expect(saleNumberOf(printer.jobs.at(-1)!)).toBe(sale.id);
  });

  it('prints at start the receipts of sales paid in the last hour since auto-print was on, once; none older', async () => {
    const printer = await standIn();
    const dir = tempDir();
    let clock = Date.UTC(2026, 10, 23, 9);
    const tick = (ms: number) => (clock += ms);
    // Auto-print is on from 9:00.
    const before = await setupQueue({ dir, clock: () => clock, start: false, printer: networkPrinter(printer) });
    const beforeOn = before.payCash(100); // paid at 9:00, before auto-print was on
    tick(1);
    before.settings.update({ printer: networkPrinter(printer, { autoPrint: true }) });
    tick(60_000);
    const tooOld = before.payCash(200); // 9:01, more than an hour before the restart
    tick(60 * 60_000);
    const lost = before.payCash(300); // 10:01: the app stopped before queuing it
    const alreadyPrinted = before.payCash(400);
    before.ledger.printing.enqueueAuto({ saleId: alreadyPrinted.id, copies: ['customer'] });
    const done = before.ledger.printing.claimNext()!;
    expect(done.job.saleId).toBe(alreadyPrinted.id);
    before.ledger.printing.finish(done.job.id, { printed: true });
    const stillQueued = before.payCash(500);
    before.ledger.printing.enqueueAuto({ saleId: stillQueued.id, copies: ['customer'] }); // queued, not yet sent
    await before.queue.stop();
    before.ledger.close();

    tick(30 * 60_000); // 10:31
    const after = await setupQueue({ dir, clock: () => clock });
    await after.sentinel();
    // The job that was waiting goes first, then the receipt the stop lost.
    expect(printer.jobs.filter((j) => !isTestReceipt(j)).map(saleNumberOf)).toEqual([stillQueued.id, lost.id]);
    expect(after.ledger.printing.paidWithoutAutoReceipt(0)).toEqual([beforeOn.id, tooOld.id]);
    // A second start prints nothing more: no storm.
    await after.queue.stop();
    const again = await setupQueue({ dir, clock: () => clock });
    await again.sentinel();
    expect(printer.jobs.filter((j) => !isTestReceipt(j))).toHaveLength(2);
  });
});

describe('print queue through the app’s core', () => {
  async function startCore(dir: string, extra: Partial<CounterCoreOptions> = {}): Promise<ApiCore> {
    const started = await startApiCore({ dataDir: dir, ...extra, printing: { networkTiming: FAST_PRINTER_TIMING, stopWaitMs: 50, ...extra.printing } });
    cleanups.push(() => started.core.close());
    return started;
  }

  // The till is in setup (no owner yet): it sells with no sign-in, and the
  // owner's settings and test print are set through the core, as the owner would.
  const sentinel = async (_api: ApiHandlers, core: CounterCore) => {
    const test = core.printing.enqueueTest();
    await waitFor('the test print', () => core.ledger.printing.getJob(test.id).state === 'printed');
  };

  it('a Code payment proved by the webhook and then the status poll prints its receipt once', async () => {
    const printer = await standIn();
    const { core, api, events } = await startCore(tempDir(), { reconcilerTiming: { tickMs: 25, backgroundInitialMs: 25, backgroundMaxMs: 100 } });
    await core.updateSettings({ printer: networkPrinter(printer, { autoPrint: true }) });
    const charge = await api.charge({ amount: 80 });
    if (!charge.ok) throw new Error(charge.error.message);
    const saleId = charge.value.sale.id;
    await api.simulatePayment({ saleId });
    const paid = await waitFor('the sale paid', () => {
      const sale = core.ledger.getSale(saleId);
      return sale.status === 'paid' ? sale : null;
    });
    // The poll's answer for the same payment, recorded the way the reconciler records it.
    const poll = core.payments.recordProof({ tenderId: paid.tenders[0]!.id, source: 'status_poll', payload: { status: 'confirmed' } });
    expect(poll.outcome).toBe('duplicate');
    await core.payments.reconcileNow();
    await sentinel(api, core);
    expect(printer.jobs.filter((j) => !isTestReceipt(j)).map(saleNumberOf)).toEqual([saleId]);
    expect(core.ledger.printing.jobs(10).filter((j) => j.reason === 'auto')).toHaveLength(1);
    // The till heard every step of the receipt, and the status bar shows the printer.
    const receiptEvents = events.flatMap((e) => (e.type === 'print-job' && e.job.saleId === saleId ? [e.job.state] : []));
    expect(receiptEvents).toEqual(['queued', 'printing', 'printed']);
    expect(events.filter((e) => e.type === 'status').at(-1)).toMatchObject({ status: { printer: { state: 'ready', queued: 0 } } });
  });

  it('a quit between the payment and its receipt: the next start prints it once, and nothing older', async () => {
    const printer = await standIn();
    const dir = tempDir();
    // Auto-print was turned on three hours ago; a sale was paid two hours ago, long printed or not, it stays as it is.
    const past = Date.now() - 3 * 60 * 60_000;
    const old = createLedger({ dir, timeZone: 'UTC', now: () => past + 60 * 60_000 });
    createSettingsStore(old, { now: () => past }).update({ printer: networkPrinter(printer, { autoPrint: true, copies: { customer: true, shop: true } }) });
    const oldSale = old.createSale({ amount: 300, currency: 'usd', mode: 'sandbox', destination: randomAddress() });
    old.addCashTender(oldSale.id, { tendered: 300 });
    old.close();

    // The queue never starts in this run: the app is gone before it prints.
    const first = await startCore(dir, { printing: { start: false } });
    const charge = await first.api.charge({ amount: 80 });
    if (!charge.ok) throw new Error(charge.error.message);
    await first.api.simulatePayment({ saleId: charge.value.sale.id });
    await waitFor('the sale paid', () => first.core.ledger.getSale(charge.value.sale.id).status === 'paid');
    const cash = await first.api.charge({ amount: 4 });
    if (!cash.ok) throw new Error(cash.error.message);
    expect(await first.api.takeCash({ saleId: cash.value.sale.id, tendered: 10 })).toMatchObject({ ok: true, value: { sale: { status: 'paid' } } });
    await first.core.close();
    expect(printer.connections()).toBe(0);

    const second = await startCore(dir);
    await sentinel(second.api, second.core);
    const receipts = printer.jobs.filter((j) => !isTestReceipt(j)).map((j) => `${saleNumberOf(j)} ${/(Customer|Shop) copy/.exec(j.text)?.[1]}`);
    expect(receipts.sort()).toEqual(
      [`${charge.value.sale.id} Customer`, `${charge.value.sale.id} Shop`, `${cash.value.sale.id} Customer`, `${cash.value.sale.id} Shop`].sort(),
    );
    expect(receipts.some((r) => r.startsWith(`${oldSale.id} `))).toBe(false);
    await second.core.close();

    // Another restart: no reprint storm.
    const third = await startCore(dir);
    await sentinel(third.api, third.core);
    expect(printer.jobs.filter((j) => !isTestReceipt(j))).toHaveLength(4);
  });

  it('a quit while the printer stalls: the receipt is failed "interrupted" at the next start and prints once on Retry', async () => {
    const printer = await standIn('stall');
    const dir = tempDir();
    const first = await startCore(dir, { printing: { networkTiming: { ...FAST_PRINTER_TIMING, writeTimeoutMs: 60_000 } } });
    await first.core.updateSettings({ printer: networkPrinter(printer, { autoPrint: true }) });
    const charge = await first.api.charge({ amount: 4 });
    if (!charge.ok) throw new Error(charge.error.message);
    const saleId = charge.value.sale.id;
    await first.api.takeCash({ saleId, tendered: 4 });
    const job = await waitFor('the receipt sending', () => first.core.ledger.printing.jobs(5).find((j) => j.saleId === saleId && j.state === 'printing'));
    const sale = first.core.ledger.getSaleWithEvents(saleId);
    await first.core.close();
    // The printer, cover closed again, hangs up the stalled connection.
    await printer.close();
    const again = await startStandInPrinter({ mode: 'ok' });
    cleanups.push(() => again.close());

    const second = await startCore(dir);
    await second.core.updateSettings({ printer: networkPrinter(again, { autoPrint: true }) });
    expect(second.core.ledger.printing.getJob(job.id)).toMatchObject({ state: 'failed', lastError: INTERRUPTED_MESSAGE });
    expect(second.core.status().printer).toEqual({ state: 'error', message: INTERRUPTED_MESSAGE, queued: 0, failed: 1 });
    expect(second.core.ledger.getSaleWithEvents(saleId)).toEqual(sale);
    await sentinel(second.api, second.core);
    expect(again.jobs.filter((j) => !isTestReceipt(j))).toEqual([]);
    expect(await second.api.retryPrint({ jobId: job.id })).toMatchObject({ ok: true, value: { id: job.id, state: 'queued' } });
    await waitFor('the retried receipt', () => second.core.ledger.printing.getJob(job.id).state === 'printed');
    await sentinel(second.api, second.core);
    expect(again.jobs.filter((j) => !isTestReceipt(j)).map(saleNumberOf)).toEqual([saleId]);
  });
});
