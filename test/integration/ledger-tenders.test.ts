import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { LedgerError } from '../../electron/core/ledger/errors';
import { SALES_CSV_HEADER, writeSalesCsv } from '../../electron/core/export/sales-csv';
import { splitCodePayments } from '../../electron/shared/domain/code-split';
import { outstanding, pendingCodeTender } from '../../electron/shared/domain/sale';
import { bruteMatches, bruteTotals, utcDay, type UtcRangeFilter } from '../support/brute-totals';
import { prng } from '../support/prng';
import { randomAddress, tempDir } from '../support/temp-dir';
import { allSales, caughtLedgerError, expectConsistent, expectRefusedWithoutWrites, ledgerSnapshot } from '../support/ledger-guard';

// A sale paid by tenders: Code payments (each its own intent, ref and
// proofs), cash with change, and other labelled tenders.

function setup(start = Date.UTC(2026, 10, 23, 12)) {
  let clock = start;
  const dir = tempDir();
  const ledger = createLedger({ dir, timeZone: 'UTC', now: () => clock });
  const destination = randomAddress();
  return {
    dir,
    ledger,
    destination,
    tick: (ms = 1000) => (clock += ms),
    sale: (amount = 250, currency = 'usd', mode: 'live' | 'sandbox' = 'live') => ledger.createSale({ amount, currency, mode, destination }),
    /** A Code payment of `amount` on the sale, written with its intent, then its webhook URL, as the payment flow starts one. */
    code: (saleId: number, amount: number, intentId = randomAddress()) => {
      const seq = (ledger.getSale(saleId).tenders.at(-1)?.seq ?? 0) + 1;
      const { tender } = ledger.addCodeTender(saleId, { amount, seq, intentId });
      return ledger.setTenderWebhookUrl(tender.id, 'https://till.example/hook/x');
    },
  };
}
type Setup = ReturnType<typeof setup>;

