import { afterEach, describe, expect, it } from 'vitest';
import { createApiHandlers, type ApiHandlers } from '../../electron/core/api/api-handlers';
import { createCounterCore, type CounterCore } from '../../electron/core/app/counter-core';
import type { CounterEvent } from '../../electron/shared/contract';
import { waitFor } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

// The handler table the Electron IPC and the preview bridge both serve, over
// the real core: ledger, sandbox sequencer, listener, payments, tunnel.

let core: CounterCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
});

async function start(dir = tempDir()): Promise<{ api: ApiHandlers; events: CounterEvent[]; dir: string }> {
  core = await createCounterCore({
    dataDir: dir,
    timeZone: 'UTC',
    // No cloudflared anywhere: the tunnel reports binary-missing, as on a fresh machine.
    tunnel: { binary: { envPath: '' } },
    sandbox: { timeScale: 0.001, webhookTimeoutMs: 1_000 },
    // Polling at its real pace (once a second), so here the webhook is the first proof.
  });
  const events: CounterEvent[] = [];
  core.onEvent((e) => events.push(e));
  const host = {
    exportCsv: async () => ({ kind: 'cancelled' as const }),
    saveReceiptPdf: async () => ({ saved: false as const }),
    openLogFolder: async () => ({ opened: false, path: null }),
  };
  return { api: createApiHandlers(core, host), events, dir };
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

  it('takes a sandbox sale from charge to paid through the simulated payment', async () => {
    const { api, events } = await start();
    const charge = await api.charge({ amount: 1250 });
    expect(charge).toMatchObject({ ok: true, value: { amount: 1250, currency: 'usd', mode: 'sandbox' } });
    if (!charge.ok) return;
    expect(await api.simulatePayment({ saleId: charge.value.saleId })).toMatchObject({ ok: true });
    await waitFor('a paid event', () => events.find((e) => e.type === 'sale' && e.sale.id === charge.value.saleId && e.cause === 'credited'));
    const sale = await api.getSale({ saleId: charge.value.saleId });
    expect(sale).toMatchObject({ ok: true, value: { sale: { status: 'paid', firstProof: 'webhook' } } });
    const status = events.filter((e) => e.type === 'status').pop();
    expect(status).toMatchObject({ type: 'status', status: { lastEvent: { text: expect.stringMatching(/^Sale #1, \$12\.50, paid \(webhook\)$/) } } });
  });

  it('simulate cancel closes the sale and the sandbox refuses a later payment', async () => {
    const { api } = await start();
    const charge = await api.charge({ amount: 500 });
    if (!charge.ok) throw new Error('charge failed');
    expect(await api.simulateCancel({ saleId: charge.value.saleId })).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect(await api.simulatePayment({ saleId: charge.value.saleId })).toMatchObject({ ok: false, error: { code: 'intent-cancelled' } });
  });
});

describe('api: the sale on screen survives a restart', () => {
  it('brings back the waiting sale with the same Code button, until the till moves on', async () => {
    const first = await start();
    expect(await first.api.currentSale(undefined)).toEqual({ ok: true, value: null });
    const charge = await first.api.charge({ amount: 725 });
    if (!charge.ok) throw new Error('charge failed');
    await core!.close();
    core = null;
    const again = await start(first.dir);
    const restored = await again.api.currentSale(undefined);
    expect(restored).toMatchObject({ ok: true, value: { charge: charge.value, sale: { id: charge.value.saleId, status: 'pending' } } });
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
    ['recentSales', { limit: 10_000 }],
    ['getStatus', { sneaky: true }],
    ['updateSettings', { mode: 'production' }],
    ['updateSettings', { tunnel: { kind: 'named', token: 'x' } }],
  ] as const)('%s(%j) is refused with a clear message', async (method, args) => {
    const { api } = await start();
    const answer = await api[method](args);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(['invalid-input', 'invalid-settings']).toContain(answer.error.code);
    expect(answer.error.message.length).toBeGreaterThan(10);
    expect(await api.recentSales({ limit: 10 })).toEqual({ ok: true, value: [] });
  });

  it('a charge below the minimum is a clear error for the cashier', async () => {
    const { api } = await start();
    expect(await api.charge({ amount: 4 })).toEqual({ ok: false, error: { code: 'below-minimum', message: 'Code payments start at $0.05. Enter a larger amount.' } });
  });

  it('simulated payments are refused in live mode', async () => {
    const { api } = await start();
    const charge = await api.charge({ amount: 500 });
    if (!charge.ok) throw new Error('charge failed');
    expect(await api.updateSettings({ depositAddress: randomAddress(), mode: 'live' })).toMatchObject({ ok: true });
    expect(await api.simulatePayment({ saleId: charge.value.saleId })).toMatchObject({ ok: false, error: { message: /only in sandbox mode/ } });
  });
});

describe('api: settings', () => {
  it('rejects a bad deposit address and going live without one, field by field', async () => {
    const { api } = await start();
    expect(await api.updateSettings({ depositAddress: 'not-an-address' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { depositAddress: expect.stringMatching(/base58 key of 32 bytes/) } },
    });
    expect(await api.updateSettings({ mode: 'live' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { mode: expect.stringMatching(/deposit address before switching to live/) } },
    });
    expect(await api.updateSettings({ currency: 'xyz', shopName: '' })).toMatchObject({
      ok: false,
      error: { fields: { currency: expect.any(String), shopName: expect.any(String) } },
    });
    expect(await api.getSettings(undefined)).toMatchObject({ ok: true, value: { mode: 'sandbox', depositAddress: null, currency: 'usd', shopName: 'My shop' } });
  });

  it('saves valid settings, keeps them across a restart, and applies a new tunnel mode', async () => {
    const first = await start();
    const address = randomAddress();
    const saved = await first.api.updateSettings({ depositAddress: address, mode: 'live', currency: 'EUR', shopName: 'Corner Café', tunnel: { kind: 'off' } });
    expect(saved).toEqual({
      ok: true,
      // The large-amount confirmation follows the currency: 1,000.00 EUR.
      value: { depositAddress: address, mode: 'live', currency: 'eur', shopName: 'Corner Café', tunnel: { kind: 'off' }, confirmAbove: 1_000_00, receiptDetails: false },
    });
    expect(core!.tunnel.state()).toEqual({ status: 'stopped' });
    const port = core!.listener.port;
    await core!.close();
    core = null;
    const again = await start(first.dir);
    expect(await again.api.getSettings(undefined)).toEqual(saved);
    // The listener comes back on the same port, so a named or fixed tunnel keeps pointing at it.
    expect(core!.listener.port).toBe(port);
    const status = await again.api.getStatus(undefined);
    expect(status).toMatchObject({ ok: true, value: { mode: 'live', webhookUrl: null, tunnel: { status: 'stopped' } } });
  });
});

describe('api: secrets stay off the screen', () => {
  const token = 'eyJhIjoiY2FmZSIsInQiOiJ0dW5uZWwtdG9rZW4tZm9yLWNvdW50ZXIifQ';

  it('keeps a named tunnel token write-only: saved, used, never answered, kept when the form sends none', async () => {
    const { api, events } = await start();
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
    const { api } = await start();
    expect(await api.updateSettings({ tunnel: { kind: 'named', publicUrl: 'https://till.example.com' } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-settings', fields: { tunnel: 'Paste the tunnel token from Cloudflare.' } },
    });
  });

  it('the large-amount confirmation follows the currency unless the owner sets one', async () => {
    const { api } = await start();
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

describe('api: failures', () => {
  it('a known failure keeps its kebab-case code and its message for the till', async () => {
    const { api } = await start();
    core!.ledger.close();
    expect(await api.charge({ amount: 500 })).toEqual({ ok: false, error: { code: 'ledger-error', message: 'The sales ledger is closed' } });
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
    const { api } = await start();
    expect(await api.openLogFolder(undefined)).toEqual({ ok: true, value: { opened: false, path: null } });
  });
});
