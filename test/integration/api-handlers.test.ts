import { afterEach, describe, expect, it } from 'vitest';
import type { CounterCore, CounterCoreOptions } from '../../electron/core/app/counter-core';
import { DEFAULT_PRINTER_SETTINGS, type PrinterSettings } from '../../electron/shared/domain/printer';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { NO_CODE, startApiCore, type ApiCore } from '../support/api-core';
import { waitFor } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

// The handler table the Electron IPC and the preview bridge both serve, over
// the real core: ledger, sandbox sequencer, listener, payments, tunnel.

let core: CounterCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

/**
 * The real core in `dir` and its handler table. No cloudflared anywhere: the
 * tunnel reports binary-missing, as on a fresh machine. Polling at its real
 * pace (once a second) unless `extra` says otherwise, so here the webhook is
 * the first proof.
 */
async function start(dir = tempDir(), extra: Partial<CounterCoreOptions> = {}): Promise<ApiCore> {
  const started = await startApiCore({ dataDir: dir, ...extra });
  core = started.core;
  return started;
}

/**
 * The core with the owner Ana (PIN 2580) signed in: created through the API
 * on a fresh install, signed in with her PIN after a restart (the till
 * starts locked). Settings are the owner's, and once roles apply a sale
 * needs an open shift, so one is opened unless `shift` is false (a switch
 * between live and sandbox waits for the shift to close).
 */
async function startAsOwner(dir = tempDir(), extra: Partial<CounterCoreOptions> = {}, { shift = true } = {}) {
  const started = await start(dir, extra);
  const { api } = started;
  const session = await api.sessionState(undefined);
  const signedIn = session.ok && session.value.setup ? await api.createOwner({ name: 'Ana', pin: '2580' }) : await api.signIn({ personId: 1, pin: '2580' });
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  if (shift && !core!.shifts.current()) {
    const opened = await api.openShift({ float: 0 });
    if (!opened.ok) throw new Error(opened.error.message);
  }
  return started;
}

