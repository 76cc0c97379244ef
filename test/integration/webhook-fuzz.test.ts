import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { base64url } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rawRequest } from '../support/http';
import { pendingSale, signWebhook, startWebhookFixture, webhookPayload, type WebhookFixture } from '../support/webhook-fixture';

// Property: whatever arrives (method, path, headers, body), the listener
// answers without a 5xx, never credits a sale, and keeps serving.

let f: WebhookFixture;
let target: ReturnType<typeof pendingSale>;
const stranger = generateKeyPairSync('ed25519');

beforeAll(async () => {
  f = await startWebhookFixture();
  target = pendingSale(f.ledger);
});
afterAll(async () => {
  await f.close();
});

const b64 = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

/** Bodies from pure noise to near-misses of a valid webhook. */
const bodyArb = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.string(), fc.string(), fc.string()).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.base64String()).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s.replace(/=/g, '')}`),
  fc
    .record({
      alg: fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'EdDSA', 'Ed25519', 'eddsa', ''),
      amount: fc.oneof(fc.double(), fc.constant(12.5), fc.string()),
      currency: fc.oneof(fc.constantFrom('USD', 'usd', 'EUR', ''), fc.string()),
      state: fc.constantFrom('SUBMITTED', 'PENDING', '', 'submitted'),
      quarks: fc.oneof(fc.integer(), fc.double(), fc.string()),
      sig: fc.base64String({ maxLength: 120 }),
    })
    .map((r) => `${b64({ alg: r.alg, typ: 'JWT' })}.${b64(webhookPayload(target, { amount: r.amount, currency: r.currency, state: r.state, quarks: r.quarks }))}.${r.sig.replace(/=/g, '')}`),
  // Correctly signed by the wrong key, with random field values.
  fc.record({ amount: fc.double({ noNaN: true }), currency: fc.string(), exp: fc.option(fc.integer()) }).map((r) => ({ signWith: 'stranger' as const, r })),
  // Correctly signed by the right key, but never matching the sale.
  fc
    .record({ amount: fc.double({ min: 0.01, max: 1e6, noNaN: true }).filter((a) => a !== 12.5), state: fc.constantFrom('SUBMITTED', 'CONFIRMED') })
    .map((r) => ({ signWith: 'sandbox' as const, r })),
);

const pathArb = fc.oneof(
  fc.constant('WEBHOOK'),
  fc.constant('HEALTH'),
  fc.constantFrom('/', '/code-webhook/', '/health', '/%00', '/..%2f..%2fetc%2fpasswd', '/code-webhook/../health'),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);

const headerArb = fc.dictionary(
  fc.constantFrom('content-type', 'x-forwarded-for', 'authorization', 'accept', 'cookie', 'x-anything', 'expect', 'content-encoding'),
  fc.oneof(fc.constantFrom('application/jwt', 'application/JWT', 'text/plain', 'gzip', '100-continue'), fc.string({ maxLength: 80 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
  { maxKeys: 4 },
);

const anyRequest = fc.tuple(fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), pathArb, headerArb, bodyArb);
/** Half the runs aim at the webhook route itself so the body reaches verification. */
const aimedRequest = fc.tuple(
  fc.constant('POST'),
  fc.constant('WEBHOOK'),
  headerArb.map((h) => ({ ...h, 'content-type': 'application/jwt' })),
  bodyArb,
);

it('never answers 5xx, never credits, and keeps serving, whatever arrives', async () => {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(fc.oneof(anyRequest, aimedRequest), async ([method, rawPath, headers, body]) => {
      const path = rawPath === 'WEBHOOK' ? f.listener.webhookPath : rawPath === 'HEALTH' ? f.listener.healthPath : rawPath;
      let payload: string | Buffer;
      if (typeof body === 'object' && 'signWith' in body) {
        const key = body.signWith === 'stranger' ? stranger.privateKey : f.sandboxKey.privateKey;
        const claims: Record<string, unknown> = { ...body.r };
        if (claims.exp === null) delete claims.exp;
        payload = await signWebhook(webhookPayload(target, claims), key);
      } else {
        payload = body;
      }
      const withBody = method !== 'GET';
      const res = await rawRequest(f.listener.port, { method, path, headers, body: withBody ? payload : undefined }).catch((e: Error) => ({ status: -1, body: e.message }));
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBeGreaterThan(0);
      expect(res.status).toBeLessThan(500);
      expect(f.ledger.getSale(target.sale.id).status).toBe('pending');
    }),
    { numRuns: 400 },
  );
  // The property exercised every kind of answer, not one path over and over.
  for (const status of [200, 400, 401, 404, 415, 422]) expect(statuses.get(status) ?? 0, `answers with ${status}`).toBeGreaterThan(0);
  const health = await rawRequest(f.listener.port, { method: 'GET', path: f.listener.healthPath });
  expect(health.status).toBe(200);
  // And a real webhook still gets through afterwards.
  const ok = await rawRequest(f.listener.port, {
    path: f.listener.webhookPath,
    headers: { 'content-type': 'application/jwt' },
    body: await signWebhook(webhookPayload(target), f.sandboxKey.privateKey),
  });
  expect(ok.status).toBe(200);
});