describe('tenders: a Code payment moves pending → paid | cancelled | expired', () => {
  it('is written pending with its intent and a ref of its own, and paid by its first proof', () => {
    const t = setup();
    // Without an intent, a Code payment is written pending with none.
    const bare = t.ledger.addCodeTender(t.sale(250).id, { amount: 250 }).tender;
    expect(bare).toMatchObject({ seq: 1, kind: 'code', amount: 250, status: 'pending', intentId: null, paidAt: null });
    const s = t.sale(250);
    const intent = randomAddress();
    const { sale, tender } = t.ledger.addCodeTender(s.id, { amount: 250, seq: 1, intentId: intent });
    expect(tender).toMatchObject({ saleId: s.id, seq: 1, kind: 'code', amount: 250, status: 'pending', intentId: intent, paidAt: null });
    expect(sale.tenders).toEqual([tender]);
    expect(t.ledger.getTender(tender.id)).toEqual(tender);
    // The first Code payment's idempotency ref is the sale's (the key every sale had before tenders).
    const refOf = (id: number) => t.ledger.database.prepare('SELECT ref FROM tenders WHERE id = ?').pluck().get(id) as string;
    expect(refOf(tender.id)).toBe(s.ref);
    t.tick(3000);
    const r = t.ledger.recordProof({ intentId: intent, source: 'webhook', quarks: 1_000, exchangeRate: 0.5, payload: 'jwt' });
    expect(r).toMatchObject({ outcome: 'credited', tender: { status: 'paid', firstProof: 'webhook', paidAt: tender.createdAt + 3000 }, sale: { status: 'paid', paidAmount: 250 } });
    expectConsistent(t.ledger);
  });

  it('is cancelled on its own (the sale stays open), idempotently; a paid one cannot be', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id, 250);
    const cancelled = t.ledger.cancelTender(tender.id, { reason: 'Code refused the request' });
    expect(cancelled).toMatchObject({ status: 'cancelled' });
    expect(cancelled.cancelledAt).not.toBeNull();
    expect(t.ledger.cancelTender(tender.id)).toEqual(cancelled);
    expect(t.ledger.getSale(s.id)).toMatchObject({ status: 'pending', cancelledAt: null });
    expect(t.ledger.getSaleWithEvents(s.id).events).toMatchObject([
      { tenderId: tender.id, source: 'system', kind: 'cancel: Code refused the request', outcome: 'cancelled' },
    ]);
    // A new Code payment can be started once the old one is cancelled.
    const next = t.code(s.id, 250);
    expect(next.seq).toBe(2);
    t.ledger.recordProof({ tenderId: next.id, source: 'status_poll', payload: {} });
    expect(caughtLedgerError(() => t.ledger.cancelTender(next.id)).code).toBe('invalid-transition');
    expectConsistent(t.ledger);
  });

  it('expires with its sale when nothing was paid', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id, 250);
    t.tick();
    const [expired] = t.ledger.expirePendingBefore(t.tick(0));
    expect(expired).toMatchObject({ id: s.id, status: 'expired', tenders: [{ id: tender.id, status: 'expired' }] });
    expect(t.ledger.getSaleWithEvents(s.id).events.map((e) => [e.kind, e.tenderId])).toEqual([
      ['expire', tender.id],
      ['expire', null],
    ]);
    expect(caughtLedgerError(() => t.ledger.cancelTender(tender.id)).code).toBe('invalid-transition');
    expect(caughtLedgerError(() => t.ledger.addCodeTender(s.id, { amount: 10 })).code).toBe('invalid-transition');
  });

  it('a proof for a cancelled or an expired Code payment is recorded and flagged, and the money shows on the sale', () => {
    const t = setup();
    // Cancelled tender, sale still open: the late payment makes it partly paid.
    const s = t.sale(300);
    const first = t.code(s.id, 100);
    t.ledger.cancelTender(first.id);
    const r = t.ledger.recordProof({ tenderId: first.id, source: 'webhook', payload: 'late' });
    expect(r).toMatchObject({ outcome: 'late', tender: { status: 'paid', paidLate: true }, sale: { status: 'partly_paid', paidAmount: 100, paidLate: true } });
    // Expired sale and tender: the late payment reopens it, partly paid and flagged.
    const e = t.sale(300);
    const lost = t.code(e.id, 100);
    t.tick();
    t.ledger.expirePendingBefore(t.tick(0));
    expect(t.ledger.getSale(e.id).status).toBe('expired');
    const late = t.ledger.recordProof({ tenderId: lost.id, source: 'status_poll', payload: {} });
    expect(late).toMatchObject({ outcome: 'late', sale: { status: 'partly_paid', paidAmount: 100, paidLate: true } });
    expect(late.sale.expiredAt).not.toBeNull();
    expectConsistent(t.ledger);
  });

  it('a late Code payment that covers the sale cancels the one now waiting, so the customer is not asked twice', () => {
    const t = setup();
    const s = t.sale(250);
    const first = t.code(s.id, 250);
    t.ledger.cancelTender(first.id, { reason: 'timed out' });
    const second = t.code(s.id, 250);
    const r = t.ledger.recordProof({ tenderId: first.id, source: 'webhook', payload: 'late' });
    expect(r.sale).toMatchObject({ status: 'paid', paidLate: true, paidAmount: 250 });
    expect(r.sale.tenders.map((x) => x.status)).toEqual(['paid', 'cancelled']);
    expect(t.ledger.getTender(second.id).status).toBe('cancelled');
    // If the customer paid the second one anyway, it is recorded: overpaid, flagged.
    const again = t.ledger.recordProof({ tenderId: second.id, source: 'webhook', payload: 'late too' });
    expect(again).toMatchObject({ outcome: 'late', sale: { status: 'paid', paidAmount: 500, paidLate: true } });
    expectConsistent(t.ledger);
  });
});

describe('tenders: a Code payment and its intent in one write', () => {
  it('stores the intent derived for the tender with the tender itself', () => {
    const t = setup();
    const s = t.sale(250);
    const intentId = randomAddress();
    const { tender } = t.ledger.addCodeTender(s.id, { amount: 100, seq: 1, intentId });
    expect(tender).toMatchObject({ seq: 1, status: 'pending', intentId });
    expect(t.ledger.findTenderByIntent(intentId)?.tender.id).toBe(tender.id);
    expect(t.ledger.openCodeTenders(0).map((o) => o.tender.id)).toEqual([tender.id]);
    expectConsistent(t.ledger);
  });
});

