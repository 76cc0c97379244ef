// The scan code Counter draws for a Code payment must encode exactly that
// payment request: the payload the intent id is derived from (kind, currency,
// amount, nonce of the idempotency key), which kikcode's own decoder reads back.
import { createHash } from 'node:crypto';
import { decode, encode, KikCode } from '@code-wallet/kikcode';
import { PaymentRequestIntent } from '@code-wallet/intents';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandboxRail } from '../../electron/core/rails/sandbox-rail';
import { PaymentsError } from '../../electron/core/payments/errors';
import { loadOrCreateSandboxKey } from '../../electron/core/sandbox/sandbox-key';
import { startPaymentsFixture, type PaymentsFixture } from '../support/payments-fixture';
import { randomAddress, tempDir } from '../support/temp-dir';

let f: PaymentsFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

describe('the scan code of a Code payment', () => {
  it('encodes the payment request itself: kind, currency, amount and the nonce of its idempotency key', async () => {
    const rail = createSandboxRail({ endpoint: 'http://127.0.0.1:9/v1', webhookKey: loadOrCreateSandboxKey(tempDir()).publicKey });
    const request = { amount: 1.25, currency: 'usd', destination: randomAddress(), idempotencyKey: 'counter:test:1' };
    const drawing = await rail.scanCode(request);
    expect(drawing.size).toBe(200);
    expect(drawing.center).toMatch(/^M/);
    expect(drawing.arcs.length + drawing.dots.length).toBeGreaterThan(20);

    // Drawn again from the same bytes, the layout is the same: the drawing is a function of the payload alone.
    const intent = new PaymentRequestIntent({ mode: 'payment', ...request, currency: 'usd' });
    // The same request names the same intent in Counter's rail and in Code's package: the fixture is that intent's own payload.
    expect(rail.prepare(request).intentId).toBe(intent.getIntentId());
    const payload = intent.rendezvousPayload.toBinary();
    expect(payload[0]).toBe(2); // a payment request
    expect(Buffer.from(payload.subarray(2, 9)).readUIntLE(0, 6)).toBe(125); // hundredths
    expect(Buffer.from(payload.subarray(9))).toEqual(createHash('sha256').update(request.idempotencyKey).digest().subarray(0, 11));
    // kikcode's decoder reads the payload back out of the encoding the drawing came from.
    const encoded = Uint8Array.from(await encode(payload));
    expect(Buffer.from(Uint8Array.from(await decode(encoded)).subarray(0, 20))).toEqual(Buffer.from(payload));
    expect(KikCode.generateDescription({ width: 200, height: 200 }, encoded)).toMatchObject({ center: drawing.center, arcs: drawing.arcs, dots: drawing.dots });
    // Another amount, another code.
    expect((await rail.scanCode({ ...request, amount: 1.26 })).arcs).not.toEqual(drawing.arcs);
  });

  it('is served for a waiting Code payment only, and names its intent', async () => {
    f = await startPaymentsFixture({ start: false });
    const till = await f.app.service.charge({ amount: 250, currency: 'usd' });
    const payment = till.codePayment!;
    const view = await f.app.service.scanCode(till.sale.id, payment.tenderId);
    expect(view).toMatchObject({ tenderId: payment.tenderId, intentId: payment.intentId, size: 200 });

    const refused = (work: Promise<unknown>) => work.then(() => null, (e: unknown) => e);
    const other = await f.app.service.charge({ amount: 90, currency: 'usd' });
    // A tender of another sale, an unknown one, and (below) one cancelled when cash was taken instead.
    for (const [saleId, tenderId] of [[other.sale.id, payment.tenderId], [till.sale.id, 9999]] as const) {
      const error = await refused(f.app.service.scanCode(saleId, tenderId));
      expect(error).toBeInstanceOf(PaymentsError);
      expect((error as PaymentsError).code).toBe('invalid-transition');
    }
    f.app.service.takeCash(other.sale.id, 90);
    const replaced = f.app.ledger.getSale(other.sale.id).tenders.find((t) => t.kind === 'code')!;
    expect(replaced.status).toBe('cancelled');
    expect(((await refused(f.app.service.scanCode(other.sale.id, replaced.id))) as PaymentsError).message).toMatch(/no such Code payment waiting/);
  });
});
