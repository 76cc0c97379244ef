import { afterEach, describe, expect, it } from 'vitest';
import type { TillSale } from '../../electron/shared/contract';
import type { PaymentsError } from '../../electron/core/payments/errors';
import { MAX_AMOUNT_HUNDREDTHS } from '../../electron/shared/domain/money';
import type { TipSettings } from '../../electron/shared/domain/tip';
import { expectPaymentsError, startPaymentsFixture, waitFor, type FixtureOptions, type PaymentsFixture } from '../support/payments-fixture';

// Tips through the payments service, the real Code client and the sandbox
// sequencer on loopback: with tips on, a charge waits for the tip and starts
// no Code payment; the tip chosen, the first Code payment is for the sale
// and its tip, split at Code's per-payment maximum like any total.

let f: PaymentsFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

const TIPS_ON: TipSettings = { enabled: true, presets: [10, 15, 20], custom: true };

async function fixture(tips: TipSettings = TIPS_ON, options: FixtureOptions = {}): Promise<PaymentsFixture> {
  f = await startPaymentsFixture({ start: false, ...options });
  f.app.settings.update({ tips });
  return f;
}

/** The customer pays the Code payment on screen; resolves once the ledger has it. */
async function pay(fx: PaymentsFixture, till: TillSale): Promise<TillSale> {
  const payment = till.codePayment;
  if (!payment) throw new Error(`sale ${till.sale.id} has no Code payment waiting (${till.codeNote ?? 'no note'})`);
  await fx.sandbox.simulatePayment(payment.intentId);
  await waitFor(`Code payment ${payment.tenderId} paid`, () => fx.app.ledger.getTender(payment.tenderId).status === 'paid');
  return fx.app.service.tillSale(till.sale.id);
}

/** What a refused choice must leave: the sale still waiting, no tender, no event, nothing asked of Code. */
function expectStillWaiting(fx: PaymentsFixture, saleId: number) {
  const { sale, events } = fx.app.ledger.getSaleWithEvents(saleId);
  expect(sale).toMatchObject({ awaitingTip: true, tipAmount: 0, tipPercent: null, tipChosenBy: null, tenders: [], status: 'pending' });
  expect(events).toEqual([]);
  expect(fx.sandbox.listIntents()).toEqual([]);
}