describe('api: a fresh install', () => {
  it('starts in sandbox mode with a working till and a tunnel that says what is missing', async () => {
    const { api } = await start();
    const status = await api.getStatus(undefined);
    expect(status).toMatchObject({ ok: true, value: { mode: 'sandbox', depositAddressSet: false, currency: 'usd', tunnelMode: 'quick' } });
    if (!status.ok) return;
    expect(status.value.tunnel).toMatchObject({ status: 'offline', reason: 'binary-missing' });
    // The webhook path's secret never reaches a screen.
    expect(status.value.webhookUrl).toBe(`${core!.listener.localUrl}/code-webhook/[redacted]`);
    expect(JSON.stringify(status.value)).not.toContain(core!.settings.secrets.webhookPathSecret);
  });

  it('takes a sandbox sale from charge to paid through its simulated Code payments (2.50 in three)', async () => {
    const { api, events } = await start();
    const charge = await api.charge({ amount: 250 });
    expect(charge).toMatchObject({ ok: true, value: { sale: { amount: 250, currency: 'usd', mode: 'sandbox' }, codePayment: { amount: 100, index: 1, count: 3 }, codeNote: null } });
    if (!charge.ok) return;
    const saleId = charge.value.sale.id;
    for (let paid = 1; paid <= 3; paid++) {
      expect(await api.simulatePayment({ saleId })).toMatchObject({ ok: true });
      await waitFor(`Code payment ${paid} credited`, () => events.filter((e) => e.type === 'sale' && e.sale.id === saleId && e.cause === 'credited').length === paid);
      if (paid < 3) {
        const next = await api.requestCodePayment({ saleId });
        expect(next).toMatchObject({ ok: true, value: { sale: { status: 'partly_paid' }, codePayment: { index: paid + 1, count: 3 } } });
      }
    }
    const sale = await api.getSale({ saleId });
    expect(sale).toMatchObject({ ok: true, value: { sale: { status: 'paid', firstProof: 'webhook', paidAmount: 250 } } });
    const status = events.filter((e) => e.type === 'status').pop();
    expect(status).toMatchObject({ type: 'status', status: { lastEvent: { text: expect.stringMatching(/^Sale #1, \$2\.50, paid \(webhook\)$/) } } });
  });

  it('simulate cancel cancels the waiting Code payment, and the sale when nothing has paid it; the sandbox refuses a later payment', async () => {
    const { api } = await start();
    const charge = await api.charge({ amount: 50 });
    if (!charge.ok) throw new Error('charge failed');
    const saleId = charge.value.sale.id;
    expect(await api.simulateCancel({ saleId })).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(core!.sandbox.getIntent(charge.value.codePayment!.intentId)?.state).toBe('cancelled');
    expect(await api.simulatePayment({ saleId })).toMatchObject({ ok: false, error: { code: 'invalid-transition', message: expect.stringMatching(/no Code payment waiting/) } });
  });

  it('simulate cancel on a partly paid sale cancels only its waiting Code payment', async () => {
    const { api, events } = await start();
    const charge = await api.charge({ amount: 150 });
    if (!charge.ok) throw new Error('charge failed');
    const saleId = charge.value.sale.id;
    await api.simulatePayment({ saleId });
    await waitFor('the first payment', () => events.find((e) => e.type === 'sale' && e.cause === 'credited'));
    await api.requestCodePayment({ saleId });
    expect(await api.simulateCancel({ saleId })).toMatchObject({ ok: true, value: { status: 'partly_paid', paidAmount: 100 } });
    expect(await api.cancelSale({ saleId })).toMatchObject({ ok: false, error: { code: 'partly-paid', message: expect.stringMatching(/Take the remaining \$0\.50/) } });
    expect(await api.takeCash({ saleId, tendered: 100 })).toMatchObject({
      ok: true,
      value: { sale: { status: 'paid', tenders: [{ kind: 'code' }, { kind: 'code', status: 'cancelled' }, { kind: 'cash', amount: 50, change: 50 }] } },
    });
  });

  it('cash and other tenders through the API', async () => {
    const { api, events } = await start();
    const charge = await api.charge({ amount: 90 });
    if (!charge.ok) throw new Error('charge failed');
    const saleId = charge.value.sale.id;
    expect(await api.takeOther({ saleId, amount: 40, label: 'Card' })).toMatchObject({
      ok: true,
      value: { sale: { status: 'partly_paid', paidAmount: 40 }, codePayment: null, codeNote: null },
    });
    expect(await api.takeCash({ saleId, tendered: 100 })).toMatchObject({ ok: true, value: { sale: { status: 'paid', paidAmount: 90 } } });
    expect(events.filter((e) => e.type === 'sale' && e.cause === 'tendered')).toHaveLength(2);
    expect(await api.takeCash({ saleId, tendered: 100 })).toMatchObject({ ok: false, error: { code: 'invalid-transition', message: expect.stringMatching(/already paid/) } });
  });
});

describe('api: Code’s health', () => {
  it('is checked at start, shown in the status, and on demand', async () => {
    const { api } = await start();
    await waitFor('the start-up check', () => core!.rails.sandbox.health().state === 'available');
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { rail: { state: 'available' }, codeLimits: { min: 5, max: 100 } } });
    expect(await api.checkRail(undefined)).toMatchObject({ ok: true, value: { state: 'available', checkedAt: expect.any(Number) } });
  });

  it('with the sandbox’s payment service off: unavailable with the reason, charge offers cash and says why', async () => {
    const { api, events } = await startAsOwner();
    expect(await api.updateSettings({ sandboxPaymentService: false })).toMatchObject({ ok: true, value: { sandboxPaymentService: false } });
    expect(core!.sandbox.paymentService()).toBe(false);
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { rail: { state: 'unavailable', reason: 'no payment service', detail: 'HTTP 501: unknown method MicroPayment.getStatus' } } });
    expect(events.filter((e) => e.type === 'status').pop()).toMatchObject({ status: { rail: { state: 'unavailable' } } });
    const charge = await api.charge({ amount: 250 });
    expect(charge).toMatchObject({
      ok: true,
      value: { sale: { status: 'pending', tenders: [] }, codePayment: null, codeNote: 'Code payments are unavailable (no payment service): take cash or another tender.' },
    });
    if (!charge.ok) return;
    expect(await api.currentSale(undefined)).toMatchObject({ ok: true, value: { codeNote: charge.value.codeNote } });
    expect(await api.takeCash({ saleId: charge.value.sale.id, tendered: 300 })).toMatchObject({ ok: true, value: { sale: { status: 'paid' } } });
  });

  it('the sandbox payment switch is kept across a restart', async () => {
    const first = await startAsOwner();
    await first.api.updateSettings({ sandboxPaymentService: false });
    await core!.close();
    core = null;
    const again = await startAsOwner(first.dir);
    expect(core!.sandbox.paymentService()).toBe(false);
    expect(await again.api.checkRail(undefined)).toMatchObject({ ok: true, value: { state: 'unavailable' } });
    expect(await again.api.updateSettings({ sandboxPaymentService: true })).toMatchObject({ ok: true });
    expect(await again.api.getStatus(undefined)).toMatchObject({ ok: true, value: { rail: { state: 'available' } } });
  });

  it('is checked again on its interval (hourly in the app), and the status follows', async () => {
    const { api, events } = await start(tempDir(), { rails: { liveEndpoint: NO_CODE, healthIntervalMs: 30 } });
    await waitFor('the start-up check', () => core!.rails.sandbox.health().state === 'available');
    // The service goes away without anyone touching Settings.
    core!.sandbox.setPaymentService(false);
    await waitFor('a later check to notice', () => core!.rails.sandbox.health().state === 'unavailable');
    await waitFor('the status pushed', () => events.some((e) => e.type === 'status' && e.status.rail.state === 'unavailable'));
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { rail: { state: 'unavailable', reason: 'no payment service' } } });
  });

  it('is checked when going live, and the status then shows the live rail', async () => {
    const { api } = await start();
    await core!.updateSettings({ depositAddress: randomAddress(), mode: 'live' });
    await waitFor('the live rail checked', () => core!.rails.live.health().checkedAt !== null);
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { mode: 'live', rail: { state: 'unknown', reason: 'offline' } } });
  });
});

