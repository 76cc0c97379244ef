// Slowloris against the real listener on loopback: 1,000 connections that
// each send a byte every few seconds and reopen when dropped, twice the
// connection cap it is given here (half the app's default), so every
// newcomer makes it drop a connection it holds. Before the listener had its own thread and
// dropped the slowest connection when full, 300 of these refused every
// genuine webhook. The one timed assertion of the suite is the issue's own
// requirement: a genuine webhook is still answered 200 within 1 s.

import { createConnection, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../support/prng';
import { rawRequest } from '../support/http';
import { pendingSale, signWebhook, startWebhookFixture, webhookPayload, type WebhookFixture } from '../support/webhook-fixture';
import type { LogEntry } from '../support/memory-logger';

const SLOW_CONNECTIONS = 1_000;
/** Half the app's default cap (1,024), so the 1,000 overflow it and the listener must drop some for every newcomer. */
const CAP = 512;
/** A byte every 2-4 s per connection. */
const BYTE_EVERY_MS = [2_000, 4_000] as const;

interface Attack {
  opened: () => number;
  open: () => number;
  drops: () => number;
  stop: () => void;
}

/** Opens `count` slow connections that trickle a request's headers and reopen (after 50-300 ms) whenever the listener drops them. */
function slowloris(port: number, path: string, count: number): Attack {
  const random = prng(12);
  const request = Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/jwt\r\nContent-Length: 400\r\nX-Padding: ${'a'.repeat(2_000)}`);
  const live = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  let opened = 0;
  let drops = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const connect = () => {
    if (stopped) return;
    opened += 1;
    const socket = createConnection(port, '127.0.0.1');
    live.add(socket);
    let sent = 0;
    const trickle = () => {
      if (stopped || socket.destroyed) return;
      socket.write(request.subarray(sent % request.length, (sent % request.length) + 1));
      sent += 1;
      later(BYTE_EVERY_MS[0] + random() * (BYTE_EVERY_MS[1] - BYTE_EVERY_MS[0]), trickle);
    };
    socket.on('connect', trickle);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      live.delete(socket);
      if (stopped) return;
      drops += 1;
      later(50 + random() * 250, connect);
    });
  };
  for (let i = 0; i < count; i++) later(i * 2, connect);
  return {
    opened: () => opened,
    open: () => live.size,
    drops: () => drops,
    stop: () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const s of live) s.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const summaries = (entries: LogEntry[]) =>
  entries.filter((e) => e.module === 'webhook-listener').map((e) => (e.fields?.['summary'] as Record<string, number> | undefined) ?? {});

let f: WebhookFixture;
let attack: Attack | null = null;
beforeAll(async () => {
  f = await startWebhookFixture(undefined, { maxConnections: CAP, logFlood: { intervalMs: 500, fullPerInterval: 0 } });
});
afterAll(async () => {
  attack?.stop();
  await f.close();
});

describe('webhook listener under 1,000 slow connections', () => {
  it('answers every genuine webhook 200 within 1 s, dropping the slowest connections to make room', async () => {
    attack = slowloris(f.listener.port, '/code-webhook/not-the-secret', SLOW_CONNECTIONS);
    // All 1,000 opened (over 2 s), then long enough for the cap, the header deadline and the reopening to churn.
    await sleep(5_000);
    expect(attack.opened()).toBeGreaterThanOrEqual(SLOW_CONNECTIONS);
    // Hundreds held at any moment; the rest waiting to reopen after a drop.
    expect(attack.open()).toBeGreaterThanOrEqual(CAP / 2);

    const latencies: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = pendingSale(f.ledger, 100 + i);
      const jwt = await signWebhook(webhookPayload(s, { amount: (100 + i) / 100 }), f.sandboxKey.privateKey);
      // The genuine request's own latency: from opening its connection to having the answer.
      const started = performance.now();
      const res = await rawRequest(f.listener.port, { path: f.listener.webhookPath, headers: { 'content-type': 'application/jwt' }, body: jwt });
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
      expect(f.ledger.getSale(s.sale.id).status).toBe('paid');
      await sleep(500);
    }
    const health = await rawRequest(f.listener.port, { method: 'GET', path: f.listener.healthPath });
    expect(health.status).toBe(200);
    expect(Math.max(...latencies), `latencies ${latencies.map((l) => l.toFixed(0)).join(', ')} ms`).toBeLessThan(1_000);

    // The attack was real: the listener dropped slow connections (for newer ones, or at the header deadline) and they came back.
    expect(attack.drops()).toBeGreaterThan(SLOW_CONNECTIONS / 2);
    await f.listener.flush();
    const counted = summaries(f.entries).reduce<Record<string, number>>((all, s) => {
      for (const [kind, n] of Object.entries(s)) all[kind] = (all[kind] ?? 0) + n;
      return all;
    }, {});
    expect(counted['dropped evicted-slowest'] ?? 0).toBeGreaterThan(0);
    // None of the 1,000 ever completed a request, so none reached the ledger or the main thread.
    expect(f.entries.filter((e) => e.module === 'webhook').map((e) => e.message)).toHaveLength(6);
  }, 60_000);
});
