import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import type { LedgerError } from '../../electron/core/ledger/errors';
import { writeSalesCsv } from '../../electron/core/export/sales-csv';
import { MAX_AMOUNT_HUNDREDTHS } from '../../electron/shared/domain/money';
import { outstanding, pendingCodeTender } from '../../electron/shared/domain/sale';
import { tipForPercent } from '../../electron/shared/domain/tip';
import { bruteMatches, bruteTotals, utcDay, type UtcRangeFilter } from '../support/brute-totals';
import { allSales, caughtLedgerError, expectConsistent, expectRefusedWithoutWrites } from '../support/ledger-guard';
import { prng } from '../support/prng';
import { randomAddress, tempDir } from '../support/temp-dir';

// Tips in the ledger: a sale rung up with tips on waits for its tip, takes
// no tender until it is chosen, and is paid once its tenders cover the
// amount and the tip. The tip is its own column, never part of the amount.

function setup(start = Date.UTC(2026, 10, 23, 12)) {
  let clock = start;
  const ledger = createLedger({ dir: tempDir(), timeZone: 'UTC', now: () => clock });
  const destination = randomAddress();
  return {
    ledger,
    tick: (ms = 1000) => (clock += ms),
    /** A sale rung up with tips on: it waits for its tip. */
    tipped: (amount = 1250, currency = 'usd', mode: 'live' | 'sandbox' = 'live') => ledger.createSale({ amount, currency, mode, destination, awaitingTip: true }),
    /** A sale rung up with tips off. */
    plain: (amount = 1250) => ledger.createSale({ amount, currency: 'usd', mode: 'live', destination }),
    /** A Code payment of `amount` on the sale, written with its intent, as the payments service does. */
    code: (saleId: number, amount: number) => {
      const seq = (ledger.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
      return ledger.addCodeTender(saleId, { amount, seq, intentId: randomAddress() }).tender;
    },
  };
}
type Setup = ReturnType<typeof setup>;

describe('tips: a sale waits for its tip, then takes tenders for amount + tip', () => {
  it('is rung up waiting, with no tip; a sale rung up with tips off waits for none', () => {
    const t = setup();
    expect(t.tipped()).toMatchObject({ amount: 1250, tipAmount: 0, tipPercent: null, awaitingTip: true, tipChosenBy: null, status: 'pending' });
    expect(t.plain()).toMatchObject({ amount: 1250, tipAmount: 0, tipPercent: null, awaitingTip: false, tipChosenBy: null });
    expectConsistent(t.ledger);
  });

  it('records a preset tip beside the amount, with its event, and the sale then owes both', () => {
    const t = setup();
    const s = t.tipped(1250);
    t.tick(2_000);
    const after = t.ledger.setTip(s.id, { amount: 188, percent: 15, by: 'customer' });
    // 15 % of 12.50 is 1.875, rounded half up to 1.88; the amount itself is untouched.
    expect(after).toMatchObject({ amount: 1250, tipAmount: 188, tipPercent: 15, awaitingTip: false, tipChosenBy: 'customer', status: 'pending', updatedAt: s.createdAt + 2_000 });
    expect(outstanding(after)).toBe(1438);
    const { events } = t.ledger.getSaleWithEvents(s.id);
    expect(events).toEqual([
      {
        id: expect.any(Number),
        saleId: s.id,
        tenderId: null,
        source: 'manual',
        kind: 'tip',
        outcome: 'tipped',
        receivedAt: s.createdAt + 2_000,
        payload: JSON.stringify({ choice: { kind: 'percent', percent: 15 }, amount: 188, by: 'customer' }),
      },
    ]);
    expectConsistent(t.ledger);
  });

  it('records a custom tip and no tip, each with who chose it', () => {
    const t = setup();
    const custom = t.ledger.setTip(t.tipped(500).id, { amount: 75, percent: null, by: 'cashier' });
    expect(custom).toMatchObject({ tipAmount: 75, tipPercent: null, tipChosenBy: 'cashier', awaitingTip: false });
    expect(JSON.parse(t.ledger.getSaleWithEvents(custom.id).events[0]!.payload)).toEqual({ choice: { kind: 'amount', amount: 75 }, amount: 75, by: 'cashier' });
    const none = t.ledger.setTip(t.tipped(500).id, { amount: 0, percent: null, by: 'customer' });
    expect(none).toMatchObject({ tipAmount: 0, tipPercent: null, tipChosenBy: 'customer', awaitingTip: false });
    expect(JSON.parse(t.ledger.getSaleWithEvents(none.id).events[0]!.payload)).toEqual({ choice: { kind: 'none' }, amount: 0, by: 'customer' });
    // A preset that rounds to nothing on a tiny sale is still the preset chosen.
    expect(t.ledger.setTip(t.tipped(4).id, { amount: 0, percent: 10, by: 'customer' })).toMatchObject({ tipAmount: 0, tipPercent: 10 });
    expectConsistent(t.ledger);
  });

  it('is paid only once its tenders cover the amount and the tip', () => {
    const t = setup();
    const s = t.ledger.setTip(t.tipped(1250).id, { amount: 188, percent: 15, by: 'customer' });
    const code = t.code(s.id, 1250);
    const first = t.ledger.recordProof({ tenderId: code.id, source: 'webhook', payload: 'jwt' });
    // The amount alone is covered, the tip is not: partly paid.
    expect(first.sale).toMatchObject({ status: 'partly_paid', paidAmount: 1250, paidAt: null });
    expect(outstanding(first.sale)).toBe(188);
    const rest = t.code(s.id, 188);
    const paid = t.ledger.recordProof({ tenderId: rest.id, source: 'status_poll', payload: {} });
    expect(paid.sale).toMatchObject({ status: 'paid', paidAmount: 1438, firstProof: 'status_poll', tipAmount: 188 });
    expectConsistent(t.ledger);
  });

  it('cash pays amount and tip, the rest is change', () => {
    const t = setup();
    const s = t.ledger.setTip(t.tipped(900).id, { amount: 135, percent: 15, by: 'cashier' });
    const { sale, tender } = t.ledger.addCashTender(s.id, { tendered: 2000 });
    expect(tender).toMatchObject({ kind: 'cash', amount: 1035, tendered: 2000, change: 965 });
    expect(sale).toMatchObject({ status: 'paid', paidAmount: 1035 });
    expectConsistent(t.ledger);
  });

  it('a Code payment and another tender can take up to amount + tip, not more', () => {
    const t = setup();
    const s = t.ledger.setTip(t.tipped(1000).id, { amount: 100, percent: 10, by: 'customer' });
    expect(caughtLedgerError(() => t.ledger.addCodeTender(s.id, { amount: 1101 })).message).toMatch(/still owes \(11\.00 USD\)/);
    expect(caughtLedgerError(() => t.ledger.addOtherTender(s.id, { amount: 1101, label: 'Card' })).message).toMatch(/still owes \(11\.00 USD\)/);
    expect(t.ledger.addOtherTender(s.id, { amount: 1100, label: 'Card' }).sale).toMatchObject({ status: 'paid', paidAmount: 1100 });
    expectConsistent(t.ledger);
  });

  it('a partly paid tipped sale cannot be cancelled, and says what it owes in all', () => {
    const t = setup();
    const s = t.ledger.setTip(t.tipped(1000).id, { amount: 200, percent: 20, by: 'customer' });
    t.ledger.addCashTender(s.id, { tendered: 500 });
    const error = caughtLedgerError(() => t.ledger.cancel(s.id));
    expect(error.code).toBe('partly-paid');
    expect(error.message).toMatch(/5\.00 USD of 12\.00 USD taken/);
    expect(error.details).toEqual({ paidAmount: 500, amount: 1000, tipAmount: 200 });
  });

  it('a sale waiting for its tip can be cancelled, and then waits for nothing', () => {
    const t = setup();
    const s = t.tipped();
    const cancelled = t.ledger.cancel(s.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', awaitingTip: false, tipChosenBy: null, tipAmount: 0 });
    expect(caughtLedgerError(() => t.ledger.setTip(s.id, { amount: 0, percent: null, by: 'customer' })).code).toBe('invalid-transition');
    expectConsistent(t.ledger);
  });

  it('a sale left waiting for its tip expires like any sale nothing paid, and then waits for nothing', () => {
    const t = setup();
    const s = t.tipped();
    t.tick(60_000);
    const [expired] = t.ledger.expirePendingBefore(t.tick(0));
    expect(expired).toMatchObject({ id: s.id, status: 'expired', awaitingTip: false });
    expectConsistent(t.ledger);
  });

  it('the schema itself refuses a negative tip, a tip nobody chose, and a closed or paid sale waiting for one', () => {
    const t = setup();
    const s = t.tipped();
    const db = t.ledger.database;
    expect(() => db.prepare('UPDATE sales SET tip_amount = -1, tip_chosen_by = ? WHERE id = ?').run('cashier', s.id)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE sales SET tip_amount = 5, awaiting_tip = 0 WHERE id = ?').run(s.id)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE sales SET tip_percent = 101, tip_chosen_by = ?, awaiting_tip = 0 WHERE id = ?').run('cashier', s.id)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE sales SET status = 'cancelled', cancelled_at = 1 WHERE id = ?`).run(s.id)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE sales SET tip_chosen_by = ? WHERE id = ?').run('cashier', s.id)).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE sales SET tip_chosen_by = ?, awaiting_tip = 0 WHERE id = ?').run('manager', s.id)).toThrow(/CHECK/);
  });
});

describe('tips: every refusal is clear and writes nothing', () => {
  const chosen = (t: Setup, by: 'customer' | 'cashier' = 'customer') => t.ledger.setTip(t.tipped(1000).id, { amount: 100, percent: 10, by });
  const cases: Array<[string, (t: Setup) => unknown, LedgerError['code'], RegExp?]> = [
    ['a tip on a sale rung up with tips off', (t) => t.ledger.setTip(t.plain().id, { amount: 10, percent: null, by: 'cashier' }), 'invalid-transition', /not waiting for a tip/],
    ['a second tip (the customer and the cashier at once)', (t) => t.ledger.setTip(chosen(t).id, { amount: 0, percent: null, by: 'cashier' }), 'invalid-transition', /chosen by the customer/],
    ['a tip on a cancelled sale', (t) => {
      const s = t.tipped();
      t.ledger.cancel(s.id);
      return t.ledger.setTip(s.id, { amount: 10, percent: null, by: 'customer' });
    }, 'invalid-transition', /cancelled/],
    ['a tip on a paid sale', (t) => {
      const s = chosen(t);
      t.ledger.addCashTender(s.id, { tendered: 1100 });
      return t.ledger.setTip(s.id, { amount: 10, percent: null, by: 'customer' });
    }, 'invalid-transition', /paid/],
    ['a tip on a sale that already has a tender (written by an older Counter)', (t) => {
      const s = t.tipped();
      t.ledger.database
        .prepare(`INSERT INTO tenders (sale_id, seq, kind, amount, status, ref, created_at, updated_at, cancelled_at) VALUES (?, 1, 'code', 10, 'cancelled', ?, 1, 1, 1)`)
        .run(s.id, s.ref);
      return t.ledger.setTip(s.id, { amount: 10, percent: null, by: 'customer' });
    }, 'invalid-transition', /already has tenders/],
    ['a tip on an unknown sale', (t) => t.ledger.setTip(404, { amount: 10, percent: null, by: 'customer' }), 'not-found'],
    ['a negative tip', (t) => t.ledger.setTip(t.tipped().id, { amount: -1, percent: null, by: 'customer' }), 'invalid-input'],
    ['a fractional tip', (t) => t.ledger.setTip(t.tipped().id, { amount: 12.5, percent: null, by: 'customer' }), 'invalid-input', /whole number of hundredths/],
    ['a tip as text', (t) => t.ledger.setTip(t.tipped().id, { amount: '1.00', percent: null, by: 'customer' }), 'invalid-input'],
    ['a percentage of zero', (t) => t.ledger.setTip(t.tipped().id, { amount: 0, percent: 0, by: 'customer' }), 'invalid-input'],
    ['a percentage above 100', (t) => t.ledger.setTip(t.tipped(1000).id, { amount: 1010, percent: 101, by: 'customer' }), 'invalid-input'],
    ['a fractional percentage', (t) => t.ledger.setTip(t.tipped(1000).id, { amount: 125, percent: 12.5, by: 'customer' }), 'invalid-input', /whole percent/],
    ['a percentage that does not give the amount', (t) => t.ledger.setTip(t.tipped(1250).id, { amount: 187, percent: 15, by: 'customer' }), 'invalid-input', /15 % of 12\.50 USD is 1\.88 USD, not 1\.87 USD/],
    ['a tip chosen by nobody known', (t) => t.ledger.setTip(t.tipped().id, { amount: 10, percent: null, by: 'manager' }), 'invalid-input'],
    ['a tip with an extra field', (t) => t.ledger.setTip(t.tipped().id, { amount: 10, percent: null, by: 'customer', note: 'x' }), 'invalid-input'],
    ['a tip without its percentage', (t) => t.ledger.setTip(t.tipped().id, { amount: 10, by: 'customer' }), 'invalid-input'],
    ['a tip that makes the sale too large', (t) => t.ledger.setTip(t.tipped(MAX_AMOUNT_HUNDREDTHS - 5).id, { amount: 6, percent: null, by: 'customer' }), 'invalid-input', /too large/],
    ['a Code payment before the tip', (t) => t.ledger.addCodeTender(t.tipped().id, { amount: 100 }), 'tip-pending', /waits for its tip/],
    ['a Code payment with its intent before the tip', (t) => t.ledger.addCodeTender(t.tipped().id, { amount: 100, seq: 1, intentId: randomAddress() }), 'tip-pending'],
    ['cash before the tip', (t) => t.ledger.addCashTender(t.tipped().id, { tendered: 5000 }), 'tip-pending', /cash can be taken once it is chosen/],
    ['another tender before the tip', (t) => t.ledger.addOtherTender(t.tipped().id, { amount: 100, label: 'Card' }), 'tip-pending'],
  ];

  it.each(cases)('refuses %s', (_name, call, code, message) => {
    const t = setup();
    expectRefusedWithoutWrites(t.ledger, (ledger) => call({ ...t, ledger }), code, message);
  });
});

describe('tips: totals and the CSV', () => {
  it('count the tips of paid sales apart, within the takings; unpaid sales owe their tip too', () => {
    const t = setup(Date.UTC(2026, 4, 1, 9));
    const paid = t.ledger.setTip(t.tipped(1000).id, { amount: 150, percent: 15, by: 'customer' });
    t.ledger.addCashTender(paid.id, { tendered: 1150 });
    const noTip = t.ledger.setTip(t.tipped(500).id, { amount: 0, percent: null, by: 'customer' });
    t.ledger.addCashTender(noTip.id, { tendered: 500 });
    const plain = t.plain(300);
    t.ledger.addCashTender(plain.id, { tendered: 300 });
    const partly = t.ledger.setTip(t.tipped(1000).id, { amount: 200, percent: null, by: 'cashier' });
    t.ledger.addCashTender(partly.id, { tendered: 1000 });
    const cancelled = t.ledger.setTip(t.tipped(400).id, { amount: 40, percent: 10, by: 'customer' });
    t.ledger.cancel(cancelled.id);
    t.tipped(700);

    const [usd] = t.ledger.queries.rangeTotals({});
    expect(usd).toMatchObject({
      count: 6,
      paidCount: 3,
      // 11.50 + 5.00 + 3.00 on the paid sales, and 10.00 on the partly paid one.
      paidAmount: 2950,
      tips: 150,
      tippedCount: 1,
      unpaidCount: 3,
      // The partly paid sale owes its tip (2.00), the cancelled one amount and tip (4.40), the waiting one its amount (7.00).
      unpaidAmount: 200 + 440 + 700,
    });
    // The rollup's answer and the sales' own (a search) agree with the count by hand.
    const sales = t.ledger.queries.listSales({}).sales;
    expect(t.ledger.queries.rangeTotals({})).toEqual(bruteTotals(sales));
    expect(t.ledger.queries.rangeTotals({ search: `#${paid.id}` })).toEqual(bruteTotals(sales.filter((s) => s.id === paid.id)));
    expect(t.ledger.queries.daySummary('2026-05-01').totals).toEqual(bruteTotals(sales));
    expect(t.ledger.queries.chart({ from: '2026-05-01', to: '2026-05-01' }).buckets.find((b) => b.count > 0)).toMatchObject({ paid: { usd: 2950 } });
    expectConsistent(t.ledger);
  });

  it('the CSV states the tip, its preset and the total beside the amount', async () => {
    const t = setup();
    const s = t.ledger.setTip(t.tipped(1250).id, { amount: 188, percent: 15, by: 'customer' });
    t.ledger.addCashTender(s.id, { tendered: 1500 });
    const custom = t.ledger.setTip(t.tipped(500).id, { amount: 25, percent: null, by: 'cashier' });
    t.plain(300);
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await writeSalesCsv(t.ledger.queries, {}, sink);
    const [header, ...rows] = parse(Buffer.concat(chunks).toString('utf8'), { bom: true }) as string[][];
    const pick = (row: string[], ...names: string[]) => names.map((n) => row[header!.indexOf(n)]);
    const columns = ['sale_id', 'amount', 'tip_amount', 'tip_percent', 'total', 'paid_amount', 'status'];
    expect(rows.map((r) => pick(r, ...columns))).toEqual([
      [String(s.id), '12.50', '1.88', '15', '14.38', '14.38', 'paid'],
      [String(custom.id), '5.00', '0.25', '', '5.25', '0.00', 'pending'],
      [String(custom.id + 1), '3.00', '0.00', '', '3.00', '0.00', 'pending'],
    ]);
  });

  it('random tipped sales with random tenders: range, day and summary totals against brute force, both paths', () => {
    const rand = prng(20261313);
    const t = setup(Date.UTC(2026, 10, 1));
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 500; i++) {
      t.tick(Math.floor(rand() * 40 * 60_000));
      const amount = pick([5, 99, 250, 1000, 1250, 2020]) + Math.floor(rand() * 300);
      const s = t.tipped(amount, pick(['usd', 'usd', 'eur', 'cad']), rand() < 0.85 ? 'live' : 'sandbox');
      const choice = rand();
      if (choice < 0.1) {
        // Never tipped: cancelled or left to expire.
        if (rand() < 0.5) t.ledger.cancel(s.id);
        continue;
      }
      const by = rand() < 0.7 ? 'customer' : 'cashier';
      if (choice < 0.55) {
        const percent = pick([10, 15, 20, 25]);
        t.ledger.setTip(s.id, { amount: tipForPercent(amount, percent), percent, by });
      } else if (choice < 0.8) t.ledger.setTip(s.id, { amount: Math.floor(rand() * amount), percent: null, by });
      else t.ledger.setTip(s.id, { amount: 0, percent: null, by });
      for (let step = 0; step < 5; step++) {
        const now = t.ledger.getSale(s.id);
        if (now.status !== 'pending' && now.status !== 'partly_paid') break;
        const owed = outstanding(now);
        const waiting = pendingCodeTender(now);
        const roll = rand();
        if (roll < 0.4) {
          if (waiting) t.ledger.recordProof({ tenderId: waiting.id, source: 'webhook', payload: 'x' });
          else t.code(s.id, Math.max(1, Math.min(owed, Math.ceil(owed * (rand() < 0.5 ? 1 : rand())))));
        } else if (roll < 0.55) t.ledger.addCashTender(s.id, { tendered: Math.max(1, Math.round(owed * (0.3 + rand()))) });
        else if (roll < 0.65) t.ledger.addOtherTender(s.id, { amount: Math.max(1, Math.floor(owed * rand())), label: 'Card' });
        else if (roll < 0.75 && now.paidAmount === 0) t.ledger.cancel(s.id);
        // A sweep expires every open sale before it: the last sales are spared, so some stay pending.
        else if (roll < 0.8 && i < 450) t.ledger.expirePendingBefore(t.tick(1));
        else break;
      }
    }
    expectConsistent(t.ledger);
    const all = allSales(t.ledger);
    expect(all).toHaveLength(500);
    // Tips on sales in every state, so every total below counts some.
    expect(new Set(all.filter((s) => s.tipAmount > 0).map((s) => s.status)).size).toBe(5);

    const filters: UtcRangeFilter[] = [
      {},
      { mode: 'all' },
      { mode: 'sandbox' },
      { status: ['paid'], mode: 'all' },
      { status: ['partly_paid', 'pending'] },
      { status: ['cancelled', 'expired'], mode: 'all' },
      { from: '2026-11-03', to: '2026-11-05' },
    ];
    for (const f of filters) {
      const matches = bruteMatches(all, f);
      expect(t.ledger.queries.rangeTotals(f), JSON.stringify(f)).toEqual(bruteTotals(matches));
      const one = matches.find((s) => s.tipAmount > 0);
      if (one) expect(t.ledger.queries.rangeTotals({ ...f, search: `#${one.id}` })).toEqual(bruteTotals([one]));
    }
    const dayTotals = t.ledger.queries.dayTotals({ from: '2026-11-01', to: '2026-11-20', mode: 'all' });
    for (const d of new Set(all.map((s) => utcDay(s.createdAt)))) {
      const sales = all.filter((s) => utcDay(s.createdAt) === d);
      expect(dayTotals.filter((x) => x.date === d).map(({ date: _, ...rest }) => rest)).toEqual(bruteTotals(sales));
      expect(t.ledger.queries.daySummary(d, 'all').totals).toEqual(bruteTotals(sales));
    }
  });
});