describe('api: a live sale is finished after switching to sandbox', () => {
  it('is still reconciled through the live rail', async () => {
    const key = loadOrCreateSandboxKey(tempDir());
    const stand = await createSandboxSequencer({ signingKey: key.privateKey });
    try {
      const { api } = await start(tempDir(), { rails: { liveEndpoint: stand.endpoint }, reconcilerTiming: { tickMs: 25, backgroundInitialMs: 25, backgroundMaxMs: 100 } });
      await core!.updateSettings({ depositAddress: randomAddress(), mode: 'live' });
      const charge = await api.charge({ amount: 80 });
      expect(charge).toMatchObject({ ok: true, value: { sale: { mode: 'live' }, codePayment: { mode: 'live', webhookUrl: null } } });
      if (!charge.ok) return;
      await core!.updateSettings({ mode: 'sandbox' });
      await stand.simulatePayment(charge.value.codePayment!.intentId);
      const paid = await waitFor('the live sale reconciled in sandbox mode', () => {
        const sale = core!.ledger.getSale(charge.value.sale.id);
        return sale.status === 'paid' ? sale : null;
      });
      expect(paid.firstProof).toBe('status_poll');
    } finally {
      await core?.close();
      core = null;
      await stand.close();
    }
  });
});

describe('api: the sale on screen survives a restart', () => {
  it('brings back the waiting sale with the same Code button, until the till moves on', async () => {
    const first = await start();
    expect(await first.api.currentSale(undefined)).toEqual({ ok: true, value: null });
    const charge = await first.api.charge({ amount: 72 });
    if (!charge.ok) throw new Error('charge failed');
    await core!.close();
    core = null;
    const again = await start(first.dir);
    const restored = await again.api.currentSale(undefined);
    expect(restored).toMatchObject({ ok: true, value: { codePayment: charge.value.codePayment, sale: { id: charge.value.sale.id, status: 'pending' }, codeNote: null } });
    expect(await again.api.focusSale({ saleId: null })).toEqual({ ok: true, value: null });
    expect(await again.api.currentSale(undefined)).toEqual({ ok: true, value: null });
  });
});

