import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TillSale } from '../../electron/shared/contract';
import type { PaymentsError } from '../../electron/core/payments/errors';
import { expectPaymentsError, saleIs, startPaymentsFixture, waitFor, type FixtureOptions, type PaymentsFixture } from '../support/payments-fixture';
import { rawRequest } from '../support/http';
import { signWebhook } from '../support/webhook-fixture';

// Sales paid by tenders, through the real @code-wallet/client against the
// sandbox sequencer on loopback: Code payments within Code's per-payment
// maximum (split when the sale is larger), cash with change, other tenders.

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

async function fixture(options: FixtureOptions = {}): Promise<PaymentsFixture> {
  f = await startPaymentsFixture(options);
  return f;
}

/** A stand-in sequencer that answers every call with `handler`'s response. */
async function fakeSequencer(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler!);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** The customer pays the Code payment on screen; resolves once the ledger has it. */
async function pay(fx: PaymentsFixture, till: TillSale): Promise<TillSale> {
  const payment = till.codePayment;
  if (!payment) throw new Error(`sale ${till.sale.id} has no Code payment waiting (${till.codeNote ?? 'no note'})`);
  await fx.sequencerOf(payment.mode).simulatePayment(payment.intentId);
  await waitFor(`Code payment ${payment.tenderId} paid`, () => fx.app.ledger.getTender(payment.tenderId).status === 'paid');
  return fx.app.service.tillSale(till.sale.id);
}

