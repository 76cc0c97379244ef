import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { paymentIntents, webhook } from '@code-wallet/client';
import * as proto from '@code-wallet/rpc';
import bs58 from 'bs58';
import fc from 'fast-check';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxSequencer, type SandboxSequencer } from '../../electron/core/sandbox/sandbox-sequencer';
import { checkWebhookUrl } from '../../electron/core/sandbox/webhook-url';
import { memoryLogger } from '../support/memory-logger';
import { sandboxExchangeRate } from '../../electron/core/sandbox/sandbox-exchange';

// Real parts only: the real @code-wallet/client over real loopback HTTP, a
// real HTTP receiver for webhooks, real Ed25519 keys.

let signing: { privateKey: KeyObject; publicKey: KeyObject };
let sequencer: SandboxSequencer;
let destination: string;
const logger = memoryLogger();
const logs = logger.lines;

beforeEach(async () => {
  signing = generateKeyPairSync('ed25519');
  // 0.1: retries 100 ms apart, a 300 ms timeout; far from loopback latency.
  sequencer = await createSandboxSequencer({ signingKey: signing.privateKey, timeScale: 0.1, logger });
  destination = bs58.encode(randomBytes(32));
});

afterEach(async () => {
  await sequencer.close();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  logs.length = 0;
});

type CreateArgs = Parameters<typeof paymentIntents.create>[0];

// The client's types require `mode` (IntentOptions) although create() forces 'payment' at runtime.
function create(extra: Partial<CreateArgs> = {}) {
  return paymentIntents.create({ mode: 'payment', amount: 0.25, currency: 'usd', destination, endpoint: sequencer.endpoint, ...extra } as CreateArgs);
}

// --- a real webhook receiver on loopback --------------------------------

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}
interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}
const receivers: Receiver[] = [];

