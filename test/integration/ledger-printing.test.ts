import { describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { caughtLedgerError, expectConsistent, ledgerSnapshot } from '../support/ledger-guard';
import { randomAddress, tempDir } from '../support/temp-dir';

// The print queue's rows and the drawer openings in the ledger (migration
// 10): what is queued, in which order, how a job ends, the automatic receipt
// at most once per sale copy, a drawer opening with its drawer job in one
// transaction, and the end-of-day count of drawer openings in shop time.

function setup(o: { timeZone?: string; start?: number } = {}) {
  let clock = o.start ?? Date.UTC(2026, 10, 23, 12);
  const ledger = createLedger({ dir: tempDir(), timeZone: o.timeZone ?? 'UTC', now: () => clock });
  const destination = randomAddress();
  return {
    ledger,
    store: ledger.printing,
    now: () => clock,
    tick: (ms = 1000) => (clock += ms),
    set: (ms: number) => (clock = ms),
    /** A sale paid in cash (tendered 20.00 for `amount`): its one tender is cash. */
    cashSale: (amount = 1250, mode: 'live' | 'sandbox' = 'live') => {
      const sale = ledger.createSale({ amount, currency: 'usd', mode, destination });
      return ledger.addCashTender(sale.id, { tendered: 2000 });
    },
    openSale: (amount = 500) => ledger.createSale({ amount, currency: 'usd', mode: 'live', destination }),
  };
}


function expectRefusedUnchanged(ledger: Ledger, call: () => unknown, code: string, message?: RegExp): void {
  const before = ledgerSnapshot(ledger);
  const error = caughtLedgerError(call);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  expect(ledgerSnapshot(ledger)).toEqual(before);
}

describe('print jobs in the ledger', () => {
  it('queues a paid sale’s receipt, an end-of-day report and a test receipt, each waiting to print', () => {
    const t = setup();
    const { sale } = t.cashSale();
    const receipt = t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: sale.id, copy: 'shop' });
    expect(receipt).toEqual({
      id: 1,
      kind: 'receipt',
      reason: 'manual',
      saleId: sale.id,
      copy: 'shop',
      date: null,
      refundId: null,
      shiftId: null,
      state: 'queued',
      attempts: 0,
      lastError: null,
      createdAt: t.now(),
      updatedAt: t.now(),
      printedAt: null,
    });
    expect(t.store.enqueue({ kind: 'day-summary', reason: 'manual', date: '2026-11-23', mode: 'all' })).toMatchObject({ kind: 'day-summary', date: '2026-11-23', saleId: null, copy: null });
    expect(t.store.enqueue({ kind: 'test', reason: 'manual' })).toMatchObject({ kind: 'test', state: 'queued' });
    expect(t.store.counts()).toEqual({ queued: 3, printing: 0, failed: 0, latestFailure: null, lastPrintedAt: null });
    // The sale is only read.
    expect(t.ledger.getSale(sale.id)).toEqual(sale);
  });

  it('refuses a receipt for a sale that is not paid or does not exist, and bad jobs, writing nothing', () => {
    const t = setup();
    const open = t.openSale();
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: open.id, copy: 'customer' }), 'invalid-transition', /only a paid sale/);
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: 99, copy: 'customer' }), 'not-found', /No sale #99/);
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: open.id, copy: 'both' }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'receipt', reason: 'auto', saleId: open.id, copy: 'customer' }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'day-summary', reason: 'manual', date: 'yesterday', mode: 'live' }), 'invalid-input', /YYYY-MM-DD/);
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'day-summary', reason: 'manual', date: '2026-11-23', mode: 'both' }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'drawer', reason: 'no-sale' }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.enqueue({ kind: 'test', reason: 'manual', extra: 1 }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.enqueueAuto({ saleId: -1, copies: ['customer'] }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.retry('1'), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.retry(5), 'not-found', /No print job #5/);
    expectRefusedUnchanged(t.ledger, () => t.store.jobs(0), 'invalid-input');
  });

  it('queues the automatic receipt of a sale copy at most once, and only for a paid sale', () => {
    const t = setup();
    const { sale } = t.cashSale();
    const first = t.store.enqueueAuto({ saleId: sale.id, copies: ['customer', 'shop'] });
    expect(first.map((j) => [j.copy, j.reason, j.state])).toEqual([
      ['customer', 'auto', 'queued'],
      ['shop', 'auto', 'queued'],
    ]);
    // A second proof, a poll after the webhook, a restart's sweep: nothing more.
    expect(t.store.enqueueAuto({ saleId: sale.id, copies: ['customer', 'shop'] })).toEqual([]);
    expect(t.store.enqueueAuto({ saleId: sale.id, copies: ['customer', 'customer'] })).toEqual([]);
    // Even once printed or failed, it stays the one automatic receipt.
    const claimed = t.store.claimNext()!;
    t.store.finish(claimed.job.id, { printed: false, message: 'The printer is offline.' });
    expect(t.store.enqueueAuto({ saleId: sale.id, copies: ['customer'] })).toEqual([]);
    // The schema itself refuses a second one, whoever writes it.
    expect(() =>
      t.ledger.database
        .prepare(`INSERT INTO print_jobs (kind, reason, sale_id, copy, state, created_at, updated_at, queued_at) VALUES ('receipt', 'auto', ?, 'customer', 'queued', 1, 1, 1)`)
        .run(sale.id),
    ).toThrow(/UNIQUE/);
    // A reprint is not automatic: as many as asked for.
    t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: sale.id, copy: 'customer' });
    t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: sale.id, copy: 'customer' });
    // A sale not paid gets none.
    const open = t.openSale();
    expect(t.store.enqueueAuto({ saleId: open.id, copies: ['customer'] })).toEqual([]);
    expect(t.ledger.database.prepare('SELECT count(*) FROM print_jobs').pluck().get()).toBe(4);
  });

  it('hands out one job at a time, oldest queued first; a retried job waits behind those queued before its retry', () => {
    const t = setup();
    const { sale } = t.cashSale();
    const a = t.store.enqueue({ kind: 'test', reason: 'manual' });
    t.tick();
    const b = t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: sale.id, copy: 'customer' });
    const c = t.store.enqueue({ kind: 'test', reason: 'manual' });
    t.tick();

    const first = t.store.claimNext()!;
    expect(first.job).toMatchObject({ id: a.id, state: 'printing', attempts: 1, updatedAt: t.now() });
    expect(t.store.counts()).toMatchObject({ queued: 2, printing: 1 });
    t.tick();
    expect(t.store.finish(a.id, { printed: false, message: 'The printer at 10.0.0.5:9100 is out of paper.' })).toMatchObject({
      state: 'failed',
      lastError: 'The printer at 10.0.0.5:9100 is out of paper.',
      printedAt: null,
    });
    t.tick();
    expect(t.store.retry(a.id)).toEqual({ job: expect.objectContaining({ id: a.id, state: 'queued', attempts: 1 }), requeued: true });
    // Retrying again before it ran changes nothing: it is one job, printed once.
    expect(t.store.retry(a.id)).toEqual({ job: expect.objectContaining({ id: a.id, state: 'queued' }), requeued: false });

    const order: number[] = [];
    for (let next = t.store.claimNext(); next; next = t.store.claimNext()) {
      order.push(next.job.id);
      t.tick();
      expect(t.store.finish(next.job.id, { printed: true })).toMatchObject({ state: 'printed', printedAt: t.now() });
    }
    expect(order).toEqual([b.id, c.id, a.id]);
    expect(t.store.getJob(a.id)).toMatchObject({ state: 'printed', attempts: 2 });
    expect(t.store.counts()).toMatchObject({ queued: 0, printing: 0, failed: 0, latestFailure: null, lastPrintedAt: t.now() });
    // A printed job is not retried: printing it again is a reprint.
    expectRefusedUnchanged(t.ledger, () => t.store.retry(a.id), 'invalid-transition', /already printed/);
  });

  it('records an end only for a job still printing: a late answer after an interruption changes nothing', () => {
    const t = setup();
    const job = t.store.enqueue({ kind: 'test', reason: 'manual' });
    expect(t.store.finish(job.id, { printed: true })).toMatchObject({ state: 'queued' });
    t.store.claimNext();
    const [interrupted] = t.store.interruptPrinting('Interrupted: check the printer, then Retry.');
    expect(interrupted).toMatchObject({ id: job.id, state: 'failed', lastError: 'Interrupted: check the printer, then Retry.' });
    expect(t.store.finish(job.id, { printed: true })).toMatchObject({ state: 'failed' });
    expect(t.store.interruptPrinting('again')).toEqual([]);
  });

  it('keeps a long failure message cut to what the schema holds', () => {
    const t = setup();
    const job = t.store.enqueue({ kind: 'test', reason: 'manual' });
    t.store.claimNext();
    expect(t.store.finish(job.id, { printed: false, message: 'x'.repeat(2_000) }).lastError).toHaveLength(500);
  });

  it('lists the jobs waiting, printing or failed first (newest first), then the latest printed, up to the limit', () => {
    const t = setup();
    const ids = Array.from({ length: 5 }, () => {
      t.tick();
      return t.store.enqueue({ kind: 'test', reason: 'manual' }).id;
    });
    for (const outcome of [true, false, true]) {
      const next = t.store.claimNext()!;
      t.tick();
      t.store.finish(next.job.id, outcome ? { printed: true } : { printed: false, message: 'offline' });
    }
    t.store.claimNext();
    // ids[0] printed, ids[1] failed, ids[2] printed, ids[3] printing, ids[4] queued.
    expect(t.store.jobs(10).map((j) => [j.id, j.state])).toEqual([
      [ids[4], 'queued'],
      [ids[3], 'printing'],
      [ids[1], 'failed'],
      [ids[2], 'printed'],
      [ids[0], 'printed'],
    ]);
    expect(t.store.jobs(4).map((j) => j.id)).toEqual([ids[4], ids[3], ids[1], ids[2]]);
    expect(t.store.counts()).toMatchObject({ queued: 1, printing: 1, failed: 1, latestFailure: { message: 'offline' } });
  });

  it('finds the paid sales since a time that have no automatic receipt', () => {
    const t = setup();
    const old = t.cashSale().sale;
    t.tick(60_000);
    const since = t.now();
    const recent = t.cashSale().sale;
    const printed = t.cashSale().sale;
    t.openSale();
    t.store.enqueueAuto({ saleId: printed.id, copies: ['customer'] });
    // A reprint is not the automatic receipt.
    t.store.enqueue({ kind: 'receipt', reason: 'manual', saleId: recent.id, copy: 'customer' });
    expect(t.store.paidWithoutAutoReceipt(since)).toEqual([recent.id]);
    expect(t.store.paidWithoutAutoReceipt(0)).toEqual([old.id, recent.id]);
  });
});