describe('payments: one Code payment through the real Code client and the sandbox sequencer', () => {
  it('charge → simulated payment → webhook → paid, with quarks and exchange rate on the tender', async () => {
    // Reconciliation off, so only the webhook can mark the sale paid.
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 75, currency: 'usd' });
    expect(till.codeNote).toBeNull();
    expect(till.codePayment).toMatchObject({ amount: 75, currency: 'usd', destination: fx.destination, mode: 'sandbox', index: 1, count: 1 });
    const payment = till.codePayment!;
    expect(payment.webhookUrl).toBe(`${fx.app.listener.localUrl}${fx.app.listener.webhookPath}`);
    expect(payment.clientSecret).toEqual(expect.any(String));
    expect(fx.sandbox.getIntent(payment.intentId)).toMatchObject({ amount: 0.75, currency: 'usd' });
    expect(till.sale).toMatchObject({ status: 'pending', paidAmount: 0 });
    expect(till.sale.tenders).toEqual([
      expect.objectContaining({ id: payment.tenderId, kind: 'code', seq: 1, amount: 75, status: 'pending', intentId: payment.intentId, webhookUrl: payment.webhookUrl }),
    ]);

    await fx.sandbox.simulatePayment(payment.intentId);
    const paid = await waitFor('the webhook to mark the sale paid', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid).toMatchObject({ firstProof: 'webhook', paidLate: false, paidAmount: 75 });
    const tender = paid.tenders[0]!;
    expect(tender).toMatchObject({ status: 'paid', firstProof: 'webhook' });
    expect(Number.isInteger(tender.quarks)).toBe(true);
    expect(tender.quarks).toBeGreaterThan(0);
    expect(tender.exchangeRate).toBeGreaterThan(0);
    // Code's schedule overlaps attempts, so the webhook may arrive more than once: one credit.
    const causes = fx.app.updates.map((u) => u.cause);
    expect(causes.slice(0, 2)).toEqual(['created', 'credited']);
    expect(causes.slice(2).every((c) => c === 'duplicate')).toBe(true);
  });

  it('two charges of the same amount get different intents (idempotency keys are per payment)', async () => {
    const fx = await fixture({ start: false });
    const a = await fx.app.service.charge({ amount: 50, currency: 'eur' });
    const b = await fx.app.service.charge({ amount: 50, currency: 'eur' });
    expect(a.codePayment!.intentId).not.toBe(b.codePayment!.intentId);
    expect(fx.sandbox.listIntents()).toHaveLength(2);
  });

  it('a lost webhook (listener down when it fires) is recovered by status polling', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 30, currency: 'usd' });
    await fx.app.listener.close();
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    await waitFor('the webhook attempts to fail', () => fx.sandbox.deliveries().length >= 2);
    expect(fx.app.ledger.getSale(till.sale.id).status).toBe('pending');
    fx.app.service.start();
    const paid = await waitFor('polling to mark the sale paid', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
  });

  it('the sale on screen is polled even with no webhook URL at all', async () => {
    const fx = await fixture({ timing: { backgroundInitialMs: 60_000, backgroundMaxMs: 60_000 } });
    fx.webhookBase = { kind: 'none' };
    const till = await fx.app.service.charge({ amount: 30, currency: 'usd' });
    expect(till.codePayment!.webhookUrl).toBeNull();
    expect(fx.sandbox.getIntent(till.codePayment!.intentId)?.webhookUrl ?? null).toBeNull();
    fx.app.service.focus(till.sale.id);
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    const paid = await waitFor('polling to mark the sale paid', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
    expect(fx.sandbox.deliveries()).toEqual([]);
  });

  it('a payment after cancel is recorded as paid and flagged', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 72, currency: 'usd' });
    expect(fx.app.service.cancel(till.sale.id).status).toBe('cancelled');
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    const paid = await waitFor('the late payment', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid).toMatchObject({ paidLate: true, firstProof: 'webhook' });
    expect(paid.cancelledAt).not.toBeNull();
    expect(paid.tenders[0]).toMatchObject({ status: 'paid', paidLate: true });
    const causes = fx.app.updates.map((u) => u.cause);
    expect(causes.slice(0, 3)).toEqual(['created', 'cancelled', 'late']);
    expect(causes.slice(3).every((c) => c === 'duplicate')).toBe(true);
  });

  it('a restart in the middle: the waiting Code payment is reconciled after reopening, and shown again the same', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 99, currency: 'usd' });
    await fx.app.close();
    // The customer pays while the till is closed: the webhook finds no one.
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    await waitFor('the webhook attempts to fail', () => fx.sandbox.deliveries().length >= 1);
    const app = await fx.restartApp({ start: false });
    // Derived again from the tender alone: the same intent and client secret.
    expect(app.service.tillSale(till.sale.id).codePayment).toEqual(till.codePayment);
    app.service.start();
    const paid = await waitFor('the reopened app to reconcile the sale', () => saleIs(app.ledger, till.sale.id, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
  });

  it('a Code payment written but never sent (the app stopped first) is sent again by the reconciler, and can be paid', async () => {
    const fx = await fixture({ start: false });
    // What a crash between the tender's write and the request leaves: the
    // tender with its derived intent in the ledger, nothing at the sequencer.
    const sale = fx.app.ledger.createSale({ amount: 80, currency: 'usd', mode: 'sandbox', destination: fx.destination });
    const request = { amount: 0.8, currency: 'usd', destination: fx.destination, idempotencyKey: `counter:${fx.destination}:${sale.ref}` };
    const { intentId } = fx.app.rails.sandbox.prepare(request);
    const { tender } = fx.app.ledger.addCodeTender(sale.id, { amount: 80, seq: 1, intentId });
    expect(fx.sandbox.getIntent(intentId)).toBeUndefined();
    const app = await fx.restartApp({ start: true });
    await waitFor('the request sent again', () => fx.sandbox.getIntent(intentId));
    await waitFor('the app to say so', () => app.logs.some((l) => /was unknown to Code; its request was sent again/.test(l)));
    // The till shows it as it always would have, and the customer can pay it.
    expect(app.service.tillSale(sale.id).codePayment).toMatchObject({ tenderId: tender.id, intentId });
    await fx.sandbox.simulatePayment(intentId);
    expect((await waitFor('paid', () => saleIs(app.ledger, sale.id, 'paid'))).paidAmount).toBe(80);
  });

  it('a Code payment sent again after a restart and refused is cancelled with the reason; the sale stays open for cash', async () => {
    const fx = await fixture({ start: false, sequencerMaximum: 0.5 });
    const sale = fx.app.ledger.createSale({ amount: 80, currency: 'usd', mode: 'sandbox', destination: fx.destination });
    const request = { amount: 0.8, currency: 'usd', destination: fx.destination, idempotencyKey: `counter:${fx.destination}:${sale.ref}` };
    const { intentId } = fx.app.rails.sandbox.prepare(request);
    const { tender } = fx.app.ledger.addCodeTender(sale.id, { amount: 80, seq: 1, intentId });
    const app = await fx.restartApp({ start: true });
    const cancelled = await waitFor('the refused payment cancelled', () => app.ledger.getTender(tender.id).status === 'cancelled' || null);
    expect(cancelled).toBe(true);
    const { events } = app.ledger.getSaleWithEvents(sale.id);
    expect(events.at(-1)?.kind).toMatch(/^cancel: payment request failed: .*maximum amount of 0\.50/);
    expect(app.ledger.getSale(sale.id).status).toBe('pending');
    expect(app.service.takeCash(sale.id, 100).sale).toMatchObject({ status: 'paid', paidAmount: 80 });
  });

  it('a sale created under an old webhook URL is still recorded once the URL changes', async () => {
    const fx = await fixture();
    fx.webhookBase = { kind: 'fixed', url: 'http://127.0.0.1:9/gone/old-tunnel' };
    const old = await fx.app.service.charge({ amount: 40, currency: 'usd' });
    expect(old.codePayment!.webhookUrl).toBe('http://127.0.0.1:9/gone/old-tunnel');
    fx.webhookBase = { kind: 'listener' };
    const current = await fx.app.service.charge({ amount: 41, currency: 'usd' });
    expect(current.codePayment!.webhookUrl).toContain(fx.app.listener.webhookPath);
    await fx.sandbox.simulatePayment(old.codePayment!.intentId);
    await fx.sandbox.simulatePayment(current.codePayment!.intentId);
    await waitFor('both sales paid', () => saleIs(fx.app.ledger, old.sale.id, 'paid') && saleIs(fx.app.ledger, current.sale.id, 'paid'));
    expect(fx.app.ledger.getSale(old.sale.id).firstProof).toBe('status_poll');
  });

  it('expires a sale left waiting too long, and still records a late payment for it', async () => {
    const fx = await fixture({ timing: { expireAfterMs: 100, lateWindowMs: 60_000 } });
    const till = await fx.app.service.charge({ amount: 60, currency: 'usd' });
    await waitFor('the sale to expire', () => saleIs(fx.app.ledger, till.sale.id, 'expired'));
    expect(fx.app.updates.some((u) => u.cause === 'expired' && u.sale.id === till.sale.id)).toBe(true);
    expect(fx.app.ledger.getTender(till.codePayment!.tenderId).status).toBe('expired');
    fx.webhookBase = { kind: 'none' };
    await fx.app.listener.close();
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    const paid = await waitFor('the late payment', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid).toMatchObject({ paidLate: true, firstProof: 'status_poll' });
  });

  it('a waiting Code payment of a partly paid sale expires, the sale does not', async () => {
    const fx = await fixture({ start: false, timing: { expireAfterMs: 100, lateWindowMs: 60_000 } });
    const first = await pay(fx, await fx.app.service.charge({ amount: 150, currency: 'usd' }));
    const second = await fx.app.service.requestCodePayment(first.sale.id);
    // Past the expiry age of both Code payments.
    await new Promise((r) => setTimeout(r, 150));
    await fx.app.service.reconcileNow();
    const sale = fx.app.ledger.getSale(first.sale.id);
    expect(sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(fx.app.ledger.getTender(second.codePayment!.tenderId).status).toBe('expired');
    expect(fx.app.updates.at(-1)).toMatchObject({ cause: 'expired', sale: { id: sale.id, status: 'partly_paid' } });
    // A new Code payment can be asked for, for what is still owed.
    expect((await fx.app.service.requestCodePayment(sale.id)).codePayment).toMatchObject({ amount: 50, index: 2, count: 2 });
  });

  it('a webhook registration the sequencer refuses does not block the payment', async () => {
    const fx = await fixture({ start: false });
    fx.webhookBase = { kind: 'fixed', url: 'ftp://example.com/hook' };
    const till = await fx.app.service.charge({ amount: 30, currency: 'usd' });
    expect(till.codePayment!.webhookUrl).toBeNull();
    expect(fx.app.ledger.getTender(till.codePayment!.tenderId)).toMatchObject({ status: 'pending', webhookUrl: null });
    expect(fx.app.logs.some((l) => /not registered \(invalid_url\)/.test(l))).toBe(true);
  });
});