async function startReceiver(status: (index: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }) - 1;
      res.writeHead(status(index)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/abc123`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  receivers.push(receiver);
  return receiver;
}

async function until(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

// --- hand-made wire requests ------------------------------------------------

function billMessage(amount: number, currency = 'usd', to = destination): proto.Message {
  return new proto.Message({
    kind: {
      case: 'requestToReceiveBill',
      value: new proto.RequestToReceiveBill({
        requestorAccount: { value: bs58.decode(to) },
        exchangeData: { case: 'partial', value: new proto.ExchangeDataWithoutRate({ currency, nativeAmount: amount }) },
      }),
    },
  });
}

function rendezvousKey(): { privateKey: KeyObject; raw: Uint8Array } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, raw: Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url') };
}

function envelope(service: string, method: string, body: Uint8Array): Uint8Array {
  return new proto.Common.Request({ service, method, body }).toBinary();
}

async function post(body: Uint8Array | string, init: { contentType?: string; path?: string; method?: string } = {}) {
  const base = sequencer.endpoint;
  const response = await fetch(`${base}${init.path ?? '/api/'}`, {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': init.contentType ?? 'application/octet-stream' },
    body: init.method === 'GET' ? undefined : body,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, envelope: proto.Common.Response.fromBinary(bytes) };
}

// ----------------------------------------------------------------------------

describe('creating payment intents with the real client', () => {
  it('returns an intent id and client secret, and the sandbox holds the intent as sent', async () => {
    const before = Date.now();
    const { id, clientSecret } = await create();

    expect(bs58.decode(id)).toHaveLength(32);
    expect(bs58.decode(clientSecret)).toHaveLength(11);
    expect(sequencer.getIntent(id)).toMatchObject({
      id,
      amount: 0.25,
      currency: 'usd',
      destination,
      state: 'pending',
      codeScanned: false,
      intentSubmitted: false,
      webhookUrl: null,
      paidAt: null,
    });
    expect(sequencer.getIntent(id)?.createdAt).toBeGreaterThanOrEqual(before);
    expect(sequencer.listIntents().map((i) => i.id)).toEqual([id]);
  });

  it('derives the client secret from the idempotency key, and accepts a retry unchanged', async () => {
    const key = `${destination}:sale-42`;
    const first = await create({ idempotencyKey: key });
    const second = await create({ idempotencyKey: key });

    expect(second).toEqual(first);
    const nonce = createHash('sha256').update(key).digest().subarray(0, 11);
    expect(first.clientSecret).toBe(bs58.encode(nonce));
    expect(sequencer.listIntents()).toHaveLength(1);
  });

  it('refuses the same idempotency key with another destination, as the sequencer does', async () => {
    const key = 'sale-42';
    const { id } = await create({ idempotencyKey: key });
    const other = bs58.encode(randomBytes(32));

    await expect(create({ idempotencyKey: key, destination: other })).rejects.toThrow('Request failed with status code 400');
    expect(sequencer.getIntent(id)?.destination).toBe(destination);
    expect(logs.join('\n')).toContain('destination mismatches original request');
  });

  it('refuses an amount below the currency minimum', async () => {
    await expect(create({ amount: 0.04 })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('usd currency has a minimum amount of 0.05');
    expect(sequencer.listIntents()).toEqual([]);
  });

  it('refuses a negative amount, which the client itself lets through', async () => {
    await expect(create({ amount: -1 })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('native amount must be a positive number');
    expect(sequencer.listIntents()).toEqual([]);
  });

  it('refuses a currency the sequencer does not support', async () => {
    await expect(create({ amount: 10, currency: 'ssp' as 'usd' })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('ssp currency is not currently supported');
  });

  it("enforces Code's per-payment maximum by default, as the real service does (1.00 USD)", async () => {
    await expect(create({ amount: 1.01 })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('usd currency has a maximum amount of 1.00');
    await expect(create({ amount: 1 })).resolves.toHaveProperty('id');
    await expect(create({ amount: 100.01, currency: 'jpy' })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('jpy currency has a maximum amount of 100.00');
  });

  it('enforces a configured maximum instead (5.00, as in the months Code multiplied its table), or none', async () => {
    const five = await createSandboxSequencer({ signingKey: signing.privateKey, maximumFor: () => 5, logger });
    const none = await createSandboxSequencer({ signingKey: signing.privateKey, maximumFor: () => null, logger });
    try {
      const args: CreateArgs = { mode: 'payment', amount: 5.01, currency: 'usd', destination, endpoint: five.endpoint };
      await expect(paymentIntents.create(args)).rejects.toThrow('Request failed with status code 400');
      expect(logs.join('\n')).toContain('usd currency has a maximum amount of 5.00');
      await expect(paymentIntents.create({ ...args, amount: 5 })).resolves.toHaveProperty('id');
      await expect(paymentIntents.create({ ...args, amount: 12.5, endpoint: none.endpoint })).resolves.toHaveProperty('id');
      // The minimum still holds with no maximum.
      await expect(paymentIntents.create({ ...args, amount: 0.04, endpoint: none.endpoint })).rejects.toThrow('Request failed with status code 400');
    } finally {
      await five.close();
      await none.close();
    }
  });

  it('answers as a sequencer without the payment service when switched off: unknown methods, so the client gets an error', async () => {
    const receiver = await startReceiver();
    const { id: before } = await create({ webhook: { url: receiver.url } });
    sequencer.setPaymentService(false);
    expect(sequencer.paymentService()).toBe(false);
    await expect(create({ amount: 0.3 })).rejects.toThrow('Request failed with status code 501');
    await expect(paymentIntents.getStatus({ intent: before, endpoint: sequencer.endpoint })).rejects.toThrow('Request failed with status code 501');
    await expect(webhook.register({ intent: before, url: receiver.url, endpoint: sequencer.endpoint })).rejects.toThrow('Request failed with status code 501');
    const text = logs.join('\n');
    expect(text).toContain('UNIMPLEMENTED: unknown method Messaging.sendMessage');
    expect(text).toContain('UNIMPLEMENTED: unknown method MicroPayment.getStatus');
    expect(text).toContain('UNIMPLEMENTED: unknown method MicroPayment.registerWebhook');
    // The in-process simulation controls still work: an intent made before can be paid.
    await sequencer.simulatePayment(before);
    sequencer.setPaymentService(true);
    await expect(paymentIntents.getStatus({ intent: before, endpoint: sequencer.endpoint })).resolves.toMatchObject({ status: 'confirmed' });
    await expect(create({ amount: 0.3 })).resolves.toHaveProperty('id');
  });

  it('stores a kin request with its exact exchange data and pays it at rate 1', async () => {
    const { id } = await create({ amount: 5000, currency: 'kin' });
    const paid = await sequencer.simulatePayment(id);
    expect(paid).toMatchObject({ amount: 5000, currency: 'kin', exchangeRate: 1, quarks: 500_000_000 });
  });

  it('registers the webhook given to create', async () => {
    const receiver = await startReceiver();
    const { id } = await create({ webhook: { url: receiver.url } });
    expect(sequencer.getIntent(id)?.webhookUrl).toBe(receiver.url);
  });

  it('lets create throw on an invalid webhook url only after the intent exists (client behaviour)', async () => {
    const key = 'sale-invalid-webhook';
    await expect(create({ idempotencyKey: key, webhook: { url: 'ftp://example.com/hook' } })).rejects.toThrow('Unable to register webhook: invalid_url');
    const [intent] = sequencer.listIntents();
    expect(intent).toMatchObject({ state: 'pending', webhookUrl: null });
  });

  it('answers a client pointed at a wrong path with an error the client throws', async () => {
    const wrong = sequencer.endpoint.replace(/\/v1$/, '');
    await expect(paymentIntents.create({ mode: 'payment', amount: 0.25, currency: 'usd', destination, endpoint: wrong })).rejects.toThrow('Request failed with status code 404');
  });
});

describe('getStatus', () => {
  it('reports an unknown intent as not existing', async () => {
    const status = await paymentIntents.getStatus({ intent: bs58.encode(randomBytes(32)), endpoint: sequencer.endpoint });
    expect(status).toEqual({ status: 'pending', exists: false, codeScanned: false, intentSubmitted: false });
  });

  it('is pending before the payment and confirmed after simulatePayment', async () => {
    const { id } = await create();
    expect(await paymentIntents.getStatus({ intent: id, endpoint: sequencer.endpoint })).toEqual({
      status: 'pending',
      exists: true,
      codeScanned: false,
      intentSubmitted: false,
    });

    const paid = await sequencer.simulatePayment(id);

    expect(await paymentIntents.getStatus({ intent: id, endpoint: sequencer.endpoint })).toEqual({
      status: 'confirmed',
      exists: true,
      codeScanned: true,
      intentSubmitted: true,
    });
    expect(paid.state).toBe('paid');
    expect(paid.exchangeRate).toBe(sandboxExchangeRate('usd'));
    expect(Number.isSafeInteger(paid.quarks)).toBe(true);
    expect(paid.quarks).toBe(25_000 * 100_000); // 0.25 USD at US$0.00001 per Kin
  });

  it('stays pending with the code scanned after the customer cancels, and refuses a later payment', async () => {
    const { id } = await create();
    expect(sequencer.simulateCancel(id).state).toBe('cancelled');

    expect(await paymentIntents.getStatus({ intent: id, endpoint: sequencer.endpoint })).toEqual({
      status: 'pending',
      exists: true,
      codeScanned: true,
      intentSubmitted: false,
    });
    await expect(sequencer.simulatePayment(id)).rejects.toMatchObject({ name: 'SandboxError', code: 'intent-cancelled' });
  });
});

describe('simulation controls', () => {
  it('refuses to pay an unknown intent', async () => {
    await expect(sequencer.simulatePayment('nope')).rejects.toMatchObject({ code: 'intent-not-found' });
    expect(() => sequencer.simulateCancel('nope')).toThrow(expect.objectContaining({ code: 'intent-not-found' }));
  });

  it('refuses to pay or cancel an intent twice paid', async () => {
    const { id } = await create();
    await sequencer.simulatePayment(id);
    await expect(sequencer.simulatePayment(id)).rejects.toMatchObject({ code: 'intent-already-paid' });
    expect(() => sequencer.simulateCancel(id)).toThrow(expect.objectContaining({ code: 'intent-already-paid' }));
  });

  it('rejects a resent payment request for an intent already paid', async () => {
    const key = 'sale-paid';
    const { id } = await create({ idempotencyKey: key });
    await sequencer.simulatePayment(id);
    await expect(create({ idempotencyKey: key })).rejects.toThrow('Request failed with status code 400');
    expect(logs.join('\n')).toContain('client submitted intent');
  });

  it('returns snapshots that callers cannot use to change the sandbox', async () => {
    const { id } = await create();
    const copy = sequencer.getIntent(id)!;
    copy.state = 'paid';
    expect(sequencer.getIntent(id)?.state).toBe('pending');
  });
});

describe('webhook.register result codes', () => {
  it('answers ok for a pending intent and already_registered the second time', async () => {
    const receiver = await startReceiver();
    const { id } = await create();
    const endpoint = sequencer.endpoint;
    expect(await webhook.register({ intent: id, url: receiver.url, endpoint })).toEqual({ success: true, message: 'ok' });
    expect(await webhook.register({ intent: id, url: `${receiver.url}/other`, endpoint })).toEqual({ success: false, message: 'already_registered' });
    expect(sequencer.getIntent(id)?.webhookUrl).toBe(receiver.url);
  });

  it('answers request_not_found for an intent the sandbox never saw', async () => {
    const result = await webhook.register({ intent: bs58.encode(randomBytes(32)), url: 'http://127.0.0.1:9/x', endpoint: sequencer.endpoint });
    expect(result).toEqual({ success: false, message: 'request_not_found' });
  });

  it('answers intent_exists once the intent is paid', async () => {
    const { id } = await create();
    await sequencer.simulatePayment(id);
    const result = await webhook.register({ intent: id, url: 'http://127.0.0.1:9/x', endpoint: sequencer.endpoint });
    expect(result).toEqual({ success: false, message: 'intent_exists' });
  });

  it('answers invalid_url before looking at the intent', async () => {
    const result = await webhook.register({ intent: bs58.encode(randomBytes(32)), url: 'ftp://example.com/x', endpoint: sequencer.endpoint });
    expect(result).toEqual({ success: false, message: 'invalid_url' });
  });
});

describe('webhook URL validation', () => {
  it.each([
    'https://quiet-river-1234.trycloudflare.com/hooks/abc',
    'http://127.0.0.1:4567/hooks/abc',
    'http://localhost:4567/hooks/abc',
    'http://[::1]:4567/hooks/abc',
    'HTTPS://shop.example.com/hook',
    'shop.example.com/hook',
    'https://xn--mnchen-3ya.de/hook',
    'https://münchen.de/hook',
  ])('accepts %s', (url) => {
    expect(checkWebhookUrl(url)).toMatchObject({ ok: true });
  });

  it.each([
    ['ftp://example.com/hook', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['localhost:4567/hook', 'scheme'],
    ['http:example.com', 'host component missing'],
    ['https://Shop.example.com/hook', 'disallowed character'],
    ['https://shop_1.example.com/hook', 'disallowed character'],
    ['https://shop.example.com:8443/hook', 'disallowed character'],
    ['https://-shop.example.com/hook', 'hyphen'],
    ['https://ab--cd.example.com/hook', 'positions 3-4'],
    ['https://shop..example.com/hook', 'empty label'],
    ['https://exa mple.com/hook', 'cannot be parsed'],
    [`https://${'a'.repeat(64)}.com/hook`, '63'],
    ['', 'empty'],
    [`https://example.com/${'a'.repeat(2100)}`, 'too long'],
  ].map(([url, reason]) => [url!.length > 80 ? `${url!.slice(0, 40)}…(${url!.length} chars)` : url, url, reason]))('refuses %s', (_label, url, reason) => {
    const check = checkWebhookUrl(url!);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });
});

