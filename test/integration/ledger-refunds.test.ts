import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Actor } from '../../electron/shared/domain/people';
import { expectConsistent, expectRefusedWithoutWrites, ledgerSnapshot } from '../support/ledger-guard';
import { randomAddress, tempDir } from '../support/temp-dir';

// Refunds and voids in the ledger, on a real ledger file: what each writes
// (the refund, the sale's refunded amount, the audit entry, in one
// transaction), the limits, and that every refusal writes nothing at all.

const ledgers: Ledger[] = [];
afterEach(() => {
  for (const l of ledgers.splice(0)) l.close();
});

function setup() {
  let clock = Date.UTC(2026, 10, 23, 10);
  const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC', now: () => clock });
  ledgers.push(ledger);
  const destination = randomAddress();
  const db = ledger.database;
  const person = (name: string, role: Actor['role']): Actor => {
    const id = Number(
      db.prepare(`INSERT INTO people (name, role, pin_hash, created_at, updated_at) VALUES (?, ?, 'scrypt$test', ?, ?)`).run(name, role, clock, clock)
        .lastInsertRowid,
    );
    return { id, name, role };
  };
  const owner = person('Ana', 'owner');
  const manager = person('Ben', 'manager');
  return {
    ledger,
    db,
    owner,
    manager,
    destination,
    tick: (ms = 1_000) => (clock += ms),
    now: () => clock,
    /** Opens a shift as a row (the shifts service is another helper's): the drawer a cash refund leaves. */
    openShift: (by: Actor = manager) =>
      Number(
        db
          .prepare(`INSERT INTO shifts (mode, currency, opened_by, opened_at, float_amount) VALUES ('live', 'usd', ?, ?, 5000)`)
          .run(by.id, clock).lastInsertRowid,
      ),
    /** A sale of `amount` paid in cash (tendered exactly). */
    cashSale: (amount = 1250) => {
      const sale = ledger.createSale({ amount, currency: 'usd', mode: 'live', destination });
      return ledger.addCashTender(sale.id, { tendered: amount }).sale;
    },
    openSale: (amount = 1000) => ledger.createSale({ amount, currency: 'usd', mode: 'live', destination }),
  };
}