describe('payments: a sale above the per-payment maximum is taken in several Code payments', () => {
  it('2.50 USD with a 1.00 maximum is paid only after its third Code payment (1.00, 1.00, 0.50)', async () => {
    const fx = await fixture({ start: false });
    let till = await fx.app.service.charge({ amount: 250, currency: 'usd' });
    const seen: NonNullable<TillSale['codePayment']>[] = [];
    for (const [index, amount, paidAfter] of [
      [1, 100, 100],
      [2, 100, 200],
      [3, 50, 250],
    ] as const) {
      expect(till.codePayment).toMatchObject({ index, count: 3, amount });
      seen.push(till.codePayment!);
      till = await pay(fx, till);
      expect(till.sale.paidAmount).toBe(paidAfter);
      if (paidAfter < 250) {
        expect(till.sale.status).toBe('partly_paid');
        expect(till.codePayment).toBeNull();
        expect(till.codeNote).toBeNull();
        till = await fx.app.service.requestCodePayment(till.sale.id);
      }
    }
    expect(till.sale).toMatchObject({ status: 'paid', paidAmount: 250, firstProof: 'webhook', paidLate: false });
    // Each its own payment request: its intent, its idempotency key (so its client secret), its proofs.
    expect(new Set(seen.map((p) => p.intentId)).size).toBe(3);
    expect(new Set(seen.map((p) => p.clientSecret)).size).toBe(3);
    expect(seen.map((p) => fx.sandbox.getIntent(p.intentId)?.amount)).toEqual([1, 1, 0.5]);
    expect(till.sale.tenders.map((t) => [t.seq, t.kind, t.amount, t.status])).toEqual([
      [1, 'code', 100, 'paid'],
      [2, 'code', 100, 'paid'],
      [3, 'code', 50, 'paid'],
    ]);
    for (const tender of till.sale.tenders) expect(tender.quarks).toBeGreaterThan(0);
    const { events } = fx.app.ledger.getSaleWithEvents(till.sale.id);
    const credited = events.filter((e) => e.outcome === 'credited');
    expect(credited.map((e) => e.tenderId)).toEqual(till.sale.tenders.map((t) => t.id));
    // Only the third payment completes the sale.
    const credits = fx.app.updates.filter((u) => u.cause === 'credited').map((u) => u.sale.status);
    expect(credits).toEqual(['partly_paid', 'partly_paid', 'paid']);
  });

  it('12.50 USD with a 5.00 maximum (sandbox and till) is paid in three (5.00, 5.00, 2.50)', async () => {
    const fx = await fixture({ start: false, sequencerMaximum: 5, codeMaximum: 500 });
    let till = await fx.app.service.charge({ amount: 1250, currency: 'usd' });
    const amounts: number[] = [];
    while (till.sale.status !== 'paid') {
      if (!till.codePayment) till = await fx.app.service.requestCodePayment(till.sale.id);
      expect(till.codePayment).toMatchObject({ index: amounts.length + 1, count: 3 });
      amounts.push(till.codePayment!.amount);
      till = await pay(fx, till);
    }
    expect(amounts).toEqual([500, 500, 250]);
    expect(till.sale.paidAmount).toBe(1250);
  });

  it('2.02 USD with a 1.00 maximum is 1.00 + 0.97 + 0.05, never a 0.02 remainder Code would refuse', async () => {
    const fx = await fixture({ start: false });
    let till = await fx.app.service.charge({ amount: 202, currency: 'usd' });
    const amounts: number[] = [];
    while (till.sale.status !== 'paid') {
      if (!till.codePayment) till = await fx.app.service.requestCodePayment(till.sale.id);
      amounts.push(till.codePayment!.amount);
      till = await pay(fx, till);
    }
    expect(amounts).toEqual([100, 97, 5]);
  });

  it('a refusal naming a maximum updates the setting, and the sale is taken in parts of that maximum', async () => {
    // The till believes 5.00 (Code's multiplied limits); the sequencer enforces Code's table, 1.00.
    const fx = await fixture({ start: false, codeMaximum: 500 });
    expect(fx.app.settings.get().codeMaximum).toMatchObject({ amount: 500, source: 'owner' });
    let till = await fx.app.service.charge({ amount: 250, currency: 'usd' });
    // Refused at 2.50, learned 1.00, started again on the new plan.
    expect(till.codeNote).toBeNull();
    expect(till.codePayment).toMatchObject({ amount: 100, index: 1, count: 3 });
    expect(fx.app.settings.get().codeMaximum).toMatchObject({ amount: 100, source: 'sequencer', at: expect.any(Number), tableAmount: 100 });
    expect(fx.app.settings.codeRange('usd')).toEqual({ min: 5, max: 100 });
    expect(till.sale.tenders.map((t) => [t.amount, t.status])).toEqual([
      [250, 'cancelled'],
      [100, 'pending'],
    ]);
    const { events } = fx.app.ledger.getSaleWithEvents(till.sale.id);
    expect(events.find((e) => e.outcome === 'cancelled')?.kind).toMatch(/payment request failed: Code refused the payment request: usd currency has a maximum amount of 1\.00/);
    expect(fx.app.logs.some((l) => /payments: Code refused a \$2\.50 payment .* the USD maximum is now \$1\.00/.test(l))).toBe(true);
    const amounts: number[] = [];
    while (till.sale.status !== 'paid') {
      if (!till.codePayment) till = await fx.app.service.requestCodePayment(till.sale.id);
      amounts.push(till.codePayment!.amount);
      till = await pay(fx, till);
    }
    expect(amounts).toEqual([100, 100, 50]);
    // Learned for good: a restart keeps it.
    const app = await fx.restartApp({ start: false });
    expect(app.settings.get().codeMaximum).toMatchObject({ amount: 100, source: 'sequencer' });
  });

  it('starts again only once: a second refusal leaves the sale open with the reason', async () => {
    const { Common } = await import('@code-wallet/rpc');
    // A sequencer that refuses every request, always naming 0.50.
    const endpoint = await fakeSequencer((_req, res) => {
      const body = Buffer.from(new Common.Response({ result: 1, message: 'usd currency has a maximum amount of 0.50' }).toBinary());
      res.writeHead(400, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    const fx = await fixture({ start: false, endpoint });
    const till = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    expect(till.codePayment).toBeNull();
    expect(till.codeNote).toMatch(/Code refused the payment request: usd currency has a maximum amount of 0\.50\. Take cash or another tender/);
    expect(till.sale.tenders.map((t) => [t.amount, t.status])).toEqual([
      [80, 'cancelled'],
      [50, 'cancelled'],
    ]);
    expect(fx.app.settings.get().codeMaximum).toMatchObject({ amount: 50, source: 'sequencer' });
  });
});

describe('payments: cash and other tenders', () => {
  it('Code plus cash with change: 2.50 as one Code payment of 1.00, then 20.00 cash gives 18.50 change', async () => {
    const fx = await fixture({ start: false });
    let till = await fx.app.service.charge({ amount: 250, currency: 'usd' });
    till = await pay(fx, till);
    expect(till.sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    till = fx.app.service.takeCash(till.sale.id, 20_00);
    expect(till.sale).toMatchObject({ status: 'paid', paidAmount: 250, firstProof: 'manual' });
    expect(till.codePayment).toBeNull();
    expect(till.codeNote).toBeNull();
    expect(till.sale.tenders.map((t) => [t.kind, t.amount, t.tendered, t.change])).toEqual([
      ['code', 100, null, null],
      ['cash', 150, 20_00, 18_50],
    ]);
    expect(fx.app.updates.at(-1)).toMatchObject({ cause: 'tendered', sale: { status: 'paid' } });
  });

  it('cash taken while a Code payment waits cancels it; if the customer pays it anyway it is recorded late and flagged', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 90, currency: 'usd' });
    const cash = fx.app.service.takeCash(till.sale.id, 1_00);
    expect(cash.sale).toMatchObject({ status: 'paid', paidAmount: 90 });
    expect(cash.sale.tenders.map((t) => [t.kind, t.status, t.change])).toEqual([
      ['code', 'cancelled', null],
      ['cash', 'paid', 10],
    ]);
    await fx.sandbox.simulatePayment(till.codePayment!.intentId);
    const late = await waitFor('the late Code payment', () => {
      const sale = fx.app.ledger.getSale(till.sale.id);
      return sale.tenders[0]!.status === 'paid' ? sale : null;
    });
    // Money arrived twice: the sale stays paid and is flagged for the cashier.
    expect(late).toMatchObject({ status: 'paid', paidLate: true, paidAmount: 180 });
    expect(late.tenders[0]).toMatchObject({ paidLate: true });
  });

  it('Code, then another tender (a card on a separate terminal), then the rest in cash', async () => {
    const fx = await fixture({ start: false });
    let till = await fx.app.service.charge({ amount: 500, currency: 'usd' });
    till = await pay(fx, till);
    till = fx.app.service.takeOther(till.sale.id, 300, '  Card ');
    expect(till.sale).toMatchObject({ status: 'partly_paid', paidAmount: 400 });
    expect(till.sale.tenders.at(-1)).toMatchObject({ kind: 'other', amount: 300, label: 'Card', firstProof: 'manual' });
    till = fx.app.service.takeCash(till.sale.id, 100);
    expect(till.sale).toMatchObject({ status: 'paid', paidAmount: 500 });
    expect(till.sale.tenders.at(-1)).toMatchObject({ kind: 'cash', amount: 100, change: 0 });
  });

  it('a charge below Code’s minimum is a cash sale: no Code payment, and a note that says why', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 4, currency: 'usd' });
    expect(till.codePayment).toBeNull();
    expect(till.codeNote).toBe("$0.04 is below Code's minimum of $0.05: take it in cash or another tender.");
    expect(till.sale.tenders).toEqual([]);
    expect(fx.sandbox.listIntents()).toEqual([]);
    expect(fx.app.service.tillSale(till.sale.id).codeNote).toBe(till.codeNote);
    expect(fx.app.service.takeCash(till.sale.id, 5).sale).toMatchObject({ status: 'paid', paidAmount: 4 });
  });

  it('asking for a Code payment when one waits answers that one', async () => {
    const fx = await fixture({ start: false });
    const till = await fx.app.service.charge({ amount: 80, currency: 'usd' });
    const again = await fx.app.service.requestCodePayment(till.sale.id);
    expect(again.codePayment).toEqual(till.codePayment);
    // Two requests at once start one payment.
    const open = fx.app.service.takeCash(till.sale.id, 10);
    const [a, b] = await Promise.all([fx.app.service.requestCodePayment(open.sale.id), fx.app.service.requestCodePayment(open.sale.id)]);
    expect(a.codePayment!.tenderId).toBe(b.codePayment!.tenderId);
    expect(a.codePayment).toMatchObject({ amount: 70, index: 1, count: 1 });
  });
});