describe('sendMessage signature verification', () => {
  function sendMessageRequest(message: proto.Message, key: { raw: Uint8Array }, signature: Uint8Array | undefined) {
    return new proto.SendMessageRequest({
      message,
      rendezvousKey: { value: key.raw },
      signature: signature ? { value: signature } : undefined,
    });
  }

  it('accepts a hand-made request signed by its rendezvous key', async () => {
    const key = rendezvousKey();
    const message = billMessage(0.5);
    const req = sendMessageRequest(message, key, sign(null, message.toBinary(), key.privateKey));

    const { status, envelope: res } = await post(envelope('Messaging', 'sendMessage', req.toBinary()));

    expect(status).toBe(200);
    expect(res.result).toBe(proto.Common.Response_Result.OK);
    const answer = proto.SendMessageResponse.fromBinary(res.body);
    expect(answer.result).toBe(proto.SendMessageResponse_Result.OK);
    expect(answer.messageId?.value).toHaveLength(16);
    expect(sequencer.getIntent(bs58.encode(key.raw))).toMatchObject({ amount: 0.5, currency: 'usd', destination });
  });

  it('rejects a request whose amount was changed after signing', async () => {
    const key = rendezvousKey();
    const message = billMessage(0.5);
    const signature = sign(null, message.toBinary(), key.privateKey);
    const bill = message.kind.value as proto.RequestToReceiveBill;
    (bill.exchangeData.value as proto.ExchangeDataWithoutRate).nativeAmount = 0.05;

    const { status, envelope: res } = await post(envelope('Messaging', 'sendMessage', sendMessageRequest(message, key, signature).toBinary()));

    expect(status).toBe(401);
    expect(res.result).toBe(proto.Common.Response_Result.ERROR);
    expect(res.message).toContain('not signed by the rendezvous key');
    expect(sequencer.listIntents()).toEqual([]);
  });

  it('rejects an unsigned request', async () => {
    const { status } = await post(envelope('Messaging', 'sendMessage', sendMessageRequest(billMessage(0.5), rendezvousKey(), undefined).toBinary()));
    expect(status).toBe(401);
    expect(sequencer.listIntents()).toEqual([]);
  });

  it('rejects a request signed by another key than the rendezvous key', async () => {
    const key = rendezvousKey();
    const impostor = rendezvousKey();
    const message = billMessage(0.5);
    const { status } = await post(envelope('Messaging', 'sendMessage', sendMessageRequest(message, key, sign(null, message.toBinary(), impostor.privateKey)).toBinary()));
    expect(status).toBe(401);
    expect(sequencer.listIntents()).toEqual([]);
  });

  it('rejects malformed messages with the sequencer errors', async () => {
    const key = rendezvousKey();
    const signed = (message: proto.Message) => sendMessageRequest(message, key, sign(null, message.toBinary(), key.privateKey)).toBinary();
    const withId = billMessage(0.5);
    withId.id = new proto.MessageId({ value: randomBytes(16) });
    const submitted = new proto.Message({ kind: { case: 'intentSubmitted', value: new proto.IntentSubmitted({}) } });
    const login = new proto.Message({ kind: { case: 'requestToLogin', value: new proto.RequestToLogin({}) } });
    const noExchange = new proto.Message({ kind: { case: 'requestToReceiveBill', value: new proto.RequestToReceiveBill({ requestorAccount: { value: bs58.decode(destination) } }) } });
    const shortKey = new proto.SendMessageRequest({ message: billMessage(0.5), rendezvousKey: { value: randomBytes(31) }, signature: { value: randomBytes(64) } });

    const cases: Array<[Uint8Array, number, string]> = [
      [signed(withId), 400, 'message.id cannot be set by clients'],
      [signed(submitted), 400, 'message.kind cannot be intent_submitted'],
      [signed(new proto.Message({})), 400, 'message.kind must be set'],
      [signed(login), 501, 'only accepts request_to_receive_bill'],
      [signed(noExchange), 400, 'exchange data is nil'],
      [shortKey.toBinary(), 400, "rendezvous key isn't a valid public key"],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(envelope('Messaging', 'sendMessage', body));
      expect({ status: res.status, message: res.envelope.message }).toEqual({ status, message: expect.stringContaining(message) });
    }
    expect(sequencer.listIntents()).toEqual([]);
  });
});

