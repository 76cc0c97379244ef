import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { railHealthText, type RailHealth } from '../../electron/shared/domain/rail';
import { createCodeRail } from '../../electron/core/rails/code-rail';
import { RailError } from '../../electron/core/rails/errors';
import { createSandboxRail } from '../../electron/core/rails/sandbox-rail';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { startPaymentsFixture, waitFor, type PaymentsFixture } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

// The payment rail's health, every state end to end: the real Code client
// asks the sandbox sequencer (with and without its payment service), a port
// nobody listens on, one that never answers, and ones that answer errors.

const servers: Server[] = [];
let sandbox: SandboxSequencer | null = null;
let f: PaymentsFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
  await sandbox?.close();
  sandbox = null;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function fakeSequencer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler!);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function sandboxRail() {
  const key = loadOrCreateSandboxKey(tempDir());
  sandbox = await createSandboxSequencer({ signingKey: key.privateKey });
  const rail = createSandboxRail({ endpoint: sandbox.endpoint, webhookKey: key.publicKey });
  const heard: RailHealth[] = [];
  rail.onHealth((h) => heard.push(h));
  return { rail, sequencer: sandbox, heard };
}

function railAt(endpoint: string, timeouts: { timeoutMs?: number; healthTimeoutMs?: number } = {}) {
  return createCodeRail({ mode: 'live', endpoint: () => endpoint, webhookKey: loadOrCreateSandboxKey(tempDir()).publicKey, ...timeouts });
}

describe('rail health: every state', () => {
  it('is unknown until checked, then available when the sequencer answers a status query as the payment service does', async () => {
    const { rail, heard } = await sandboxRail();
    expect(rail.health()).toEqual({ state: 'unknown', reason: 'not checked yet', checkedAt: null });
    const health = await rail.checkHealth();
    expect(health).toEqual({ state: 'available', checkedAt: expect.any(Number) });
    expect(rail.health()).toBe(health);
    expect(railHealthText(health, true)).toBe('Code payments (sandbox): available');
    // Listeners hear changes only.
    await rail.checkHealth();
    expect(heard.map((h) => h.state)).toEqual(['available']);
  });

  it('is unavailable, with the detail, when the sequencer has no payment service; available again when it is back', async () => {
    const { rail, sequencer, heard } = await sandboxRail();
    sequencer.setPaymentService(false);
    expect(sequencer.paymentService()).toBe(false);
    const health = await rail.checkHealth();
    expect(health).toEqual({
      state: 'unavailable',
      reason: 'no payment service',
      detail: 'HTTP 501: unknown method MicroPayment.getStatus',
      checkedAt: expect.any(Number),
    });
    expect(railHealthText(health)).toBe('Code payments: unavailable (no payment service)');
    sequencer.setPaymentService(true);
    expect((await rail.checkHealth()).state).toBe('available');
    expect(heard.map((h) => h.state)).toEqual(['unavailable', 'available']);
  });

  it('is unknown (offline) when nothing answers the connection: that says nothing about Code', async () => {
    const endpoint = await fakeSequencer(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const health = await railAt(endpoint).checkHealth();
    expect(health).toEqual({ state: 'unknown', reason: 'offline', checkedAt: expect.any(Number) });
    expect(railHealthText(health)).toBe('Code payments: unknown (offline)');
  });

  it('is unavailable when the sequencer does not answer in time', async () => {
    const endpoint = await fakeSequencer(() => {});
    const health = await railAt(endpoint, { healthTimeoutMs: 200 }).checkHealth();
    expect(health).toMatchObject({ state: 'unavailable', reason: 'no answer', detail: 'the sequencer did not answer within 0.2 s' });
  });

  it('is unavailable on an HTTP error, and on an answer it cannot read', async () => {
    const failing = await fakeSequencer((_req, res) => res.writeHead(503).end());
    expect(await railAt(failing).checkHealth()).toMatchObject({ state: 'unavailable', reason: 'error 503', detail: 'HTTP 503' });
    const garbage = await fakeSequencer((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0xff, 0xff, 0xff, 0x01])));
    expect(await railAt(garbage).checkHealth()).toMatchObject({ state: 'unavailable', reason: 'unreadable answer', detail: expect.stringMatching(/^Network error/) });
  });

  it('shares one check between callers who ask at once', async () => {
    let calls = 0;
    const endpoint = await fakeSequencer((_req, res) => {
      calls += 1;
      res.writeHead(503).end();
    });
    const rail = railAt(endpoint);
    const [a, b] = await Promise.all([rail.checkHealth(), rail.checkHealth()]);
    expect(a).toBe(b);
    // One status query, and one more to read why it failed.
    expect(calls).toBe(2);
  });
});