describe('payments: tips on', () => {
  it('a charge waits for the tip: no Code payment, and the prompt lists what each preset comes to', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    expect(till).toMatchObject({
      sale: { amount: 1250, awaitingTip: true, tipAmount: 0, status: 'pending', tenders: [] },
      codePayment: null,
      codeNote: null,
      // 15 % of 12.50 is 1.875: 1.88, rounded half up.
      tipPrompt: { options: [{ percent: 10, amount: 125 }, { percent: 15, amount: 188 }, { percent: 20, amount: 250 }], custom: true, maxCustom: 1250 },
    });
    expect(fx.sandbox.listIntents()).toEqual([]);
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created']);
    // Shown the same again (after a reload or a restart).
    expect(fx.app.service.tillSale(till.sale.id)).toEqual(till);
  });

  it('a 15 % tip chosen by the customer: the Code payment is for the tipped total, and pays the sale', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    const tipped = await fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 15 }, 'customer');
    expect(tipped).toMatchObject({
      sale: { amount: 80, tipAmount: 12, tipPercent: 15, tipChosenBy: 'customer', awaitingTip: false },
      codePayment: { amount: 92, index: 1, count: 1 },
      codeNote: null,
      tipPrompt: null,
    });
    expect(fx.sandbox.getIntent(tipped.codePayment!.intentId)).toMatchObject({ amount: 0.92, currency: 'usd' });
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created', 'tipped', 'created']);
    expect(fx.app.ledger.getSaleWithEvents(till.sale.id).events.map((e) => [e.kind, e.outcome, e.source])).toEqual([['tip', 'tipped', 'manual']]);
    const paid = await pay(fx, tipped);
    expect(paid.sale).toMatchObject({ status: 'paid', paidAmount: 92, amount: 80, tipAmount: 12 });
  });

  it('no tip: a tip of 0, chosen by the cashier, and the Code payment is for the amount', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    const none = await fx.app.service.chooseTip(till.sale.id, { kind: 'none' }, 'cashier');
    expect(none).toMatchObject({ sale: { tipAmount: 0, tipPercent: null, tipChosenBy: 'cashier', awaitingTip: false }, codePayment: { amount: 80 }, tipPrompt: null });
    expect((await pay(fx, none)).sale).toMatchObject({ status: 'paid', paidAmount: 80 });
  });

  it('a custom tip up to the sale’s own amount, and a custom tip of 0', async () => {
    const fx = await fixture();
    const a = await fx.app.service.charge({ amount: 60, currency: 'usd' });
    expect(await fx.app.service.chooseTip(a.sale.id, { kind: 'amount', amount: 60 }, 'customer')).toMatchObject({
      sale: { tipAmount: 60, tipPercent: null },
      // 1.20 in all, above Code's 1.00 maximum: 1.00 now, 0.20 next.
      codePayment: { amount: 100, index: 1, count: 2 },
    });
    const b = await fx.app.service.charge({ amount: 60, currency: 'usd' });
    expect(await fx.app.service.chooseTip(b.sale.id, { kind: 'amount', amount: 0 }, 'customer')).toMatchObject({
      sale: { tipAmount: 0, tipPercent: null, tipChosenBy: 'customer' },
      codePayment: { amount: 60 },
    });
  });

  it('a tipped total above Code’s maximum splits: 1.80 + 20 % = 2.16 is three Code payments (1.00, 1.00, 0.16)', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 180, currency: 'usd' });
    let now = await fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 20 }, 'customer');
    expect(now).toMatchObject({ sale: { tipAmount: 36 }, codePayment: { amount: 100, index: 1, count: 3 } });
    now = await pay(fx, now);
    expect(now.sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    now = await fx.app.service.requestCodePayment(till.sale.id);
    expect(now.codePayment).toMatchObject({ amount: 100, index: 2, count: 3 });
    now = await pay(fx, now);
    expect(now.sale).toMatchObject({ status: 'partly_paid', paidAmount: 200 });
    now = await fx.app.service.requestCodePayment(till.sale.id);
    expect(now.codePayment).toMatchObject({ amount: 16, index: 3, count: 3 });
    now = await pay(fx, now);
    expect(now.sale).toMatchObject({ status: 'paid', paidAmount: 216 });
    expect(now.sale.tenders.map((t) => [t.kind, t.amount, t.status])).toEqual([
      ['code', 100, 'paid'],
      ['code', 100, 'paid'],
      ['code', 16, 'paid'],
    ]);
  });

  it('cash after the tip: pays amount and tip, gives change, and cancels the Code payment on screen', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 900, currency: 'usd' });
    const tipped = await fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 10 }, 'cashier');
    expect(tipped.codePayment).toMatchObject({ amount: 100, count: 10 });
    const paid = fx.app.service.takeCash(till.sale.id, 2000);
    expect(paid.sale).toMatchObject({ status: 'paid', paidAmount: 990, tipAmount: 90 });
    expect(paid.sale.tenders.map((t) => [t.kind, t.amount, t.status, t.change])).toEqual([
      ['code', 100, 'cancelled', null],
      ['cash', 990, 'paid', 1010],
    ]);
  });

  it('another tender after the tip takes up to amount + tip', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 500, currency: 'usd' });
    await fx.app.service.chooseTip(till.sale.id, { kind: 'amount', amount: 50 }, 'customer');
    await expectPaymentsError(() => fx.app.service.takeOther(till.sale.id, 551, 'Card'), 'invalid-amount', /still owes \$5\.50/);
    expect(fx.app.service.takeOther(till.sale.id, 550, 'Card').sale).toMatchObject({ status: 'paid', paidAmount: 550 });
  });

  it('below Code’s minimum after the tip: no Code payment, and the note says why', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 3, currency: 'usd' });
    expect(till).toMatchObject({ codeNote: null, tipPrompt: { maxCustom: 3 } });
    const none = await fx.app.service.chooseTip(till.sale.id, { kind: 'none' }, 'customer');
    expect(none).toMatchObject({ codePayment: null, codeNote: "$0.03 is below Code's minimum of $0.05: take it in cash or another tender.", tipPrompt: null });
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created', 'tipped']);
  });

  it('the customer and the cashier choosing at once: the first choice stands, the second is refused, nothing doubled', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    const [first, second] = await Promise.allSettled([
      fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 20 }, 'customer'),
      fx.app.service.chooseTip(till.sale.id, { kind: 'none' }, 'cashier'),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { sale: { tipAmount: 16, tipChosenBy: 'customer' }, codePayment: { amount: 96 } } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'invalid-transition', message: expect.stringMatching(/already chosen by the customer/) } });
    const { sale, events } = fx.app.ledger.getSaleWithEvents(till.sale.id);
    expect(events.filter((e) => e.outcome === 'tipped')).toHaveLength(1);
    expect(sale.tenders).toHaveLength(1);
    expect(fx.sandbox.listIntents()).toHaveLength(1);
    expect(fx.app.updates.filter((u) => u.cause === 'tipped')).toHaveLength(1);
  });

  it('the prompt follows the settings: other presets, no custom tip', async () => {
    const fx = await fixture({ enabled: true, presets: [5, 12], custom: false });
    const till = await fx.app.service.charge({ amount: 1000, currency: 'usd' });
    expect(till.tipPrompt).toEqual({ options: [{ percent: 5, amount: 50 }, { percent: 12, amount: 120 }], custom: false, maxCustom: 1000 });
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, { kind: 'amount', amount: 100 }, 'customer'), 'invalid-input', /custom tip is not on offer/);
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 15 }, 'customer'), 'invalid-input', /15 % is not a tip on offer: the tips offered are 5 %, 12 %/);
    expectStillWaiting(fx, till.sale.id);
    expect((await fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 12 }, 'customer')).sale).toMatchObject({ tipAmount: 120, tipPercent: 12 });
  });
});

