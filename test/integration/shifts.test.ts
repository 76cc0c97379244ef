import { afterEach, describe, expect, it } from 'vitest';
import { shiftHandlers } from '../../electron/core/api/shift-handlers';
import type { CounterCore, CounterCoreOptions } from '../../electron/core/app/counter-core';
import { CounterError } from '../../electron/core/app/errors';
import { silentLogger } from '../../electron/core/app/logger';
import { LedgerError } from '../../electron/core/ledger/errors';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { createShiftService } from '../../electron/core/shifts/shift-service';
import type { CounterEvent } from '../../electron/shared/contract';
import { formatMoney } from '../../electron/shared/domain/money';
import { DEFAULT_PRINTER_SETTINGS } from '../../electron/shared/domain/printer';
import type { Actor, Role } from '../../electron/shared/domain/people';
import { startApiCore } from '../support/api-core';
import { caughtAs, ledgerSnapshot } from '../support/ledger-guard';
import { memoryLogger } from '../support/memory-logger';
import { randomAddress, tempDir } from '../support/temp-dir';

// Shifts over the real core (ledger file, payments, print queue, event
// bus): opening with a float, one open at a time, a restart in between,
// the close's refusals and what it freezes, the audit entries and events,
// and the handlers' rule of whose shift it is.