describe('everything else gets a clean error', () => {
  it('answers 404 outside the API path, 405 for other methods, 415 for other content types', async () => {
    expect((await post(new Uint8Array(), { path: '/api/x' })).status).toBe(404);
    expect((await post(new Uint8Array(), { method: 'GET' })).status).toBe(405);
    expect((await post('hello', { contentType: 'text/plain' })).status).toBe(415);
  });

  it('answers 501 for an unknown service or method', async () => {
    const unknownService = await post(envelope('Transaction', 'submitIntent', new Uint8Array()));
    const unknownMethod = await post(envelope('MicroPayment', 'codify', new Uint8Array()));
    expect(unknownService.status).toBe(501);
    expect(unknownMethod.status).toBe(501);
    expect(unknownMethod.envelope).toMatchObject({ result: proto.Common.Response_Result.ERROR, message: 'unknown method MicroPayment.codify' });
  });

  it('answers 400 for an empty body and for a getStatus without an intent id', async () => {
    expect((await post(new Uint8Array())).status).toBe(400);
    expect((await post(envelope('MicroPayment', 'getStatus', new Uint8Array()))).status).toBe(400);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await fetch(`${sequencer.endpoint}/api/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(64 * 1024),
    }).catch((error: Error) => error);
    // The server answers 413 and drops the connection; fetch may see either.
    if (res instanceof Error) expect(res.message).toMatch(/fetch failed|socket/i);
    else expect(res.status).toBe(413);
  });

  it('never crashes on garbage bodies and keeps serving the real client', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const { status, envelope: res } = await post(bytes);
        expect(status).toBeGreaterThanOrEqual(400);
        expect(res.result).toBe(proto.Common.Response_Result.ERROR);
      }),
      { numRuns: 150 },
    );
    // Well-formed envelopes around garbage method bodies, too.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('sendMessage', 'getStatus', 'registerWebhook'), fc.uint8Array({ maxLength: 256 }), async (method, bytes) => {
        const service = method === 'sendMessage' ? 'Messaging' : 'MicroPayment';
        const { status } = await post(envelope(service, method, bytes));
        expect([200, 400, 401, 501]).toContain(status);
      }),
      { numRuns: 150 },
    );
    await expect(create()).resolves.toHaveProperty('id');
  });
});

describe('webhook on simulated payment', () => {
  it('POSTs a JWT in the real format, signed by the sandbox key', async () => {
    const receiver = await startReceiver();
    const { id } = await create({ webhook: { url: receiver.url } });

    await sequencer.simulatePayment(id);
    await until(() => receiver.received.length === 1);

    const [hit] = receiver.received;
    expect(hit?.method).toBe('POST');
    expect(hit?.headers['content-type']).toBe('application/jwt');
    const token = hit!.body;
    expect(token.split('.')).toHaveLength(3);
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')).toBe('{"alg":"EdDSA","typ":"JWT"}');
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'JWT' });

    const { payload } = await jwtVerify(token, signing.publicKey, { algorithms: ['EdDSA'] });
    expect(Object.keys(payload)).toEqual(['amount', 'currency', 'destination', 'exchangeRate', 'fees', 'intent', 'quarks', 'state']);
    expect(payload).toEqual({
      amount: 0.25,
      currency: 'USD',
      destination,
      exchangeRate: sandboxExchangeRate('usd'),
      fees: 0,
      intent: id,
      quarks: 2_500_000_000,
      state: 'SUBMITTED',
    });
    expect(Number.isInteger(payload.quarks)).toBe(true);

    await until(() => sequencer.deliveries().length === 1);
    expect(sequencer.deliveries()[0]).toMatchObject({ intentId: id, url: receiver.url, attempt: 1, status: 200, error: null, delivered: true });
  });

  it('does not verify against another key', async () => {
    const receiver = await startReceiver();
    const { id } = await create({ webhook: { url: receiver.url } });
    await sequencer.simulatePayment(id);
    await until(() => receiver.received.length === 1);
    await expect(jwtVerify(receiver.received[0]!.body, generateKeyPairSync('ed25519').publicKey)).rejects.toThrow();
  });

  it('sends nothing for a payment without a registered webhook', async () => {
    const { id } = await create();
    await sequencer.simulatePayment(id);
    await new Promise((r) => setTimeout(r, 50));
    expect(sequencer.deliveries()).toEqual([]);
  });

  it('retries a failing receiver through the sequencer', async () => {
    const receiver = await startReceiver((i) => (i < 2 ? 500 : 200));
    const { id } = await create({ webhook: { url: receiver.url } });
    await sequencer.simulatePayment(id);
    await until(() => sequencer.deliveries().some((d) => d.delivered));
    expect(receiver.received).toHaveLength(3);
    expect(sequencer.deliveries().map((d) => d.attempt)).toEqual([1, 2, 3]);
    expect(sequencer.deliveries().map((d) => d.status)).toEqual([500, 500, 200]);
  });
});

describe('close', () => {
  it('stops the server, stops pending deliveries and refuses further simulation and reads', async () => {
    const slow = await createSandboxSequencer({ signingKey: signing.privateKey, timeScale: 0.2 }); // retry after 200 ms
    const receiver = await startReceiver(() => 500);
    const { id } = await paymentIntents.create({ mode: 'payment', amount: 0.25, currency: 'usd', destination, endpoint: slow.endpoint, webhook: { url: receiver.url } });
    await slow.simulatePayment(id);
    await until(() => slow.deliveries().length === 1);

    await slow.close();

    await expect(paymentIntents.getStatus({ intent: id, endpoint: slow.endpoint })).rejects.toThrow(/Network error/);
    await expect(slow.simulatePayment(id)).rejects.toMatchObject({ code: 'sequencer-closed' });
    expect(() => slow.getIntent(id)).toThrow(expect.objectContaining({ code: 'sequencer-closed' }));
    expect(() => slow.deliveries()).toThrow(expect.objectContaining({ code: 'sequencer-closed' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1);
    await slow.close(); // twice is fine
  });
});
