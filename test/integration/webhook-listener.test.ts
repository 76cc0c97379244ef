import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { base64url } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DUPLICATE_EVENTS_PER_TENDER } from '../../electron/core/ledger/sales-store';
import { MAX_BODY_BYTES } from '../../electron/core/webhook/webhook-listener';
import { rawRequest } from '../support/http';
import { pendingSale, signWebhook, startWebhookFixture, webhookPayload, type WebhookFixture } from '../support/webhook-fixture';
import { randomAddress } from '../support/temp-dir';

let f: WebhookFixture;
beforeEach(async () => {
  f = await startWebhookFixture();
});
afterEach(async () => {
  await f.close();
});

const post = (body: string | Buffer, headers: Record<string, string | number> = { 'content-type': 'application/jwt' }, path = f.listener.webhookPath) =>
  rawRequest(f.listener.port, { method: 'POST', path, headers, body });

const duplicateCount = (tenderId: number) =>
  (f.ledger.database.prepare('SELECT duplicate_proofs AS n FROM tenders WHERE id = ?').get(tenderId) as { n: number }).n;

function unsignedToken(header: object, payload: object, signature = ''): string {
  const enc = (o: object) => base64url.encode(JSON.stringify(o));
  return `${enc(header)}.${enc(payload)}.${signature}`;
}

describe('webhook listener: a valid webhook', () => {
  it('answers exactly 200 and marks the sale paid with quarks and exchange rate', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s), f.sandboxKey.privateKey);
    const res = await post(jwt);
    expect(res.status).toBe(200);
    const { sale, events } = f.ledger.getSaleWithEvents(s.sale.id);
    expect(sale).toMatchObject({ status: 'paid', firstProof: 'webhook', paidLate: false, paidAmount: 1250 });
    expect(sale.tenders).toMatchObject([{ id: s.tender.id, status: 'paid', firstProof: 'webhook', quarks: 82_236_842_105, exchangeRate: 0.0000152 }]);
    expect(events).toMatchObject([{ source: 'webhook', outcome: 'credited', tenderId: s.tender.id, payload: jwt }]);
  });

  it('accepts the currency in any case, and the optional fees and user fields', async () => {
    const s = pendingSale(f.ledger, 500, 'eur');
    const jwt = await signWebhook(webhookPayload(s, { amount: 5, currency: 'eUr', fees: 1000, user: 'someone' }), f.sandboxKey.privateKey);
    expect((await post(jwt, { 'content-type': 'Application/JWT; charset=utf-8' })).status).toBe(200);
    expect(f.ledger.getSale(s.sale.id).status).toBe('paid');
  });

  it('ten duplicate webhooks credit the sale once: the first five duplicates are events, the rest only counted', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s), f.sandboxKey.privateKey);
    const statuses: number[] = [];
    const bodies: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await post(jwt);
      statuses.push(res.status);
      bodies.push(res.body);
    }
    expect(statuses).toEqual(Array(10).fill(200));
    // Code only looks at the status; the message still says what happened.
    expect(bodies.map((b) => (JSON.parse(b) as { message: string }).message)).toEqual(['credited', ...Array(9).fill('duplicate')]);
    const { events } = f.ledger.getSaleWithEvents(s.sale.id);
    expect(events.map((e) => e.outcome)).toEqual(['credited', ...Array(MAX_DUPLICATE_EVENTS_PER_TENDER).fill('duplicate')]);
    expect(duplicateCount(s.tender.id)).toBe(9 - MAX_DUPLICATE_EVENTS_PER_TENDER);
  });

  it('ten duplicate webhooks arriving at the same moment on parallel connections credit once', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s), f.sandboxKey.privateKey);
    const results = await Promise.all(Array.from({ length: 10 }, () => post(jwt)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const { sale, events } = f.ledger.getSaleWithEvents(s.sale.id);
    expect(sale.status).toBe('paid');
    expect(events.filter((e) => e.outcome === 'credited')).toHaveLength(1);
    expect(events).toHaveLength(1 + MAX_DUPLICATE_EVENTS_PER_TENDER);
    expect(duplicateCount(s.tender.id)).toBe(9 - MAX_DUPLICATE_EVENTS_PER_TENDER);
  });

  it('a live sale’s webhook is taken while the app is in sandbox mode, and a sandbox sale’s while it is live', async () => {
    const live = pendingSale(f.ledger, 1250, 'usd', 'live');
    f.setMode('sandbox');
    expect((await post(await signWebhook(webhookPayload(live), f.liveKey.privateKey))).status).toBe(200);
    expect(f.ledger.getSale(live.sale.id)).toMatchObject({ status: 'paid', firstProof: 'webhook' });
    const sandbox = pendingSale(f.ledger);
    f.setMode('live');
    expect((await post(await signWebhook(webhookPayload(sandbox), f.sandboxKey.privateKey))).status).toBe(200);
    expect(f.ledger.getSale(sandbox.sale.id).status).toBe('paid');
  });

  it('a split sale: the webhook is compared with its Code payment, not with the whole sale', async () => {
    const destination = randomAddress();
    const sale = f.ledger.createSale({ amount: 250, currency: 'usd', mode: 'sandbox', destination });
    const intent = randomAddress();
    const { tender } = f.ledger.addCodeTender(sale.id, { amount: 100, seq: 1, intentId: intent });
    const whole = await post(await signWebhook(webhookPayload({ intent, destination }, { amount: 2.5 }), f.sandboxKey.privateKey));
    expect(whole.status).toBe(422);
    const { events } = f.ledger.getSaleWithEvents(sale.id);
    expect(events).toMatchObject([{ outcome: 'rejected', tenderId: tender.id, kind: expect.stringMatching(/amount 2.5 does not match the Code payment/) }]);
    expect((await post(await signWebhook(webhookPayload({ intent, destination }, { amount: 1 }), f.sandboxKey.privateKey))).status).toBe(200);
    expect(f.ledger.getSale(sale.id)).toMatchObject({ status: 'partly_paid', paidAmount: 100 });
  });

  it('a payment for a cancelled sale is recorded as paid and flagged', async () => {
    const s = pendingSale(f.ledger);
    f.ledger.cancel(s.sale.id);
    const res = await post(await signWebhook(webhookPayload(s), f.sandboxKey.privateKey));
    expect(res.status).toBe(200);
    expect(f.ledger.getSale(s.sale.id)).toMatchObject({ status: 'paid', paidLate: true });
  });
});

