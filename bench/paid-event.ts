/**
 * From a webhook's arrival to PAID on screen (issue 13's goal: p99 ≤ 5 ms on
 * this machine): a Code-signed webhook for a sale waiting on the till is
 * POSTed to the real listener of a real core, and the clock stops when the
 * paid sale event reaches
 *
 * - a subscriber of the core's events (what Electron's main process forwards
 *   to the window with one `webContents.send`), and
 * - a client of the preview bridge's event stream (`GET /events`, what the
 *   renderer's EventSource reads in the browser preview).
 *
 * One webhook at a time, so each sample is one sale's whole path: the
 * listener thread verifies the signature, the main thread checks the sale and
 * fsyncs the credit, the payments service publishes, the redactor copies the
 * event, the bridge writes it to the stream.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiHandlers } from '../electron/core/api/api-handlers';
import { createCounterCore } from '../electron/core/app/counter-core';
import { loadOrCreateSandboxKey } from '../electron/core/sandbox/sandbox-key';
import { signWebhookJwt, webhookPayload } from '../electron/core/sandbox/webhook-jwt';
import { startPreviewServer } from '../electron/preview/preview-server';
import type { CounterEvent } from '../electron/shared/contract';
import { hundredthsToDecimal } from '../electron/shared/domain/money';
import { pendingCodeTender, type Sale } from '../electron/shared/domain/sale';
import { formatMs, quantile, type BenchRow } from './bench-table';

const WARMUP = 20;
const SAMPLES = 400;
/** Nothing listens here: the live rail is never used, and its health check fails at once. */
const NO_CODE = 'http://127.0.0.1:9';

const isPaid = (event: CounterEvent, saleId: number) => event.type === 'sale' && event.sale.id === saleId && event.sale.status === 'paid';

function post(port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/jwt', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The bridge's event stream, parsed into events as the renderer's EventSource would. */
function openEventStream(port: number, token: string, onEvent: (event: CounterEvent) => void): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/events?token=${encodeURIComponent(token)}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`event stream answered HTTP ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of frame.split('\n')) if (line.startsWith('data: ')) onEvent(JSON.parse(line.slice(6)) as CounterEvent);
        }
      });
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchPaidEvent(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'counter-bench-paid-'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'counter-bench-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>');
  const core = await createCounterCore({
    dataDir,
    timeZone: 'UTC',
    tunnel: { binary: { envPath: '' } },
    rails: { liveEndpoint: NO_CODE },
    // The reconciler stays out of the way: here the webhook is the proof being timed.
    reconcilerTiming: { tickMs: 60_000, backgroundInitialMs: 60_000 },
  });
  const token = 'bench-token-bench-token-bench';
  const server = await startPreviewServer({
    handlers: createApiHandlers(core, {
      exportCsv: async () => ({ kind: 'cancelled' }),
      saveReceiptPdf: async () => ({ saved: false }),
      openLogFolder: async () => ({ opened: false, path: null }),
      openCustomerDisplay: async () => ({ kind: 'off' }),
    }),
    token,
    onEvent: core.onEvent,
    rendererDir,
    logger: core.logger,
  });
  const key = loadOrCreateSandboxKey(dataDir).privateKey;
  const waiting = new Map<number, { core?: (at: number) => void; stream?: (at: number) => void }>();
  const unsubscribe = core.onEvent((event) => {
    if (event.type === 'sale' && isPaid(event, event.sale.id)) waiting.get(event.sale.id)?.core?.(performance.now());
  });
  const stream = await openEventStream(server.port, token, (event) => {
    if (event.type === 'sale' && isPaid(event, event.sale.id)) waiting.get(event.sale.id)?.stream?.(performance.now());
  });

  const toSubscriber: number[] = [];
  const toStream: number[] = [];
  try {
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      // A sale on the till with its Code payment waiting (the real sandbox sequencer took the request).
      const till = await core.payments.charge({ amount: 50 + (i % 50), currency: 'usd' });
      const sale: Sale = till.sale;
      const tender = pendingCodeTender(core.ledger.getSale(sale.id));
      if (!tender?.intentId) throw new Error(`sale ${sale.id} has no Code payment waiting: ${till.codeNote ?? 'no note'}`);
      const jwt = await signWebhookJwt(
        webhookPayload({
          id: tender.intentId,
          amount: Number(hundredthsToDecimal(tender.amount)),
          currency: sale.currency,
          destination: sale.destination,
          quarks: tender.amount * 100_000,
          exchangeRate: 0.00001,
          feeBasisPoints: 0,
        }),
        key,
      );
      const atSubscriber = new Promise<number>((resolve) => waiting.set(sale.id, { ...waiting.get(sale.id), core: resolve }));
      const atStream = new Promise<number>((resolve) => waiting.set(sale.id, { ...waiting.get(sale.id), stream: resolve }));
      const sent = performance.now();
      const status = await post(core.listener.port, core.listener.webhookPath, jwt);
      if (status !== 200) throw new Error(`the webhook for sale ${sale.id} was answered HTTP ${status}`);
      const [subscriberAt, streamAt] = await Promise.all([atSubscriber, atStream]);
      waiting.delete(sale.id);
      if (i < WARMUP) continue;
      toSubscriber.push(subscriberAt - sent);
      toStream.push(streamAt - sent);
    }
  } finally {
    unsubscribe();
    stream.destroy();
    await server.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  }
  toSubscriber.sort((a, b) => a - b);
  toStream.sort((a, b) => a - b);
  const note = `${SAMPLES} sales one at a time, after ${WARMUP} unmeasured; goal p99 ≤ 5 ms`;
  return [
    { metric: 'webhook → PAID event at a core subscriber, p50', value: formatMs(quantile(toSubscriber, 0.5)), note: "Electron's path: the main process forwards it with webContents.send" },
    { metric: 'webhook → PAID event at a core subscriber, p99', value: formatMs(quantile(toSubscriber, 0.99)), note },
    { metric: 'webhook → PAID event on the preview event stream, p50', value: formatMs(quantile(toStream, 0.5)), note: "the browser preview's path: GET /events, read as the renderer's EventSource does" },
    { metric: 'webhook → PAID event on the preview event stream, p99', value: formatMs(quantile(toStream, 0.99)), note },
    { metric: 'webhook → PAID event on the preview event stream, max', value: formatMs(toStream[toStream.length - 1]!) },
  ];
}