describe('tenders: partly paid, splits and mixed tenders', () => {
  it('a sale is partly paid until its paid tenders cover it', () => {
    const t = setup();
    const s = t.sale(250);
    const first = t.code(s.id, 100);
    const r = t.ledger.recordProof({ tenderId: first.id, source: 'webhook', payload: 'x' });
    expect(r.sale).toMatchObject({ status: 'partly_paid', paidAmount: 100, paidAt: null, firstProof: null });
    expect(outstanding(r.sale)).toBe(150);
    expect(pendingCodeTender(r.sale)).toBeNull();
    expect(t.ledger.queries.listSales({ status: ['partly_paid'] }).sales.map((x) => x.id)).toEqual([s.id]);
    expect(t.ledger.queries.listSales({ status: ['pending'] }).sales).toEqual([]);
  });

  it('splits 2.02 over three Code payments (1.00 + 0.97 + 0.05), each with its own intent and proofs; paid only by the third', () => {
    const t = setup();
    const s = t.sale(202);
    const plan = splitCodePayments(202, 100, 5);
    expect(plan).toEqual([100, 97, 5]);
    const intents: string[] = [];
    for (const [i, amount] of plan.entries()) {
      const tender = t.code(s.id, amount);
      intents.push(tender.intentId!);
      expect(tender.seq).toBe(i + 1);
      t.tick();
      // Webhook and status poll both arrive: two proofs, one credit, per tender.
      const webhook = t.ledger.recordProof({ intentId: tender.intentId, source: 'webhook', payload: `jwt ${i}` });
      const poll = t.ledger.recordProof({ intentId: tender.intentId, source: 'status_poll', quarks: amount * 1000, payload: {} });
      expect([webhook.outcome, poll.outcome]).toEqual(['credited', 'duplicate']);
      expect(poll.sale.status).toBe(i < plan.length - 1 ? 'partly_paid' : 'paid');
      expect(poll.sale.paidAmount).toBe(plan.slice(0, i + 1).reduce((a, b) => a + b, 0));
    }
    const { sale, events } = t.ledger.getSaleWithEvents(s.id);
    expect(sale).toMatchObject({ status: 'paid', paidAmount: 202, firstProof: 'webhook' });
    expect(sale.tenders.map((x) => [x.seq, x.amount, x.status, x.intentId, x.quarks])).toEqual([
      [1, 100, 'paid', intents[0], 100_000],
      [2, 97, 'paid', intents[1], 97_000],
      [3, 5, 'paid', intents[2], 5_000],
    ]);
    expect(new Set(intents).size).toBe(3);
    // Each Code payment has an idempotency ref of its own: the sale's, then the sale's with the tender's place.
    const refs = t.ledger.database.prepare('SELECT ref FROM tenders WHERE sale_id = ? ORDER BY seq').pluck().all(s.id) as string[];
    expect(refs).toEqual([s.ref, `${s.ref}:2`, `${s.ref}:3`]);
    expect(events.filter((e) => e.outcome === 'credited').map((e) => e.tenderId)).toEqual(sale.tenders.map((x) => x.id));
    expect(events).toHaveLength(6);
    // A fourth Code payment has nothing to pay.
    expect(caughtLedgerError(() => t.ledger.addCodeTender(s.id, { amount: 1 })).code).toBe('invalid-transition');
    expectConsistent(t.ledger);
  });

  it('Code plus cash: the cash cancels the waiting Code payment, pays the rest and gives change', () => {
    const t = setup();
    const s = t.sale(250);
    t.ledger.recordProof({ tenderId: t.code(s.id, 100).id, source: 'webhook', payload: 'x' });
    const waiting = t.code(s.id, 100);
    t.tick();
    const { sale, tender } = t.ledger.addCashTender(s.id, { tendered: 200 });
    expect(tender).toMatchObject({ kind: 'cash', seq: 3, amount: 150, tendered: 200, change: 50, status: 'paid', firstProof: 'manual' });
    expect(sale).toMatchObject({ status: 'paid', paidAmount: 250, firstProof: 'manual' });
    expect(t.ledger.getTender(waiting.id).status).toBe('cancelled');
    const events = t.ledger.getSaleWithEvents(s.id).events;
    expect(events.slice(1).map((e) => [e.kind, e.outcome, e.tenderId])).toEqual([
      ['cancel: cash taken instead', 'cancelled', waiting.id],
      ['cash', 'tendered', tender.id],
    ]);
    expect(JSON.parse(events[2]!.payload)).toEqual({ tendered: 200, amount: 150, change: 50 });
    expect(t.ledger.queries.rangeTotals({})).toEqual([
      expect.objectContaining({ paidAmount: 250, byTender: { code: 100, cash: 150, other: 0 }, changeGiven: 50, paidCount: 1 }),
    ]);
    // The waiting Code payment, paid after all, is recorded: overpaid and flagged.
    const late = t.ledger.recordProof({ tenderId: waiting.id, source: 'webhook', payload: 'y' });
    expect(late).toMatchObject({ outcome: 'late', sale: { status: 'paid', paidAmount: 350, paidLate: true } });
    expectConsistent(t.ledger);
  });

  it('cash below what is owed leaves the sale partly paid, without change', () => {
    const t = setup();
    const s = t.sale(250);
    const { sale, tender } = t.ledger.addCashTender(s.id, { tendered: 100 });
    expect(tender).toMatchObject({ amount: 100, tendered: 100, change: 0 });
    expect(sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(t.ledger.addCashTender(s.id, { tendered: 150 }).sale).toMatchObject({ status: 'paid', paidAmount: 250 });
    expectConsistent(t.ledger);
  });

  it('another tender is labelled, for at most what the sale still owes', () => {
    const t = setup();
    const s = t.sale(250);
    const { sale, tender } = t.ledger.addOtherTender(s.id, { amount: 200, label: '  Card (terminal 2) ' });
    expect(tender).toMatchObject({ kind: 'other', amount: 200, label: 'Card (terminal 2)', status: 'paid', tendered: null, change: null });
    expect(sale).toMatchObject({ status: 'partly_paid', paidAmount: 200 });
    expect(caughtLedgerError(() => t.ledger.addOtherTender(s.id, { amount: 51, label: 'Voucher' }))).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/more than sale \d+ still owes \(0\.50 USD\)/) });
    expect(t.ledger.addOtherTender(s.id, { amount: 50, label: 'Voucher' }).sale).toMatchObject({ status: 'paid', paidAmount: 250 });
    expect(t.ledger.queries.rangeTotals({})[0]).toMatchObject({ byTender: { code: 0, cash: 0, other: 250 } });
    expectConsistent(t.ledger);
  });

  it('one Code payment waits at a time, for at most what the sale still owes', () => {
    const t = setup();
    const s = t.sale(250);
    const first = t.code(s.id, 100);
    const conflict = caughtLedgerError(() => t.ledger.addCodeTender(s.id, { amount: 100 }));
    expect(conflict.code).toBe('conflict');
    expect(conflict.details).toEqual({ tenderId: first.id });
    t.ledger.recordProof({ tenderId: first.id, source: 'webhook', payload: 'x' });
    expect(caughtLedgerError(() => t.ledger.addCodeTender(s.id, { amount: 151 })).message).toMatch(/more than sale \d+ still owes \(1\.50 USD\)/);
    expect(t.ledger.addCodeTender(s.id, { amount: 150 }).tender.seq).toBe(2);
  });

  it('a partly paid sale cannot be cancelled, and never expires', () => {
    const t = setup();
    const s = t.sale(250);
    t.ledger.recordProof({ tenderId: t.code(s.id, 100).id, source: 'webhook', payload: 'x' });
    const waiting = t.code(s.id, 150);
    const before = ledgerSnapshot(t.ledger);
    const refused = caughtLedgerError(() => t.ledger.cancel(s.id));
    expect(refused).toMatchObject({ code: 'partly-paid', details: { paidAmount: 100, amount: 250 } });
    expect(refused.message).toMatch(/partly paid \(1\.00 USD of 2\.50 USD taken\)/);
    expect(ledgerSnapshot(t.ledger)).toEqual(before);
    t.tick(3_600_000);
    const changed = t.ledger.expirePendingBefore(t.tick(0));
    // Its waiting Code payment expires; the sale stays partly paid.
    expect(changed).toMatchObject([{ id: s.id, status: 'partly_paid', paidAmount: 100 }]);
    expect(t.ledger.getTender(waiting.id).status).toBe('expired');
    expect(t.ledger.expirePendingBefore(t.tick(3_600_000))).toEqual([]);
    expect(t.ledger.getSale(s.id).status).toBe('partly_paid');
    expectConsistent(t.ledger);
  });

  it('cancelling an open sale cancels its waiting Code payment in the same event', () => {
    const t = setup();
    const s = t.sale(250);
    const tender = t.code(s.id, 250);
    const cancelled = t.ledger.cancel(s.id, { reason: 'customer left' });
    expect(cancelled).toMatchObject({ status: 'cancelled', tenders: [{ id: tender.id, status: 'cancelled' }] });
    expect(t.ledger.getSaleWithEvents(s.id).events).toMatchObject([{ kind: 'cancel: customer left', tenderId: tender.id, source: 'system' }]);
    expect(caughtLedgerError(() => t.ledger.addCashTender(s.id, { tendered: 500 })).code).toBe('invalid-transition');
  });
});

