// A forged flood through real HTTP on loopback: the listener answers every
// request, and the log gets the first few refusals of each interval in full
// plus one summary line per interval, whose counts add up to what was sent.

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DUPLICATE_EVENTS_PER_TENDER } from '../../electron/core/ledger/sales-store';
import { createWebhookListener } from '../../electron/core/webhook/webhook-listener';
import { memoryLogger, type LogEntry } from '../support/memory-logger';
import { rawRequest, type RawResponse } from '../support/http';
import { pendingSale, signWebhook, startWebhookFixture, webhookPayload, type WebhookFixture } from '../support/webhook-fixture';

const INTERVAL_MS = 150;
const FULL_PER_INTERVAL = 5;

let f: WebhookFixture | null = null;
afterEach(async () => {
  await f?.close();
  f = null;
});

/** Runs `count` requests, `concurrency` at a time. */
async function pool(count: number, concurrency: number, send: (i: number) => Promise<RawResponse>): Promise<RawResponse[]> {
  const results: RawResponse[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await send(i);
    }),
  );
  return results;
}

const listenerEntries = (entries: LogEntry[]) => entries.filter((e) => e.module === 'webhook-listener' && !e.message.startsWith('listening on'));
const summaryOf = (e: LogEntry) => (e.fields?.['summary'] as Record<string, number> | undefined) ?? null;