let cores: CounterCore[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

async function startCore(dir = tempDir(), extra: Partial<CounterCoreOptions> = {}): Promise<{ core: CounterCore; events: CounterEvent[]; dir: string }> {
  const { core, events } = await startApiCore({ dataDir: dir, ...extra });
  cores.push(core);
  return { core, events, dir };
}

async function stop(core: CounterCore): Promise<void> {
  cores = cores.filter((c) => c !== core);
  await core.close();
}

/** A person row as the people store writes one (the hash is only shaped like one: nobody signs in here). */
function addPerson(ledger: Ledger, name: string, role: Role): Actor {
  const at = Date.now();
  const info = ledger.database
    .prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES (?, ?, 'scrypt$test-only', ?, ?)`)
    .run(name, role, at, at);
  return { id: Number(info.lastInsertRowid), name, role };
}

function staff(ledger: Ledger) {
  return {
    owner: addPerson(ledger, 'Olga', 'owner'),
    mia: addPerson(ledger, 'Mia', 'manager'),
    ana: addPerson(ledger, 'Ana', 'cashier'),
    ben: addPerson(ledger, 'Ben', 'cashier'),
  };
}

/** Every table a refused shift call must leave as it was. */
function snapshot(ledger: Ledger) {
  const all = (table: string) => ledger.database.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return { ...ledgerSnapshot(ledger), shifts: all('shifts'), audit: all('audit_log'), refunds: all('refunds'), people: all('people') };
}

const caught = (fn: () => unknown): CounterError => caughtAs(CounterError, fn);

async function caughtAsync(fn: () => unknown): Promise<CounterError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CounterError);
    return error as CounterError;
  }
  throw new Error('expected a refusal, and nothing was thrown');
}

function sale(core: CounterCore, amount: number, by: Actor) {
  return core.ledger.createSale({ amount, currency: 'usd', mode: 'sandbox', destination: randomAddress(), personId: by.id });
}

const shiftEvents = (events: CounterEvent[]) => events.filter((e): e is Extract<CounterEvent, { type: 'shift' }> => e.type === 'shift');

describe('shifts: opening', () => {
  it('opens with the counted float in the till’s mode and currency, audits it and publishes the live report', async () => {
    const { core, events } = await startCore();
    const { ana } = staff(core.ledger);
    expect(core.shifts.current()).toBeNull();
    const shift = core.shifts.open(ana, 10_000);
    expect(shift).toMatchObject({ mode: 'sandbox', currency: 'usd', floatAmount: 10_000, openedBy: { id: ana.id, name: 'Ana' }, closedAt: null, closedBy: null, countedCash: null, expectedCash: null });
    expect(core.shifts.current()).toEqual(shift);
    const [opened] = core.ledger.audit.page({ action: 'shift-opened' }).entries;
    expect(opened).toMatchObject({ personId: ana.id, personName: 'Ana', shiftId: shift.id, detail: { float: 10_000, mode: 'sandbox', currency: 'usd' } });
    expect(opened!.summary).toBe(`Shift #${shift.id} opened by Ana with a float of $100.00 (sandbox)`);
    expect(shiftEvents(events)).toEqual([{ type: 'shift', shift: expect.objectContaining({ shift, cash: expect.objectContaining({ float: 10_000, expected: 10_000, counted: null, overShort: null }) }) }]);
  });

  it('a shift opened in live mode is a live shift', async () => {
    const dir = tempDir();
    const ledger = createLedger({ dir, timeZone: 'UTC' });
    try {
      const { ana } = staff(ledger);
      const service = createShiftService({ ledger, config: () => ({ mode: 'live', currency: 'EUR' }), logger: silentLogger });
      expect(service.open(ana, 0)).toMatchObject({ mode: 'live', currency: 'eur', floatAmount: 0 });
    } finally {
      ledger.close();
    }
  });

  it('only one shift is open at a time: a second open is refused (shift-open) and writes nothing', async () => {
    const { core, events } = await startCore();
    const { ana, ben } = staff(core.ledger);
    const first = core.shifts.open(ana, 5_000);
    const before = snapshot(core.ledger);
    const error = caught(() => core.shifts.open(ben, 7_000));
    expect(error.code).toBe('shift-open');
    expect(error.message).toBe(`Shift #${first.id} (opened by Ana) is still open: close it first.`);
    expect(snapshot(core.ledger)).toEqual(before);
    expect(shiftEvents(events)).toHaveLength(1);
  });

  it('the ledger keeps one open shift even between two connections to the file', () => {
    const dir = tempDir();
    const one = createLedger({ dir, timeZone: 'UTC' });
    const two = createLedger({ dir, timeZone: 'UTC' });
    try {
      const { ana, ben } = staff(one);
      const shift = one.shifts.open({ mode: 'sandbox', currency: 'usd', by: ana, float: 100 });
      const refused = (() => {
        try {
          two.shifts.open({ mode: 'sandbox', currency: 'usd', by: ben, float: 100 });
        } catch (error) {
          return error as LedgerError;
        }
        throw new Error('expected a refusal');
      })();
      expect(refused).toBeInstanceOf(LedgerError);
      expect(refused.code).toBe('conflict');
      expect(refused.details).toEqual({ reason: 'shift-open', shiftId: shift.id });
      // And below the store, the schema's own index.
      expect(() =>
        two.database.prepare(`INSERT INTO shifts (mode, currency, opened_by, opened_at, float_amount) VALUES ('sandbox', 'usd', ?, 1, 0)`).run(ben.id),
      ).toThrow(/UNIQUE constraint failed/);
    } finally {
      two.close();
      one.close();
    }
  });

  it.each([
    ['negative', -1],
    ['not whole', 12.5],
    ['not a number', Number.NaN],
    ['too large', 1e15],
  ])('refuses a float that is %s, writing nothing', async (_what, float) => {
    const { core } = await startCore();
    const { ana } = staff(core.ledger);
    const before = snapshot(core.ledger);
    const error = caught(() => core.shifts.open(ana, float));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toBe('The float must be a whole amount of cents, zero or more.');
    expect(snapshot(core.ledger)).toEqual(before);
  });

  it('a shift left open across a restart is still open, with its sales, and closes after it', async () => {
    const started = await startCore();
    const { ana, mia } = staff(started.core.ledger);
    const shift = started.core.shifts.open(ana, 2_000);
    const s = sale(started.core, 450, ana);
    started.core.ledger.addCashTender(s.id, { tendered: 500, personId: ana.id });
    await stop(started.core);

    const { core } = await startCore(started.dir);
    expect(core.shifts.current()).toEqual(shift);
    expect(core.shifts.currentReport()).toMatchObject({ sales: { count: 1, paidCount: 1 }, taken: { cash: 450 }, changeGiven: 50, cash: { expected: 2_450 } });
    const closed = core.shifts.close(mia, 2_450);
    expect(closed).toMatchObject({ shift: { id: shift.id, closedBy: { id: mia.id, name: 'Mia' }, countedCash: 2_450, expectedCash: 2_450 }, cash: { overShort: 0 } });
    expect(core.shifts.current()).toBeNull();
  });
});