describe('payments: a sale is proved through the rail of its own mode, whatever the app’s mode is now', () => {
  it('a live sale pending while the app is in sandbox mode: its webhook is still accepted (live key)', async () => {
    const fx = await fixture({ start: false });
    fx.mode = 'live';
    const till = await fx.app.service.charge({ amount: 90, currency: 'usd' });
    expect(till.codePayment).toMatchObject({ mode: 'live' });
    expect(fx.live.getIntent(till.codePayment!.intentId)).toBeDefined();
    expect(fx.sandbox.getIntent(till.codePayment!.intentId)).toBeUndefined();
    fx.mode = 'sandbox';
    await fx.live.simulatePayment(till.codePayment!.intentId);
    const paid = await waitFor('the live webhook accepted in sandbox mode', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid).toMatchObject({ mode: 'live', firstProof: 'webhook' });
    // The ledger has the proof before the 200 is back at the sequencer: wait for the sequencer's own record of it.
    await waitFor('the live sequencer to record its delivery', () => fx.live.deliveries().some((d) => d.status === 200));
  });

  it('a live sale pending while the app is in sandbox mode is still reconciled, through the live rail', async () => {
    const fx = await fixture({ start: false });
    fx.mode = 'live';
    fx.webhookBase = { kind: 'none' };
    const till = await fx.app.service.charge({ amount: 90, currency: 'usd' });
    fx.mode = 'sandbox';
    await fx.live.simulatePayment(till.codePayment!.intentId);
    fx.app.service.start();
    const paid = await waitFor('the live sale reconciled in sandbox mode', () => saleIs(fx.app.ledger, till.sale.id, 'paid'));
    expect(paid.firstProof).toBe('status_poll');
  });

  it('and the other way: a sandbox sale pending after going live is reconciled and its webhook accepted', async () => {
    const fx = await fixture({ start: false });
    const byWebhook = await fx.app.service.charge({ amount: 60, currency: 'usd' });
    fx.webhookBase = { kind: 'none' };
    const byPoll = await fx.app.service.charge({ amount: 61, currency: 'usd' });
    fx.mode = 'live';
    await fx.sandbox.simulatePayment(byWebhook.codePayment!.intentId);
    expect((await waitFor('the sandbox webhook accepted in live mode', () => saleIs(fx.app.ledger, byWebhook.sale.id, 'paid'))).firstProof).toBe('webhook');
    await fx.sandbox.simulatePayment(byPoll.codePayment!.intentId);
    fx.app.service.start();
    expect((await waitFor('the sandbox sale reconciled in live mode', () => saleIs(fx.app.ledger, byPoll.sale.id, 'paid'))).firstProof).toBe('status_poll');
  });

  it('a webhook for a live sale signed with the sandbox key is refused, in either app mode', async () => {
    const fx = await fixture({ start: false });
    fx.mode = 'live';
    const till = await fx.app.service.charge({ amount: 90, currency: 'usd' });
    const forged = await signWebhook(
      { amount: 0.9, currency: 'USD', destination: fx.destination, exchangeRate: 0.00001, intent: till.codePayment!.intentId, quarks: 1, state: 'SUBMITTED' },
      fx.key.privateKey,
    );
    for (const mode of ['live', 'sandbox'] as const) {
      fx.mode = mode;
      const res = await rawRequest(fx.app.listener.port, { path: fx.app.listener.webhookPath, headers: { 'content-type': 'application/jwt' }, body: forged });
      expect(res.status).toBe(401);
    }
    expect(fx.app.ledger.getSale(till.sale.id).status).toBe('pending');
  });
});