describe('api: every argument is untrusted', () => {
  it.each([
    ['charge', { amount: '12.50' }],
    ['charge', { amount: 100, currency: 'usd', extra: true }],
    ['charge', null],
    ['cancelSale', { saleId: -1 }],
    ['cancelSale', { saleId: '1' }],
    ['focusSale', {}],
    ['requestCodePayment', { saleId: 0 }],
    ['takeCash', { saleId: 1, tendered: 0 }],
    ['takeCash', { saleId: 1, tendered: 1.5 }],
    ['takeCash', { saleId: 1 }],
    ['takeOther', { saleId: 1, amount: 100, label: '  ' }],
    ['takeOther', { saleId: 1, amount: -1, label: 'Card' }],
    ['takeOther', { saleId: 1, amount: 100, label: 'x'.repeat(41) }],
    ['checkRail', { now: true }],
    ['updateSettings', { codeMaximum: 1.5 }],
    ['updateSettings', { sandboxPaymentService: 'off' }],
    ['recentSales', { limit: 10_000 }],
    ['getStatus', { sneaky: true }],
    ['updateSettings', { mode: 'production' }],
    ['updateSettings', { tunnel: { kind: 'named', token: 'x' } }],
    ['chooseTip', { saleId: 1 }],
    ['chooseTip', { saleId: 0, choice: { kind: 'none' } }],
    ['chooseTip', { saleId: 1, choice: { kind: 'amount', amount: -1 } }],
    ['chooseTip', { saleId: 1, choice: { kind: 'amount', amount: 1.5 } }],
    ['chooseTip', { saleId: 1, choice: { kind: 'percent', percent: 0 } }],
    ['chooseTip', { saleId: 1, choice: { kind: 'percent', percent: 12.5 } }],
    ['chooseTip', { saleId: 1, choice: { kind: 'round-up' } }],
    // The till chooses as the cashier: it cannot say the customer chose.
    ['chooseTip', { saleId: 1, choice: { kind: 'none' }, by: 'customer' }],
    ['openCustomerDisplay', { fullScreen: true }],
    ['updateSettings', { tips: { enabled: true, presets: [10, 10], custom: true } }],
    ['updateSettings', { tips: { enabled: true } }],
    ['updateSettings', { paidSound: 'loud' }],
    ['updateSettings', { customerDisplay: 1 }],
  ] as const)('%s(%j) is refused with a clear message', async (method, args) => {
    // Settings are the owner's: sent by anyone else, the refusal would be about who, not about the arguments.
    const { api } = method === 'updateSettings' ? await startAsOwner() : await start();
    const answer = await api[method](args);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(['invalid-input', 'invalid-settings']).toContain(answer.error.code);
    expect(answer.error.message.length).toBeGreaterThan(10);
    expect(await api.recentSales({ limit: 10 })).toEqual({ ok: true, value: [] });
  });

  it('a charge below Code’s minimum is a cash sale, and the till is told why', async () => {
    const { api } = await start();
    expect(await api.charge({ amount: 4 })).toMatchObject({
      ok: true,
      value: { sale: { amount: 4, tenders: [] }, codePayment: null, codeNote: "$0.04 is below Code's minimum of $0.05: take it in cash or another tender." },
    });
  });

  it('a tender on a sale that does not exist is a clear error', async () => {
    const { api } = await start();
    expect(await api.takeCash({ saleId: 99, tendered: 100 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.requestCodePayment({ saleId: 99 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.simulatePayment({ saleId: 99 })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('simulated payments are refused in live mode, and for a live sale', async () => {
    const { api } = await start();
    const charge = await api.charge({ amount: 50 });
    if (!charge.ok) throw new Error('charge failed');
    expect(await core!.updateSettings({ depositAddress: randomAddress(), mode: 'live' })).toMatchObject({ mode: 'live' });
    expect(await api.simulatePayment({ saleId: charge.value.sale.id })).toMatchObject({ ok: false, error: { message: /only in sandbox mode/ } });
    expect(await api.simulateCancel({ saleId: charge.value.sale.id })).toMatchObject({ ok: false, error: { message: /only in sandbox mode/ } });
    const live = core!.ledger.createSale({ amount: 50, currency: 'usd', mode: 'live', destination: randomAddress() });
    await core!.updateSettings({ mode: 'sandbox' });
    expect(await api.simulatePayment({ saleId: live.id })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /live sale: only the customer can pay it/ } });
  });
});

describe('api: settings', () => {
  it('rejects a bad deposit address and going live without one, field by field', async () => {
    const { api } = await startAsOwner();
    // The address and the mode go through the owner's confirmed change (payment-setup.test.ts); the store checks them all the same.
    await expect(core!.updateSettings({ depositAddress: 'not-an-address' })).rejects.toMatchObject({
      code: 'invalid-settings',
      fields: { depositAddress: expect.stringMatching(/base58 key of 32 bytes/) },
    });
    await expect(core!.updateSettings({ mode: 'live' })).rejects.toMatchObject({
      code: 'invalid-settings',
      fields: { mode: expect.stringMatching(/deposit address before switching to live/) },
    });
    expect(await api.updateSettings({ currency: 'xyz', shopName: '' })).toMatchObject({
      ok: false,
      error: { fields: { currency: expect.any(String), shopName: expect.any(String) } },
    });
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { mode: 'sandbox', depositAddress: null, currency: 'usd', shopName: 'My shop' } });
  });

  it('saves valid settings, keeps them across a restart, and applies a new tunnel mode', async () => {
    const first = await startAsOwner(tempDir(), {}, { shift: false });
    const address = randomAddress();
    expect(await first.api.changePaymentSetup({ mode: 'live', depositAddress: address, ownerPin: '2580', lastFour: address.slice(-4) })).toMatchObject({ ok: true });
    const saved = await first.api.updateSettings({ currency: 'EUR', shopName: 'Corner Café', tunnel: { kind: 'off' } });
    expect(saved).toEqual({
      ok: true,
      // The large-amount confirmation follows the currency: 1,000.00 EUR.
      value: {
        depositAddress: address,
        mode: 'live',
        currency: 'eur',
        shopName: 'Corner Café',
        // No name: the shop view tells the till apart by its id.
        tillName: '',
        tunnel: { kind: 'off' },
        confirmAbove: 1_000_00,
        receiptDetails: false,
        codeMaximum: { amount: 1_00, source: 'code-table', at: null, tableAmount: 1_00, minimum: 5 },
        sandboxPaymentService: true,
        tips: { enabled: false, presets: [10, 15, 20], custom: true },
        customerDisplay: true,
        paidSound: true,
        // No printer until one is chosen.
        printer: DEFAULT_PRINTER_SETTINGS,
        lockAfterMinutes: 5,
        // No shop database until the owner sets one.
        shopDatabase: { url: null, passwordSaved: false, passwordEncrypted: false, host: null },
      },
    });
    expect(core!.tunnel.state()).toEqual({ status: 'stopped' });
    const port = core!.listener.port;
    await core!.close();
    core = null;
    const again = await startAsOwner(first.dir, {}, { shift: false });
    expect(await again.api.getSettings(undefined)).toEqual(saved);
    // The listener comes back on the same port, so a named or fixed tunnel keeps pointing at it.
    expect(core!.listener.port).toBe(port);
    const status = await again.api.getStatus(undefined);
    expect(status).toMatchObject({ ok: true, value: { mode: 'live', webhookUrl: null, tunnel: { status: 'stopped' } } });
  });
});

describe('api: the Code maximum setting', () => {
  it('is Code’s table until the owner sets one; refuses less than Code’s minimum; null goes back to the table', async () => {
    const { api } = await startAsOwner();
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { codeMaximum: { amount: 100, source: 'code-table', at: null, tableAmount: 100, minimum: 5 } } });
    expect(await api.updateSettings({ codeMaximum: 500 })).toMatchObject({ ok: true, value: { codeMaximum: { amount: 500, source: 'owner', at: expect.any(Number) } } });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { codeLimits: { min: 5, max: 500 } } });
    expect(await api.updateSettings({ codeMaximum: 4 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { codeMaximum: "One Code payment cannot be less than $0.05, Code's minimum." } },
    });
    // Per currency: JPY has its own, from the table.
    expect(await api.updateSettings({ currency: 'jpy' })).toMatchObject({ ok: true, value: { codeMaximum: { amount: 100_00, source: 'code-table', minimum: 5_00 } } });
    expect(await api.updateSettings({ currency: 'usd' })).toMatchObject({ ok: true, value: { codeMaximum: { amount: 500, source: 'owner' } } });
    expect(await api.updateSettings({ codeMaximum: null })).toMatchObject({ ok: true, value: { codeMaximum: { amount: 100, source: 'code-table', at: null } } });
    const charge = await api.charge({ amount: 250 });
    expect(charge).toMatchObject({ ok: true, value: { codePayment: { amount: 100, count: 3 } } });
  });

  it('a learned maximum below Code’s minimum, or for a currency Code does not take, is not kept', async () => {
    const { api } = await start();
    expect(core!.settings.recordLearnedMaximum('usd', 4)).toBe(false);
    expect(core!.settings.recordLearnedMaximum('xyz', 100)).toBe(false);
    expect(core!.settings.recordLearnedMaximum('usd', 1.5)).toBe(false);
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { codeMaximum: { amount: 100, source: 'code-table' } } });
    expect(core!.settings.recordLearnedMaximum('usd', 200)).toBe(true);
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { codeMaximum: { amount: 200, source: 'sequencer' } } });
  });

  it('a maximum learned from a refusal is shown with its source', async () => {
    const { api } = await startAsOwner();
    // The till believes 5.00, the sandbox enforces Code's table (1.00).
    await api.updateSettings({ codeMaximum: 500 });
    const charge = await api.charge({ amount: 250 });
    expect(charge).toMatchObject({ ok: true, value: { codePayment: { amount: 100, index: 1, count: 3 }, codeNote: null } });
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { codeMaximum: { amount: 100, source: 'sequencer', at: expect.any(Number) } } });
  });
});