describe('shifts: closing', () => {
  it.each([
    ['short', 11_900, -100, 'short $1.00'],
    ['over', 12_050, 50, 'over $0.50'],
    ['even', 12_000, 0, 'even'],
  ])('freezes the expected and counted cash and the report, audits what is %s, publishes null', async (_what, counted, overShort, words) => {
    const { core, events } = await startCore();
    const { ana, mia } = staff(core.ledger);
    const shift = core.shifts.open(ana, 10_000);
    const paid = sale(core, 2_500, ana);
    core.ledger.addCashTender(paid.id, { tendered: 3_000, personId: ana.id });
    core.ledger.refunds.record({ saleId: paid.id, amount: 500, method: 'cash', by: mia });

    const report = core.shifts.close(ana, counted);
    expect(report.cash).toEqual({ float: 10_000, taken: 2_500, refunded: 500, expected: 12_000, counted, overShort });
    expect(report).toMatchObject({ taken: { cash: 2_500, total: 2_500 }, changeGiven: 500, refunds: { count: 1, total: 500 }, net: 2_000 });
    expect(report.shift).toMatchObject({ id: shift.id, closedBy: { id: ana.id, name: 'Ana' }, countedCash: counted, expectedCash: 12_000, closedAt: report.at });

    const row = core.ledger.database.prepare('SELECT closed_by, closed_at, counted_cash, expected_cash, report FROM shifts WHERE id = ?').get(shift.id) as Record<string, unknown>;
    expect(row).toMatchObject({ closed_by: ana.id, closed_at: report.at, counted_cash: counted, expected_cash: 12_000 });
    expect(JSON.parse(row.report as string)).toEqual(report);
    expect(core.shifts.report(shift.id)).toEqual(report);
    expect(core.ledger.shifts.get(shift.id)).toEqual(report.shift);

    const [closed] = core.ledger.audit.page({ action: 'shift-closed' }).entries;
    expect(closed).toMatchObject({ personId: ana.id, shiftId: shift.id, detail: { counted, expected: 12_000, overShort, currency: 'usd', taken: 2_500, refunds: 500, net: 2_000, sales: 1 } });
    expect(closed!.summary).toBe(`Shift #${shift.id} closed by Ana: counted ${formatMoney(counted, 'usd')}, expected $120.00, ${words}`);
    expect(shiftEvents(events).at(-1)).toEqual({ type: 'shift', shift: null });
    expect(core.shifts.current()).toBeNull();
  });

  it('is refused while a sale on the shift is open (pending or partly paid), naming them, and writes nothing', async () => {
    const { core, events } = await startCore();
    const { ana, mia } = staff(core.ledger);
    // Open before the shift: not the shift's, so it does not hold the close.
    const before = sale(core, 300, ana);
    core.shifts.open(ana, 1_000);
    const pending = sale(core, 700, ana);
    const partly = sale(core, 900, ana);
    core.ledger.addOtherTender(partly.id, { amount: 400, label: 'Card', personId: ana.id });
    const paid = sale(core, 100, ana);
    core.ledger.addCashTender(paid.id, { tendered: 100 });

    const unchanged = snapshot(core.ledger);
    const error = caught(() => core.shifts.close(mia, 1_100));
    expect(error.code).toBe('open-sales');
    expect(error.message).toBe(`Sales #${pending.id} (waiting for payment), #${partly.id} (partly paid) are still open: cancel or finish them before closing the shift.`);
    expect(snapshot(core.ledger)).toEqual(unchanged);
    expect(shiftEvents(events)).toHaveLength(1);

    core.ledger.cancel(pending.id);
    const one = caught(() => core.shifts.close(mia, 1_100));
    expect(one.message).toBe(`Sale #${partly.id} (partly paid) is still open: cancel or finish it before closing the shift.`);
    core.ledger.addCashTender(partly.id, { tendered: 500 });
    expect(core.shifts.close(mia, 2_000)).toMatchObject({ sales: { count: 3, paidCount: 2, cancelledCount: 1, openCount: 0 }, cash: { expected: 1_600, overShort: 400 } });
    expect(core.ledger.getSale(before.id).status).toBe('pending');
  });

  it('with no shift open: no-shift, and a counted cash that is not a whole amount is refused first', async () => {
    const { core } = await startCore();
    const { ana } = staff(core.ledger);
    expect(caught(() => core.shifts.close(ana, 100)).code).toBe('no-shift');
    core.shifts.open(ana, 0);
    const before = snapshot(core.ledger);
    expect(caught(() => core.shifts.close(ana, -5))).toMatchObject({ code: 'invalid-input', message: 'The counted cash must be a whole amount of cents, zero or more.' });
    expect(snapshot(core.ledger)).toEqual(before);
  });

  it('a closed shift never changes: not by the schema, not by a second close, not by later refunds of its sales', async () => {
    const { core } = await startCore();
    const { ana, ben, mia } = staff(core.ledger);
    const first = core.shifts.open(ana, 1_000);
    const s = sale(core, 800, ana);
    core.ledger.addCashTender(s.id, { tendered: 800 });
    const kept = core.shifts.close(ana, 1_800);

    expect(() => core.ledger.database.prepare('UPDATE shifts SET counted_cash = 0 WHERE id = ?').run(first.id)).toThrow(/a closed shift cannot change/);
    expect(() => core.ledger.database.prepare('DELETE FROM shifts WHERE id = ?').run(first.id)).toThrow(/shifts are kept/);
    expect(caught(() => core.shifts.close(ana, 1_800)).code).toBe('no-shift');

    // The next shift refunds the first one's sale in cash: that cash leaves the new drawer.
    const second = core.shifts.open(ben, 500);
    core.ledger.refunds.record({ saleId: s.id, amount: 300, method: 'cash', by: mia });
    expect(core.shifts.report(first.id)).toEqual(kept);
    expect(core.shifts.report(second.id)).toMatchObject({ sales: { count: 0 }, refunds: { count: 1, total: 300, byMethod: { cash: 300, code: 0, other: 0 } }, net: -300, cash: { expected: 200 } });
  });

  it('a printer fault never fails the close: it is logged', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    try {
      const { ana } = staff(ledger);
      const logger = memoryLogger();
      const published: unknown[] = [];
      const service = createShiftService({
        ledger,
        config: () => ({ mode: 'sandbox', currency: 'usd' }),
        publish: (shift) => published.push(shift),
        printReport: () => {
          throw new Error('paper out');
        },
        logger,
      });
      const shift = service.open(ana, 100);
      expect(service.close(ana, 100)).toMatchObject({ shift: { id: shift.id }, cash: { overShort: 0 } });
      expect(service.current()).toBeNull();
      expect(published.at(-1)).toBeNull();
      expect(logger.lines).toContain(`shifts: the Z-report of shift #${shift.id} was not queued for printing: paper out`);
    } finally {
      ledger.close();
    }
  });

  it('with a printer set, the close queues the Z-report’s print once; with none, nothing', async () => {
    // The queue is not started: jobs wait, nothing is sent to the (absent) printer.
    const { core } = await startCore(tempDir(), { printing: { start: false } });
    const { ana } = staff(core.ledger);
    const jobs = () => core.ledger.database.prepare(`SELECT kind, reason, shift_id FROM print_jobs WHERE kind = 'shift-report'`).all();
    const none = core.shifts.open(ana, 0);
    core.shifts.close(ana, 0);
    expect(jobs()).toEqual([]);
    core.settings.update({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: '127.0.0.1', port: 9 } });
    const printed = core.shifts.open(ana, 0);
    core.shifts.close(ana, 0);
    expect(jobs()).toEqual([{ kind: 'shift-report', reason: 'auto', shift_id: printed.id }]);
    expect(printed.id).toBe(none.id + 1);
  });

  it('queues the Z-report’s automatic print with the close', () => {
    const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC' });
    try {
      const { ana } = staff(ledger);
      const queued: number[] = [];
      const service = createShiftService({ ledger, config: () => ({ mode: 'sandbox', currency: 'usd' }), printReport: (id) => queued.push(id), logger: silentLogger });
      const shift = service.open(ana, 100);
      expect(queued).toEqual([]);
      service.close(ana, 100);
      expect(queued).toEqual([shift.id]);
    } finally {
      ledger.close();
    }
  });
});