describe('payments: a tip choice that is refused writes nothing', () => {
  it.each<[string, unknown, PaymentsError['code'], RegExp]>([
    ['a negative custom tip', { kind: 'amount', amount: -1 }, 'invalid-amount', /zero or more, to the hundredth/],
    ['a fractional custom tip', { kind: 'amount', amount: 12.5 }, 'invalid-amount', /zero or more, to the hundredth/],
    ['a custom tip as text', { kind: 'amount', amount: '1.00' }, 'invalid-amount', /zero or more/],
    ['a custom tip above the sale’s amount', { kind: 'amount', amount: 1251 }, 'invalid-amount', /at most \$12\.50 on this sale/],
    ['a custom tip beyond any sale', { kind: 'amount', amount: 100_000_000_01 }, 'invalid-amount', /at most \$12\.50/],
    ['a percentage that is not a preset', { kind: 'percent', percent: 25 }, 'invalid-input', /25 % is not a tip on offer: the tips offered are 10 %, 15 %, 20 %/],
    ['a percentage of zero', { kind: 'percent', percent: 0 }, 'invalid-input', /Choose one of the tips shown/],
    ['a fractional percentage', { kind: 'percent', percent: 15.5 }, 'invalid-input', /Choose one of the tips shown/],
    ['an unknown kind of choice', { kind: 'round-up' }, 'invalid-input', /Choose one of the tips shown/],
    ['a choice with an extra field', { kind: 'none', amount: 5 }, 'invalid-input', /Choose one of the tips shown/],
    ['no choice at all', null, 'invalid-input', /Choose one of the tips shown/],
  ])('refuses %s', async (_name, choice, code, message) => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, choice, 'customer'), code, message);
    expectStillWaiting(fx, till.sale.id);
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created']);
  });

  it('refuses a chooser that is neither the customer nor the cashier, and a sale number that is not one', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, { kind: 'none' }, 'manager'), 'invalid-input', /customer or the cashier/);
    await expectPaymentsError(fx.app.service.chooseTip('1', { kind: 'none' }, 'customer'), 'invalid-input', /named by its number/);
    await expectPaymentsError(fx.app.service.chooseTip(999, { kind: 'none' }, 'customer'), 'not-found');
    expectStillWaiting(fx, till.sale.id);
  });

  it('refuses a tip that would make the sale larger than one sale can be', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: MAX_AMOUNT_HUNDREDTHS - 100, currency: 'usd' });
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, { kind: 'amount', amount: 101 }, 'customer'), 'invalid-amount', /too large for one sale/);
    await expectPaymentsError(fx.app.service.chooseTip(till.sale.id, { kind: 'percent', percent: 10 }, 'customer'), 'invalid-amount', /too large for one sale/);
    expectStillWaiting(fx, till.sale.id);
  });

  it('refuses a tip on a sale rung up with tips off, on a cancelled sale, and a second tip', async () => {
    const fx = await fixture({ ...TIPS_ON, enabled: false });
    const plain = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    expect(plain).toMatchObject({ sale: { awaitingTip: false }, codePayment: { amount: 80 }, tipPrompt: null });
    await expectPaymentsError(fx.app.service.chooseTip(plain.sale.id, { kind: 'none' }, 'customer'), 'invalid-transition', /not waiting for a tip: it was rung up with tips off/);

    fx.app.settings.update({ tips: TIPS_ON });
    const cancelled = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    expect(fx.app.service.cancel(cancelled.sale.id)).toMatchObject({ status: 'cancelled', awaitingTip: false });
    await expectPaymentsError(fx.app.service.chooseTip(cancelled.sale.id, { kind: 'none' }, 'customer'), 'invalid-transition', /was cancelled; ring it up again/);

    const twice = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    await fx.app.service.chooseTip(twice.sale.id, { kind: 'none' }, 'cashier');
    await expectPaymentsError(fx.app.service.chooseTip(twice.sale.id, { kind: 'percent', percent: 10 }, 'customer'), 'invalid-transition', /already chosen by the cashier/);
    expect(fx.app.ledger.getSale(twice.sale.id)).toMatchObject({ tipAmount: 0, tipChosenBy: 'cashier' });
  });
});

