/**
 * Sandbox mode's sequencer: a local stand-in for Code's sequencer that the
 * real `@code-wallet/client` talks to (pass `endpoint`), like Stripe's test
 * mode. It keeps payment requests in its own SQLite file (sandbox-db.ts),
 * answers sendMessage, getStatus and registerWebhook with the real result
 * codes, and on "simulate payment" POSTs a webhook in the real format,
 * signed by the install's sandbox key.
 *
 * It is as durable as Code's servers: a simulated payment and its webhook
 * are committed to the file before simulatePayment resolves, and a sandbox
 * started again on the same file (after a crash or a SIGKILL) answers for
 * every intent it held and resumes the webhooks it still owes on their
 * schedule.
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
import { IntentStore, MAX_SANDBOX_INTENTS, type SandboxIntent } from './intent-store';
import { openSandboxDatabase } from './sandbox-db';
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
  /**
   * Wakes the webhooks the file still owes (done at start unless
   * `resumeDeliveries: false`); idempotent, returns how many are scheduled.
   */
  resumeDeliveries(): number;
  /** Stops the server and its connections, stops pending webhook timers (they stay in the file) and closes the file. */
  close(): Promise<void>;
}

export interface SandboxSequencerOptions {
  /** The sandbox Ed25519 private key (loadOrCreateSandboxKey). */
  signingKey: KeyObject;
  /**
   * The sandbox's SQLite file (sandboxDbPath(dataDir), created 0600 if
   * absent; a file it cannot use is refused, never replaced). Absent: an
   * in-memory database, for tests that do not restart (nothing survives).
   */
  file?: string;
  /** How many intents are kept before the oldest are forgotten (default MAX_SANDBOX_INTENTS). */
  capacity?: number;
  /**
   * false: scheduled webhooks found in the file wait for resumeDeliveries(),
   * e.g. until the webhook listener they go to is listening. Default true.
   */
  resumeDeliveries?: boolean;
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
  // Checked before the file is opened: a bad option must not leave it open.
  const capacity = opts.capacity ?? MAX_SANDBOX_INTENTS;
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  if (opts.timeScale !== undefined && (!Number.isFinite(opts.timeScale) || opts.timeScale <= 0)) {
    throw new RangeError(`timeScale must be a positive number, got ${opts.timeScale}`);
  }
  const db = openSandboxDatabase(opts.file ?? ':memory:');
  const store = new IntentStore(db, capacity);
  const webhooks = createWebhookDelivery({
    db,
    resume: false,
    timeScale: opts.timeScale,
    timeoutMs: opts.webhookTimeoutMs,
    fetchImpl: opts.fetchImpl,
    logger: opts.logger ?? silentLogger,
    onAttempt: opts.onWebhookAttempt,
  });
  const rpc: RpcContext = { store, now, maximumFor: opts.maximumFor ?? ((currency) => microPaymentLimit(currency)?.max ?? null), paymentService: true, log };
  let closed = false;
  let port = 0;
  let dbOpen = true;
  const closeDb = (): void => {
    if (!dbOpen) return;
    dbOpen = false;
    db.close();
  };

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
    // Closing: the file may be shut already, and the connection is being dropped anyway.
    if (closed) {
      res.destroy();
      return;
    }

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

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await webhooks.close();
    closeDb();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  server.on('error', (error) => log.error(`server error: ${error.message}`));
  const endpoint = `http://127.0.0.1:${port}${ENDPOINT_PREFIX}`;
  log.info(`listening, endpoint ${endpoint}`);
  if (opts.resumeDeliveries !== false) webhooks.resume();

  function assertOpen(): void {
    if (closed) throw new SandboxError('sequencer-closed', 'the sandbox sequencer is closed');
  }

  return {
    endpoint,

    async simulatePayment(intentId, simulateOpts = {}) {
      assertOpen();
      const intent = store.get(intentId);
      if (!intent) throw new SandboxError('intent-not-found', `no sandbox intent ${JSON.stringify(intentId)}`);
      if (intent.state === 'paid') throw new SandboxError('intent-already-paid', `sandbox intent ${intentId} is already paid`);
      if (intent.state === 'cancelled') throw new SandboxError('intent-cancelled', `sandbox intent ${intentId} was cancelled by the customer`);
      const kin = kinSideOf(intent.amount, intent.currency, simulateOpts.exchangeRate);
      const payment = store.paymentOf(intentId, kin);
      // Signed first (signing is asynchronous), so the payment and its
      // webhook can then commit in one synchronous transaction. The token
      // holds no URL: one registered meanwhile still gets it.
      const token = await signWebhookJwt(
        webhookPayload({
          id: intent.id,
          amount: intent.amount,
          currency: intent.currency,
          destination: intent.destination,
          quarks: payment.quarks,
          exchangeRate: payment.exchangeRate,
          feeBasisPoints: store.feeBasisPoints(intentId),
        }),
        opts.signingKey,
      );
      assertOpen();
      // The payment is a fact once this commits (getStatus answers
      // confirmed, a later registerWebhook answers INTENT_EXISTS, a restart
      // keeps both), and its webhook is owed from the same commit: nothing
      // acknowledged can be lost between the two. markPaid re-checks the
      // state, so of two concurrent simulations only one pays.
      const paid = db.transaction(() => {
        const marked = store.markPaid(intentId, kin, now());
        if (marked.webhookUrl !== null) webhooks.deliver({ intentId: marked.id, url: marked.webhookUrl, body: token });
        return marked;
      }).immediate();
      log.info(`simulated payment of ${paid.id}: ${paid.amount} ${paid.currency}, ${paid.quarks} quarks at ${paid.exchangeRate}`);
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

    getIntent: (intentId) => {
      assertOpen();
      return store.get(intentId);
    },
    listIntents: () => {
      assertOpen();
      return store.list();
    },
    deliveries: () => {
      assertOpen();
      return webhooks.attempts();
    },
    resumeDeliveries: () => {
      assertOpen();
      return webhooks.resume();
    },

    async close() {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // The file closes last: attempts aborted by close() still record their outcome in it.
      await Promise.all([stopped, webhooks.close()]);
      closeDb();
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