describe('api: secrets stay off the screen', () => {
  const token = 'eyJhIjoiY2FmZSIsInQiOiJ0dW5uZWwtdG9rZW4tZm9yLWNvdW50ZXIifQ';

  it('keeps a named tunnel token write-only: saved, used, never answered, kept when the form sends none', async () => {
    const { api, events } = await startAsOwner();
    const saved = await api.updateSettings({ tunnel: { kind: 'named', token, publicUrl: 'https://till.example.com' } });
    expect(saved).toMatchObject({ ok: true, value: { tunnel: { kind: 'named', publicUrl: 'https://till.example.com', tokenSaved: true } } });
    expect(core!.settings.tunnel()).toEqual({ kind: 'named', token, publicUrl: 'https://till.example.com' });
    // The form sends the URL alone: the token stays.
    await api.updateSettings({ tunnel: { kind: 'named', publicUrl: 'https://till2.example.com' } });
    expect(core!.settings.tunnel()).toEqual({ kind: 'named', token, publicUrl: 'https://till2.example.com' });
    const everything = JSON.stringify([await api.getSettings(undefined), await api.getStatus(undefined), events]);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(core!.settings.secrets.webhookPathSecret);
  });

  it('asks for a token when a named tunnel has none saved', async () => {
    const { api } = await startAsOwner();
    expect(await api.updateSettings({ tunnel: { kind: 'named', publicUrl: 'https://till.example.com' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { tunnel: 'Paste the tunnel token from Cloudflare.' } },
    });
  });

  it('the large-amount confirmation follows the currency unless the owner sets one', async () => {
    const { api } = await startAsOwner();
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { currency: 'usd', confirmAbove: 1_000_00 } });
    expect(await api.updateSettings({ currency: 'jpy' })).toMatchObject({ ok: true, value: { currency: 'jpy', confirmAbove: 100_000_00 } });
    expect(await api.updateSettings({ currency: 'usd', confirmAbove: 250_00, receiptDetails: true })).toMatchObject({
      ok: true,
      value: { currency: 'usd', confirmAbove: 250_00, receiptDetails: true },
    });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { confirmAbove: 250_00, receiptDetails: true } });
    expect(await api.updateSettings({ confirmAbove: 12.5 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await api.updateSettings({ confirmAbove: -1 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('api: tips', () => {
  const TIPS = { enabled: true, presets: [10, 15, 20], custom: true };

  it('a sale waits for its tip; the cashier chooses 15 %; the Code payment is for the tipped total and PAID says so', async () => {
    const { api, events } = await startAsOwner();
    expect(await api.updateSettings({ tips: TIPS })).toMatchObject({ ok: true, value: { tips: TIPS } });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { tipsEnabled: true, paidSound: true, customerDisplay: true } });
    const charge = await api.charge({ amount: 80 });
    expect(charge).toMatchObject({
      ok: true,
      value: { sale: { awaitingTip: true }, codePayment: null, tipPrompt: { options: [{ percent: 10, amount: 8 }, { percent: 15, amount: 12 }, { percent: 20, amount: 16 }] } },
    });
    if (!charge.ok) return;
    const saleId = charge.value.sale.id;
    // The till's focus is on the sale, so a restarted screen shows the prompt again.
    expect(await api.currentSale(undefined)).toMatchObject({ ok: true, value: { sale: { id: saleId }, tipPrompt: { custom: true } } });
    expect(await api.takeCash({ saleId, tendered: 100 })).toEqual({ ok: false, error: { code: 'tip-pending', message: 'Choose the tip first, or No tip.' } });
    expect(await api.requestCodePayment({ saleId })).toMatchObject({ ok: false, error: { code: 'tip-pending' } });
    const tipped = await api.chooseTip({ saleId, choice: { kind: 'percent', percent: 15 } });
    expect(tipped).toMatchObject({ ok: true, value: { sale: { tipAmount: 12, tipPercent: 15, tipChosenBy: 'cashier' }, codePayment: { amount: 92 }, tipPrompt: null } });
    expect(events.some((e) => e.type === 'sale' && e.cause === 'tipped' && e.sale.id === saleId)).toBe(true);
    await api.simulatePayment({ saleId });
    await waitFor('the tipped sale paid', () => events.find((e) => e.type === 'sale' && e.cause === 'credited' && e.sale.status === 'paid'));
    const detail = await api.getSale({ saleId });
    expect(detail).toMatchObject({ ok: true, value: { sale: { status: 'paid', paidAmount: 92 } } });
    if (detail.ok) expect(detail.value.events.slice(0, 2)).toMatchObject([{ kind: 'tip', outcome: 'tipped', source: 'manual' }, { outcome: 'credited' }]);
    const status = events.filter((e) => e.type === 'status').pop();
    expect(status).toMatchObject({ status: { lastEvent: { text: expect.stringMatching(/^Sale #1, \$0\.92 \(tip \$0\.12\), paid \(webhook\)$/) } } });
    // The day's totals count the tip apart, within the takings.
    const totals = await api.salesTotals({ filter: { mode: 'sandbox' } });
    expect(totals).toMatchObject({ ok: true, value: [{ currency: 'usd', paidAmount: 92, tips: 12, tippedCount: 1 }] });
  });

  it('a custom tip above the sale’s amount, or a percentage not on offer, is refused with the reason, and the sale still waits', async () => {
    const { api } = await startAsOwner();
    await api.updateSettings({ tips: TIPS });
    const charge = await api.charge({ amount: 500 });
    if (!charge.ok) throw new Error('charge failed');
    const saleId = charge.value.sale.id;
    expect(await api.chooseTip({ saleId, choice: { kind: 'amount', amount: 501 } })).toEqual({
      ok: false,
      error: { code: 'invalid-amount', message: 'A tip can be at most $5.00 on this sale (its own amount).' },
    });
    expect(await api.chooseTip({ saleId, choice: { kind: 'percent', percent: 25 } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: '25 % is not a tip on offer: the tips offered are 10 %, 15 %, 20 %.' },
    });
    expect(await api.chooseTip({ saleId: 99, choice: { kind: 'none' } })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await api.getSale({ saleId })).toMatchObject({ ok: true, value: { sale: { awaitingTip: true, tenders: [] }, events: [] } });
    expect(await api.chooseTip({ saleId, choice: { kind: 'none' } })).toMatchObject({ ok: true, value: { sale: { tipAmount: 0 }, codePayment: { amount: 100 } } });
    expect(await api.chooseTip({ saleId, choice: { kind: 'none' } })).toMatchObject({ ok: false, error: { code: 'invalid-transition', message: /already chosen by the cashier/ } });
  });

  it('tips are off by default: a charge starts its Code payment at once, and chooseTip is refused', async () => {
    const { api } = await start();
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { tips: { enabled: false, presets: [10, 15, 20], custom: true } } });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { tipsEnabled: false } });
    const charge = await api.charge({ amount: 80 });
    expect(charge).toMatchObject({ ok: true, value: { sale: { awaitingTip: false }, codePayment: { amount: 80 }, tipPrompt: null } });
    if (!charge.ok) return;
    expect(await api.chooseTip({ saleId: charge.value.sale.id, choice: { kind: 'none' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-transition', message: /tips off/ },
    });
  });

  it('the tip settings are checked field by field, and kept with the display and sound switches across a restart', async () => {
    const first = await startAsOwner();
    const refusals = [
      [{ enabled: true, presets: [0], custom: true }, 'Tips: at least 1 %.', /tips\.presets\.0: at least 1 %/],
      [{ enabled: true, presets: [101], custom: true }, 'Tips: at most 100 %.', /tips\.presets\.0: at most 100 %/],
      [{ enabled: true, presets: [12.5], custom: true }, 'Tips: must be a whole percent.', /tips\.presets\.0: must be a whole percent/],
      [{ enabled: true, presets: [5, 10, 15, 20, 25], custom: true }, 'Tips: at most 4 presets.', /tips\.presets: at most 4 presets/],
      [{ enabled: true, presets: [10, 10], custom: true }, 'Tips: each preset once.', /tips\.presets: each preset once/],
    ] as const;
    for (const [tips, field, message] of refusals) {
      // The handler's contract check answers first, naming the place; the settings store itself answers field by field, for the form.
      expect(await first.api.updateSettings({ tips })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(message) } });
      expect(() => core!.settings.update({ tips })).toThrow(expect.objectContaining({ code: 'invalid-settings', fields: { tips: field } }));
    }
    // Tips on with nothing to offer but "no tip" is the store's own rule, answered as a field.
    expect(await first.api.updateSettings({ tips: { enabled: true, presets: [], custom: false } })).toEqual({
      ok: false,
      error: { code: 'invalid-settings', message: 'Tips: offer at least one percentage or a custom amount.', fields: { tips: 'Tips: offer at least one percentage or a custom amount.' } },
    });
    expect(await first.api.getSettings(undefined)).toMatchObject({ ok: true, value: { tips: { enabled: false } } });
    // Tips off with nothing offered is fine: nothing is asked.
    expect(await first.api.updateSettings({ tips: { enabled: false, presets: [], custom: false } })).toMatchObject({ ok: true });
    const saved = await first.api.updateSettings({ tips: { enabled: true, presets: [18, 5], custom: false }, customerDisplay: false, paidSound: false });
    expect(saved).toMatchObject({ ok: true, value: { tips: { enabled: true, presets: [18, 5], custom: false }, customerDisplay: false, paidSound: false } });
    expect(await first.api.getStatus(undefined)).toMatchObject({ ok: true, value: { tipsEnabled: true, customerDisplay: false, paidSound: false } });
    await core!.close();
    core = null;
    const again = await startAsOwner(first.dir);
    expect(await again.api.getSettings(undefined)).toEqual(saved);
  });

  it('opens the customer display through the host', async () => {
    const { api } = await start();
    expect(await api.openCustomerDisplay(undefined)).toEqual({ ok: true, value: { kind: 'url', url: 'http://127.0.0.1:1/customer?token=t' } });
  });
});

describe('api: failures', () => {
  it('a known failure keeps its kebab-case code and its message for the till', async () => {
    const { api } = await start();
    core!.ledger.close();
    // Who may call is read from the ledger first (whether the owner exists): a closed ledger refuses there, and runs nothing.
    expect(await api.charge({ amount: 50 })).toEqual({ ok: false, error: { code: 'closed', message: 'The sales ledger is closed' } });
  });

  it('an error that is not a CounterError is reported as unexpected, without claiming nothing was charged', async () => {
    const { api } = await start();
    core!.payments.charge = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'id')");
    };
    expect(await api.charge({ amount: 500 })).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message:
          "Counter could not finish this because of an unexpected problem (Cannot read properties of undefined (reading 'id')). " +
          'Check the sale on screen and the sales log before trying again; the details are in the log file.',
      },
    });
  });

  it('answers the log folder through the host', async () => {
    const { api } = await startAsOwner();
    expect(await api.openLogFolder(undefined)).toEqual({ ok: true, value: { opened: false, path: null } });
  });
});