describe('payments: a Code request that fails leaves the sale open for another tender', () => {
  async function expectOpenWithNote(fx: PaymentsFixture, till: TillSale, note: RegExp, reason: RegExp) {
    expect(till.codePayment).toBeNull();
    expect(till.codeNote).toMatch(note);
    expect(till.codeNote).toMatch(/Take cash or another tender, or ask Code again\.$/);
    expect(till.sale.status).toBe('pending');
    // Never left waiting: the till showed no code, so nobody could have paid it.
    expect(till.sale.tenders).toEqual([expect.objectContaining({ kind: 'code', status: 'cancelled' })]);
    const { events } = fx.app.ledger.getSaleWithEvents(till.sale.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'system', outcome: 'cancelled', tenderId: till.sale.tenders[0]!.id });
    expect(events[0]!.kind).toMatch(reason);
    expect(fx.app.updates.map((u) => u.cause)).toEqual(['created', 'failed']);
    // The note stays with the sale on screen; cash still works.
    expect(fx.app.service.tillSale(till.sale.id).codeNote).toBe(till.codeNote);
    expect(fx.app.service.takeCash(till.sale.id, till.sale.amount).sale.status).toBe('paid');
  }

  it('an unreachable sequencer', async () => {
    const closedPort = await fakeSequencer(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const fx = await fixture({ start: false, endpoint: closedPort });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /^Could not reach Code/, /payment request failed: Could not reach Code/);
  });

  it('a sequencer that never answers times out', async () => {
    const endpoint = await fakeSequencer(() => {});
    const fx = await fixture({ start: false, endpoint, railTimeoutMs: 300, healthTimeoutMs: 300 });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /did not answer within 0\.3 s/, /did not answer/);
  });

  it('a 4xx answer without a reason means Code refused the request', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(400).end());
    const fx = await fixture({ start: false, endpoint });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /did not accept the payment request \(status code 400\)/, /did not accept/);
  });

  it('an HTTP error answer', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(503).end('overloaded'));
    const fx = await fixture({ start: false, endpoint });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /status code 503/, /503/);
  });

  it('a garbage answer', async () => {
    const endpoint = await fakeSequencer((_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0xff, 0xff, 0xff, 0x01])));
    const fx = await fixture({ start: false, endpoint });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /could not read/, /could not read/);
  });

  it('a refusal the SDK swallows (OK envelope, request not stored) is still caught by the existence check', async () => {
    const { Common } = await import('@code-wallet/rpc');
    // Answers every call with an empty OK envelope: the SDK reads sendMessage as done, and getStatus as "exists: false".
    const endpoint = await fakeSequencer((_req, res) => {
      const body = Buffer.from(new Common.Response({}).toBinary());
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    const fx = await fixture({ start: false, endpoint });
    const till = await fx.app.service.charge({ amount: 50, currency: 'usd' });
    await expectOpenWithNote(fx, till, /did not keep the payment request/, /did not keep/);
  });
});

