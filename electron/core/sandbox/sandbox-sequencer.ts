/**
 * Sandbox mode's sequencer: a local stand-in for Code's sequencer that the
 * real `@code-wallet/client` talks to (pass `endpoint`), like Stripe's test
 * mode. It keeps payment requests in memory, answers sendMessage, getStatus
 * and registerWebhook with the real result codes, and on "simulate payment"
 * POSTs a webhook in the real format, signed by the install's sandbox key.
 *
 * Built on node:http rather than a framework: the surface is one POST route
 * with a binary protobuf body, and node:http lets us bound the body, the
 * timeouts and the connections ourselves, with nothing between the socket
 * and the bytes.
 *
 * Nothing on the wire can mark an intent paid or cancelled: those are the
 * in-process simulation controls below, reachable only from the main process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { SandboxError } from './errors';
import { IntentStore, type SandboxIntent } from './intent-store';
import { kinSideOf } from './sandbox-exchange';
import { dispatch, type RpcContext } from './sequencer-rpc';
import { microPaymentLimit } from '../../shared/domain/payment-limits';
import { createWebhookDelivery, type WebhookAttempt } from './webhook-delivery';
import { signWebhookJwt, webhookPayload } from './webhook-jwt';
import { API_PATH, decodeEnvelope, encodeError, encodeOk, ENDPOINT_PREFIX, MAX_BODY_BYTES, RpcError } from './wire-protocol';
import { silentLogger, type Logger } from '../app/logger';

export type { SandboxIntent, SandboxIntentState } from './intent-store';
export type { WebhookAttempt } from './webhook-delivery';

export interface SimulatePaymentOptions {
  /** Price of one Kin in the intent's currency; defaults to the sandbox's fixed rate. Ignored for "kin". */
  exchangeRate?: number;
}

export interface SandboxSequencer {
  /** Pass as `endpoint` to @code-wallet/client: http://127.0.0.1:PORT/v1 (the client appends "/api/"). */
  endpoint: string;
  /** The customer pays: scanned + submitted (getStatus confirmed), then the webhook, if one is registered. */
  simulatePayment(intentId: string, opts?: SimulatePaymentOptions): Promise<SandboxIntent>;
  /** The customer rejects the payment in the Code app; a later simulatePayment is refused. */
  simulateCancel(intentId: string): SandboxIntent;
  getIntent(intentId: string): SandboxIntent | undefined;
  listIntents(): SandboxIntent[];
  /** Finished webhook delivery attempts, oldest first. */
  deliveries(): WebhookAttempt[];
  /**
   * false: answer as a sequencer without Code's payment service (payment
   * requests, their status and webhooks are unknown methods), to rehearse
   * Code being unavailable; true (the default) restores it. Simulation
   * controls keep working either way.
   */
  setPaymentService(on: boolean): void;
  paymentService(): boolean;
  /** Stops the server, closes its connections and cancels pending webhook deliveries. */
  close(): Promise<void>;
}

