/**
 * Webhook listener throughput over loopback: valid webhooks with signature
 * verification and a durable (synchronous=FULL) ledger write each, forged
 * requests (replayed forgeries, and unique ones that each cost the
 * signature checks), the latency of a ledger read on the main thread while a
 * forged flood runs, and, for reference, a minimal handler written the way
 * Code's SDK example does it (express + jose, verify only, no ledger).
 *
 * The listener runs in its own thread with two candidate keys, as in the app
 * (a stand-in production key and the sandbox key): a forged body costs two
 * Ed25519 checks unless it was refused before.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bs58 from 'bs58';
import express from 'express';
import { base64url, jwtVerify, SignJWT } from 'jose';
import type { Logger } from '../electron/core/app/logger';
import { createLedger } from '../electron/core/ledger/ledger';
import { createWebhookHandler } from '../electron/core/webhook/webhook-handler';
import { createWebhookListener } from '../electron/core/webhook/webhook-listener';
import { formatLatency, formatRate, quantile, formatMs, type BenchRow } from './bench-table';

const VALID_WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 4_000);
const UNIQUE_FORGED = Number(process.env.BENCH_UNIQUE_FORGED ?? 20_000);
const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 4_000);
const CONCURRENCY = 16;

interface LoadResult {
  count: number;
  elapsedMs: number;
  statuses: Record<string, number>;
  latencies: number[];
}

function runLoad(dir: string, port: number, path: string, bodies: string[], mode: 'each' | 'duration', durationMs = 0): Promise<LoadResult> {
  const bodiesFile = join(dir, `bodies-${randomBytes(4).toString('hex')}.json`);
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  const spec = JSON.stringify({ port, path, bodiesFile, concurrency: CONCURRENCY, mode, durationMs });
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(__dirname, 'load-client.ts'), spec], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as LoadResult);
    });
  });
}

const sign = (payload: Record<string, unknown>, key: Parameters<SignJWT['sign']>[0]) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(key);

/** Read latency as the till sees it: from asking (on the shared event loop) to having the rows. */
function sampleReads(read: () => unknown, everyMs: number): { stop: () => number[] } {
  const samples: number[] = [];
  let stopped = false;
  const loop = () => {
    if (stopped) return;
    const asked = performance.now();
    setImmediate(() => {
      read();
      samples.push(performance.now() - asked);
      setTimeout(loop, everyMs);
    });
  };
  loop();
  return {
    stop: () => {
      stopped = true;
      return samples.sort((a, b) => a - b);
    },
  };
}

/** A logger that only counts its lines: what a flood would cost the log file, without the disk in the numbers. */
function countingLogger(): Logger & { lines: () => number } {
  let count = 0;
  const line = () => {
    count += 1;
  };
  const logger: Logger = { debug: line, info: line, warn: line, error: line, child: () => logger };
  return Object.assign(logger, { lines: () => count });
}

