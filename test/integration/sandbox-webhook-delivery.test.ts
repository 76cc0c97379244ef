import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookDelivery,
  WEBHOOK_ATTEMPT_DELAYS_MS,
  WEBHOOK_MAX_ATTEMPTS,
  type WebhookDelivery,
} from '../../electron/core/sandbox/webhook-delivery';
import { signWebhookJwt, webhookPayload } from '../../electron/core/sandbox/webhook-jwt';
import { openSandboxDatabase, SANDBOX_DB_FILE } from '../../electron/core/sandbox/sandbox-db';
import { tempDir } from '../support/temp-dir';

// A real receiver on loopback answers each request as the test scripts it;
// the delivery runs the real schedule with a time scale.

interface Hit {
  at: number;
  headers: IncomingHttpHeaders;
  method: string;
  body: string;
}

type Answer = (index: number, res: ServerResponse) => void;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function receiver(answer: Answer) {
  const hits: Hit[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = createServer((req, res) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.on('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = hits.push({ at: performance.now(), headers: req.headers, method: req.method ?? '', body: Buffer.concat(chunks).toString() }) - 1;
      answer(index, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    hits,
    maxOpen: () => maxOpen,
  };
}

function delivery(opts: Parameters<typeof createWebhookDelivery>[0]): WebhookDelivery {
  const d = createWebhookDelivery(opts);
  cleanups.push(() => d.close());
  return d;
}

const status = (code: number): Answer => (_i, res) => res.writeHead(code).end();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(2);
  }
}

const JOB = { intentId: 'intent-1', body: 'header.payload.signature' };

describe('webhook delivery', () => {
  it('posts the raw token as application/jwt', async () => {
    const r = await receiver(status(200));
    const d = delivery({ timeScale: 1 });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.state('intent-1') === 'delivered');
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0]).toMatchObject({ method: 'POST', body: JOB.body });
    expect(r.hits[0]?.headers['content-type']).toBe('application/jwt');
  });

  it('retries a 500 on the real schedule: 0 s, 1 s, 1 s, 15 s, 1 min after each previous attempt', async () => {
    const scale = 0.01;
    const r = await receiver(status(500));
    const d = delivery({ timeScale: scale });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.attempts().length === 5);

    // Measured where the schedule lives: when each attempt started.
    const starts = d.attempts().sort((a, b) => a.attempt - b.attempt).map((a) => a.startedAt);
    const gaps = starts.slice(1).map((at, i) => at - starts[i]!);
    const expected = WEBHOOK_ATTEMPT_DELAYS_MS.slice(1, 5).map((ms) => ms * scale); // 10, 10, 150, 600 ms
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - 3);
      expect(gap).toBeLessThan(expected[i]! + 120);
    });
    expect(r.hits).toHaveLength(5);
    expect(d.state('intent-1')).toBe('scheduled');
    expect(d.attempts().map((a) => [a.attempt, a.status, a.delivered])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 500, false]));
  });

  it('counts 201 and 204 as failures and stops retrying after a 200', async () => {
    const codes = [201, 204, 200];
    const r = await receiver((i, res) => res.writeHead(codes[i] ?? 200).end());
    const d = delivery({ timeScale: 0.03 });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.state('intent-1') === 'delivered');
    await sleep(550); // the 4th attempt was due 450 ms after the 3rd: it must never come

    expect(r.hits).toHaveLength(3);
    expect(d.attempts().map((a) => ({ status: a.status, delivered: a.delivered }))).toEqual([
      { status: 201, delivered: false },
      { status: 204, delivered: false },
      { status: 200, delivered: true },
    ]);
  });

  it('gives up after 8 attempts', async () => {
    const r = await receiver(status(500));
    // The whole day-long schedule in about a second; the timeout stays realistic for loopback.
    const d = delivery({ timeScale: 0.000005, timeoutMs: 2_000 });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.state('intent-1') === 'failed');
    await sleep(100);

    expect(WEBHOOK_MAX_ATTEMPTS).toBe(8);
    expect(r.hits).toHaveLength(8);
    // At this scale attempts overlap and may finish out of order.
    expect(d.attempts().map((a) => a.attempt).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('schedules the next attempt before the current one ends, so a slow receiver gets two at once', async () => {
    // Attempt 2 is due 1 s (50 ms here) after attempt 1 starts, before the receiver answers attempt 1.
    const r = await receiver((i, res) => {
      if (i === 0) setTimeout(() => res.writeHead(200).end(), 90);
      else res.writeHead(200).end();
    });
    const d = delivery({ timeScale: 0.05 });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.attempts().length === 2);
    await sleep(150); // attempt 3 would have been due 100 ms after attempt 1 started

    expect(r.hits).toHaveLength(2);
    expect(r.maxOpen()).toBe(2);
    const [first, second] = d.attempts().sort((a, b) => a.attempt - b.attempt);
    expect(second!.startedAt).toBeLessThan(first!.finishedAt);
    expect([first!.delivered, second!.delivered]).toEqual([true, true]);
    expect(d.state('intent-1')).toBe('delivered');
  });

  it('fails an attempt the receiver does not answer within the (scaled) 3 s timeout', async () => {
    const r = await receiver((i, res) => {
      if (i === 0) return; // never answered
      res.writeHead(200).end();
    });
    const d = delivery({ timeScale: 0.05 }); // timeout 150 ms, attempt 2 after 50 ms
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.attempts().some((a) => a.attempt === 1));

    const first = d.attempts().find((a) => a.attempt === 1)!;
    expect(first).toMatchObject({ status: null, delivered: false, error: 'timeout after 150 ms' });
    expect(first.finishedAt - first.startedAt).toBeGreaterThanOrEqual(140);
    expect(d.attempts().find((a) => a.attempt === 2)).toMatchObject({ status: 200, delivered: true });
    expect(d.state('intent-1')).toBe('delivered');
  });

  it('records a refused connection as a failure and retries it', async () => {
    const r = await receiver(status(200));
    const deadUrl = r.url.replace(/:\d+\//, ':9/');
    const d = delivery({ timeScale: 0.01 });
    d.deliver({ ...JOB, url: deadUrl });
    await until(() => d.attempts().length >= 2);
    expect(d.attempts()[0]).toMatchObject({ status: null, delivered: false, url: deadUrl });
    expect(d.attempts()[0]?.error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('delivers one webhook per intent', async () => {
    const r = await receiver(status(200));
    const d = delivery({ timeScale: 1 });
    d.deliver({ ...JOB, url: r.url });
    d.deliver({ ...JOB, url: r.url });
    await until(() => d.state('intent-1') === 'delivered');
    await sleep(30);
    expect(r.hits).toHaveLength(1);
  });

  it('close stops the timers and aborts the attempt in flight; the webhook stays scheduled in the file', async () => {
    const r = await receiver(() => {}); // holds every request open
    const d = createWebhookDelivery({ timeScale: 0.2 }); // attempt 2 after 200 ms, timeout 600 ms
    d.deliver({ ...JOB, url: r.url });
    await until(() => r.hits.length === 1);

    const started = Date.now();
    await d.close();

    expect(Date.now() - started).toBeLessThan(150);
    // Not cancelled: Code still owes the webhook, and a sandbox opened on the same file resumes it.
    expect(d.state('intent-1')).toBe('scheduled');
    expect(d.attempts()).toEqual([expect.objectContaining({ attempt: 1, error: 'cancelled: sandbox closed', delivered: false })]);
    await sleep(300);
    expect(r.hits).toHaveLength(1);
    expect(() => d.deliver({ ...JOB, intentId: 'intent-2', url: r.url })).toThrow(expect.objectContaining({ code: 'sequencer-closed' }));
    expect(d.resume()).toBe(0);
  });

  it('resumes a scheduled webhook at its next attempt when opened again on the same file', async () => {
    const r = await receiver((i, res) => res.writeHead(i === 0 ? 500 : 200).end());
    const db = openSandboxDatabase(join(tempDir(), SANDBOX_DB_FILE));
    cleanups.push(async () => void db.close());
    const first = createWebhookDelivery({ db, timeScale: 10 }); // attempt 2 would be 10 s later
    first.deliver({ ...JOB, url: r.url });
    await until(() => first.attempts().length === 1);
    await first.close();
    const scheduled = db.prepare('SELECT next_attempt, next_attempt_at FROM webhook_deliveries').get() as { next_attempt: number; next_attempt_at: number };
    expect(scheduled.next_attempt).toBe(2);

    // Pretend the 10 s went by while nothing ran: the attempt is overdue and runs at once.
    db.prepare('UPDATE webhook_deliveries SET next_attempt_at = ?').run(Date.now() - 1);
    const second = delivery({ db, timeScale: 10 });
    await until(() => second.state('intent-1') === 'delivered');
    expect(second.attempts().map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
    expect(r.hits).toHaveLength(2);
  });

  it('does not resume until asked when created with resume: false', async () => {
    const r = await receiver(status(200));
    const db = openSandboxDatabase(':memory:');
    cleanups.push(async () => void db.close());
    db.prepare(
      "INSERT INTO webhook_deliveries (intent_id, url, body, state, created_at, attempts, next_attempt, next_attempt_at) VALUES ('intent-1', ?, 'b', 'scheduled', 0, 0, 1, 0)",
    ).run(r.url);
    const d = delivery({ db, resume: false });
    await sleep(50);
    expect(r.hits).toHaveLength(0);
    expect(d.resume()).toBe(1);
    expect(d.resume()).toBe(1); // idempotent: no second timer, no second attempt
    await until(() => d.state('intent-1') === 'delivered');
    await sleep(30);
    expect(r.hits).toHaveLength(1);
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => createWebhookDelivery({ timeScale: 0 })).toThrow(RangeError);
    expect(() => createWebhookDelivery({ timeScale: Number.NaN })).toThrow(RangeError);
  });
});

describe('webhook JWT', () => {
  it('has exactly the real header and claims, and nothing else', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const payload = webhookPayload({
      id: 'Intent111',
      amount: 1.5,
      currency: 'eur',
      destination: 'Dest111',
      quarks: 15_000_000_000,
      exchangeRate: 0.00001,
      feeBasisPoints: 0,
    });
    const token = await signWebhookJwt(payload, privateKey);
    const [header, body] = token.split('.');

    expect(Buffer.from(header!, 'base64url').toString()).toBe('{"alg":"EdDSA","typ":"JWT"}');
    // Go marshals the claims map with sorted keys; the bytes match.
    expect(Buffer.from(body!, 'base64url').toString()).toBe(
      '{"amount":1.5,"currency":"EUR","destination":"Dest111","exchangeRate":0.00001,"fees":0,"intent":"Intent111","quarks":15000000000,"state":"SUBMITTED"}',
    );
    const verified = await jwtVerify(token, publicKey, { algorithms: ['EdDSA'] });
    expect(verified.payload).not.toHaveProperty('exp');
    expect(verified.payload).not.toHaveProperty('iat');
  });

  it('reports fee takers\u2019 share in quarks', () => {
    const payload = webhookPayload({ id: 'i', amount: 1, currency: 'usd', destination: 'd', quarks: 10_000_000_000, exchangeRate: 0.00001, feeBasisPoints: 250 });
    expect(payload.fees).toBe(250_000_000);
  });
});
