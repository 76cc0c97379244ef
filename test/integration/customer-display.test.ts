import { afterEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../electron/core/api/api-handlers';
import type { CounterCore } from '../../electron/core/app/counter-core';
import { createCustomerDisplay } from '../../electron/core/customer/customer-display';
import { createCustomerHandlers, type CustomerHandlers } from '../../electron/core/customer/customer-handlers';
import type { CustomerView, TillSale } from '../../electron/shared/contract';
import { startApiCore } from '../support/api-core';
import { memoryLogger } from '../support/memory-logger';
import { FAST_TIMING, waitFor } from '../support/payments-fixture';

// The customer display over the real core (ledger, sandbox sequencer,
// listener, payments): what it shows follows the sale on the till, and its
// one control, the tip, reaches the ledger only for the sale it shows.
// The till stays a fresh install (no owner), where it sells with no sign-in;
// settings, which are the owner's through the API, are set on the core.

/** Short, so PAID going back to idle is seen without waiting ten seconds; the test polls for it, it does not time it. */
const PAID_SHOWN_MS = 150;
const TIPS_ON = { enabled: true, presets: [10, 15, 20], custom: true };

let core: CounterCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

interface Started {
  core: CounterCore;
  api: ApiHandlers;
  customer: CustomerHandlers;
  /** Every view pushed, in order. */
  views: CustomerView[];
}

async function start(): Promise<Started> {
  const started = await startApiCore({ reconcilerTiming: FAST_TIMING, customerPaidShownMs: PAID_SHOWN_MS }, { openCustomerDisplay: async () => ({ kind: 'off' }) });
  core = started.core;
  const views: CustomerView[] = [];
  started.core.customerDisplay.onView((view) => views.push(view));
  return { core: started.core, api: started.api, customer: createCustomerHandlers(started.core), views };
}

async function charge(api: ApiHandlers, amount: number): Promise<TillSale> {
  const answer = await api.charge({ amount });
  if (!answer.ok) throw new Error(`charge failed: ${answer.error.message}`);
  return answer.value;
}

/** The states in the order shown, each run of one state counted once. */
const states = (views: CustomerView[]) => views.map((v) => v.state).filter((s, i, all) => i === 0 || all[i - 1] !== s);

/** What each state may carry: a view with any other key would show the customer something that is not theirs. */
const SHOP = ['mode', 'shopName', 'state'];
const AMOUNTS = ['amount', 'currency', 'paid', 'saleId', 'tipAmount', 'total'];
const KEYS: Record<CustomerView['state'], string[]> = {
  idle: SHOP,
  sale: [...SHOP, ...AMOUNTS],
  tip: [...SHOP, ...AMOUNTS, 'prompt'],
  code: [...SHOP, ...AMOUNTS, 'code', 'payment'],
  paid: [...SHOP, ...AMOUNTS],
};

function expectOnlyCustomerFields(view: CustomerView): void {
  expect(Object.keys(view).sort(), view.state).toEqual([...KEYS[view.state]].sort());
  if (view.state === 'code') {
    expect(Object.keys(view.payment).sort()).toEqual(['amount', 'count', 'index', 'intentId', 'tenderId']);
    expect(Object.keys(view.code).sort()).toEqual(['arcs', 'center', 'dots', 'size']);
  }
  if (view.state === 'tip') {
    expect(Object.keys(view.prompt).sort()).toEqual(['custom', 'maxCustom', 'options']);
    for (const option of view.prompt.options) expect(Object.keys(option).sort()).toEqual(['amount', 'percent']);
  }
}

describe('customer display: following the till', () => {
  it('shows idle, the sale, its scan code, PAID with the total, then idle again', async () => {
    const { core, api, customer, views } = await start();
    expect(core.customerDisplay.view()).toEqual({ state: 'idle', shopName: 'My shop', mode: 'sandbox' });
    const till = await charge(api, 80);
    const saleId = till.sale.id;
    const waiting = till.codePayment!;
    const code = await waitFor('the scan code on the customer display', () => {
      const view = core.customerDisplay.view();
      return view.state === 'code' ? view : null;
    });
    expect(code).toMatchObject({ saleId, currency: 'usd', amount: 80, tipAmount: 0, total: 80, paid: 0, mode: 'sandbox', shopName: 'My shop' });
    expect(code.payment).toEqual({ tenderId: waiting.tenderId, intentId: waiting.intentId, amount: 80, index: 1, count: 1 });
    // The same drawing the till gets for that payment: one request, one code.
    const tillCode = await api.scanCode({ saleId, tenderId: waiting.tenderId });
    if (!tillCode.ok) throw new Error(tillCode.error.message);
    expect(code.code).toEqual({ size: tillCode.value.size, center: tillCode.value.center, arcs: tillCode.value.arcs, dots: tillCode.value.dots });
    expect(await customer.customerView(undefined)).toEqual({ ok: true, value: code });

    expect(await api.simulatePayment({ saleId })).toMatchObject({ ok: true });
    const paid = await waitFor('PAID on the customer display', () => views.find((v) => v.state === 'paid'));
    expect(paid).toMatchObject({ saleId, total: 80, paid: 80 });
    await waitFor('idle after PAID', () => core.customerDisplay.view().state === 'idle');
    expect(states(views)).toEqual(['sale', 'code', 'paid', 'idle']);
    views.forEach(expectOnlyCustomerFields);
  });

  it('a cancelled sale goes back to idle at once', async () => {
    const { core, api, views } = await start();
    const till = await charge(api, 80);
    await waitFor('the scan code', () => core.customerDisplay.view().state === 'code');
    expect(await api.cancelSale({ saleId: till.sale.id })).toMatchObject({ ok: true });
    expect(core.customerDisplay.view().state).toBe('idle');
    expect(states(views)).toEqual(['sale', 'code', 'idle']);
  });

  it('shows the sale the till is on, and idle when the till is on none', async () => {
    const { core, api } = await start();
    const first = await charge(api, 60);
    const second = await charge(api, 70);
    await waitFor('the second sale', () => core.customerDisplay.view().state === 'code');
    expect(core.customerDisplay.view()).toMatchObject({ saleId: second.sale.id, amount: 70 });
    await api.focusSale({ saleId: first.sale.id });
    expect(core.customerDisplay.view()).toMatchObject({ state: 'code', saleId: first.sale.id, amount: 60 });
    await api.focusSale({ saleId: null });
    expect(core.customerDisplay.view()).toEqual({ state: 'idle', shopName: 'My shop', mode: 'sandbox' });
  });

  it('shows idle when the till’s sale cannot be read', async () => {
    const { core, api } = await start();
    await charge(api, 80);
    await waitFor('the scan code', () => core.customerDisplay.view().state === 'code');
    await api.focusSale({ saleId: 999 });
    expect(core.customerDisplay.view()).toEqual({ state: 'idle', shopName: 'My shop', mode: 'sandbox' });
  });

  it('shows a new shop name at once, and only idle while the display is off in the settings', async () => {
    const { core, api, customer } = await start();
    await core.updateSettings({ shopName: 'Corner café' });
    expect(core.customerDisplay.view()).toEqual({ state: 'idle', shopName: 'Corner café', mode: 'sandbox' });
    await charge(api, 80);
    await waitFor('the scan code', () => core.customerDisplay.view().state === 'code');
    await core.updateSettings({ customerDisplay: false });
    expect(core.customerDisplay.view()).toEqual({ state: 'idle', shopName: 'Corner café', mode: 'sandbox' });
    expect(await customer.customerView(undefined)).toMatchObject({ ok: true, value: { state: 'idle' } });
    await core.updateSettings({ customerDisplay: true });
    expect(core.customerDisplay.view().state).toBe('code');
  });
});

describe('customer display: tips', () => {
  it('asks for the tip, and the customer’s 15 % starts the Code payment for the tipped total', async () => {
    const { core, api, customer, views } = await start();
    await core.updateSettings({ tips: TIPS_ON });
    const till = await charge(api, 80);
    const saleId = till.sale.id;
    expect(core.customerDisplay.view()).toEqual({
      state: 'tip',
      shopName: 'My shop',
      mode: 'sandbox',
      saleId,
      currency: 'usd',
      amount: 80,
      tipAmount: 0,
      total: 80,
      paid: 0,
      prompt: {
        options: [
          { percent: 10, amount: 8 },
          { percent: 15, amount: 12 },
          { percent: 20, amount: 16 },
        ],
        custom: true,
        maxCustom: 80,
      },
    });
    const chosen = await customer.chooseTip({ saleId, choice: { kind: 'percent', percent: 15 } });
    expect(chosen).toMatchObject({ ok: true, value: { saleId, tipAmount: 12, total: 92 } });
    const code = await waitFor('the scan code for the tipped total', () => {
      const view = core.customerDisplay.view();
      return view.state === 'code' ? view : null;
    });
    const sale = core.ledger.getSale(saleId);
    expect(sale).toMatchObject({ tipAmount: 12, tipPercent: 15, tipChosenBy: 'customer', awaitingTip: false });
    expect(code).toMatchObject({ saleId, amount: 80, tipAmount: 12, total: 92 });
    expect(code.payment).toMatchObject({ tenderId: sale.tenders[0]!.id, intentId: sale.tenders[0]!.intentId, amount: 92, index: 1, count: 1 });
    expect(states(views)).toEqual(['tip', 'sale', 'code']);

    await api.simulatePayment({ saleId });
    expect(await waitFor('PAID with the tip', () => views.find((v) => v.state === 'paid'))).toMatchObject({ total: 92, paid: 92, tipAmount: 12 });
    views.forEach(expectOnlyCustomerFields);
  });

  it('refuses a tip for a sale the display is not asking about, and writes nothing', async () => {
    const { core, api, customer } = await start();
    await core.updateSettings({ tips: TIPS_ON });
    const first = await charge(api, 80);
    const second = await charge(api, 90);
    expect(core.customerDisplay.view()).toMatchObject({ state: 'tip', saleId: second.sale.id });
    const before = core.ledger.getSaleWithEvents(first.sale.id);
    const answer = await customer.chooseTip({ saleId: first.sale.id, choice: { kind: 'percent', percent: 20 } });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'invalid-transition', message: `The display is asking for the tip of sale #${second.sale.id}, not #${first.sale.id}.` },
    });
    expect(core.ledger.getSaleWithEvents(first.sale.id)).toEqual(before);
    expect(core.ledger.getSale(second.sale.id)).toMatchObject({ awaitingTip: true, tipAmount: 0, tenders: [] });
  });

  it('refuses a tip when none is being asked for (tips off, or already chosen), and writes nothing', async () => {
    const { core, api, customer } = await start();
    const untipped = await charge(api, 80);
    await waitFor('the scan code', () => core.customerDisplay.view().state === 'code');
    const before = core.ledger.getSaleWithEvents(untipped.sale.id);
    const refused = { ok: false, error: { code: 'invalid-transition', message: 'No tip is being asked for now.' } };
    expect(await customer.chooseTip({ saleId: untipped.sale.id, choice: { kind: 'none' } })).toEqual(refused);
    expect(core.ledger.getSaleWithEvents(untipped.sale.id)).toEqual(before);

    await core.updateSettings({ tips: TIPS_ON });
    const tipped = await charge(api, 80);
    expect(await api.chooseTip({ saleId: tipped.sale.id, choice: { kind: 'none' } })).toMatchObject({ ok: true });
    const afterCashier = core.ledger.getSaleWithEvents(tipped.sale.id);
    expect(await customer.chooseTip({ saleId: tipped.sale.id, choice: { kind: 'percent', percent: 10 } })).toEqual(refused);
    expect(core.ledger.getSaleWithEvents(tipped.sale.id)).toEqual(afterCashier);
    expect(afterCashier.sale).toMatchObject({ tipAmount: 0, tipChosenBy: 'cashier' });
  });

  it('refuses a tip while the display is off, and a malformed one, and writes nothing', async () => {
    const { core, api, customer } = await start();
    await core.updateSettings({ tips: TIPS_ON });
    const till = await charge(api, 80);
    const saleId = till.sale.id;
    const before = core.ledger.getSaleWithEvents(saleId);
    for (const args of [{ saleId, choice: { kind: 'percent', percent: 'lots' } }, { saleId, choice: { kind: 'amount', amount: 1.5 } }, { saleId }, { saleId, choice: { kind: 'none' }, by: 'cashier' }]) {
      expect(await customer.chooseTip(args), JSON.stringify(args)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    // A preset the till does not offer: the payments service refuses it in the customer's words.
    expect(await customer.chooseTip({ saleId, choice: { kind: 'percent', percent: 50 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/50 % is not a tip on offer/) },
    });
    await core.updateSettings({ customerDisplay: false });
    expect(await customer.chooseTip({ saleId, choice: { kind: 'none' } })).toMatchObject({ ok: false, error: { code: 'invalid-transition' } });
    expect(core.ledger.getSaleWithEvents(saleId)).toEqual(before);
  });

  it('never shows the client secret, the webhook URL or the deposit address', async () => {
    const { core, api, customer, views } = await start();
    await core.updateSettings({ tips: TIPS_ON });
    const till = await charge(api, 250);
    await customer.chooseTip({ saleId: till.sale.id, choice: { kind: 'amount', amount: 25 } });
    await waitFor('the scan code', () => core.customerDisplay.view().state === 'code');
    const current = await api.currentSale(undefined);
    if (!current.ok || !current.value?.codePayment) throw new Error('no Code payment on the till');
    const secrets = [current.value.codePayment.clientSecret, core.settings.destination()!, core.settings.secrets.webhookPathSecret];
    const shown = JSON.stringify(views);
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(shown).not.toMatch(/clientSecret|webhookUrl|destination/);
    // 2.75 at Code's 1.00 maximum: the first of three payments.
    expect(core.customerDisplay.view()).toMatchObject({ total: 275, payment: { amount: 100, index: 1, count: 3 } });
    views.forEach(expectOnlyCustomerFields);
  });
});