describe('a refund', () => {
  it('is written with the sale’s refunded amount and its audit entry, and read back by sale and by id', () => {
    const t = setup();
    const sale = t.cashSale(1250);
    const shiftId = t.openShift();
    t.tick();
    const { sale: after, refund } = t.ledger.refunds.record({ saleId: sale.id, amount: 500, method: 'cash', by: t.manager });
    expect(refund).toEqual({
      id: 1,
      saleId: sale.id,
      amount: 500,
      currency: 'usd',
      mode: 'live',
      method: 'cash',
      note: null,
      personId: t.manager.id,
      personName: 'Ben',
      shiftId,
      voidOfSale: false,
      createdAt: t.now(),
    });
    expect(after).toEqual({ ...sale, refundedAmount: 500, updatedAt: t.now() });
    const audit = t.ledger.audit.page().entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'refund', personId: t.manager.id, personName: 'Ben', saleId: sale.id, shiftId });
    expect(audit[0]!.summary).toMatch(/Refund \$5\.00 USD \(cash back\) on sale #1/);
    expect(audit[0]!.detail).toMatchObject({ refundId: 1, amount: 500, method: 'cash', refundedInAll: 500 });

    t.tick();
    const second = t.ledger.refunds.record({ saleId: sale.id, amount: 750, method: 'code', note: '  the customer’s Code wallet ', by: t.owner });
    expect(second.refund).toMatchObject({ id: 2, method: 'code', note: 'the customer’s Code wallet', personName: 'Ana' });
    expect(second.sale.refundedAmount).toBe(1250);
    expect(t.ledger.refunds.listBySale(sale.id).map((r) => r.id)).toEqual([1, 2]);
    expect(t.ledger.refunds.get(2)).toEqual(second.refund);
    expect(t.ledger.getSale(sale.id).refundedAmount).toBe(1250);
    expectConsistent(t.ledger);
  });

  it('never refunds more than was taken: "too-much" names what is left, and writes nothing', () => {
    const t = setup();
    const sale = t.cashSale(1000);
    t.openShift();
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 1001, method: 'cash', by: t.manager }), 'too-much', /\$10\.00 USD at most, not \$10\.01/);
    t.ledger.refunds.record({ saleId: sale.id, amount: 400, method: 'cash', by: t.manager });
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 601, method: 'cash', by: t.manager }), 'too-much', /\$6\.00 USD at most/);
    t.ledger.refunds.record({ saleId: sale.id, amount: 600, method: 'cash', by: t.manager });
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 1, method: 'cash', by: t.manager }), 'too-much', /already refunded in full/);
    // Whoever writes it, the schema holds the sale to what it took.
    expect(() => t.db.prepare('UPDATE sales SET refunded_amount = 1001 WHERE id = ?').run(sale.id)).toThrow(/CHECK/);
    expect(t.ledger.getSale(sale.id).refundedAmount).toBe(1000);
  });

  it('in cash needs an open shift (the cash leaves its drawer), and records that shift', () => {
    const t = setup();
    const sale = t.cashSale(1000);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 100, method: 'cash', by: t.manager }), 'no-shift', /open a shift first/);
    // Another way needs none: it records no shift when none is open.
    expect(t.ledger.refunds.record({ saleId: sale.id, amount: 100, method: 'other', note: 'Store credit', by: t.manager }).refund.shiftId).toBeNull();
    const shiftId = t.openShift();
    expect(t.ledger.refunds.record({ saleId: sale.id, amount: 100, method: 'cash', by: t.manager }).refund.shiftId).toBe(shiftId);
  });

  it('by Code or another way says where it went: no note, no refund', () => {
    const t = setup();
    const sale = t.cashSale(1000);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 100, method: 'code', by: t.manager }), 'note-needed', /to whom/);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 100, method: 'other', note: null, by: t.manager }), 'note-needed', /how/);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 100, method: 'other', note: '   ', by: t.manager }), 'invalid-input', /note/);
  });

  it('refuses an open sale, a sale that took nothing, an unknown sale, and bad input, writing nothing', () => {
    const t = setup();
    t.openShift();
    const pending = t.openSale(1000);
    const partly = t.openSale(1000);
    t.ledger.addCashTender(partly.id, { tendered: 300 });
    const cancelled = t.ledger.cancel(t.openSale(500).id);
    const paid = t.cashSale(800);
    const refuse = (input: unknown, code: string, message?: RegExp) =>
      expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record(input as never), code as never, message);
    refuse({ saleId: pending.id, amount: 100, method: 'cash', by: t.manager }, 'invalid-transition', /still open: void it/);
    refuse({ saleId: partly.id, amount: 100, method: 'cash', by: t.manager }, 'invalid-transition', /still open/);
    refuse({ saleId: cancelled.id, amount: 100, method: 'cash', by: t.manager }, 'invalid-transition', /took no money/);
    refuse({ saleId: 999, amount: 100, method: 'cash', by: t.manager }, 'not-found', /No sale #999/);
    refuse({ saleId: paid.id, amount: 0, method: 'cash', by: t.manager }, 'invalid-input', /amount/);
    refuse({ saleId: paid.id, amount: -5, method: 'cash', by: t.manager }, 'invalid-input');
    refuse({ saleId: paid.id, amount: 1.5, method: 'cash', by: t.manager }, 'invalid-input', /whole number/);
    refuse({ saleId: paid.id, amount: 100, method: 'cheque', by: t.manager }, 'invalid-input', /method/);
    refuse({ saleId: paid.id, amount: 100, method: 'other', note: 'x'.repeat(201), by: t.manager }, 'invalid-input', /200/);
    refuse({ saleId: paid.id, amount: 100, method: 'cash' }, 'invalid-input', /by/);
    refuse({ saleId: paid.id, amount: 100, method: 'cash', by: t.manager, extra: true }, 'invalid-input');
    refuse({ saleId: '1', amount: 100, method: 'cash', by: t.manager }, 'invalid-input');
    // An unknown person is refused by the schema's foreign key, and nothing is written.
    const before = ledgerSnapshot(t.ledger);
    expect(() => t.ledger.refunds.record({ saleId: paid.id, amount: 100, method: 'cash', by: { id: 99, name: 'Nobody', role: 'manager' } })).toThrow(/FOREIGN KEY/);
    expect(ledgerSnapshot(t.ledger)).toEqual(before);
  });

  it('is append-only: no refund row is ever changed or removed', () => {
    const t = setup();
    const sale = t.cashSale(1000);
    t.ledger.refunds.record({ saleId: sale.id, amount: 100, method: 'other', note: 'Voucher', by: t.manager });
    expect(() => t.db.prepare('UPDATE refunds SET amount = 50').run()).toThrow(/append-only/);
    expect(() => t.db.prepare('DELETE FROM refunds').run()).toThrow(/append-only/);
    expect(() => t.db.prepare("UPDATE audit_log SET summary = 'nothing'").run()).toThrow(/append-only/);
    expect(t.ledger.refunds.listBySale(sale.id)).toHaveLength(1);
  });

  it('an unknown refund is not found', () => {
    const t = setup();
    expect(() => t.ledger.refunds.get(5)).toThrow(/No refund #5/);
    expect(t.ledger.refunds.listBySale(1)).toEqual([]);
  });
});

