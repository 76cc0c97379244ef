import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PaymentsError } from '../../electron/core/payments/errors';
import { saleIs, startPaymentsFixture, waitFor, type PaymentsFixture } from '../support/payments-fixture';

let f: PaymentsFixture | null = null;
const servers: Server[] = [];
afterEach(async () => {
  await f?.close();
  f = null;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function expectPaymentsError(promise: Promise<unknown>, code: PaymentsError['code'], message?: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the charge to fail').toBeInstanceOf(PaymentsError);
  expect((error as PaymentsError).code).toBe(code);
  if (message) expect((error as PaymentsError).message).toMatch(message);
}

/** A stand-in sequencer that answers every call with `handler`'s response. */
async function fakeSequencer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler!);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

describe('payments: a sale through the real Code client and the sandbox sequencer', () => {
  it('charge → simulated payment → webhook → paid, with quarks and exchange rate', async () => {
    // Reconciliation off, so only the webhook can mark the sale paid.
    f = await startPaymentsFixture({ start: false });
    const charge = await f.app.service.charge({ amount: 1250, currency: 'usd' });
    expect(charge).toMatchObject({ amount: 1250, currency: 'usd', destination: f.destination, mode: 'sandbox' });
    expect(charge.webhookUrl).toBe(`${f.app.listener.localUrl}${f.app.listener.webhookPath}`);
    expect(charge.clientSecret).toEqual(expect.any(String));
    const intent = f.sandbox.getIntent(charge.intentId);
    expect(intent).toBeDefined();
    expect(f.app.ledger.getSale(charge.saleId)).toMatchObject({ status: 'pending', intentId: charge.intentId, webhookUrl: charge.webhookUrl });

    await f.sandbox.simulatePayment(charge.intentId);
    const paid = await waitFor('the webhook to mark the sale paid', () => saleIs(f!.app.ledger, charge.saleId, 'paid'));
    expect(paid).toMatchObject({ firstProof: 'webhook', paidLate: false });
    expect(paid.quarks).toBeGreaterThan(0);
    expect(Number.isInteger(paid.quarks)).toBe(true);
    expect(paid.exchangeRate).toBeGreaterThan(0);
    // Code's schedule overlaps attempts, so the webhook may arrive more than once: one credit.
    const causes = f.app.updates.map((u) => u.cause);
    expect(causes.slice(0, 2)).toEqual(['created', 'credited']);
    expect(causes.slice(2).every((c) => c === 'duplicate')).toBe(true);
  });

  it('two charges of the same amount get different intents (idempotency keys are per sale)', async () => {
    f = await startPaymentsFixture({ start: false });
    const a = await f.app.service.charge({ amount: 500, currency: 'eur' });
    const b = await f.app.service.charge({ amount: 500, currency: 'eur' });
    expect(a.intentId).not.toBe(b.intentId);
    expect(f.sandbox.listIntents()).toHaveLength(2);
  });

  it('a lost webhook (listener down when it fires) is recovered by status polling', async () => {
    f = await startPaymentsFixture({ start: false });
    const charge = await f.app.service.charge({ amount: 300, currency: 'usd' });
    await f.app.listener.close();
    await f.sandbox.simulatePayment(charge.intentId);
    await waitFor('the webhook attempts to fail', () => f!.sandbox.deliveries().length >= 2);
    expect(f.app.ledger.getSale(charge.saleId).status).toBe('pending');
    f.app.service.start();
    const paid = await waitFor('polling to mark the sale paid', () => saleIs(f!.app.ledger, charge.saleId, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
  });

  it('the sale on screen is polled even with no webhook URL at all', async () => {
    f = await startPaymentsFixture({ timing: { backgroundInitialMs: 60_000, backgroundMaxMs: 60_000 } });
    f.webhookBase = { kind: 'none' };
    const charge = await f.app.service.charge({ amount: 300, currency: 'usd' });
    expect(charge.webhookUrl).toBeNull();
    expect(f.sandbox.getIntent(charge.intentId)?.webhookUrl ?? null).toBeNull();
    f.app.service.focus(charge.saleId);
    await f.sandbox.simulatePayment(charge.intentId);
    const paid = await waitFor('polling to mark the sale paid', () => saleIs(f!.app.ledger, charge.saleId, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
    expect(f.sandbox.deliveries()).toEqual([]);
  });

  it('a payment after cancel is recorded as paid and flagged', async () => {
    f = await startPaymentsFixture({ start: false });
    const charge = await f.app.service.charge({ amount: 725, currency: 'usd' });
    expect(f.app.service.cancel(charge.saleId).status).toBe('cancelled');
    await f.sandbox.simulatePayment(charge.intentId);
    const paid = await waitFor('the late payment', () => saleIs(f!.app.ledger, charge.saleId, 'paid'));
    expect(paid).toMatchObject({ paidLate: true, firstProof: 'webhook' });
    expect(paid.cancelledAt).not.toBeNull();
    const causes = f.app.updates.map((u) => u.cause);
    expect(causes.slice(0, 3)).toEqual(['created', 'cancelled', 'late']);
    expect(causes.slice(3).every((c) => c === 'duplicate')).toBe(true);
  });

  it('a restart in the middle: the pending sale is reconciled after reopening', async () => {
    f = await startPaymentsFixture({ start: false });
    const charge = await f.app.service.charge({ amount: 990, currency: 'usd' });
    await f.app.close();
    // The customer pays while the till is closed: the webhook finds no one.
    await f.sandbox.simulatePayment(charge.intentId);
    await waitFor('the webhook attempts to fail', () => f!.sandbox.deliveries().length >= 1);
    const app = await f.restartApp({ start: true });
    const paid = await waitFor('the reopened app to reconcile the sale', () => saleIs(app.ledger, charge.saleId, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
  });

  it('a sale created under an old webhook URL is still recorded once the URL changes', async () => {
    f = await startPaymentsFixture();
    f.webhookBase = { kind: 'fixed', url: 'http://127.0.0.1:9/gone/old-tunnel' };
    const old = await f.app.service.charge({ amount: 400, currency: 'usd' });
    expect(old.webhookUrl).toBe('http://127.0.0.1:9/gone/old-tunnel');
    f.webhookBase = { kind: 'listener' };
    const current = await f.app.service.charge({ amount: 410, currency: 'usd' });
    expect(current.webhookUrl).toContain(f.app.listener.webhookPath);
    await f.sandbox.simulatePayment(old.intentId);
    await f.sandbox.simulatePayment(current.intentId);
    await waitFor('both sales paid', () => saleIs(f!.app.ledger, old.saleId, 'paid') && saleIs(f!.app.ledger, current.saleId, 'paid'));
    expect(f.app.ledger.getSale(old.saleId).firstProof).toBe('status_poll');
  });

  it('expires a sale left pending too long, and still records a late payment for it', async () => {
    f = await startPaymentsFixture({ timing: { expireAfterMs: 100, lateWindowMs: 60_000 } });
    const charge = await f.app.service.charge({ amount: 600, currency: 'usd' });
    await waitFor('the sale to expire', () => saleIs(f!.app.ledger, charge.saleId, 'expired'));
    expect(f.app.updates.some((u) => u.cause === 'expired' && u.sale.id === charge.saleId)).toBe(true);
    f.webhookBase = { kind: 'none' };
    await f.app.listener.close();
    await f.sandbox.simulatePayment(charge.intentId);
    const paid = await waitFor('the late payment', () => saleIs(f!.app.ledger, charge.saleId, 'paid'));
    expect(paid).toMatchObject({ paidLate: true, firstProof: 'status_poll' });
  });

  it('a webhook registration the sequencer refuses does not block the sale', async () => {
    f = await startPaymentsFixture({ start: false });
    f.webhookBase = { kind: 'fixed', url: 'ftp://example.com/hook' };
    const charge = await f.app.service.charge({ amount: 300, currency: 'usd' });
    expect(charge.webhookUrl).toBeNull();
    expect(f.app.ledger.getSale(charge.saleId)).toMatchObject({ status: 'pending', webhookUrl: null });
    expect(f.app.logs.some((l) => /not registered \(invalid_url\)/.test(l))).toBe(true);
  });
});

describe('payments: bad input gets a clear error and writes nothing', () => {
  it.each<[unknown, PaymentsError['code'], RegExp?]>([
    [{ amount: 0, currency: 'usd' }, 'invalid-amount', /greater than zero/],
    [{ amount: -100, currency: 'usd' }, 'invalid-amount'],
    [{ amount: 1.5, currency: 'usd' }, 'invalid-amount'],
    [{ amount: '125', currency: 'usd' }, 'invalid-amount'],
    [{ amount: Number.NaN, currency: 'usd' }, 'invalid-amount'],
    [{ amount: 4, currency: 'usd' }, 'below-minimum', /\$0\.05/],
    [{ amount: 125, currency: 'doubloons' }, 'unknown-currency', /doubloons/],
    [{ amount: 4, currency: 'eur' }, 'below-minimum', /0\.05 EUR/],
    [{ amount: 499, currency: 'jpy' }, 'below-minimum', /5\.00 JPY/],
    [{ amount: 125, currency: 'ssp' }, 'unknown-currency', /does not take payments in SSP/],
    [{ amount: 125 }, 'unknown-currency'],
    [{ amount: 125, currency: 'usd', tip: 5 }, 'invalid-input'],
    [null, 'invalid-input'],
  ])('charge(%j) fails with %s', async (input, code, message) => {
    f = await startPaymentsFixture({ start: false });
    await expectPaymentsError(f.app.service.charge(input), code, message);
    expect(f.app.ledger.queries.listSales({ mode: 'all' }).sales).toEqual([]);
    expect(f.sandbox.listIntents()).toEqual([]);
  });

  it('refuses to charge without a deposit address, and with a malformed one', async () => {
    f = await startPaymentsFixture({ start: false });
    const { createPaymentsService } = await import('../../electron/core/payments/payments-service');
    for (const [destination, code] of [
      [null, 'no-destination'],
      ['not-base58-0OIl', 'invalid-destination'],
      ['3yZe7d', 'invalid-destination'],
    ] as const) {
      const service = createPaymentsService({ ledger: f.app.ledger, config: () => ({ mode: 'live', destination, endpoint: f!.sandbox.endpoint }), webhookUrl: () => null });
      await expectPaymentsError(service.charge({ amount: 500, currency: 'usd' }), code);
    }
    expect(f.app.ledger.queries.listSales({ mode: 'all' }).sales).toEqual([]);
  });
});

describe('payments: sequencer failures', () => {
  async function expectCancelledWithReason(fixture: PaymentsFixture, reason: RegExp) {
    const { sales } = fixture.app.ledger.queries.listSales({ mode: 'all' });
    expect(sales).toHaveLength(1);
    const { sale, events } = fixture.app.ledger.getSaleWithEvents(sales[0]!.id);
    // Never left pending: the till showed no code, so nobody could have paid.
    expect(sale.status).toBe('cancelled');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'system', outcome: 'cancelled' });
    expect(events[0]!.kind).toMatch(reason);
    expect(fixture.app.updates.map((u) => u.cause)).toEqual(['created', 'failed']);
  }

  it('an unreachable sequencer is a clear error and leaves no pending sale', async () => {
    const closedPort = await fakeSequencer(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    f = await startPaymentsFixture({ start: false, endpoint: closedPort });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-unreachable', /Could not reach Code/);
    await expectCancelledWithReason(f, /payment request failed: Could not reach Code/);
  });

  it('a sequencer that never answers times out with a clear error', async () => {
    const endpoint = await fakeSequencer(() => {});
    f = await startPaymentsFixture({ start: false, endpoint, sequencerTimeoutMs: 300 });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-unreachable', /did not answer/);
    await expectCancelledWithReason(f, /did not answer/);
  });

  it('a 4xx answer means Code refused the request', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(400).end());
    f = await startPaymentsFixture({ start: false, endpoint });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-rejected', /status code 400/);
    await expectCancelledWithReason(f, /did not accept/);
  });

  it('an HTTP error answer is a clear error', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(503).end('overloaded'));
    f = await startPaymentsFixture({ start: false, endpoint });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-error', /status code 503/);
    await expectCancelledWithReason(f, /503/);
  });

  it('a garbage answer is a clear error', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0xff, 0xff, 0xff, 0x01])));
    f = await startPaymentsFixture({ start: false, endpoint });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-error', /could not read/);
    await expectCancelledWithReason(f, /could not read/);
  });

  it('a payment request the sequencer refuses is reported', async () => {
    // Like Code, the sandbox can refuse amounts above the per-currency maximum.
    const key = (await import('../support/temp-dir')).tempDir();
    const { loadOrCreateSandboxKey } = await import('../../electron/core/sandbox/sandbox-key');
    const { createSandboxSequencer } = await import('../../electron/core/sandbox/sandbox-sequencer');
    const strict = await createSandboxSequencer({ signingKey: loadOrCreateSandboxKey(key).privateKey, enforceMaximumAmount: true });
    try {
      f = await startPaymentsFixture({ start: false, endpoint: strict.endpoint });
      await expectPaymentsError(f.app.service.charge({ amount: 5000, currency: 'eur' }), 'sequencer-rejected', /did not accept/);
      await expectCancelledWithReason(f, /did not accept/);
    } finally {
      await strict.close();
    }
  });

  it('a refusal the SDK swallows (OK envelope, request not stored) is still caught by the existence check', async () => {
    // Answers every call with an empty OK envelope: the SDK reads sendMessage
    // as done, and getStatus as "exists: false".
    const { Common } = await import('@code-wallet/rpc');
    const endpoint = await fakeSequencer((_req, res) => {
      const body = Buffer.from(new Common.Response({}).toBinary());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    f = await startPaymentsFixture({ start: false, endpoint });
    await expectPaymentsError(f.app.service.charge({ amount: 500, currency: 'usd' }), 'sequencer-rejected', /did not accept/);
    await expectCancelledWithReason(f, /did not accept/);
  });
});
