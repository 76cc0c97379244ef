import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { LEDGER_FILE_NAME } from '../../electron/core/ledger/db/open-database';
import { LedgerError } from '../../electron/core/ledger/errors';
import { randomAddress, tempDir } from '../support/temp-dir';
import { caughtLedgerError, expectRefusedWithoutWrites } from '../support/ledger-guard';

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
    sale: (amount = 125, currency = 'usd') => ledger.createSale({ amount, currency, mode: 'live', destination }),
    /** A Code payment for all the sale still owes, written with its intent, as the payments service does. */
    code: (saleId: number, intentId = randomAddress()) => {
      const sale = ledger.getSale(saleId);
      const seq = (sale.tenders.at(-1)?.seq ?? 0) + 1;
      return ledger.addCodeTender(saleId, { amount: sale.amount - sale.paidAmount, seq, intentId }).tender;
    },
  };
}

/** Pays a sale in full with one Code payment, as the payment flow does. */
function payInFull(t: ReturnType<typeof setup>, saleId: number, source: 'webhook' | 'status_poll' | 'manual' = 'webhook') {
  return t.ledger.recordProof({ tenderId: t.code(saleId).id, source, payload: 'x' });
}

/** Rows in every table, to prove a rejected call wrote nothing. */
function expectLedgerError(fn: () => unknown, code: LedgerError['code'], message?: RegExp) {
  const error = caughtLedgerError(fn);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

describe('ledger: a sale moves pending → paid | cancelled | expired', () => {
  it('creates a pending sale with integer hundredths, a random ref and no tenders', () => {
    const { ledger, sale, destination } = setup();
    const s = sale(125, 'USD');
    expect(s).toMatchObject({ amount: 125, currency: 'usd', status: 'pending', mode: 'live', destination, paidAmount: 0, tenders: [], paidLate: false });
    expect(s.ref).toMatch(/^[0-9a-f-]{36}$/);
    expect(sale().ref).not.toBe(s.ref);
    expect(ledger.getSale(s.id)).toEqual(s);
  });

  it("writes a sale's Code payment with its intent, then its webhook URL, idempotently", () => {
    const { ledger, sale } = setup();
    const s = sale();
    const intent = randomAddress();
    const { tender } = ledger.addCodeTender(s.id, { amount: 125, seq: 1, intentId: intent });
    expect(tender).toMatchObject({ intentId: intent, webhookUrl: null });
    const a = ledger.setTenderWebhookUrl(tender.id, 'https://a-b.trycloudflare.com/hook/x');
    expect(a).toMatchObject({ intentId: intent, webhookUrl: 'https://a-b.trycloudflare.com/hook/x' });
    expect(ledger.setTenderWebhookUrl(tender.id, 'https://a-b.trycloudflare.com/hook/x')).toEqual(a);
    expect(ledger.findTenderByIntent(intent)).toMatchObject({ tender: { id: tender.id }, sale: { id: s.id } });
    expect(ledger.findTenderByIntent(randomAddress())).toBeNull();
    expect(ledger.setTenderWebhookUrl(tender.id, null).webhookUrl).toBeNull();
  });

  it('a first proof marks the sale paid with its payment facts and which proof came first', () => {
    const t = setup();
    const s = t.sale();
    const intent = randomAddress();
    t.code(s.id, intent);
    t.tick(5000);
    const r = t.ledger.recordProof({ intentId: intent, source: 'webhook', quarks: 12_345_000, exchangeRate: 0.0000101, payload: 'eyJ.raw.jwt' });
    expect(r.outcome).toBe('credited');
    expect(r.sale).toMatchObject({ status: 'paid', paidAmount: 125, firstProof: 'webhook', paidLate: false });
    expect(r.tender).toMatchObject({ status: 'paid', quarks: 12_345_000, exchangeRate: 0.0000101, firstProof: 'webhook', paidLate: false });
    expect(r.sale.paidAt).toBe(s.createdAt + 5000);
    expect(r.event).toMatchObject({ saleId: s.id, tenderId: r.tender.id, source: 'webhook', kind: 'proof', outcome: 'credited', payload: 'eyJ.raw.jwt' });
  });

  it('the same proof ten times credits once, logs the first five duplicates and only counts the rest', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id);
    const outcomes = Array.from({ length: 10 }, () => t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: 5, exchangeRate: 1, payload: 'same' }).outcome);
    expect(outcomes).toEqual(['credited', ...Array(9).fill('duplicate')]);
    const { sale: after, events } = t.ledger.getSaleWithEvents(s.id);
    expect(after).toMatchObject({ status: 'paid', paidAmount: 125 });
    expect(events.filter((e) => e.outcome === 'credited')).toHaveLength(1);
    expect(events).toHaveLength(1 + 5);
    expect(events.every((e) => e.tenderId === tender.id)).toBe(true);
    expect(t.ledger.database.prepare('SELECT duplicate_proofs FROM tenders WHERE id = ?').pluck().get(tender.id)).toBe(4);
  });

  it('a later proof fills in payment facts the first proof lacked, without changing who was first', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id);
    t.ledger.recordProof({ tenderId: tender.id, source: 'status_poll', payload: { status: 'confirmed' } });
    const r = t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: 99, exchangeRate: 2.5, payload: 'jwt' });
    expect(r.outcome).toBe('duplicate');
    expect(r.sale.firstProof).toBe('status_poll');
    expect(r.tender).toMatchObject({ firstProof: 'status_poll', quarks: 99, exchangeRate: 2.5 });
    const again = t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: 1, exchangeRate: 1, payload: 'jwt2' });
    expect(again.tender).toMatchObject({ quarks: 99, exchangeRate: 2.5 });
  });

  it('cancels a pending sale, and cancelling twice is harmless', () => {
    const { ledger, sale } = setup();
    const s = sale();
    const c = ledger.cancel(s.id);
    expect(c).toMatchObject({ status: 'cancelled' });
    expect(c.cancelledAt).not.toBeNull();
    expect(ledger.cancel(s.id)).toEqual(c);
    expect(ledger.getSaleWithEvents(s.id).events.map((e) => [e.kind, e.tenderId])).toEqual([['cancel', null]]);
  });

  it('a payment after cancel marks the sale paid and flags it', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id);
    const cancelled = t.ledger.cancel(s.id);
    expect(cancelled.tenders[0]).toMatchObject({ status: 'cancelled' });
    const r = t.ledger.recordProof({ tenderId: tender.id, source: 'webhook', quarks: 1, exchangeRate: 1, payload: 'late' });
    expect(r.outcome).toBe('late');
    expect(r.sale).toMatchObject({ status: 'paid', paidLate: true, firstProof: 'webhook', paidAmount: 125 });
    expect(r.tender).toMatchObject({ status: 'paid', paidLate: true });
    expect(r.sale.cancelledAt).not.toBeNull();
  });

  it('a payment after expiry marks the sale paid and flags it', () => {
    const t = setup();
    const s = t.sale();
    const tender = t.code(s.id);
    t.tick();
    expect(t.ledger.expirePendingBefore(t.tick(0)).map((x) => x.status)).toEqual(['expired']);
    const r = t.ledger.recordProof({ tenderId: tender.id, source: 'status_poll', payload: {} });
    expect(r).toMatchObject({ outcome: 'late', sale: { status: 'paid', paidLate: true }, tender: { paidLate: true } });
  });

  it('expires only the pending sales older than the cutoff', () => {
    const t = setup();
    const old = t.sale();
    const paid = t.sale();
    payInFull(t, paid.id, 'manual');
    t.tick(60_000);
    const fresh = t.sale();
    const expired = t.ledger.expirePendingBefore(fresh.createdAt);
    expect(expired.map((s) => s.id)).toEqual([old.id]);
    expect(t.ledger.getSale(fresh.id).status).toBe('pending');
    expect(t.ledger.getSale(paid.id).status).toBe('paid');
  });

  it('lists open Code payments of both modes: waiting ones and those closed recently enough for a late payment', () => {
    const t = setup();
    const sandbox = t.ledger.createSale({ amount: 50, currency: 'usd', mode: 'sandbox', destination: t.destination });
    const [pending, cancelledLongAgo, cancelledRecently, paid, sandboxPending] = [t.sale(), t.sale(), t.sale(), t.sale(), sandbox].map((s) => t.code(s.id));
    t.ledger.addCodeTender(t.sale().id, { amount: 10 }); // no intent yet: nothing to poll
    t.ledger.cancelTender(cancelledLongAgo!.id);
    t.tick(3_600_000);
    const since = t.tick(0);
    t.ledger.cancel(cancelledRecently!.saleId);
    t.ledger.recordProof({ tenderId: paid!.id, source: 'webhook', payload: 'x' });
    const open = t.ledger.openCodeTenders(since);
    expect(open.map((o) => o.tender.id)).toEqual([pending!.id, cancelledRecently!.id, sandboxPending!.id]);
    expect(open.map((o) => [o.sale.id, o.sale.mode])).toEqual([
      [pending!.saleId, 'live'],
      [cancelledRecently!.saleId, 'live'],
      [sandboxPending!.saleId, 'sandbox'],
    ]);
    expect(open[1]!.sale.tenders[0]).toEqual(open[1]!.tender);
  });
});