describe('webhook listener under a forged flood', () => {
  it('logs 2,000 forged requests as a few lines per interval plus one summary each, counting every one', async () => {
    const fixture = await startWebhookFixture(undefined, { logFlood: { intervalMs: INTERVAL_MS, fullPerInterval: FULL_PER_INTERVAL } });
    f = fixture;
    const target = pendingSale(fixture.ledger);
    const genuine = pendingSale(fixture.ledger, 800);
    const stranger = generateKeyPairSync('ed25519');
    const forged = await signWebhook(webhookPayload(target), stranger.privateKey);
    const { port, webhookPath } = fixture.listener;
    const jwt = { 'content-type': 'application/jwt' };
    // Five kinds of forgery, 400 of each: the handler's refusals and the listener's own.
    const kinds: Array<[string, () => Promise<RawResponse>]> = [
      ['401 bad-signature', () => rawRequest(port, { path: webhookPath, headers: jwt, body: forged })],
      ['400 not-a-jwt', () => rawRequest(port, { path: webhookPath, headers: jwt, body: 'not a token' })],
      ['415 wrong-content-type', () => rawRequest(port, { path: webhookPath, headers: { 'content-type': 'text/plain' }, body: forged })],
      ['404 not-found', () => rawRequest(port, { path: '/code-webhook/guess', headers: jwt, body: forged })],
      // The right secret, the wrong method: the logged path must not show the secret.
      ['404 not-found (secret path)', () => rawRequest(port, { method: 'GET', path: webhookPath })],
    ];
    const SENT = 2_000;
    const started = performance.now();
    const results = await pool(SENT, 32, async (i) => {
      if (i === SENT / 2) {
        // One genuine webhook in the middle of it.
        const ok = await rawRequest(port, { path: webhookPath, headers: jwt, body: await signWebhook(webhookPayload(genuine, { amount: 8 }), fixture.sandboxKey.privateKey) });
        expect(ok.status).toBe(200);
      }
      return (kinds[i % kinds.length] as [string, () => Promise<RawResponse>])[1]();
    });
    const elapsedMs = performance.now() - started;
    // Closing the listener reports what the last interval still counted.
    await fixture.listener.close();

    expect(results.map((r) => r.status).sort()).toEqual(
      [...Array(400).fill(401), ...Array(400).fill(400), ...Array(400).fill(415), ...Array(800).fill(404)].sort(),
    );
    const lines = listenerEntries(fixture.entries);
    const full = lines.filter((e) => summaryOf(e) === null);
    const summaries = lines.filter((e) => summaryOf(e) !== null);

    // Bounded: at most FULL_PER_INTERVAL lines and one summary per interval that saw traffic.
    const intervals = Math.floor(elapsedMs / INTERVAL_MS) + 1;
    expect(lines.length).toBeLessThanOrEqual(intervals * (FULL_PER_INTERVAL + 1));
    expect(lines.length).toBeLessThan(SENT / 10);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    expect(summaries.length).toBeLessThanOrEqual(intervals);
    expect(full.length).toBeLessThanOrEqual(intervals * FULL_PER_INTERVAL);

    // Nothing lost: the full lines and the summaries' counts add up to what was sent, kind by kind.
    const counted = new Map<string, number>();
    for (const e of full) {
      const key = `${String(e.fields?.['status'])} ${String(e.fields?.['kind'])}`;
      counted.set(key, (counted.get(key) ?? 0) + 1);
    }
    for (const e of summaries) for (const [key, n] of Object.entries(summaryOf(e) ?? {})) counted.set(key, (counted.get(key) ?? 0) + n);
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(SENT);
    expect(Object.fromEntries(counted)).toEqual({ '401 bad-signature': 400, '400 not-a-jwt': 400, '415 wrong-content-type': 400, '404 not-found': 800 });
    expect(summaries[0]?.message).toMatch(/^\d+ more webhook requests rejected in the last \d+(\.\d)? (s|ms) \(.*\)$/);

    // The genuine webhook: one info line from the handler, nothing from the listener.
    expect(fixture.entries.filter((e) => e.module === 'webhook').map((e) => `${e.level} ${e.message}`)).toEqual([`info sale ${genuine.sale.id}, Code payment ${genuine.tender.id} credited`]);
    expect(fixture.ledger.getSale(genuine.sale.id).status).toBe('paid');
    // The forgeries naming a real sale never left the listener's thread: nothing of theirs is in the ledger.
    expect(fixture.ledger.getSaleWithEvents(target.sale.id).events).toEqual([]);
    expect(fixture.ledger.getSale(target.sale.id).status).toBe('pending');
    // And no line shows the path secret.
    const secret = webhookPath.split('/').at(-1) as string;
    expect(fixture.logs.join('\n')).not.toContain(secret);
    expect(full.some((e) => e.message === 'rejected (404): no route for "GET" "/code-webhook/…"')).toBe(true);
  });

  it('logs each refusal in full while they are few', async () => {
    const fixture = await startWebhookFixture(undefined, { logFlood: { intervalMs: 60_000, fullPerInterval: 5 } });
    f = fixture;
    const s = pendingSale(fixture.ledger);
    const { port, webhookPath } = fixture.listener;
    await rawRequest(port, { path: webhookPath, headers: { 'content-type': 'application/json' }, body: '{}' });
    await rawRequest(port, { path: webhookPath, headers: { 'content-type': 'application/jwt' }, body: await signWebhook(webhookPayload(s, { amount: 1 }), fixture.sandboxKey.privateKey) });
    await rawRequest(port, { path: webhookPath, headers: { 'content-type': 'application/jwt', 'content-length': 100_000 }, body: 'x' }).catch(() => null);
    // The lines come from the listener's thread: all of them are here once a round trip to it is.
    await fixture.listener.flush();
    expect(listenerEntries(fixture.entries).map((e) => e.message)).toEqual([
      'rejected (415): content type "application/json"',
      `rejected (422): amount 1 does not match the Code payment [sale ${s.sale.id}]`,
      'rejected (413): declared body of 100000 bytes',
    ]);
    expect(listenerEntries(fixture.entries)[1]?.fields).toEqual({ status: 422, kind: 'wrong-amount', saleId: s.sale.id });
  });

  it('logs a client that stalls mid-body once, as a request timeout', async () => {
    const fixture = await startWebhookFixture(undefined, { requestTimeoutMs: 500 });
    f = fixture;
    const answer = await new Promise<string>((resolve) => {
      let got = '';
      const socket = createConnection(fixture.listener.port, '127.0.0.1', () => {
        socket.write(`POST ${fixture.listener.webhookPath} HTTP/1.1\r\nHost: x\r\nContent-Type: application/jwt\r\nContent-Length: 500\r\n\r\nabc`);
      });
      socket.on('data', (c: Buffer) => (got += c.toString()));
      socket.on('close', () => resolve(got));
      setTimeout(() => resolve('still open'), 8_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    await fixture.listener.flush();
    expect(listenerEntries(fixture.entries).map((e) => e.message)).toEqual(['rejected (408): request timeout']);
  });
});

describe('a verified webhook replayed thousands of times', () => {
  it('credits once, keeps the first few duplicates as events, only counts the rest, and leaves the file the same size', async () => {
    const fixture = await startWebhookFixture(undefined, {}, { duplicateLog: { intervalMs: 500, fullPerInterval: FULL_PER_INTERVAL } });
    f = fixture;
    const s = pendingSale(fixture.ledger);
    const jwt = await signWebhook(webhookPayload(s), fixture.sandboxKey.privateKey);
    const { port, webhookPath } = fixture.listener;
    const db = fixture.ledger.database;
    // The main file, with everything written so far moved out of the WAL into it.
    const fileSize = () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(db.name).size + (existsSync(`${db.name}-wal`) ? statSync(`${db.name}-wal`).size : 0);
    };
    expect((await rawRequest(port, { path: webhookPath, headers: { 'content-type': 'application/jwt' }, body: jwt })).status).toBe(200);
    const before = fileSize();
    const REPLAYS = 5_000;
    const started = performance.now();
    const answers = await pool(REPLAYS, 16, () => rawRequest(port, { path: webhookPath, headers: { 'content-type': 'application/jwt' }, body: jwt }));
    expect(answers.every((a) => a.status === 200 && a.body.includes('duplicate'))).toBe(true);
    const elapsedMs = performance.now() - started;
    const grew = fileSize() - before;

    const { sale, events } = fixture.ledger.getSaleWithEvents(s.sale.id);
    expect(sale.status).toBe('paid');
    expect(events.map((e) => e.outcome)).toEqual(['credited', ...Array(MAX_DUPLICATE_EVENTS_PER_TENDER).fill('duplicate')]);
    const { n } = db.prepare('SELECT duplicate_proofs AS n FROM tenders WHERE id = ?').get(s.tender.id) as { n: number };
    expect(n).toBe(REPLAYS - MAX_DUPLICATE_EVENTS_PER_TENDER);
    // Five events of a few hundred bytes each, at most a page or two: not 4.3 MB.
    expect(grew).toBeLessThan(8 * 1024);
    // The log, too: the first few duplicates per interval in full, the rest counted in summaries that add up.
    await new Promise((r) => setTimeout(r, 1_200));
    const lines = fixture.entries.filter((e) => e.module === 'webhook' && e.level === 'warn');
    expect(lines.reduce((sum, e) => sum + (summaryOf(e)?.['duplicate'] ?? 1), 0)).toBe(REPLAYS);
    expect(lines.length).toBeLessThanOrEqual((Math.floor(elapsedMs / 500) + 2) * (FULL_PER_INTERVAL + 1));
  }, 60_000);
});

describe('webhook listener when the till itself fails', () => {
  const key = generateKeyPairSync('ed25519');
  const verified = () => signWebhook(webhookPayload({ intent: 'So11111111111111111111111111111111111111112', destination: 'codeHy87wGD5oMRLG75qKqsSi1vWE3oxNyYmXo5F9YR' }), key.privateKey);

  it('logs every webhook it could not take (503, the ledger cannot write) in full, as an error, never summarised', async () => {
    const logger = memoryLogger();
    const listener = await createWebhookListener({
      pathSecret: 'a-path-secret-of-24-chars',
      keys: { sandbox: key.publicKey },
      onWebhook: async () => ({ status: 503, reason: 'try again later', kind: 'ledger-unavailable', saleId: 7, note: 'disk I/O error' }),
      logger,
      logFlood: { intervalMs: INTERVAL_MS, fullPerInterval: 1 },
    });
    const body = await verified();
    try {
      const answers = await pool(20, 4, () => rawRequest(listener.port, { path: listener.webhookPath, headers: { 'content-type': 'application/jwt' }, body }));
      expect(answers.every((a) => a.status === 503)).toBe(true);
      await listener.flush();
    } finally {
      await listener.close();
    }
    const failures = listenerEntries(logger.entries);
    expect(failures).toHaveLength(20);
    expect(failures.every((e) => e.level === 'error' && e.message === 'could not take a webhook (503): try again later [sale 7] (disk I/O error)')).toBe(true);
  });

  it('answers 503 when the main thread throws, or does not answer in time, and serves on', async () => {
    const logger = memoryLogger();
    let behaviour: 'throw' | 'hang' | 'ok' = 'throw';
    const seen: string[] = [];
    const listener = await createWebhookListener({
      pathSecret: 'a-path-secret-of-24-chars',
      keys: { sandbox: key.publicKey },
      onWebhook: async (webhook) => {
        seen.push(`${webhook.verifiedBy.join(',')} ${webhook.payload.intent}`);
        if (behaviour === 'throw') throw new Error('bug in the handler');
        if (behaviour === 'hang') return new Promise(() => {});
        return { status: 200, reason: 'credited' };
      },
      answerTimeoutMs: 300,
      logger,
    });
    const body = await verified();
    const send = () => rawRequest(listener.port, { path: listener.webhookPath, headers: { 'content-type': 'application/jwt' }, body });
    try {
      expect((await send()).status).toBe(503);
      behaviour = 'hang';
      expect((await send()).status).toBe(503);
      behaviour = 'ok';
      expect(await send()).toMatchObject({ status: 200 });
      await listener.flush();
    } finally {
      await listener.close();
    }
    // The main thread got the verified payload, with the key that verified it.
    expect(seen).toEqual(Array(3).fill('sandbox So11111111111111111111111111111111111111112'));
    expect(listenerEntries(logger.entries).map((e) => `${e.level} ${e.message}`)).toEqual([
      'error could not take a webhook (503): temporarily unable to record (bug in the handler)',
      'error could not take a webhook (503): temporarily unable to record (no answer from the till in 300 ms)',
    ]);
  });

  it('refuses every token when it has no keys, and never calls the main thread', async () => {
    let calls = 0;
    const listener = await createWebhookListener({
      pathSecret: 'a-path-secret-of-24-chars',
      onWebhook: async () => {
        calls += 1;
        return { status: 200 };
      },
    });
    try {
      const res = await rawRequest(listener.port, { path: listener.webhookPath, headers: { 'content-type': 'application/jwt' }, body: await verified() });
      expect(res.status).toBe(401);
    } finally {
      await listener.close();
    }
    expect(calls).toBe(0);
  });

  it('reports a taken port with its code, so the app can pick another', async () => {
    const first = await createWebhookListener({ pathSecret: 'a-path-secret-of-24-chars', onWebhook: async () => ({ status: 200 }) });
    try {
      await expect(createWebhookListener({ pathSecret: 'a-path-secret-of-24-chars', port: first.port, onWebhook: async () => ({ status: 200 }) })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await first.close();
    }
  });

  it('restarts a listener thread that dies, on the same port, and gives up after five deaths in a minute', async () => {
    // A stand-in thread that serves the health route and dies when asked to.
    const crashing = `
      const { parentPort, workerData } = require('node:worker_threads');
      const server = require('node:http').createServer((req, res) => {
        if (req.url === '/crash') process.exit(3);
        res.end('ok');
      });
      server.listen(workerData.config.port, '127.0.0.1', () => parentPort.postMessage({ type: 'listening', port: server.address().port }));
    `;
    const logger = memoryLogger();
    const listener = await createWebhookListener({
      pathSecret: 'a-path-secret-of-24-chars',
      onWebhook: async () => ({ status: 200 }),
      logger,
      threadEntry: { file: crashing, eval: true },
    });
    const errors = () => listenerEntries(logger.entries).filter((e) => e.level === 'error').map((e) => e.message);
    const until = async (what: () => boolean) => {
      for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(what()).toBe(true);
    };
    // Bounded: a request caught by a dying thread may never be answered.
    const bounded = <T,>(p: Promise<T>, fallback: T) => Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), 1_000))]);
    const healthy = () => bounded(rawRequest(listener.port, { method: 'GET', path: '/health' }).then((r) => r.status === 200, () => false), false);
    try {
      for (let death = 1; death <= 6; death++) {
        await until(() => errors().length >= death - 1);
        // Up again, on the same port (a restart takes a moment), before each death.
        let up = false;
        for (let i = 0; i < 100 && !up; i++) {
          up = await healthy();
          if (!up) await new Promise((r) => setTimeout(r, 50));
        }
        expect(up, `up before death ${death}; ${JSON.stringify(errors())}`).toBe(true);
        await bounded(rawRequest(listener.port, { method: 'GET', path: '/crash' }).catch(() => null), null);
      }
      await until(() => errors().length === 6);
      expect(errors().slice(0, 5)).toEqual(Array(5).fill(`listener thread exited (3); restarting it on port ${listener.port}`));
      expect(errors()[5]).toBe('listener thread exited (3) 5 times in a minute; not restarted');
      expect(listenerEntries(logger.entries).filter((e) => e.message === `listener thread restarted on port ${listener.port}`)).toHaveLength(5);
      expect(await healthy()).toBe(false);
    } finally {
      await listener.close();
    }
  });
});