describe('a void', () => {
  it('closes a pending sale: its waiting Code payment is cancelled, nothing is handed back, who and when are kept', () => {
    const t = setup();
    const sale = t.openSale(1000);
    const { tender } = t.ledger.addCodeTender(sale.id, { amount: 100 });
    t.tick();
    const { sale: voided, refunds } = t.ledger.refunds.voidSale({ saleId: sale.id, reason: 'Rung up twice', by: t.manager });
    expect(refunds).toEqual([]);
    expect(voided).toMatchObject({
      status: 'cancelled',
      cancelledAt: t.now(),
      voidedAt: t.now(),
      closedBy: { id: t.manager.id, name: 'Ben' },
      refundedAmount: 0,
      paidAmount: 0,
    });
    expect(voided.tenders[0]).toMatchObject({ id: tender.id, status: 'cancelled', cancelledAt: t.now() });
    const events = t.ledger.getSaleWithEvents(sale.id).events;
    expect(events.at(-1)).toMatchObject({ tenderId: tender.id, kind: 'void: Rung up twice', outcome: 'cancelled', source: 'manual' });
    expect(t.ledger.audit.page().entries[0]).toMatchObject({ action: 'sale-voided', personId: t.manager.id, saleId: sale.id });
    expect(t.ledger.audit.page().entries[0]!.summary).toBe('Voided sale #1: Rung up twice');
    expectConsistent(t.ledger);
  });

  it('of a partly paid sale hands back everything taken, each kind its own way, in one transaction', () => {
    const t = setup();
    const sale = t.openSale(1000);
    t.ledger.addCashTender(sale.id, { tendered: 500 }); // 5.00 of 10.00
    t.ledger.addOtherTender(sale.id, { amount: 200, label: 'Card' });
    // The card part needs a note; the cash part needs a shift.
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: sale.id, reason: 'Customer left', by: t.manager }), 'note-needed');
    expectRefusedWithoutWrites(
      t.ledger,
      (l) => l.refunds.voidSale({ saleId: sale.id, reason: 'Customer left', note: 'Card refunded on the terminal', by: t.manager }),
      'no-shift',
    );
    const shiftId = t.openShift();
    t.tick();
    const { sale: voided, refunds } = t.ledger.refunds.voidSale({ saleId: sale.id, reason: 'Customer left', note: 'Card refunded on the terminal', by: t.manager });
    expect(refunds.map((r) => [r.method, r.amount, r.voidOfSale, r.shiftId, r.note])).toEqual([
      ['cash', 500, true, shiftId, 'Card refunded on the terminal'],
      ['other', 200, true, shiftId, 'Card refunded on the terminal'],
    ]);
    expect(voided).toMatchObject({ status: 'cancelled', paidAmount: 700, refundedAmount: 700, voidedAt: t.now(), closedBy: { name: 'Ben' } });
    expect(t.ledger.audit.page().entries[0]!.detail).toMatchObject({ reason: 'Customer left', handedBack: 700, refunds: [{ method: 'cash', amount: 500 }, { method: 'other', amount: 200 }] });
    // A voided sale may hold what it took (handed back); every other invariant holds.
    expectConsistent(t.ledger);
    // Nothing more can be handed back, and it cannot be voided again.
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.record({ saleId: sale.id, amount: 1, method: 'cash', by: t.manager }), 'too-much');
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: sale.id, reason: 'again', by: t.manager }), 'invalid-transition', /cancelled already/);
  });

  it('hands it all back one way when told, and refuses a paid sale (refund it) and a closed one', () => {
    const t = setup();
    const partly = t.openSale(1000);
    t.ledger.addCashTender(partly.id, { tendered: 300 });
    const { refunds } = t.ledger.refunds.voidSale({ saleId: partly.id, reason: 'Wrong price', method: 'code', note: 'Sent to the customer', by: t.owner });
    expect(refunds).toMatchObject([{ method: 'code', amount: 300, voidOfSale: true, shiftId: null }]);
    const paid = t.cashSale(400);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: paid.id, reason: 'x', by: t.manager }), 'invalid-transition', /paid: refund it/);
    const expired = t.openSale(100);
    t.ledger.expirePendingBefore(t.now() + 1);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: expired.id, reason: 'x', by: t.manager }), 'invalid-transition', /expired already/);
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: 999, reason: 'x', by: t.manager }), 'not-found');
    expectRefusedWithoutWrites(t.ledger, (l) => l.refunds.voidSale({ saleId: t.openSale().id, reason: '', by: t.manager }), 'invalid-input', /reason/);
  });

  it('of a sale waiting for its tip clears the wait (a closed sale waits for nothing)', () => {
    const t = setup();
    const sale = t.ledger.createSale({ amount: 1000, currency: 'usd', mode: 'live', destination: t.destination, awaitingTip: true });
    expect(t.ledger.refunds.voidSale({ saleId: sale.id, reason: 'No', by: t.manager }).sale).toMatchObject({ status: 'cancelled', awaitingTip: false });
  });
});