describe('tenders: every invalid input is refused with a clear error and writes nothing', () => {
  const cases: Array<[string, (t: Setup) => unknown, LedgerError['code'], RegExp?]> = [
    ['a Code payment of zero', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 0 }), 'invalid-input', /amount/],
    ['a Code payment of a fraction', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 0.5 }), 'invalid-input'],
    ['a Code payment above what is owed', (t) => t.ledger.addCodeTender(t.sale(100).id, { amount: 101 }), 'invalid-input', /still owes/],
    ['a second waiting Code payment', (t) => {
      const s = t.sale();
      t.code(s.id, 10);
      return t.ledger.addCodeTender(s.id, { amount: 10 });
    }, 'conflict', /already has a Code payment waiting/],
    ['a Code payment on a paid sale', (t) => {
      const s = t.sale(100);
      t.ledger.addCashTender(s.id, { tendered: 100 });
      return t.ledger.addCodeTender(s.id, { amount: 1 });
    }, 'invalid-transition', /open sale/],
    ['a Code payment on a cancelled sale', (t) => {
      const s = t.sale();
      t.ledger.cancel(s.id);
      return t.ledger.addCodeTender(s.id, { amount: 1 });
    }, 'invalid-transition'],
    ['a Code payment with an extra field', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 1, webhookUrl: 'https://x.example/h' }), 'invalid-input'],
    ['a Code payment with an intent but no seq', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 1, intentId: randomAddress() }), 'invalid-input', /needs the seq/],
    ['a Code payment for a seq that is not the next', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 1, seq: 2, intentId: randomAddress() }), 'conflict', /next tender is number 1, not 2/],
    ['a Code payment with an intent another tender has', (t) => {
      const taken = t.code(t.sale().id, 1).intentId!;
      return t.ledger.addCodeTender(t.sale().id, { amount: 1, seq: 1, intentId: taken });
    }, 'conflict', /already belongs to tender/],
    ['an intent that is not base58', (t) => t.ledger.addCodeTender(t.sale().id, { amount: 1, seq: 1, intentId: 'O0Il' }), 'invalid-input', /base58/],
    ['an intent on a cash tender', (t) => t.ledger.addCashTender(t.sale().id, { tendered: 1, intentId: randomAddress() }), 'invalid-input'],
    ['an intent for the seq of a paid Code payment', (t) => {
      const s = t.sale();
      const { tender } = t.ledger.addCodeTender(s.id, { amount: 1 });
      t.ledger.recordProof({ tenderId: tender.id, source: 'manual', payload: {} });
      return t.ledger.addCodeTender(s.id, { amount: 1, seq: 1, intentId: randomAddress() });
    }, 'conflict', /next tender is number 2, not 1/],
    ['a webhook URL that is no URL', (t) => t.ledger.setTenderWebhookUrl(t.code(t.sale().id, 1).id, 'not a url'), 'invalid-input'],
    ['a webhook URL on a cash tender', (t) => t.ledger.setTenderWebhookUrl(t.ledger.addCashTender(t.sale().id, { tendered: 1 }).tender.id, 'https://x.example/h'), 'invalid-transition'],
    ['a webhook URL on an unknown tender', (t) => t.ledger.setTenderWebhookUrl(404, null), 'not-found'],
    ['a proof for an unknown tender', (t) => t.ledger.recordProof({ tenderId: 404, source: 'webhook', payload: 'x' }), 'not-found', /No tender with id 404/],
    ['a proof for a cash tender', (t) => t.ledger.recordProof({ tenderId: t.ledger.addCashTender(t.sale().id, { tendered: 5 }).tender.id, source: 'webhook', payload: 'x' }), 'invalid-input', /only a Code payment/],
    ['a proof with neither tender nor intent', (t) => t.ledger.recordProof({ source: 'webhook', payload: 'x' }), 'invalid-input', /exactly one of tenderId or intentId/],
    ['a rejection naming another sale\'s tender', (t) => {
      const tender = t.code(t.sale().id, 10);
      return t.ledger.recordRejection({ saleId: t.sale().id, tenderId: tender.id, source: 'webhook', reason: 'mismatch', payload: 'x' });
    }, 'invalid-input', /not a tender of sale/],
    ['a rejection naming an unknown tender', (t) => t.ledger.recordRejection({ saleId: t.sale().id, tenderId: 404, source: 'webhook', reason: 'x', payload: 'x' }), 'not-found'],
    ['cash of zero', (t) => t.ledger.addCashTender(t.sale().id, { tendered: 0 }), 'invalid-input'],
    ['cash as text', (t) => t.ledger.addCashTender(t.sale().id, { tendered: '5.00' }), 'invalid-input'],
    ['cash on an unknown sale', (t) => t.ledger.addCashTender(404, { tendered: 100 }), 'not-found'],
    ['cash on an expired sale', (t) => {
      const s = t.sale();
      t.tick();
      t.ledger.expirePendingBefore(t.tick(0));
      return t.ledger.addCashTender(s.id, { tendered: 100 });
    }, 'invalid-transition', /expired/],
    ['another tender without a label', (t) => t.ledger.addOtherTender(t.sale().id, { amount: 5, label: '   ' }), 'invalid-input', /say what it was/],
    ['another tender with a very long label', (t) => t.ledger.addOtherTender(t.sale().id, { amount: 5, label: 'x'.repeat(41) }), 'invalid-input'],
    ['another tender above what is owed, while a Code payment waits', (t) => {
      const s = t.sale(100);
      t.code(s.id, 100);
      return t.ledger.addOtherTender(s.id, { amount: 101, label: 'Card' });
    }, 'invalid-input', /still owes/],
    ['cancelling a paid Code payment', (t) => {
      const tender = t.code(t.sale().id, 10);
      t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', payload: 'x' });
      return t.ledger.cancelTender(tender.id);
    }, 'invalid-transition', /paid and cannot be cancelled/],
    ['cancelling a cash tender', (t) => t.ledger.cancelTender(t.ledger.addCashTender(t.sale().id, { tendered: 5 }).tender.id), 'invalid-transition'],
    ['cancelling an unknown tender', (t) => t.ledger.cancelTender(404), 'not-found'],
    ['cancelling a tender with an empty reason', (t) => t.ledger.cancelTender(t.code(t.sale().id, 10).id, { reason: '' }), 'invalid-input'],
    ['cancelling a partly paid sale', (t) => {
      const s = t.sale();
      t.ledger.addCashTender(s.id, { tendered: 5 });
      return t.ledger.cancel(s.id);
    }, 'partly-paid', /partly paid/],
    ['expiring with a negative cutoff', (t) => t.ledger.expirePendingBefore(-1), 'invalid-input'],
    ['open Code payments since a time that is text', (t) => t.ledger.openCodeTenders('yesterday'), 'invalid-input'],
    ['an unknown tender', (t) => t.ledger.getTender(404), 'not-found'],
    ['an intent id that is not base58 to look up', (t) => t.ledger.findTenderByIntent('0OIl'), 'invalid-input'],
    ['a status filter that is not a status', (t) => t.ledger.queries.listSales({ status: ['partly'] }), 'invalid-input', /status/],
  ];

  it.each(cases)('refuses %s', (_name, call, code, message) => {
    const t = setup();
    expectRefusedWithoutWrites(t.ledger, (ledger) => call({ ...t, ledger }), code, message);
  });
});

