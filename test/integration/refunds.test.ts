import { afterEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { createRefundService, RefundError } from '../../electron/core/refunds/refund-service';
import type { Actor } from '../../electron/shared/domain/people';
import type { Sale } from '../../electron/shared/domain/sale';
import { startApiCore } from '../support/api-core';
import { FAST_PRINTER_TIMING, networkPrinter, startStandInPrinter, type StandInPrinter } from '../support/escpos-printer';
import { caughtAs, ledgerSnapshot } from '../support/ledger-guard';
import { memoryLogger } from '../support/memory-logger';
import { waitFor } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

// Refunds and voids as the till makes them: through the API's handler
// table on the app's core (a signed-in owner, an open shift, the sandbox
// sequencer paying the Code payments), with the events the screens hear and
// the refund receipt printed on the ESC/POS stand-in printer over TCP.

const PIN = '2580';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Unwraps an envelope, failing the test with the error's message. */
function ok<T>(envelope: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

async function startTill(o: { printer?: boolean; shift?: boolean } = {}) {
  const { core, api, events } = await startApiCore({
    reconcilerTiming: { tickMs: 25, backgroundInitialMs: 25, backgroundMaxMs: 100 },
    printing: { networkTiming: FAST_PRINTER_TIMING, stopWaitMs: 50 },
  });
  cleanups.push(() => core.close());
  const session = ok(await api.createOwner({ name: 'Ana', pin: PIN }));
  const owner = session.session.person as Actor;
  let printer: StandInPrinter | null = null;
  if (o.printer ?? true) {
    printer = await startStandInPrinter();
    cleanups.push(() => printer!.close());
    ok(await api.updateSettings({ printer: networkPrinter(printer) }));
  }
  const shift = (o.shift ?? true) ? ok(await api.openShift({ float: 5000 })) : null;

  /** A sale paid by one Code payment the sandbox sequencer proves. */
  async function codeSale(amount: number): Promise<Sale> {
    const till = ok(await api.charge({ amount }));
    ok(await api.simulatePayment({ saleId: till.sale.id }));
    return waitFor('the sale paid', () => {
      const sale = core.ledger.getSale(till.sale.id);
      return sale.status === 'paid' ? sale : null;
    });
  }
  return { core, api, events, owner, printer, shift, codeSale };
}

describe('refundSale', () => {
  it('records a refund against a Code-paid sale, tells the screens, and prints REFUND with the amount once', async () => {
    const t = await startTill();
    const sale = await t.codeSale(80);
    expect(sale.soldBy).toEqual({ id: t.owner.id, name: 'Ana' });
    expect(sale.shiftId).toBe(t.shift!.id);

    const answer = ok(await t.api.refundSale({ saleId: sale.id, amount: 30, method: 'cash' }));
    expect(answer.sale).toMatchObject({ id: sale.id, status: 'paid', paidAmount: 80, refundedAmount: 30 });
    expect(answer.refund).toMatchObject({ saleId: sale.id, amount: 30, method: 'cash', personName: 'Ana', shiftId: t.shift!.id, voidOfSale: false });
    expect(answer.printJobs).toMatchObject([{ kind: 'refund', reason: 'auto', refundId: answer.refund.id, saleId: sale.id }]);
    expect(t.events.filter((e) => e.type === 'sale' && e.sale.id === sale.id).at(-1)).toMatchObject({ cause: 'refunded', sale: { refundedAmount: 30 } });
    // The sale's detail lists it.
    expect(ok(await t.api.getSale({ saleId: sale.id })).refunds).toEqual([answer.refund]);

    const [printed] = await t.printer!.waitForJobs(1);
    expect(printed!.text).toMatch(/REFUND/);
    expect(printed!.text).toMatch(/Refunded now\s+\$0\.30/);
    expect(printed!.text).toMatch(/Sale number\s+#\d+/);
    expect(printed!.text).toMatch(/Cash back/);
    expect(printed!.text).toMatch(/SANDBOX/);
    expect(printed!.text).toMatch(/By\s+Ana/);
    expect(printed!.commands.some((c) => c.name === 'cut')).toBe(true);
    // No drawer kick for a refund: the manager opens it with No sale.
    expect(printed!.commands.some((c) => c.name === 'drawer-kick')).toBe(false);

    // The automatic receipt is once per refund; a reprint is asked for.
    expect(t.core.printing.enqueueRefund(answer.refund.id, 'auto')).toEqual([]);
    const again = ok(await t.api.printRefund({ refundId: answer.refund.id }));
    expect(again).toMatchObject({ kind: 'refund', reason: 'manual', refundId: answer.refund.id });
    const jobs = await t.printer!.waitForJobs(2);
    expect(jobs[1]!.text).toMatch(/Refunded in all\s+\$0\.30/);
    expect(t.printer!.jobs).toHaveLength(2);
  });

  it('refuses more than is left, a Code refund without a note, and an open sale, writing nothing', async () => {
    const t = await startTill({ printer: false });
    const sale = await t.codeSale(80);
    ok(await t.api.refundSale({ saleId: sale.id, amount: 50, method: 'other', note: 'Store credit' }));
    const before = ledgerSnapshot(t.core.ledger);
    const refused = async (args: unknown, code: string, message: RegExp) => {
      const answer = await t.api.refundSale(args);
      expect(answer).toMatchObject({ ok: false, error: { code } });
      if (!answer.ok) expect(answer.error.message).toMatch(message);
    };
    await refused({ saleId: sale.id, amount: 31, method: 'cash' }, 'too-much', /\$0\.30 at most, not \$0\.31/);
    await refused({ saleId: sale.id, amount: 10, method: 'code' }, 'note-needed', /to whom/);
    await refused({ saleId: sale.id, amount: 10, method: 'other', note: '   ' }, 'invalid-input', /note/);
    await refused({ saleId: sale.id, amount: 0, method: 'cash' }, 'invalid-input', /amount/);
    const open = ok(await t.api.charge({ amount: 90 }));
    const beforeOpen = ledgerSnapshot(t.core.ledger);
    await refused({ saleId: open.sale.id, amount: 10, method: 'cash' }, 'invalid-transition', /still open: void it/);
    await refused({ saleId: 999, amount: 10, method: 'cash' }, 'not-found', /No sale/);
    expect(ledgerSnapshot(t.core.ledger)).toEqual(beforeOpen);
    expect(before.refunds).toHaveLength(1);
  });

  it('with no printer set: recorded, nothing queued; a printer that is off fails the receipt, never the refund', async () => {
    const t = await startTill({ printer: false });
    const sale = await t.codeSale(80);
    const answer = ok(await t.api.refundSale({ saleId: sale.id, amount: 80, method: 'code', note: 'Sent back to the customer' }));
    expect(answer.printJobs).toEqual([]);
    expect(answer.sale.refundedAmount).toBe(80);
    expect(await t.api.printRefund({ refundId: answer.refund.id })).toMatchObject({ ok: false, error: { code: 'printer-not-set' } });

    const off = await startStandInPrinter({ mode: 'refuse' });
    cleanups.push(() => off.close());
    ok(await t.api.updateSettings({ printer: networkPrinter(off) }));
    const second = await t.codeSale(60);
    const refund = ok(await t.api.refundSale({ saleId: second.id, amount: 60, method: 'cash' }));
    expect(refund.sale.refundedAmount).toBe(60);
    const failed = await waitFor('the receipt failed', () => {
      const job = t.core.ledger.printing.getJob(refund.printJobs[0]!.id);
      return job.state === 'failed' ? job : null;
    });
    expect(failed.lastError).toMatch(/printer/i);
    expect(t.core.ledger.getSale(second.id).refundedAmount).toBe(60);
  });
});

describe('voidSale', () => {
  it('closes a partly paid sale, hands back the cash, tells the screens it was voided, and prints the refund', async () => {
    const t = await startTill();
    const till = ok(await t.api.charge({ amount: 1000 }));
    ok(await t.api.takeCash({ saleId: till.sale.id, tendered: 400 }));
    const partly = t.core.ledger.getSale(till.sale.id);
    expect(partly.status).toBe('partly_paid');
    expect(partly.tenders.find((x) => x.kind === 'cash')!.takenBy).toEqual({ id: t.owner.id, name: 'Ana' });
    // The Code payment for the rest was asked for by the owner too.
    expect(partly.tenders.filter((x) => x.kind === 'code').every((x) => x.takenBy?.name === 'Ana')).toBe(true);

    const answer = ok(await t.api.voidSale({ saleId: till.sale.id, reason: 'Customer changed their mind' }));
    expect(answer.sale).toMatchObject({ status: 'cancelled', refundedAmount: 400, closedBy: { id: t.owner.id, name: 'Ana' } });
    expect(answer.sale.voidedAt).not.toBeNull();
    expect(answer.sale.tenders.some((x) => x.status === 'pending')).toBe(false);
    expect(answer.refunds).toMatchObject([{ method: 'cash', amount: 400, voidOfSale: true }]);
    expect(t.events.filter((e) => e.type === 'sale' && e.sale.id === till.sale.id).at(-1)).toMatchObject({ cause: 'voided' });
    const [printed] = await t.printer!.waitForJobs(1);
    expect(printed!.text).toMatch(/REFUND/);
    expect(printed!.text).toMatch(/\$4\.00/);
    expect(printed!.text).toMatch(/voided/);
    expect(t.core.ledger.audit.page({ action: 'sale-voided' }).entries).toHaveLength(1);

    // A paid sale is refunded, not voided.
    const paid = await t.codeSale(50);
    expect(await t.api.voidSale({ saleId: paid.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid-transition' } });
  });
});

describe('who did it, and the drawer', () => {
  it('a cash tender and No sale record the person and the shift on their drawer openings', async () => {
    const t = await startTill();
    ok(await t.api.updateSettings({ printer: networkPrinter(t.printer!, { drawerOnCash: true }) }));
    const till = ok(await t.api.charge({ amount: 300 }));
    ok(await t.api.takeCash({ saleId: till.sale.id, tendered: 500 }));
    await waitFor('the drawer opening', () => t.core.ledger.database.prepare('SELECT count(*) FROM drawer_openings').pluck().get() === 1);
    t.core.printing.openDrawer('no-sale', t.owner);
    const openings = t.core.ledger.database.prepare('SELECT reason, person_id AS personId, shift_id AS shiftId FROM drawer_openings ORDER BY id').all();
    expect(openings).toEqual([
      { reason: 'cash', personId: t.owner.id, shiftId: t.shift!.id },
      { reason: 'no-sale', personId: t.owner.id, shiftId: t.shift!.id },
    ]);
  });

  it('prints a shift’s Z-report on demand, from the shifts service', async () => {
    const t = await startTill();
    await t.codeSale(80);
    const job = t.core.printing.enqueueShiftReport(t.shift!.id, 'manual');
    expect(job).toMatchObject({ kind: 'shift-report', shiftId: t.shift!.id });
    const [printed] = await t.printer!.waitForJobs(1);
    expect(printed!.text).toMatch(/Z-REPORT/);
    expect(printed!.text).toMatch(new RegExp(`Shift #${t.shift!.id}`));
    expect(printed!.text).toMatch(/STILL OPEN/);
    expect(printed!.text).toMatch(/Taken USD\s+\$0\.80/);
    // Automatic only once per shift, and only with a printer set.
    expect(t.core.printing.enqueueShiftReport(t.shift!.id, 'auto')).not.toBeNull();
    expect(t.core.printing.enqueueShiftReport(t.shift!.id, 'auto')).toBeNull();
  });
});

describe('the refund service on its own', () => {
  function serviceSetup(printRefund?: (id: number) => never) {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    cleanups.push(() => ledger.close());
    const published: Array<[number, string]> = [];
    const logger = memoryLogger();
    const service = createRefundService({
      ledger,
      publishSale: (sale, cause) => published.push([sale.id, cause]),
      ...(printRefund ? { printRefund } : {}),
      logger,
    });
    const now = Date.now();
    const id = Number(ledger.database.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES ('Ben', 'manager', 'scrypt$t', ?, ?)`).run(now, now).lastInsertRowid);
    const by: Actor = { id, name: 'Ben', role: 'manager' };
    const sale = ledger.createSale({ amount: 700, currency: 'usd', mode: 'live', destination: randomAddress() });
    ledger.addOtherTender(sale.id, { amount: 700, label: 'Card' });
    return { ledger, service, published, logs: logger.lines, by, sale };
  }

  it('a printer that throws while queuing never fails the refund: it is logged', () => {
    const t = serviceSetup(() => {
      throw new Error('the print store is busy');
    });
    const done = t.service.refund(t.by, { saleId: t.sale.id, amount: 700, method: 'other', note: 'Card refund on the terminal' });
    expect(done.printJobs).toEqual([]);
    expect(done.sale.refundedAmount).toBe(700);
    expect(t.published).toEqual([[t.sale.id, 'refunded']]);
    expect(t.logs.some((l) => /receipt of refund 1 was not queued: the print store is busy/.test(l))).toBe(true);
  });

  it('refusals are RefundErrors in the manager’s words, and publish nothing', () => {
    const t = serviceSetup();
    const refusal = (fn: () => unknown) => caughtAs(RefundError, fn);
    expect(refusal(() => t.service.refund(t.by, { saleId: t.sale.id, amount: 701, method: 'other', note: 'x' })).code).toBe('too-much');
    expect(refusal(() => t.service.refund(t.by, { saleId: t.sale.id, amount: 1, method: 'other' })).code).toBe('note-needed');
    expect(refusal(() => t.service.refund(t.by, { saleId: t.sale.id, amount: 1, method: 'cash' })).code).toBe('no-shift');
    expect(refusal(() => t.service.refund(t.by, { saleId: 42, amount: 1, method: 'cash' })).code).toBe('not-found');
    expect(refusal(() => t.service.void(t.by, { saleId: t.sale.id, reason: 'x' })).message).toMatch(/paid: refund it/);
    expect(refusal(() => t.service.get(9)).code).toBe('not-found');
    expect(t.published).toEqual([]);
    expect(t.service.refundsOf(t.sale.id)).toEqual([]);
  });
});