describe('ledger: every rejection writes nothing', () => {
  const rejections: Array<[string, (l: ReturnType<typeof setup>) => unknown, LedgerError['code'], RegExp?]> = [
    ['a fractional amount', (t) => t.ledger.createSale({ amount: 1.5, currency: 'usd', mode: 'live', destination: t.destination }), 'invalid-input', /amount/],
    ['a zero amount', (t) => t.ledger.createSale({ amount: 0, currency: 'usd', mode: 'live', destination: t.destination }), 'invalid-input'],
    ['a negative amount', (t) => t.ledger.createSale({ amount: -5, currency: 'usd', mode: 'live', destination: t.destination }), 'invalid-input'],
    ['an amount as a string', (t) => t.ledger.createSale({ amount: '125', currency: 'usd', mode: 'live', destination: t.destination }), 'invalid-input'],
    ['an absurd amount', (t) => t.ledger.createSale({ amount: 2 ** 60, currency: 'usd', mode: 'live', destination: t.destination }), 'invalid-input'],
    ['an unknown currency', (t) => t.ledger.createSale({ amount: 100, currency: 'xyz', mode: 'live', destination: t.destination }), 'invalid-input', /unknown currency "xyz"/],
    ['an unknown mode', (t) => t.ledger.createSale({ amount: 100, currency: 'usd', mode: 'test', destination: t.destination }), 'invalid-input', /mode/],
    ['a destination that is not base58', (t) => t.ledger.createSale({ amount: 100, currency: 'usd', mode: 'live', destination: '0OIl'.repeat(10) }), 'invalid-input', /destination/],
    ['an extra field', (t) => t.ledger.createSale({ amount: 100, currency: 'usd', mode: 'live', destination: t.destination, status: 'paid' }), 'invalid-input'],
    ['no input at all', (t) => t.ledger.createSale(undefined), 'invalid-input'],
    ['a Code payment on an unknown sale', (t) => t.ledger.addCodeTender(999, { amount: 100 }), 'not-found'],
    ['a webhook URL for an unknown tender', (t) => t.ledger.setTenderWebhookUrl(999, 'https://a-b.trycloudflare.com/hook/x'), 'not-found'],
    ['a second Code payment, with a different intent, for the same seq', (t) => {
      const s = t.sale();
      t.code(s.id);
      return t.ledger.addCodeTender(s.id, { amount: 125, seq: 1, intentId: randomAddress() });
    }, 'conflict'],
    ['an intent already used by another tender', (t) => {
      const intent = randomAddress();
      t.code(t.sale().id, intent);
      return t.ledger.addCodeTender(t.sale().id, { amount: 125, seq: 1, intentId: intent });
    }, 'conflict'],
    ['a Code payment with its intent on a cancelled sale', (t) => {
      const s = t.sale();
      t.code(s.id);
      t.ledger.cancel(s.id);
      return t.ledger.addCodeTender(s.id, { amount: 125, seq: 2, intentId: randomAddress() });
    }, 'invalid-transition'],
    ['a proof for an unknown intent', (t) => t.ledger.recordProof({ intentId: randomAddress(), source: 'webhook', payload: 'x' }), 'not-found'],
    ['a proof naming both tender and intent', (t) => t.ledger.recordProof({ tenderId: t.code(t.sale().id).id, intentId: randomAddress(), source: 'webhook', payload: 'x' }), 'invalid-input'],
    ['a proof naming a sale, the old way', (t) => t.ledger.recordProof({ saleId: t.sale().id, source: 'webhook', payload: 'x' }), 'invalid-input'],
    ['a proof from an unknown source', (t) => t.ledger.recordProof({ tenderId: t.code(t.sale().id).id, source: 'rumour', payload: 'x' }), 'invalid-input'],
    ['a proof with fractional quarks', (t) => t.ledger.recordProof({ tenderId: t.code(t.sale().id).id, source: 'webhook', quarks: 1.5, payload: 'x' }), 'invalid-input'],
    ['a proof with a negative exchange rate', (t) => t.ledger.recordProof({ tenderId: t.code(t.sale().id).id, source: 'webhook', exchangeRate: -1, payload: 'x' }), 'invalid-input'],
    ['cancelling a paid sale', (t) => {
      const s = t.sale();
      payInFull(t, s.id);
      return t.ledger.cancel(s.id);
    }, 'invalid-transition', /paid and cannot be cancelled/],
    ['cancelling an unknown sale', (t) => t.ledger.cancel(12345), 'not-found'],
    ['a sale id that is not an integer', (t) => t.ledger.cancel('1; DROP TABLE sales'), 'invalid-input'],
    ['a rejection for an unknown sale', (t) => t.ledger.recordRejection({ saleId: 4242, source: 'webhook', reason: 'bad signature', payload: 'x' }), 'not-found'],
    ['a filter with from after to', (t) => t.ledger.queries.listSales({ from: '2026-02-02', to: '2026-02-01' }), 'invalid-input', /from/],
    ['a filter with a date that does not exist', (t) => t.ledger.queries.listSales({ from: '2026-02-30' }), 'invalid-input'],
    ['a forged cursor', (t) => t.ledger.queries.listSales({}, { cursor: "1 OR 1=1" }), 'invalid-input'],
    ['a page size of a million', (t) => t.ledger.queries.listSales({}, { limit: 1_000_000 }), 'invalid-input'],
    ['day totals without a range', (t) => t.ledger.queries.dayTotals({ from: '2026-01-01' }), 'invalid-input'],
    ['day totals over ten years', (t) => t.ledger.queries.dayTotals({ from: '2016-01-01', to: '2026-01-01' }), 'invalid-input'],
    ['a setting with a strange key', (t) => t.ledger.setSetting('a key with spaces', 1), 'invalid-input'],
    ['a setting with no value', (t) => t.ledger.setSetting('shopName', undefined), 'invalid-input'],
  ];

  it.each(rejections)('rejects %s', (_name, call, code, message) => {
    const t = setup();
    expectRefusedWithoutWrites(t.ledger, (ledger) => call({ ...t, ledger }), code, message);
  });

  it('answers a clear busy error, and writes nothing, when another connection keeps the write lock past the wait', () => {
    const t = setup();
    const first = t.sale();
    // The wait is 5 s in the app; the test shortens it through the diagnostics handle.
    t.ledger.database.pragma('busy_timeout = 0');
    const other = new Database(join(t.dir, LEDGER_FILE_NAME));
    other.exec('BEGIN IMMEDIATE');
    try {
      expectLedgerError(() => t.sale(), 'busy', /busy with another writer; nothing was written/);
      expectLedgerError(() => t.ledger.cancel(first.id), 'busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(t.ledger.getSale(first.id).status).toBe('pending');
    expect(t.ledger.queries.countSales({})).toBe(1);
    expect(t.sale().id).toBe(first.id + 1);
  });

  it('refuses every call after close', () => {
    const { ledger } = setup();
    ledger.close();
    expectLedgerError(() => ledger.queries.listSales(), 'closed');
    expectLedgerError(() => ledger.queries.rangeTotals({}), 'closed');
    expectLedgerError(() => ledger.queries.dayTotals({ from: '2026-01-01', to: '2026-01-02' }), 'closed');
    expectLedgerError(() => ledger.queries.iterateSales({}).next(), 'closed');
    expectLedgerError(() => ledger.getSale(1), 'closed');
    expectLedgerError(() => ledger.createSale({ amount: 1, currency: 'usd', mode: 'live', destination: randomAddress() }), 'closed');
  });
});

describe('ledger: the event log is append-only', () => {
  it('refuses to rewrite or delete an event, even with raw SQL', () => {
    const t = setup();
    payInFull(t, t.sale().id);
    const { ledger } = t;
    expect(() => ledger.database.prepare("UPDATE payment_events SET outcome = 'duplicate'").run()).toThrow(/append-only/);
    expect(() => ledger.database.prepare('UPDATE payment_events SET tender_id = NULL').run()).toThrow(/append-only/);
    expect(() => ledger.database.prepare('DELETE FROM payment_events').run()).toThrow(/append-only/);
  });

  it('records a rejection on the sale it names without touching the sale', () => {
    const { ledger, sale } = setup();
    const s = sale();
    const e = ledger.recordRejection({ saleId: s.id, source: 'webhook', reason: 'amount mismatch', payload: 'eyJ' });
    expect(e).toMatchObject({ outcome: 'rejected', kind: 'rejected: amount mismatch', payload: 'eyJ', tenderId: null });
    expect(ledger.getSale(s.id)).toEqual(s);
    const { tender } = ledger.addCodeTender(s.id, { amount: 125 });
    expect(ledger.recordRejection({ saleId: s.id, tenderId: tender.id, source: 'status_poll', reason: 'amount mismatch', payload: {} })).toMatchObject({ tenderId: tender.id });
    expect(ledger.rejectionCount(s.id)).toBe(2);
  });

  it('keeps at most 16 KiB of a payload', () => {
    const t = setup();
    const e = t.ledger.recordProof({ tenderId: t.code(t.sale().id).id, source: 'webhook', payload: 'x'.repeat(100_000) }).event;
    expect(e.payload.length).toBeLessThan(16_500);
    expect(e.payload.endsWith('[truncated]')).toBe(true);
  });
});

describe('ledger: settings', () => {
  it('stores JSON values and overwrites them', () => {
    const { ledger } = setup();
    expect(ledger.getSetting('shopName')).toBeUndefined();
    ledger.setSetting('shopName', 'Corner Café');
    ledger.setSetting('tunnel', { kind: 'quick' });
    ledger.setSetting('shopName', 'Corner Café & Co');
    expect(ledger.allSettings()).toEqual({ shopName: 'Corner Café & Co', tunnel: { kind: 'quick' } });
  });
});

describe('ledger: the sales log', () => {
  it('pages newest first across many pages with no gap or duplicate, under every filter', () => {
    const t = setup(Date.UTC(2026, 0, 1));
    const { ledger, destination, tick } = t;
    const statuses = ['pending', 'paid', 'cancelled', 'expired', 'partly_paid'] as const;
    const made: { id: number; mode: string; status: string }[] = [];
    for (let i = 0; i < 1_000; i++) {
      // Several sales share each millisecond so the id tiebreak matters.
      if (i % 3 === 0) tick(7_000);
      const mode = i % 5 === 0 ? 'sandbox' : 'live';
      const s = ledger.createSale({ amount: 100 + i, currency: i % 2 ? 'usd' : 'eur', mode, destination });
      const status = statuses[i % 5]!;
      if (status === 'paid') payInFull(t, s.id);
      if (status === 'cancelled') ledger.cancel(s.id);
      if (status === 'partly_paid') ledger.addOtherTender(s.id, { amount: 1, label: 'Voucher' });
      made.push({ id: s.id, mode, status });
    }
    // The sales left pending wait for a Code payment started after the
    // cutoff, so the expiry takes exactly the others that are still open.
    const cutoff = tick(1);
    for (const m of made) if (m.status === 'pending') ledger.addCodeTender(m.id, { amount: 1 });
    expect(ledger.expirePendingBefore(cutoff).map((x) => x.id)).toEqual(made.filter((m) => m.status === 'expired').map((m) => m.id));
    const collect = (filter: object, limit: number) => {
      const ids: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = ledger.queries.listSales(filter, { limit, cursor });
        ids.push(...page.sales.map((s) => s.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { ids, pages };
    };
    const newestFirst = (rows: typeof made) => rows.map((r) => r.id).sort((a, b) => b - a);
    const live = collect({}, 37);
    expect(live.ids).toEqual(newestFirst(made.filter((m) => m.mode === 'live')));
    expect(live.pages).toBe(Math.ceil(800 / 37));
    expect(collect({ mode: 'all' }, 100).ids).toEqual(newestFirst(made));
    expect(collect({ mode: 'all' }, 100).pages).toBe(10);
    expect(collect({ mode: 'sandbox', status: ['paid', 'expired'] }, 9).ids).toEqual(
      newestFirst(made.filter((m) => m.mode === 'sandbox' && (m.status === 'paid' || m.status === 'expired'))),
    );
    for (const status of [['pending'], ['partly_paid'], ['pending', 'partly_paid']] as const) {
      expect(collect({ mode: 'all', status }, 50).ids).toEqual(newestFirst(made.filter((m) => (status as readonly string[]).includes(m.status))));
    }
  });

  it('filters by local date in a non-UTC zone, including across a DST change', () => {
    // Europe/Berlin: UTC+1 in winter, UTC+2 from 2026-03-29 02:00 local.
    let clock = 0;
    const ledger = createLedger({ dir: tempDir(), timeZone: 'Europe/Berlin', now: () => clock });
    const destination = randomAddress();
    const at = (iso: string, amount: number) => {
      clock = Date.parse(iso);
      return ledger.createSale({ amount, currency: 'eur', mode: 'live', destination }).id;
    };
    const beforeMidnight = at('2026-03-27T22:59:59.999Z', 1); // 23:59:59.999 on the 27th, Berlin
    const atMidnight = at('2026-03-27T23:00:00.000Z', 2); // 00:00 on the 28th
    const lateOn28 = at('2026-03-28T22:59:00.000Z', 3); // 23:59 on the 28th
    const earlyOn29 = at('2026-03-28T23:00:00.000Z', 4); // 00:00 on the 29th (DST day, 23 h)
    const lateOn29 = at('2026-03-29T21:59:59.000Z', 5); // 23:59:59 on the 29th, now UTC+2
    const on30 = at('2026-03-29T22:00:00.000Z', 6); // 00:00 on the 30th
    const ids = (from: string, to: string) => ledger.queries.listSales({ from, to }).sales.map((s) => s.id).sort((a, b) => a - b);
    expect(ids('2026-03-27', '2026-03-27')).toEqual([beforeMidnight]);
    expect(ids('2026-03-28', '2026-03-28')).toEqual([atMidnight, lateOn28]);
    expect(ids('2026-03-29', '2026-03-29')).toEqual([earlyOn29, lateOn29]);
    expect(ids('2026-03-30', '2026-03-30')).toEqual([on30]);
    expect(ids('2026-03-28', '2026-03-29')).toEqual([atMidnight, lateOn28, earlyOn29, lateOn29]);
    const totals = ledger.queries.dayTotals({ from: '2026-03-27', to: '2026-03-30' });
    expect(totals.map((t) => [t.date, t.count, t.paidAmount + t.unpaidAmount])).toEqual([
      ['2026-03-27', 1, 1],
      ['2026-03-28', 2, 5],
      ['2026-03-29', 2, 9],
      ['2026-03-30', 1, 6],
    ]);
  });

  it('totals each day per currency: paid, pending, cancelled, expired and late', () => {
    const t = setup(Date.UTC(2026, 4, 1, 9));
    const { ledger, destination, tick } = t;
    const make = (amount: number, currency: string, mode: 'live' | 'sandbox' = 'live') =>
      ledger.createSale({ amount, currency, mode, destination });
    // Expired first: an expiry takes every open sale created up to its cutoff.
    const c = make(700, 'eur');
    ledger.expirePendingBefore(c.createdAt + 1);
    const a = make(1000, 'usd');
    payInFull(t, a.id);
    const b = make(250, 'usd');
    const late = t.code(b.id);
    ledger.cancel(b.id);
    ledger.recordProof({ tenderId: late.id, source: 'webhook', payload: 'late' });
    make(300, 'usd');
    make(5000, 'usd', 'sandbox');
    const partly = make(400, 'usd');
    ledger.addCashTender(partly.id, { tendered: 100 });
    const change = make(80, 'usd');
    ledger.addCashTender(change.id, { tendered: 100 });
    tick(24 * 3_600_000);
    const d = make(40, 'usd');
    ledger.cancel(d.id);
    const totals = ledger.queries.dayTotals({ from: '2026-05-01', to: '2026-05-03' });
    const none = { code: 0, cash: 0, other: 0 };
    expect(totals).toEqual([
      { date: '2026-05-01', currency: 'eur', count: 1, paidCount: 0, paidAmount: 0, byTender: none, changeGiven: 0, tips: 0, tippedCount: 0, pendingCount: 0, partlyPaidCount: 0, cancelledCount: 0, expiredCount: 1, paidLateCount: 0, unpaidCount: 1, unpaidAmount: 700, refunds: 0, refundCount: 0 },
      { date: '2026-05-01', currency: 'usd', count: 5, paidCount: 3, paidAmount: 1430, byTender: { code: 1250, cash: 180, other: 0 }, changeGiven: 20, tips: 0, tippedCount: 0, pendingCount: 1, partlyPaidCount: 1, cancelledCount: 0, expiredCount: 0, paidLateCount: 1, unpaidCount: 2, unpaidAmount: 600, refunds: 0, refundCount: 0 },
      { date: '2026-05-02', currency: 'usd', count: 1, paidCount: 0, paidAmount: 0, byTender: none, changeGiven: 0, tips: 0, tippedCount: 0, pendingCount: 0, partlyPaidCount: 0, cancelledCount: 1, expiredCount: 0, paidLateCount: 0, unpaidCount: 1, unpaidAmount: 40, refunds: 0, refundCount: 0 },
    ]);
    expect(ledger.queries.dayTotals({ from: '2026-05-01', to: '2026-05-01', mode: 'sandbox' })).toMatchObject([{ currency: 'usd', count: 1, unpaidAmount: 5000 }]);
    expect(ledger.queries.dayTotals({ from: '2026-05-01', to: '2026-05-01', mode: 'all', status: ['pending'] })).toMatchObject([
      { currency: 'usd', count: 2, pendingCount: 2, partlyPaidCount: 0, unpaidAmount: 5300 },
    ]);
    expect(ledger.queries.dayTotals({ from: '2026-05-01', to: '2026-05-01', status: ['partly_paid'] })).toMatchObject([
      { currency: 'usd', count: 1, partlyPaidCount: 1, paidAmount: 100, byTender: { cash: 100 }, unpaidAmount: 300 },
    ]);
    expect(ledger.queries.daySummary('2026-05-01').byStatus).toEqual({ pending: 1, partly_paid: 1, paid: 3, cancelled: 0, expired: 1 });
  });
});