describe('tenders: totals by tender against brute force', () => {
  it('random sales with random tenders: range, day and summary totals, both paths, every status filter', () => {
    const seed = 20261123;
    const rand = prng(seed);
    const t = setup(Date.UTC(2026, 10, 1));
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    for (let i = 0; i < 600; i++) {
      t.tick(Math.floor(rand() * 40 * 60_000));
      const s = t.sale(pick([5, 99, 250, 1000, 1250, 2020]) + Math.floor(rand() * 300), pick(['usd', 'usd', 'eur', 'cad']), rand() < 0.85 ? 'live' : 'sandbox');
      // A random life: Code payments (some paid, some cancelled then maybe paid late), cash, other, cancel, expiry.
      for (let step = 0; step < 6; step++) {
        const now = t.ledger.getSale(s.id);
        const owed = outstanding(now);
        const roll = rand();
        if (now.status !== 'pending' && now.status !== 'partly_paid') {
          // Closed: maybe a late Code payment for a cancelled or expired tender.
          const closed = now.tenders.find((x) => x.kind === 'code' && (x.status === 'cancelled' || x.status === 'expired'));
          if (closed && roll < 0.3) t.ledger.recordProof({ tenderId: closed.id, source: 'webhook', payload: 'late' });
          break;
        }
        const waiting = pendingCodeTender(now);
        if (roll < 0.35) {
          if (waiting) t.ledger.recordProof({ tenderId: waiting.id, source: pick(['webhook', 'status_poll'] as const), quarks: waiting.amount * 7, payload: 'x' });
          else t.code(s.id, Math.max(1, Math.min(owed, Math.ceil(owed * (rand() < 0.5 ? 1 : rand())))));
        } else if (roll < 0.5) {
          t.ledger.addCashTender(s.id, { tendered: Math.max(1, Math.round(owed * (0.3 + rand()))) });
        } else if (roll < 0.6) {
          t.ledger.addOtherTender(s.id, { amount: Math.max(1, Math.floor(owed * rand())), label: pick(['Card', 'Voucher']) });
        } else if (roll < 0.7 && waiting) {
          t.ledger.cancelTender(waiting.id, { reason: 'refused' });
        } else if (roll < 0.8 && now.paidAmount === 0) {
          t.ledger.cancel(s.id);
        } else if (roll < 0.85) {
          t.ledger.expirePendingBefore(t.tick(1));
        } else {
          break;
        }
      }
    }
    expectConsistent(t.ledger);
    const all = allSales(t.ledger);
    expect(all).toHaveLength(600);
    // Every status appears, so every filter below has something to count.
    const statuses = new Set(all.map((s) => s.status));
    expect([...statuses].sort()).toEqual(['cancelled', 'expired', 'paid', 'partly_paid', 'pending']);
    expect(all.some((s) => s.tenders.some((x) => x.kind === 'cash' && x.change! > 0))).toBe(true);
    expect(all.some((s) => s.paidLate)).toBe(true);

    const filters: UtcRangeFilter[] = [
      {},
      { mode: 'all' },
      { mode: 'sandbox' },
      { status: ['partly_paid'] },
      { status: ['pending'], mode: 'all' },
      { status: ['pending', 'partly_paid'] },
      { status: ['paid', 'cancelled', 'expired'], mode: 'all' },
      { from: '2026-11-03', to: '2026-11-05' },
    ];
    for (const f of filters) {
      const matches = bruteMatches(all, f);
      const expected = bruteTotals(matches);
      expect(t.ledger.queries.rangeTotals(f), JSON.stringify(f)).toEqual(expected);
      // A search makes the totals count the sales themselves instead of the rollup: same answer.
      const ids = matches.map((s) => s.id);
      if (ids.length) {
        const one = ids[0]!;
        expect(t.ledger.queries.rangeTotals({ ...f, search: `#${one}` })).toEqual(bruteTotals(matches.filter((s) => s.id === one)));
      }
      expect(t.ledger.queries.countSales(f)).toBe(matches.length);
    }
    // Day by day, and the end of day, from the rollup.
    const dayTotals = t.ledger.queries.dayTotals({ from: '2026-11-01', to: '2026-11-12', mode: 'all' });
    for (const d of new Set(all.map((s) => utcDay(s.createdAt)))) {
      const sales = all.filter((s) => utcDay(s.createdAt) === d);
      expect(dayTotals.filter((x) => x.date === d).map(({ date: _, ...rest }) => rest)).toEqual(bruteTotals(sales));
      const summary = t.ledger.queries.daySummary(d, 'all');
      expect(summary.totals).toEqual(bruteTotals(sales));
      for (const status of ['pending', 'partly_paid', 'paid', 'cancelled', 'expired'] as const) {
        expect(summary.byStatus[status]).toBe(sales.filter((s) => s.status === status).length);
      }
    }
  });
});