describe('drawer openings', () => {
  it('records a cash tender’s opening with its drawer job in one write, once per tender', () => {
    const t = setup();
    const { sale, tender } = t.cashSale(1250, 'sandbox');
    const opened = t.store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })!;
    expect(opened.opening).toEqual({ id: 1, at: t.now(), reason: 'cash', saleId: sale.id, personId: null, shiftId: null });
    expect(opened.job).toMatchObject({ kind: 'drawer', reason: 'cash', saleId: sale.id, copy: null, state: 'queued' });
    expect(t.ledger.database.prepare('SELECT mode, tender_id, print_job_id FROM drawer_openings').get()).toEqual({
      mode: 'sandbox',
      tender_id: tender.id,
      print_job_id: opened.job.id,
    });
    // The same tender again (a repeated sale event): no second opening.
    expect(t.store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).toBeNull();
    expect(t.ledger.database.prepare('SELECT count(*) FROM print_jobs').pluck().get()).toBe(1);
    // The sale and its tenders are only read.
    expect(t.ledger.getSale(sale.id)).toEqual(sale);
    expectConsistent(t.ledger);
  });

  it('records "No sale" in the till’s mode, with its drawer job', () => {
    const t = setup();
    const opened = t.store.openDrawer({ reason: 'no-sale', mode: 'live' })!;
    expect(opened.opening).toEqual({ id: 1, at: t.now(), reason: 'no-sale', saleId: null, personId: null, shiftId: null });
    expect(opened.job).toMatchObject({ kind: 'drawer', reason: 'no-sale', saleId: null });
  });

  it('refuses an opening for a tender that is not that sale’s cash, and bad input, writing nothing', () => {
    const t = setup();
    const { sale } = t.cashSale();
    const other = t.openSale(900);
    const card = t.ledger.addOtherTender(other.id, { amount: 900, label: 'Card' }).tender;
    expectRefusedUnchanged(t.ledger, () => t.store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: card.id }), 'not-found');
    expectRefusedUnchanged(t.ledger, () => t.store.openDrawer({ reason: 'cash', saleId: other.id, tenderId: card.id }), 'invalid-input', /not cash/);
    expectRefusedUnchanged(t.ledger, () => t.store.openDrawer({ reason: 'cash', saleId: sale.id }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.openDrawer({ reason: 'no-sale', mode: 'all' }), 'invalid-input');
    expectRefusedUnchanged(t.ledger, () => t.store.openDrawer({ reason: 'refund', mode: 'live' }), 'invalid-input');
  });

  it('writes the opening and its job together or not at all', () => {
    const t = setup();
    const { sale, tender } = t.cashSale();
    // The opening's insert fails after the job's: the job must not stay behind.
    t.ledger.database.exec(`CREATE TEMP TRIGGER refuse_opening BEFORE INSERT ON drawer_openings BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const before = ledgerSnapshot(t.ledger);
    expect(() => t.store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).toThrow(/disk full/);
    expect(ledgerSnapshot(t.ledger)).toEqual(before);
    t.ledger.database.exec('DROP TRIGGER temp.refuse_opening');
    expect(t.store.openDrawer({ reason: 'cash', saleId: sale.id, tenderId: tender.id })).not.toBeNull();
  });

  it('are counted in the end-of-day report by the shop’s day and mode', () => {
    // New York: the shop's 23 November runs from 05:00 UTC to 05:00 UTC the next day.
    const t = setup({ timeZone: 'America/New_York', start: Date.UTC(2026, 10, 23, 4, 59) });
    t.store.openDrawer({ reason: 'no-sale', mode: 'live' }); // 22 November in New York
    t.set(Date.UTC(2026, 10, 23, 5, 0));
    const first = t.cashSale();
    t.store.openDrawer({ reason: 'cash', saleId: first.sale.id, tenderId: first.tender.id });
    t.store.openDrawer({ reason: 'no-sale', mode: 'live' });
    t.store.openDrawer({ reason: 'no-sale', mode: 'live' });
    t.set(Date.UTC(2026, 10, 24, 4, 59));
    const late = t.cashSale(300, 'sandbox');
    t.store.openDrawer({ reason: 'cash', saleId: late.sale.id, tenderId: late.tender.id });
    t.store.openDrawer({ reason: 'no-sale', mode: 'sandbox' });
    t.set(Date.UTC(2026, 10, 24, 5, 0));
    t.store.openDrawer({ reason: 'no-sale', mode: 'live' }); // 24 November in New York

    const q = t.ledger.queries;
    expect(q.daySummary('2026-11-23').drawerOpenings).toEqual({ cash: 1, noSale: 2 });
    expect(q.daySummary('2026-11-23', 'sandbox').drawerOpenings).toEqual({ cash: 1, noSale: 1 });
    expect(q.daySummary('2026-11-23', 'all').drawerOpenings).toEqual({ cash: 2, noSale: 3 });
    expect(q.daySummary('2026-11-22').drawerOpenings).toEqual({ cash: 0, noSale: 1 });
    expect(q.daySummary('2026-11-24').drawerOpenings).toEqual({ cash: 0, noSale: 1 });
    expect(q.daySummary('2026-12-01').drawerOpenings).toEqual({ cash: 0, noSale: 0 });
  });
});