describe('shifts: the list and reports', () => {
  it('lists newest first, a page at a time', async () => {
    const { core } = await startCore();
    const { ana } = staff(core.ledger);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(core.shifts.open(ana, i * 100).id);
      core.shifts.close(ana, i * 100);
    }
    expect(core.shifts.list({ limit: 2 }).map((s) => s.id)).toEqual([ids[2], ids[1]]);
    expect(core.shifts.list({ limit: 2, beforeId: ids[1] }).map((s) => s.id)).toEqual([ids[0]]);
    expect(core.shifts.list({ limit: 2, beforeId: ids[0] })).toEqual([]);
  });

  it('the report of a shift that does not exist is not-found', async () => {
    const { core } = await startCore();
    expect(caught(() => core.shifts.report(42))).toMatchObject({ code: 'not-found', message: 'No shift #42.' });
  });
});

describe('shift handlers: whose shift it is', () => {
  it('a cashier closes only a shift they opened (forbidden, nothing written); a manager closes anyone’s', async () => {
    const { core } = await startCore();
    const { ana, ben, mia } = staff(core.ledger);
    const h = shiftHandlers(core);
    const shift = await h.openShift({ float: 2_000 }, { actor: ana });
    const before = snapshot(core.ledger);
    const refused = await caughtAsync(() => h.closeShift({ countedCash: 2_000 }, { actor: ben }));
    expect(refused).toMatchObject({ code: 'forbidden', message: `Only a manager can close another person's shift (shift #${shift.id} was opened by Ana).` });
    expect(snapshot(core.ledger)).toEqual(before);
    const report = await h.closeShift({ countedCash: 2_000 }, { actor: mia });
    expect(report.shift).toMatchObject({ id: shift.id, openedBy: { id: ana.id }, closedBy: { id: mia.id, name: 'Mia' } });
    expect(core.ledger.audit.page({ action: 'shift-closed' }).entries[0]).toMatchObject({ personId: mia.id, personName: 'Mia' });
  });

  it('a cashier closes their own shift', async () => {
    const { core } = await startCore();
    const { ana } = staff(core.ledger);
    const h = shiftHandlers(core);
    await h.openShift({ float: 0 }, { actor: ana });
    expect(await h.closeShift({ countedCash: 0 }, { actor: ana })).toMatchObject({ shift: { closedBy: { id: ana.id } } });
    expect(await caughtAsync(() => h.closeShift({ countedCash: 0 }, { actor: ana }))).toMatchObject({ code: 'no-shift' });
  });

  it('a cashier reads and prints only their own shifts’ reports; a manager or the owner reads any', async () => {
    const { core } = await startCore();
    const { ana, ben, mia, owner } = staff(core.ledger);
    const h = shiftHandlers(core);
    const shift = await h.openShift({ float: 300 }, { actor: ana });
    await h.closeShift({ countedCash: 300 }, { actor: ana });
    const expected = core.shifts.report(shift.id);
    expect(await h.shiftReport({ shiftId: shift.id }, { actor: ana })).toEqual(expected);
    expect(await h.shiftReport({ shiftId: shift.id }, { actor: mia })).toEqual(expected);
    expect(await h.shiftReport({ shiftId: shift.id }, { actor: owner })).toEqual(expected);
    expect(await caughtAsync(() => h.shiftReport({ shiftId: shift.id }, { actor: ben }))).toMatchObject({
      code: 'forbidden',
      message: `Only a manager can see another person's shift (shift #${shift.id} was opened by Ana).`,
    });
    const jobs = core.ledger.database.prepare('SELECT count(*) AS n FROM print_jobs').get();
    expect(await caughtAsync(() => h.printShiftReport({ shiftId: shift.id }, { actor: ben }))).toMatchObject({ code: 'forbidden' });
    expect(core.ledger.database.prepare('SELECT count(*) AS n FROM print_jobs').get()).toEqual(jobs);
  });

  it('currentShift answers the open shift’s live report, or null; listShifts pages newest first', async () => {
    const { core } = await startCore();
    const { ana, mia } = staff(core.ledger);
    const h = shiftHandlers(core);
    expect(await h.currentShift(undefined, { actor: ana })).toBeNull();
    const shift = await h.openShift({ float: 1_500 }, { actor: ana });
    const paid = sale(core, 600, ana);
    core.ledger.addOtherTender(paid.id, { amount: 600, label: 'Card' });
    expect(await h.currentShift(undefined, { actor: ana })).toMatchObject({
      shift: { id: shift.id },
      taken: { other: 600, total: 600 },
      otherByLabel: [{ label: 'Card', amount: 600 }],
      people: [{ id: ana.id, name: 'Ana', sales: 1, taken: 600 }],
      cash: { expected: 1_500, counted: null },
    });
    expect(await h.listShifts({ limit: 10 }, { actor: mia })).toEqual([shift]);
  });

  it('without a person the handlers refuse: owner-needed before the owner exists, locked after', async () => {
    const { core } = await startCore();
    const h = shiftHandlers(core);
    expect(await caughtAsync(() => h.openShift({ float: 0 }, { actor: null }))).toMatchObject({ code: 'owner-needed' });
    addPerson(core.ledger, 'Olga', 'owner');
    expect(await caughtAsync(() => h.openShift({ float: 0 }, { actor: null }))).toMatchObject({ code: 'locked' });
    expect(core.shifts.current()).toBeNull();
  });
});
