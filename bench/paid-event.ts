/**
 * From a webhook's arrival to PAID on screen (issue 13's goal: p99 ≤ 5 ms on
 * this machine). Sales wait on the till with a Code payment each; a client
 * in its own process (bench/paid-event-client.ts), standing in for Code's
 * sequencer and for the preview's renderer, POSTs one Code-signed webhook at
 * a time to the real listener of a real core, and the clock stops when the
 * paid sale event reaches
 *
 * - a subscriber of the core's events in the app's process (what Electron's
 *   main process forwards to the window with one `webContents.send`), and
 * - the client's read of the preview bridge's event stream (`GET /events`,
 *   what the renderer's EventSource reads in the browser preview).
 *
 * Each sample is one sale's whole path: the listener thread verifies the
 * signature, the main thread checks the sale and fsyncs the credit, the
 * payments service publishes, the redactor copies the event, the bridge
 * writes it to the stream. The client is out of the app's process so that
 * its own work is not charged to the path it measures; both processes read
 * the same wall clock (performance.timeOrigin + now()).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiHandlers } from '../electron/core/api/api-handlers';
import { createCounterCore } from '../electron/core/app/counter-core';
import { loadOrCreateSandboxKey } from '../electron/core/sandbox/sandbox-key';
import { signWebhookJwt, webhookPayload } from '../electron/core/sandbox/webhook-jwt';
import { startPreviewServer } from '../electron/preview/preview-server';
import { hundredthsToDecimal } from '../electron/shared/domain/money';
import { pendingCodeTender, type Sale } from '../electron/shared/domain/sale';
import { formatMs, quantile, type BenchRow } from './bench-table';

const WARMUP = 20;
const SAMPLES = 400;
/** Nothing listens here: the live rail is never used, and its health check fails at once. */
const NO_CODE = 'http://127.0.0.1:9';

const wallClock = () => performance.timeOrigin + performance.now();

/** Runs the outside client over the prepared webhooks and returns its samples. */
function runClient(spec: Record<string, unknown>): Promise<Array<{ saleId: number; sentAt: number; streamAt: number }>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(__dirname, 'paid-event-client.ts'), JSON.stringify(spec)], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      resolve((JSON.parse(stdout) as { samples: Array<{ saleId: number; sentAt: number; streamAt: number }> }).samples);
    });
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
      exportAudit: async () => ({ kind: 'cancelled' as const }),
    }),
    token,
    onEvent: core.onEvent,
    rendererDir,
    logger: core.logger,
  });
  const key = loadOrCreateSandboxKey(dataDir).privateKey;
  // When each sale's PAID reached a subscriber in the app's process.
  const atSubscriber = new Map<number, number>();
  const unsubscribe = core.onEvent((event) => {
    if (event.type === 'sale' && event.sale.status === 'paid' && !atSubscriber.has(event.sale.id)) atSubscriber.set(event.sale.id, wallClock());
  });

  const toSubscriber: number[] = [];
  const toStream: number[] = [];
  try {
    // Sales on the till, each with its Code payment waiting (the real sandbox sequencer took the request), and its webhook signed.
    const jobs: Array<{ saleId: number; jwt: string }> = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
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
      jobs.push({ saleId: sale.id, jwt });
    }
    const jobsFile = join(dataDir, 'bench-webhooks.json');
    writeFileSync(jobsFile, JSON.stringify(jobs));
    const samples = await runClient({ port: server.port, listenerPort: core.listener.port, webhookPath: core.listener.webhookPath, token, jobsFile });
    for (const [i, sample] of samples.entries()) {
      const subscriberAt = atSubscriber.get(sample.saleId);
      if (subscriberAt === undefined) throw new Error(`sale ${sample.saleId} was never paid at the subscriber`);
      if (i < WARMUP) continue;
      toSubscriber.push(subscriberAt - sample.sentAt);
      toStream.push(sample.streamAt - sample.sentAt);
    }
    if (toStream.length !== SAMPLES) throw new Error(`expected ${SAMPLES} samples, got ${toStream.length}`);
  } finally {
    unsubscribe();
    await server.close();
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(rendererDir, { recursive: true, force: true });
  }
  toSubscriber.sort((a, b) => a - b);
  toStream.sort((a, b) => a - b);
  const note = `${SAMPLES} sales one at a time, after ${WARMUP} unmeasured, sent from another process; goal p99 ≤ 5 ms`;
  return [
    { metric: 'webhook → PAID event at a core subscriber, p50', value: formatMs(quantile(toSubscriber, 0.5)), note: "Electron's path: the main process forwards it with webContents.send" },
    { metric: 'webhook → PAID event at a core subscriber, p99', value: formatMs(quantile(toSubscriber, 0.99)), note },
    { metric: 'webhook → PAID event on the preview event stream, p50', value: formatMs(quantile(toStream, 0.5)), note: "the browser preview's path: GET /events, read in another process as the renderer's EventSource does" },
    { metric: 'webhook → PAID event on the preview event stream, p99', value: formatMs(quantile(toStream, 0.99)), note },
    { metric: 'webhook → PAID event on the preview event stream, max', value: formatMs(toStream[toStream.length - 1]!) },
  ];
}