describe('webhook listener: nothing false is credited', () => {
  async function expectRejected(res: { status: number }, status: number, saleId: number) {
    expect(res.status).toBe(status);
    expect(f.ledger.getSale(saleId).status).toBe('pending');
  }

  it('a forged signature (payload changed after signing) gets 401 in the listener’s thread: logged, nothing written to the ledger', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s, { amount: 0.05 }), f.sandboxKey.privateKey);
    const [h, , sig] = jwt.split('.');
    const forged = `${h}.${base64url.encode(JSON.stringify(webhookPayload(s)))}.${sig}`;
    await expectRejected(await post(forged), 401, s.sale.id);
    // The same forgery again is answered from the refused-bodies cache, the same way.
    await expectRejected(await post(forged), 401, s.sale.id);
    expect(f.ledger.getSaleWithEvents(s.sale.id).events).toEqual([]);
    await f.listener.flush();
    expect(f.logs.filter((l) => l.includes('rejected (401): signature does not verify'))).toHaveLength(2);
  });

  it('a verified token signed with the other mode’s key is filed on the sale it names', async () => {
    const s = pendingSale(f.ledger, 1250, 'usd', 'live');
    await expectRejected(await post(await signWebhook(webhookPayload(s), f.sandboxKey.privateKey)), 401, s.sale.id);
    expect(f.ledger.getSaleWithEvents(s.sale.id).events).toMatchObject([
      { outcome: 'rejected', tenderId: s.tender.id, kind: 'rejected: signed with the sandbox key, not the live key of the sale' },
    ]);
  });

  it('a correctly signed token with a crit or b64 header parameter, an expired exp or a future nbf is refused', async () => {
    const s = pendingSale(f.ledger);
    // Signed correctly, so only the header parameter can be why.
    const signRaw = (header: object) => {
      const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(webhookPayload(s)))}`;
      return `${input}.${base64url.encode(sign(null, Buffer.from(input), f.sandboxKey.privateKey))}`;
    };
    expect((await post(signRaw({ alg: 'EdDSA', typ: 'JWT' }))).status).toBe(200);
    const other = pendingSale(f.ledger);
    const signOther = (header: object) => {
      const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(webhookPayload(other)))}`;
      return `${input}.${base64url.encode(sign(null, Buffer.from(input), f.sandboxKey.privateKey))}`;
    };
    expect((await post(signOther({ alg: 'EdDSA', crit: ['x'], x: 1 }))).status).toBe(400);
    expect((await post(signOther({ alg: 'EdDSA', b64: false }))).status).toBe(400);
    const expired = await signWebhook(webhookPayload(other, { exp: Math.floor(Date.now() / 1000) - 60 }), f.sandboxKey.privateKey);
    expect((await post(expired)).status).toBe(401);
    const early = await signWebhook(webhookPayload(other, { nbf: Math.floor(Date.now() / 1000) + 3600 }), f.sandboxKey.privateKey);
    expect((await post(early)).status).toBe(401);
    expect(f.ledger.getSale(other.sale.id).status).toBe('pending');
  });

  it('a valid signature from another key gets 401', async () => {
    const s = pendingSale(f.ledger);
    const other = generateKeyPairSync('ed25519');
    await expectRejected(await post(await signWebhook(webhookPayload(s), other.privateKey)), 401, s.sale.id);
  });

  it('alg none gets 401', async () => {
    const s = pendingSale(f.ledger);
    await expectRejected(await post(unsignedToken({ alg: 'none', typ: 'JWT' }, webhookPayload(s), 'AA')), 401, s.sale.id);
    await expectRejected(await post(unsignedToken({ alg: 'none' }, webhookPayload(s)) + 'AA'), 401, s.sale.id);
  });

  it('HS256 signed with the public key as the HMAC secret gets 401', async () => {
    const s = pendingSale(f.ledger);
    for (const secret of [
      f.sandboxKey.publicKey.export({ format: 'der', type: 'spki' }),
      Buffer.from(f.sandboxKey.publicKey.export({ format: 'jwk' }).x!, 'base64url'),
      Buffer.from(f.sandboxKey.publicKey.export({ format: 'pem', type: 'spki' }) as string),
    ]) {
      const input = `${base64url.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(webhookPayload(s)))}`;
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      await expectRejected(await post(token), 401, s.sale.id);
    }
  });

  it('in live mode a token signed with the sandbox key gets 401', async () => {
    const s = pendingSale(f.ledger, 1250, 'usd', 'live');
    f.setMode('live');
    await expectRejected(await post(await signWebhook(webhookPayload(s), f.sandboxKey.privateKey)), 401, s.sale.id);
  });

  it.each([
    ['amount', { amount: 12.49 }, /amount 12.49 does not match/],
    ['amount with a third decimal', { amount: 12.501 }, /amount/],
    ['currency', { currency: 'EUR' }, /currency EUR does not match/],
    ['destination', { destination: 'codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR' }, /destination does not match/],
    ['state', { state: 'PENDING' }, /state is "PENDING"/],
  ])('a correctly signed token whose %s does not match gets 422 and is filed on the sale', async (_what, override, reason) => {
    const s = pendingSale(f.ledger);
    await expectRejected(await post(await signWebhook(webhookPayload(s, override), f.sandboxKey.privateKey)), 422, s.sale.id);
    const [event] = f.ledger.getSaleWithEvents(s.sale.id).events;
    expect(event).toMatchObject({ outcome: 'rejected', source: 'webhook' });
    expect(event!.kind).toMatch(reason);
  });

  it('a sandbox-signed token for a live sale gets 401 whatever the app mode: never the other mode’s key', async () => {
    const s = pendingSale(f.ledger, 1250, 'usd', 'live');
    for (const mode of ['sandbox', 'live'] as const) {
      f.setMode(mode);
      await expectRejected(await post(await signWebhook(webhookPayload(s), f.sandboxKey.privateKey)), 401, s.sale.id);
    }
  });

  it('an unknown intent is checked with the app mode’s key: 422 when it verifies, 401 when it does not', async () => {
    const unknown = { intent: randomAddress(), destination: randomAddress() };
    expect((await post(await signWebhook(webhookPayload(unknown), f.sandboxKey.privateKey))).status).toBe(422);
    f.setMode('live');
    expect((await post(await signWebhook(webhookPayload(unknown), f.sandboxKey.privateKey))).status).toBe(401);
    expect((await post(await signWebhook(webhookPayload(unknown), f.liveKey.privateKey))).status).toBe(422);
  });

  it('a claimed intent that is not a base58 id gets 400 once verified', async () => {
    const res = await post(await signWebhook(webhookPayload({ intent: 'not base58 0OIl', destination: randomAddress() }), f.sandboxKey.privateKey));
    expect(res.status).toBe(400);
  });

  it('an unknown intent gets 422 and touches no sale', async () => {
    const s = pendingSale(f.ledger);
    const other = { intent: 'So11111111111111111111111111111111111111112', destination: s.destination };
    expect((await post(await signWebhook(webhookPayload(other), f.sandboxKey.privateKey))).status).toBe(422);
    expect(f.ledger.getSaleWithEvents(s.sale.id).events).toEqual([]);
  });

  it('a signed payload missing fields or with wrong types gets 400', async () => {
    const s = pendingSale(f.ledger);
    for (const bad of [{ quarks: 1.5 }, { amount: '12.50' }, { exchangeRate: null }, { intent: 42 }]) {
      await expectRejected(await post(await signWebhook(webhookPayload(s, bad), f.sandboxKey.privateKey)), 400, s.sale.id);
    }
  });

  it('wrong method or path gets 404', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s), f.sandboxKey.privateKey);
    const h = { 'content-type': 'application/jwt' };
    for (const [method, path] of [
      ['GET', f.listener.webhookPath],
      ['PUT', f.listener.webhookPath],
      ['DELETE', f.listener.webhookPath],
      ['POST', '/'],
      ['POST', '/code-webhook/'],
      ['POST', '/code-webhook/guess'],
      ['POST', `${f.listener.webhookPath}/extra`],
      ['POST', f.listener.webhookPath.toUpperCase()],
      ['POST', f.listener.healthPath],
      ['GET', '/health/guess'],
    ] as const) {
      const res = await rawRequest(f.listener.port, { method, path, headers: h, body: method === 'GET' ? undefined : jwt });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(f.ledger.getSale(s.sale.id).status).toBe('pending');
  });

  it('answers the health path, and only with ok', async () => {
    const res = await rawRequest(f.listener.port, { method: 'GET', path: f.listener.healthPath });
    expect(res).toEqual({ status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) });
  });

  it('empty, truncated, oversized, non-JWT and wrongly typed bodies are refused', async () => {
    const s = pendingSale(f.ledger);
    const jwt = await signWebhook(webhookPayload(s), f.sandboxKey.privateKey);
    expect((await post('')).status).toBe(400);
    expect((await post(jwt.slice(0, jwt.length - 10))).status).toBe(401);
    expect((await post(jwt.slice(0, jwt.lastIndexOf('.')))).status).toBe(400);
    expect((await post(jwt.slice(0, 40))).status).toBe(400);
    expect((await post(`${jwt}${'A'.repeat(MAX_BODY_BYTES)}`)).status).toBe(413);
    expect((await post(Buffer.alloc(MAX_BODY_BYTES + 1, 'a'), { 'content-type': 'application/jwt', 'transfer-encoding': 'chunked' })).status).toBe(413);
    expect((await post('{"amount":12.5,"state":"SUBMITTED"}')).status).toBe(400);
    expect((await post(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]))).status).toBe(400);
    expect((await post(jwt, { 'content-type': 'application/json' })).status).toBe(415);
    expect((await post(jwt, {})).status).toBe(415);
    expect(f.ledger.getSale(s.sale.id).status).toBe('pending');
    // And the listener still works.
    expect((await post(jwt)).status).toBe(200);
  });

  it('drops a client that stalls mid-body instead of waiting forever', async () => {
    const quick = await startWebhookFixture(undefined, { requestTimeoutMs: 500 });
    const { createConnection } = await import('node:net');
    const closed = await new Promise<boolean>((resolve) => {
      const socket = createConnection(quick.listener.port, '127.0.0.1', () => {
        socket.write(`POST ${quick.listener.webhookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/jwt\r\nContent-Length: 500\r\n\r\nabc`);
      });
      socket.on('data', () => {});
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 8_000).unref();
    });
    await quick.close();
    expect(closed).toBe(true);
  });
});