export async function benchWebhook(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'counter-bench-webhook-'));
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  const keys = generateKeyPairSync('ed25519');
  const liveKey = generateKeyPairSync('ed25519');
  const stranger = generateKeyPairSync('ed25519');
  const logger = countingLogger();
  const handler = createWebhookHandler({
    ledger,
    mode: () => 'sandbox',
    keyFor: (mode) => (mode === 'live' ? liveKey.publicKey : keys.publicKey),
    recordProof: (p) => ledger.recordProof(p),
    logger,
  });
  // The app's flood settings (the listener's defaults): 5 lines in full per 10 s, the rest summarised.
  const listener = await createWebhookListener({ pathSecret: base64url.encode(randomBytes(18)), onWebhook: handler, logger });
  const rows: BenchRow[] = [];
  let reference: Server | null = null;
  try {
    // 1. Sales waiting for a Code payment, and one valid webhook for each.
    const destination = bs58.encode(randomBytes(32));
    const valid: string[] = [];
    for (let i = 0; i < VALID_WEBHOOKS; i++) {
      const sale = ledger.createSale({ amount: 100 + (i % 900), currency: 'usd', mode: 'sandbox', destination });
      const intent = bs58.encode(randomBytes(32));
      // One Code payment of the whole sale (at most Code's maximum in the app; the ledger does not care).
      ledger.addCodeTender(sale.id, { amount: sale.amount, seq: 1, intentId: intent });
      valid.push(
        await sign(
          { amount: sale.amount / 100, currency: 'USD', destination, exchangeRate: 0.00001, intent, quarks: sale.amount * 1_000_000, state: 'SUBMITTED', fees: 0 },
          keys.privateKey,
        ),
      );
    }
    const forged: string[] = [];
    for (let i = 0; i < 500; i++) {
      forged.push(
        await sign(
          { amount: 12.5, currency: 'USD', destination, exchangeRate: 0.00001, intent: bs58.encode(randomBytes(32)), quarks: 1, state: 'SUBMITTED' },
          stranger.privateKey,
        ),
      );
    }

    // 2. Valid webhooks, each crediting a different sale.
    const ok = await runLoad(dir, listener.port, listener.webhookPath, valid, 'each');
    const { paid } = ledger.database.prepare(`SELECT count(*) AS paid FROM sales WHERE status = 'paid'`).get() as { paid: number };
    if (ok.statuses['200'] !== VALID_WEBHOOKS || paid !== VALID_WEBHOOKS) {
      throw new Error(`valid webhooks not all credited: ${JSON.stringify(ok.statuses)}, ${paid} paid`);
    }
    const counterRate = (ok.count * 1000) / ok.elapsedMs;
    rows.push({
      metric: 'valid webhooks (verify + durable credit)',
      value: formatRate(ok.count, ok.elapsedMs, 'req'),
      note: `${formatLatency(ok.latencies)}; ${ok.count} sales, ${CONCURRENCY} connections, synchronous=FULL`,
    });

    // 3. Reads with no load, as the baseline.
    // As long as the flood, so both p99s come from a few hundred reads.
    const idle = sampleReads(() => ledger.queries.listSales({ mode: 'all' }), 5);
    await new Promise((r) => setTimeout(r, FLOOD_MS));
    const idleReads = idle.stop();
    rows.push({ metric: 'sales-log read, listener idle', value: formatMs(quantile(idleReads, 0.5)), note: `${formatLatency(idleReads)} over ${idleReads.length} reads` });

    // 4. A forged flood (500 forgeries, replayed round-robin), with reads sampled meanwhile.
    const during = sampleReads(() => ledger.queries.listSales({ mode: 'all' }), 5);
    const linesBefore = logger.lines();
    const flood = await runLoad(dir, listener.port, listener.webhookPath, forged, 'duration', FLOOD_MS);
    await listener.flush();
    const floodLines = logger.lines() - linesBefore;
    const floodReads = during.stop();
    if (Object.keys(flood.statuses).some((s) => s !== '401')) throw new Error(`forged requests not all refused: ${JSON.stringify(flood.statuses)}`);
    const forgedRate = (flood.count * 1000) / flood.elapsedMs;
    rows.push({
      metric: 'forged webhooks rejected (bad signature, replayed)',
      value: formatRate(flood.count, flood.elapsedMs, 'req'),
      note: `${formatLatency(flood.latencies)}; all 401; 500 forgeries round-robin: after the first of each, answered from the refused-bodies cache`,
    });
    rows.push({
      metric: 'log lines written during the forged flood',
      value: `${floodLines}`,
      note: `for ${flood.count.toLocaleString('en-US')} forged requests: the first 5 per 10 s in full, the rest counted in one summary line per interval`,
    });
    rows.push({
      metric: 'sales-log read during the forged flood',
      value: formatMs(quantile(floodReads, 0.5)),
      note: `${formatLatency(floodReads)} over ${floodReads.length} reads (time from asking to rows, on the main thread; the listener has its own thread)`,
    });

    // 4b. Unique forgeries: a valid token's signature bytes changed, so each costs both signature checks.
    const template = forged[0]!;
    const cut = template.lastIndexOf('.') + 1;
    const signature = Buffer.from(template.slice(cut), 'base64url');
    const unique: string[] = [];
    for (let i = 0; i < UNIQUE_FORGED; i++) {
      const s = Buffer.from(signature);
      s.writeUInt32LE(i, 0);
      unique.push(`${template.slice(0, cut)}${s.toString('base64url')}`);
    }
    const duringUnique = sampleReads(() => ledger.queries.listSales({ mode: 'all' }), 5);
    const uniqueFlood = await runLoad(dir, listener.port, listener.webhookPath, unique, 'each');
    const uniqueReads = duringUnique.stop();
    if (Object.keys(uniqueFlood.statuses).some((s) => s !== '401')) throw new Error(`unique forgeries not all refused: ${JSON.stringify(uniqueFlood.statuses)}`);
    const uniqueRate = (uniqueFlood.count * 1000) / uniqueFlood.elapsedMs;
    rows.push({
      metric: 'forged webhooks rejected (bad signature, each unique)',
      value: formatRate(uniqueFlood.count, uniqueFlood.elapsedMs, 'req'),
      note: `${formatLatency(uniqueFlood.latencies)}; all 401; two Ed25519 checks each (production and sandbox keys); reads meanwhile ${formatLatency(uniqueReads)}`,
    });

    // 5. The reference: Code's SDK example shape, verify only.
    const app = express();
    app.post('/webhook', express.text({ type: 'application/jwt' }), async (req, res) => {
      try {
        await jwtVerify(req.body as string, keys.publicKey, { algorithms: ['EdDSA'] });
        res.sendStatus(200);
      } catch {
        res.sendStatus(401);
      }
    });
    reference = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const ref = await runLoad(dir, (reference.address() as AddressInfo).port, '/webhook', valid, 'each');
    if (ref.statuses['200'] !== VALID_WEBHOOKS) throw new Error(`reference handler failed: ${JSON.stringify(ref.statuses)}`);
    const refRate = (ref.count * 1000) / ref.elapsedMs;
    rows.push({ metric: 'reference: express + jose, verify only', value: formatRate(ref.count, ref.elapsedMs, 'req'), note: formatLatency(ref.latencies) });
    rows.push({
      metric: 'Counter / reference throughput',
      value: (counterRate / refRate).toFixed(2),
      note: 'valid webhooks: Counter also tries two keys, checks the sale and fsyncs a ledger write per webhook',
    });
    rows.push({
      metric: 'forged rejected / reference verify rate',
      value: (forgedRate / refRate).toFixed(2),
      note: `target ≥ 3; replayed forgeries; unique forgeries: ${(uniqueRate / refRate).toFixed(2)}`,
    });
    const idleP99 = quantile(idleReads, 0.99);
    const floodP99 = quantile(floodReads, 0.99);
    rows.push({
      metric: 'sales-log read p99, forged flood / idle',
      value: (floodP99 / idleP99).toFixed(2),
      note: `target ≤ 2; ${formatMs(floodP99)} / ${formatMs(idleP99)}; unique forgeries: ${(quantile(uniqueReads, 0.99) / idleP99).toFixed(2)}`,
    });
    return rows;
  } finally {
    if (reference) {
      reference.closeAllConnections();
      await new Promise((r) => reference!.close(r));
    }
    await listener.close();
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