describe('tenders: the CSV carries them on the sale row', () => {
  it('one row per sale with the tender columns, summing to the totals', async () => {
    const t = setup();
    // Split over Code payments, the first refused and cancelled: its intent still shows, its amount does not.
    const split = t.sale(202);
    t.ledger.cancelTender(t.code(split.id, 100).id, { reason: 'refused' });
    for (const amount of [100, 102]) {
      const tender = t.code(split.id, amount);
      t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: amount * 100_000, exchangeRate: 0.01, payload: 'x' });
    }
    const mixed = t.sale(300);
    t.ledger.addOtherTender(mixed.id, { amount: 100, label: '=Card, terminal "2"' });
    t.ledger.addCashTender(mixed.id, { tendered: 500 });
    const partly = t.sale(300);
    t.ledger.addCashTender(partly.id, { tendered: 120 });

    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await writeSalesCsv(t.ledger.queries, {}, sink);
    const [header, ...rows] = parse(Buffer.concat(chunks).toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual([...SALES_CSV_HEADER]);
    const byId = new Map(rows.map((r) => [Number(r[0]), Object.fromEntries(header!.map((h, i) => [h, r[i]]))]));
    expect(rows).toHaveLength(3);
    const splitRow = byId.get(split.id)!;
    const splitSale = t.ledger.getSale(split.id);
    expect(splitRow).toMatchObject({
      status: 'paid',
      amount: '2.02',
      paid_amount: '2.02',
      code_amount: '2.02',
      cash_amount: '0.00',
      change_given: '0.00',
      other_amount: '0.00',
      other_labels: '',
      tenders: '3',
      quarks: String(202 * 100_000),
      kin: '202.00000',
      exchange_rate: '0.01',
      intent_ids: splitSale.tenders.map((x) => x.intentId).join(' '),
    });
    expect(splitSale.tenders.map((x) => x.status)).toEqual(['cancelled', 'paid', 'paid']);
    expect(byId.get(mixed.id)).toMatchObject({
      status: 'paid',
      paid_amount: '3.00',
      code_amount: '0.00',
      cash_amount: '2.00',
      change_given: '3.00',
      other_amount: '1.00',
      other_labels: `'=Card, terminal "2"`,
      tenders: '2',
      first_proof: 'manual',
      quarks: '',
      kin: '',
      intent_ids: '',
    });
    expect(byId.get(partly.id)).toMatchObject({ status: 'partly_paid', amount: '3.00', paid_amount: '1.20', cash_amount: '1.20', change_given: '0.00' });
    const hundredths = (text: string) => Math.round(Number(text) * 100);
    const totals = t.ledger.queries.rangeTotals({});
    expect(rows.reduce((n, r) => n + hundredths(r[header!.indexOf('paid_amount')]!), 0)).toBe(totals.reduce((n, x) => n + x.paidAmount, 0));
    expect(rows.reduce((n, r) => n + hundredths(r[header!.indexOf('change_given')]!), 0)).toBe(totals.reduce((n, x) => n + x.changeGiven, 0));
  });
});