describe('payments: no tender while the sale waits for its tip', () => {
  it('cash, another tender and a Code payment are refused with “Choose the tip first”; cancel is allowed', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    const pending = /^Choose the tip first, or No tip\.$/;
    await expectPaymentsError(() => fx.app.service.takeCash(till.sale.id, 5000), 'tip-pending', pending);
    await expectPaymentsError(() => fx.app.service.takeOther(till.sale.id, 100, 'Card'), 'tip-pending', pending);
    await expectPaymentsError(fx.app.service.requestCodePayment(till.sale.id), 'tip-pending', pending);
    expectStillWaiting(fx, till.sale.id);
    expect(fx.app.service.cancel(till.sale.id)).toMatchObject({ status: 'cancelled', awaitingTip: false });
    expect(fx.app.service.tillSale(till.sale.id)).toMatchObject({ tipPrompt: null, codeNote: null, codePayment: null });
  });

  it('the ledger’s own refusal of a tender on a waiting sale keeps its code', async () => {
    const fx = await fixture();
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    // A second service that believes the sale takes tenders (another window, a stale screen): the ledger still refuses.
    const service = fx.serviceWith(() => ({ mode: 'sandbox', destination: fx.destination, tips: TIPS_ON }));
    const stale = { ...till.sale, awaitingTip: false };
    fx.app.ledger.getSale = () => stale;
    await expectPaymentsError(() => service.takeCash(till.sale.id, 5000), 'tip-pending', /waits for its tip/);
  });

  it('a sale left waiting for its tip expires like any unpaid sale', async () => {
    const fx = await fixture(TIPS_ON, { timing: { expireAfterMs: 0 } });
    const till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    await new Promise((r) => setTimeout(r, 5));
    await fx.app.service.reconcileNow();
    expect(fx.app.ledger.getSale(till.sale.id)).toMatchObject({ status: 'expired', awaitingTip: false });
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created', 'expired']);
  });
});