describe('rail requests', () => {
  it('a payment request to a sequencer without the payment service fails with its words', async () => {
    const { rail, sequencer } = await sandboxRail();
    sequencer.setPaymentService(false);
    const request = { amount: 0.5, currency: 'usd', destination: randomAddress(), idempotencyKey: 'counter:test:1' };
    const error = await rail.request(request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RailError);
    expect(error).toMatchObject({ code: 'sequencer-error', refusal: 'unknown method Messaging.sendMessage' });
    expect((error as RailError).message).toMatch(/status code 501: unknown method Messaging\.sendMessage/);
    sequencer.setPaymentService(true);
    // The same request, once the service is back, is the same intent.
    expect(await rail.request(request)).toEqual({ intentId: rail.prepare(request).intentId });
  });

  it('a refusal of the amount carries the sequencer’s message', async () => {
    const { rail } = await sandboxRail();
    const error = await rail.request({ amount: 1.01, currency: 'usd', destination: randomAddress(), idempotencyKey: 'counter:test:2' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'sequencer-rejected', refusal: 'usd currency has a maximum amount of 1.00' });
    expect((error as RailError).message).toBe('Code refused the payment request: usd currency has a maximum amount of 1.00.');
  });

  it('a malformed destination is refused before any network call', async () => {
    const rail = railAt('http://127.0.0.1:9/v1');
    expect(() => rail.prepare({ amount: 0.5, currency: 'usd', destination: 'not-base58-0OIl', idempotencyKey: 'k' })).toThrow(
      expect.objectContaining({ code: 'invalid-destination' }),
    );
  });
});

describe('rail health at the till', () => {
  it('while Code is unavailable, charge rings up the sale with no Code payment and says why; cash and other tenders still work', async () => {
    f = await startPaymentsFixture({ start: false });
    f.sandbox.setPaymentService(false);
    expect((await f.app.rails.sandbox.checkHealth()).state).toBe('unavailable');
    const till = await f.app.service.charge({ amount: 250, currency: 'usd' });
    expect(till.codePayment).toBeNull();
    expect(till.codeNote).toBe('Code payments are unavailable (no payment service): take cash or another tender.');
    expect(till.sale).toMatchObject({ status: 'pending', tenders: [] });
    expect(f.sandbox.listIntents()).toEqual([]);
    expect(f.app.updates.map((u) => u.cause)).toEqual(['created']);
    expect(f.app.service.tillSale(till.sale.id).codeNote).toBe(till.codeNote);
    const other = f.app.service.takeOther(till.sale.id, 100, 'Card');
    expect(other.sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(other.codeNote).toBe(till.codeNote);
    expect(f.app.service.takeCash(till.sale.id, 200).sale).toMatchObject({ status: 'paid', paidAmount: 250 });
  });

  it('the cashier may still ask Code: the request fails with its reason and the sale stays open', async () => {
    f = await startPaymentsFixture({ start: false });
    f.sandbox.setPaymentService(false);
    await f.app.rails.sandbox.checkHealth();
    const till = await f.app.service.charge({ amount: 80, currency: 'usd' });
    const asked = await f.app.service.requestCodePayment(till.sale.id);
    expect(asked.codePayment).toBeNull();
    expect(asked.codeNote).toMatch(/status code 501: unknown method Messaging\.sendMessage/);
    expect(asked.sale.tenders).toEqual([expect.objectContaining({ kind: 'code', status: 'cancelled' })]);
  });

  it('a failed request has the health checked again', async () => {
    f = await startPaymentsFixture({ start: false });
    expect((await f.app.rails.sandbox.checkHealth()).state).toBe('available');
    f.sandbox.setPaymentService(false);
    const till = await f.app.service.charge({ amount: 80, currency: 'usd' });
    expect(till.codeNote).toMatch(/unknown method Messaging\.sendMessage/);
    await waitFor('the rail to be found unavailable', () => f!.app.rails.sandbox.health().state === 'unavailable');
    expect(f.app.logs.some((l) => /sandbox-rail: Code payments unavailable \(no payment service: HTTP 501: unknown method MicroPayment\.getStatus\)/.test(l))).toBe(true);
    // Once known, a new sale is not even tried: it says why at once.
    expect((await f.app.service.charge({ amount: 80, currency: 'usd' })).codeNote).toMatch(/^Code payments are unavailable \(no payment service\)/);
  });

  it('a refusal of the amount does not mark Code unavailable', async () => {
    f = await startPaymentsFixture({ start: false, codeMaximum: 500 });
    await f.app.rails.sandbox.checkHealth();
    await f.app.service.charge({ amount: 250, currency: 'usd' });
    expect(f.app.rails.sandbox.health().state).toBe('available');
  });
});