describe('api: printing', () => {
  /** A network printer where nothing listens: jobs are queued, then fail "does not answer". */
  const UNREACHABLE: PrinterSettings = { ...DEFAULT_PRINTER_SETTINGS, kind: 'network', host: '127.0.0.1', port: 9, drawerOnCash: false };

  it('refuses malformed print requests before anything is queued', async () => {
    const { api } = await startAsOwner();
    const refusals: Array<[Promise<{ ok: boolean }>, RegExp]> = [
      [api.printReceipt({ saleId: 0 }), /printReceipt: saleId/],
      [api.printReceipt({ saleId: 1, copy: 'merchant' }), /printReceipt: copy/],
      [api.printReceipt({ saleId: 1, extra: true }), /printReceipt/],
      [api.printDaySummary({ date: '2026-11-23T00:00' }), /printDaySummary: date/],
      [api.printDaySummary({ date: '2026-11-23', mode: 'both' }), /printDaySummary: mode/],
      [api.printTest({ now: true }), /printTest/],
      [api.openDrawer({ reason: 'cash' }), /openDrawer/],
      [api.retryPrint({ jobId: -1 }), /retryPrint: jobId/],
      [api.retryPrint({}), /retryPrint: jobId/],
      [api.printJobs({ limit: 0 }), /printJobs: limit/],
      [api.printJobs({ limit: 101 }), /printJobs: limit/],
    ];
    for (const [answer, message] of refusals) {
      expect(await answer).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(message) } });
    }
    expect(await api.printJobs({ limit: 10 })).toEqual({ ok: true, value: [] });
  });

  it('with no printer chosen (the default): the status is off, and every print says to choose one', async () => {
    const { api } = await startAsOwner();
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { printer: { state: 'off' } } });
    const noPrinter = { ok: false, error: { code: 'printer-not-set', message: 'No receipt printer is set up: choose one in Settings.' } };
    expect(await api.printTest(undefined)).toEqual(noPrinter);
    expect(await api.openDrawer(undefined)).toEqual(noPrinter);
    expect(await api.printDaySummary({ date: '2026-11-23' })).toEqual(noPrinter);
    expect(await api.printReceipt({ saleId: 1 })).toEqual(noPrinter);
    expect(await api.printJobs({ limit: 10 })).toEqual({ ok: true, value: [] });
  });

  it('checks the printer settings field by field', async () => {
    const { api, dir } = await startAsOwner();
    // Each message is keyed by its field, so the settings screen shows it beside that field.
    const refused = [
      [{ ...UNREACHABLE, host: '' }, 'printer.host', /needs its address/],
      [{ ...UNREACHABLE, host: 'http://printer.local' }, 'printer.host', /not a printer address/],
      [{ ...UNREACHABLE, host: '10.0.0.5 9100' }, 'printer.host', /not a printer address/],
      [{ ...DEFAULT_PRINTER_SETTINGS, kind: 'system', systemName: '  ' }, 'printer.systemName', /Choose the system printer/],
    ] as const;
    for (const [printer, field, message] of refused) {
      expect(await api.updateSettings({ printer })).toMatchObject({ ok: false, error: { code: 'invalid-settings', fields: { [field]: expect.stringMatching(message) } } });
    }
    expect(() => core!.settings.update({ printer: { ...UNREACHABLE, footer: ['x'.repeat(49)] } })).toThrow(
      expect.objectContaining({ code: 'invalid-settings', fields: { 'printer.footer.0': 'Printer footer: at most 48 characters a line.' } }),
    );
    expect(() => core!.settings.update({ printer: { ...UNREACHABLE, header: ['ok', 'bell\u0007'] } })).toThrow(
      expect.objectContaining({ fields: { 'printer.header.1': 'Printer header: letters, digits and punctuation only.' } }),
    );
    expect(() => core!.settings.update({ printer: { ...UNREACHABLE, port: 70_000 } })).toThrow(
      expect.objectContaining({ fields: { 'printer.port': expect.stringMatching(/^Printer port: /) } }),
    );
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { printer: DEFAULT_PRINTER_SETTINGS } });
    // A valid printer is kept across a restart, and the status bar shows it ready.
    const saved = await api.updateSettings({ printer: { ...UNREACHABLE, host: ' printer.local ', paperWidth: 58, header: ['12 Main Street'] } });
    expect(saved).toMatchObject({ ok: true, value: { printer: { kind: 'network', host: 'printer.local', paperWidth: 58, header: ['12 Main Street'] } } });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { printer: { state: 'ready', queued: 0 } } });
    await core!.close();
    core = null;
    const again = await startAsOwner(dir);
    expect(await again.api.getSettings(undefined)).toEqual({ ok: true, value: saved.ok ? saved.value : null });
  });

  it('answers each print at once with its job; the fault follows as an event and in the status, with Retry', async () => {
    const { api, events } = await startAsOwner();
    await api.updateSettings({ printer: UNREACHABLE });
    const test = await api.printTest(undefined);
    expect(test).toMatchObject({ ok: true, value: { kind: 'test', reason: 'manual', state: 'queued', attempts: 0 } });
    if (!test.ok) return;
    const failed = await waitFor('the failed job event', () =>
      events.find((e) => e.type === 'print-job' && e.job.id === test.value.id && e.job.state === 'failed'),
    );
    expect(failed).toMatchObject({ job: { lastError: expect.stringMatching(/127\.0\.0\.1:9 does not answer/) } });
    expect(await api.getStatus(undefined)).toMatchObject({ ok: true, value: { printer: { state: 'error', message: expect.stringMatching(/does not answer/), queued: 0, failed: 1 } } });
    expect(await api.printJobs({ limit: 10 })).toMatchObject({ ok: true, value: [{ id: test.value.id, state: 'failed' }] });
    expect(await api.retryPrint({ jobId: test.value.id })).toMatchObject({ ok: true, value: { id: test.value.id, state: 'queued' } });
    expect(await api.retryPrint({ jobId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No print job #999.' } });
  });

  it('refuses a receipt for a sale that is not paid or does not exist, and a report for a bad date', async () => {
    const { api } = await startAsOwner();
    await api.updateSettings({ printer: UNREACHABLE });
    const charge = await api.charge({ amount: 50 });
    if (!charge.ok) throw new Error(charge.error.message);
    expect(await api.printReceipt({ saleId: charge.value.sale.id })).toMatchObject({ ok: false, error: { code: 'invalid-transition', message: /only a paid sale/ } });
    expect(await api.printReceipt({ saleId: 999 })).toMatchObject({ ok: false, error: { code: 'not-found', message: 'No sale #999.' } });
    expect(await api.printDaySummary({ date: '2026-02-30' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /YYYY-MM-DD/ } });
    expect(await api.printJobs({ limit: 10 })).toEqual({ ok: true, value: [] });
    // A paid sale prints the settings' copies, or both when asked.
    const cash = await api.charge({ amount: 4 });
    if (!cash.ok) throw new Error(cash.error.message);
    await api.takeCash({ saleId: cash.value.sale.id, tendered: 4 });
    expect(await api.printReceipt({ saleId: cash.value.sale.id })).toMatchObject({ ok: true, value: [{ copy: 'customer', saleId: cash.value.sale.id }] });
    expect(await api.printReceipt({ saleId: cash.value.sale.id, copy: 'both' })).toMatchObject({ ok: true, value: [{ copy: 'customer' }, { copy: 'shop' }] });
  });

  it('"No sale" needs a network printer; it is recorded and counted in the day’s report', async () => {
    const { api } = await startAsOwner();
    await api.updateSettings({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'system', systemName: 'Receipts' } });
    expect(await api.openDrawer(undefined)).toMatchObject({ ok: false, error: { code: 'printer-unsupported', message: expect.stringMatching(/network receipt printer/) } });
    await api.updateSettings({ printer: UNREACHABLE });
    const opened = await api.openDrawer(undefined);
    expect(opened).toMatchObject({ ok: true, value: { reason: 'no-sale', saleId: null, at: expect.any(Number) } });
    if (!opened.ok) return;
    const today = new Date(opened.value.at).toISOString().slice(0, 10);
    expect(await api.daySummary({ date: today, mode: 'sandbox' })).toMatchObject({ ok: true, value: { drawerOpenings: { cash: 0, noSale: 1 } } });
    expect(await api.daySummary({ date: today, mode: 'live' })).toMatchObject({ ok: true, value: { drawerOpenings: { cash: 0, noSale: 0 } } });
  });

  it('a system printer in the browser preview (no system transport): the job fails and says why', async () => {
    const { api } = await startAsOwner();
    await api.updateSettings({ printer: { ...DEFAULT_PRINTER_SETTINGS, kind: 'system', systemName: 'Receipts' } });
    const test = await api.printTest(undefined);
    if (!test.ok) throw new Error(test.error.message);
    const job = await waitFor('the job failed', () => {
      const j = core!.ledger.printing.getJob(test.value.id);
      return j.state === 'failed' ? j : null;
    });
    expect(job.lastError).toBe('System printers print from the Counter app; the browser preview cannot.');
  });
});