export interface SandboxSequencerOptions {
  /** The sandbox Ed25519 private key (loadOrCreateSandboxKey). */
  signingKey: KeyObject;
  /** Loopback port; 0 or absent picks a free one. */
  port?: number;
  /** Multiplies webhook retry delays and the 3 s timeout (tests use e.g. 0.001). */
  timeScale?: number;
  /** Overrides the scaled webhook timeout. */
  webhookTimeoutMs?: number;
  /**
   * The largest amount one new payment request may ask for (decimal), or
   * null for no maximum. Default: Code's table (US$1.00), enforced as the
   * real service does, so a till that asks for more is refused in sandbox too.
   * Tests set e.g. 5.00 to stand for the months Code multiplied its table by 5.
   */
  maximumFor?: (currency: string) => number | null;
  logger?: Logger;
  /** Used for webhook deliveries; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  onWebhookAttempt?: (attempt: WebhookAttempt) => void;
}

const ACCEPTED_CONTENT_TYPES = new Set(['application/octet-stream', 'application/x-protobuf', 'application/protobuf']);

export async function createSandboxSequencer(opts: SandboxSequencerOptions): Promise<SandboxSequencer> {
  if (opts.signingKey.asymmetricKeyType !== 'ed25519' || opts.signingKey.type !== 'private') {
    throw new TypeError('signingKey must be an Ed25519 private key');
  }
  const log = (opts.logger ?? silentLogger).child('sandbox-sequencer');
  const now = (): number => Date.now();
  const store = new IntentStore();
  const webhooks = createWebhookDelivery({
    timeScale: opts.timeScale,
    timeoutMs: opts.webhookTimeoutMs,
    fetchImpl: opts.fetchImpl,
    logger: opts.logger ?? silentLogger,
    onAttempt: opts.onWebhookAttempt,
  });
  const rpc: RpcContext = { store, now, maximumFor: opts.maximumFor ?? ((currency) => microPaymentLimit(currency)?.max ?? null), paymentService: true, log };
  let closed = false;
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error(`internal error: ${(error as Error).stack ?? String(error)}`);
      reply(res, 500, encodeError('internal error'));
    });
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== API_PATH) return refuse(req, res, 404, `no route ${path}; the API is POST ${API_PATH}`);
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return refuse(req, res, 405, 'only POST is allowed');
    }
    // DNS rebinding guard: only this machine's own names reach the API.
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(req, res, 403, 'unexpected Host header');
    // Browsers can only send CORS-safelisted content types without a
    // preflight this server never answers, so a web page cannot drive the API.
    const type = (req.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
    if (!ACCEPTED_CONTENT_TYPES.has(type)) return refuse(req, res, 415, 'Content-Type must be application/octet-stream');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuse(req, res, 413, `body larger than ${MAX_BODY_BYTES} bytes`);

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'aborted') return;
    if (body === 'too-large') return refuse(req, res, 413, `body larger than ${MAX_BODY_BYTES} bytes`);

    try {
      const call = decodeEnvelope(body);
      const answer = dispatch(call, rpc);
      reply(res, 200, encodeOk(answer));
    } catch (error) {
      if (!(error instanceof RpcError)) throw error;
      log.warn(`${error.code}: ${error.message}`);
      reply(res, error.httpStatus, encodeError(error.message));
    }
  }

  /** Answers an error without reading a body we do not want; the connection is closed after it. */
  function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
    log.warn(`${req.method ?? '?'} ${req.url ?? '?'} refused: ${status} ${message}`);
    res.setHeader('Connection', 'close');
    reply(res, status, encodeError(message));
    req.resume();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (error) => log.error(`server error: ${error.message}`));
  const endpoint = `http://127.0.0.1:${port}${ENDPOINT_PREFIX}`;
  log.info(`listening, endpoint ${endpoint}`);

  function assertOpen(): void {
    if (closed) throw new SandboxError('sequencer-closed', 'the sandbox sequencer is closed');
  }

  return {
    endpoint,

    async simulatePayment(intentId, simulateOpts = {}) {
      assertOpen();
      const intent = store.get(intentId);
      if (!intent) throw new SandboxError('intent-not-found', `no sandbox intent ${JSON.stringify(intentId)}`);
      const kin = kinSideOf(intent.amount, intent.currency, simulateOpts.exchangeRate);
      // The payment is a fact from here on (getStatus answers confirmed, a
      // later registerWebhook answers INTENT_EXISTS); the webhook follows it,
      // as the sequencer's async worker does.
      const paid = store.markPaid(intentId, kin, now());
      log.info(`simulated payment of ${paid.id}: ${paid.amount} ${paid.currency}, ${paid.quarks} quarks at ${paid.exchangeRate}`);
      if (paid.webhookUrl !== null) {
        const payload = webhookPayload({
          id: paid.id,
          amount: paid.amount,
          currency: paid.currency,
          destination: paid.destination,
          quarks: paid.quarks ?? kin.quarks,
          exchangeRate: paid.exchangeRate ?? kin.exchangeRate,
          feeBasisPoints: store.feeBasisPoints(intentId),
        });
        const token = await signWebhookJwt(payload, opts.signingKey);
        if (!closed) webhooks.deliver({ intentId: paid.id, url: paid.webhookUrl, body: token });
      }
      return paid;
    },

    simulateCancel(intentId) {
      assertOpen();
      const cancelled = store.markCancelled(intentId, now());
      log.info(`simulated cancel of ${cancelled.id}`);
      return cancelled;
    },

    setPaymentService(on) {
      if (rpc.paymentService === on) return;
      rpc.paymentService = on;
      log.info(on ? 'payment service on' : 'payment service off: answering as a sequencer without it');
    },
    paymentService: () => rpc.paymentService,

    getIntent: (intentId) => store.get(intentId),
    listIntents: () => store.list(),
    deliveries: () => webhooks.attempts(),

    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([stopped, webhooks.close()]);
      log.info('closed');
    },
  };
}

function reply(res: ServerResponse, status: number, body: Uint8Array): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.byteLength, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * The whole body; 'too-large' once it grows past `limit` (the socket is then
 * dropped after the answer); 'aborted' when the client went away first.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: Uint8Array | 'too-large' | 'aborted'): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) finish('too-large');
      else chunks.push(chunk);
    });
    req.on('end', () => finish(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish('aborted'));
  });
}