describe('customer display: when something fails', () => {
  it('a scan code that cannot be drawn leaves the sale on screen, says why in the log, and is drawn at the next change', async () => {
    const { core, api } = await start();
    const logger = memoryLogger();
    let failures = 1;
    const display = createCustomerDisplay({
      settings: () => core.settings.get(),
      tillFocus: core.tillFocus,
      payments: {
        tillSale: core.payments.tillSale,
        subscribe: core.payments.subscribe,
        chooseTip: core.payments.chooseTip,
        // The real drawing, but the first attempt fails as a broken encoder would.
        scanCode: (saleId, tenderId) => (failures-- > 0 ? Promise.reject(new Error('encoder unavailable')) : core.payments.scanCode(saleId, tenderId)),
      },
      logger,
    });
    try {
      const till = await charge(api, 80);
      await waitFor('the failure logged', () => logger.lines.find((l) => l.includes('encoder unavailable')));
      expect(logger.lines).toContain(`customer-display: scan code of Code payment ${till.codePayment!.tenderId} (sale ${till.sale.id}) not drawn: encoder unavailable`);
      expect(display.view()).toMatchObject({ state: 'sale', saleId: till.sale.id, total: 80 });
      // The till moves away and back: the display tries again.
      await api.focusSale({ saleId: null });
      await api.focusSale({ saleId: till.sale.id });
      await waitFor('the scan code drawn', () => display.view().state === 'code');
    } finally {
      display.close();
    }
  });

  it('a view listener that throws does not stop the others', async () => {
    const { core, api } = await start();
    const logger = memoryLogger();
    const display = createCustomerDisplay({ settings: () => core.settings.get(), tillFocus: core.tillFocus, payments: core.payments, logger });
    const seen: string[] = [];
    display.onView(() => {
      throw new Error('screen gone');
    });
    display.onView((view) => seen.push(view.state));
    await charge(api, 80);
    await waitFor('the scan code', () => seen.includes('code'));
    expect(logger.lines).toContain('customer-display: a view listener failed: screen gone');
    display.close();
  });
});