describe('payments: bad input gets a clear error and writes nothing', () => {
  it.each<[unknown, PaymentsError['code'], RegExp?]>([
    [{ amount: 0, currency: 'usd' }, 'invalid-amount', /greater than zero/],
    [{ amount: -100, currency: 'usd' }, 'invalid-amount'],
    [{ amount: 1.5, currency: 'usd' }, 'invalid-amount'],
    [{ amount: '125', currency: 'usd' }, 'invalid-amount'],
    [{ amount: Number.NaN, currency: 'usd' }, 'invalid-amount'],
    [{ amount: 100_000_000_01, currency: 'usd' }, 'invalid-amount', /too large/],
    [{ amount: 125, currency: 'doubloons' }, 'unknown-currency', /doubloons/],
    [{ amount: 125, currency: 'ssp' }, 'unknown-currency', /does not take payments in SSP/],
    [{ amount: 125 }, 'unknown-currency'],
    [{ amount: 125, currency: 'usd', tip: 5 }, 'invalid-input'],
    [null, 'invalid-input'],
  ])('charge(%j) fails with %s', async (input, code, message) => {
    const fx = await fixture({ start: false });
    await expectPaymentsError(fx.app.service.charge(input), code, message);
    expect(fx.app.ledger.queries.listSales({ mode: 'all' }).sales).toEqual([]);
    expect(fx.sandbox.listIntents()).toEqual([]);
  });

  it('refuses to charge without a deposit address, and with a malformed one', async () => {
    const fx = await fixture({ start: false });
    for (const [destination, code] of [
      [null, 'no-destination'],
      ['not-base58-0OIl', 'invalid-destination'],
      ['3yZe7d', 'invalid-destination'],
    ] as const) {
      await expectPaymentsError(fx.serviceWith(() => ({ mode: 'live', destination })).charge({ amount: 50, currency: 'usd' }), code);
    }
    expect(fx.app.ledger.queries.listSales({ mode: 'all' }).sales).toEqual([]);
  });

  it('tenders: bad amounts, labels and sale numbers', async () => {
    const fx = await fixture({ start: false });
    const { service } = fx.app;
    const till = await service.charge({ amount: 250, currency: 'usd' });
    const id = till.sale.id;
    for (const tendered of [0, -1, 1.5, '5', null, Number.POSITIVE_INFINITY]) {
      await expectPaymentsError(() => service.takeCash(id, tendered), 'invalid-amount', /cash handed over/);
    }
    await expectPaymentsError(() => service.takeOther(id, 0, 'Card'), 'invalid-amount');
    await expectPaymentsError(() => service.takeOther(id, 251, 'Card'), 'invalid-amount', /still owes \$2\.50; another tender cannot take more/);
    for (const label of ['', '   ', 'x'.repeat(41), 7]) {
      await expectPaymentsError(() => service.takeOther(id, 100, label), 'invalid-input', /Say what the tender was/);
    }
    for (const saleId of [0, -1, 1.5, '1', null]) {
      await expectPaymentsError(() => service.takeCash(saleId, 100), 'invalid-input', /named by its number/);
    }
    await expectPaymentsError(() => service.takeCash(999, 100), 'not-found');
    await expectPaymentsError(service.requestCodePayment(999), 'not-found');
    // Nothing was written by any of them.
    expect(fx.app.ledger.getSale(id).tenders).toHaveLength(1);
  });

  it('no tender on a sale that is paid, cancelled or expired, and no Code payment for less than Code’s minimum', async () => {
    const fx = await fixture({ start: false, timing: { expireAfterMs: 0 } });
    const { service } = fx.app;
    const paid = service.takeCash((await service.charge({ amount: 50, currency: 'usd' })).sale.id, 50).sale;
    await expectPaymentsError(() => service.takeCash(paid.id, 100), 'invalid-transition', /sale #\d+ is already paid/);
    await expectPaymentsError(() => service.takeOther(paid.id, 10, 'Card'), 'invalid-transition', /already paid/);
    await expectPaymentsError(service.requestCodePayment(paid.id), 'invalid-transition', /already paid/);
    await expectPaymentsError(() => service.cancel(paid.id), 'invalid-transition', /already paid and cannot be cancelled/);

    const cancelled = service.cancel((await service.charge({ amount: 50, currency: 'usd' })).sale.id);
    await expectPaymentsError(() => service.takeCash(cancelled.id, 100), 'invalid-transition', /was cancelled; ring it up again/);
    await expectPaymentsError(service.requestCodePayment(cancelled.id), 'invalid-transition', /was cancelled/);
    await expectPaymentsError(() => service.cancelCodePayment(cancelled.id), 'invalid-transition', /no Code payment waiting/);

    const expiring = await service.charge({ amount: 50, currency: 'usd' });
    await new Promise((r) => setTimeout(r, 5));
    await service.reconcileNow();
    expect(fx.app.ledger.getSale(expiring.sale.id).status).toBe('expired');
    await expectPaymentsError(() => service.takeCash(expiring.sale.id, 100), 'invalid-transition', /expired unpaid; ring it up again/);

    const small = await service.charge({ amount: 103, currency: 'usd' });
    const rest = service.takeCash(small.sale.id, 100);
    expect(rest.sale).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(rest.codeNote).toBe("$0.03 is below Code's minimum of $0.05: take it in cash or another tender.");
    await expectPaymentsError(service.requestCodePayment(small.sale.id), 'invalid-amount', /below Code's minimum/);
  });

  it('a partly paid sale cannot be cancelled: the message says what was taken and what to do', async () => {
    const fx = await fixture({ start: false });
    const { service } = fx.app;
    const till = await pay(fx, await service.charge({ amount: 250, currency: 'usd' }));
    await expectPaymentsError(
      () => service.cancel(till.sale.id),
      'partly-paid',
      /^Sale #\d+ is partly paid \(\$1\.00 of \$2\.50\), so it cannot be cancelled\. Take the remaining \$1\.50 in cash or another tender\.$/,
    );
    const next = await service.requestCodePayment(till.sale.id);
    // The customer declines the second payment: it is cancelled, the sale stays open.
    const declined = service.cancelCodePayment(till.sale.id);
    expect(declined).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
    expect(declined.tenders.find((t) => t.id === next.codePayment!.tenderId)?.status).toBe('cancelled');
    expect(fx.app.ledger.getSale(till.sale.id).status).toBe('partly_paid');
  });
});