describe('who did it, on sales and tenders', () => {
  it('records who rang a sale up and took each tender, the shift it was rung up on, and who cancelled', () => {
    const t = setup();
    const before = t.ledger.createSale({ amount: 100, currency: 'usd', mode: 'live', destination: t.destination });
    expect(before).toMatchObject({ soldBy: null, shiftId: null, closedBy: null });
    const shiftId = t.openShift();
    const sale = t.ledger.createSale({ amount: 1000, currency: 'usd', mode: 'live', destination: t.destination, personId: t.manager.id });
    expect(sale).toMatchObject({ soldBy: { id: t.manager.id, name: 'Ben' }, shiftId });
    const code = t.ledger.addCodeTender(sale.id, { amount: 100, personId: t.owner.id });
    expect(code.tender.takenBy).toEqual({ id: t.owner.id, name: 'Ana' });
    const cash = t.ledger.addCashTender(sale.id, { tendered: 300, personId: t.manager.id });
    expect(cash.tender.takenBy).toEqual({ id: t.manager.id, name: 'Ben' });
    const other = t.ledger.addOtherTender(sale.id, { amount: 700, label: 'Card', personId: null });
    expect(other.tender.takenBy).toBeNull();
    // Read back by every path: the sale, the log's page.
    expect(t.ledger.getSale(sale.id).tenders.map((x) => x.takenBy?.name ?? null)).toEqual(['Ana', 'Ben', null]);
    expect(t.ledger.queries.listSales({}).sales.find((s) => s.id === sale.id)!.tenders.map((x) => x.takenBy?.name ?? null)).toEqual(['Ana', 'Ben', null]);
    const cancelled = t.ledger.cancel(before.id, { personId: t.owner.id });
    expect(cancelled.closedBy).toEqual({ id: t.owner.id, name: 'Ana' });
    expectConsistent(t.ledger);
  });
});
