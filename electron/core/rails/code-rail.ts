/**
 * The Code rail: Code's sequencer through the real `@code-wallet/client`,
 * with a timeout on every call (the SDK has none), the SDK's plain `Error`s
 * turned into RailErrors, and a health check. The only module of the app
 * that imports `@code-wallet/client` or `@code-wallet/intents` (an ESLint
 * rule holds that line). `endpoint` undefined means Code's production
 * sequencer; the sandbox rail is this rail pointed at the in-app sequencer.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { paymentIntents, webhook } from '@code-wallet/client';
import { PaymentRequestIntent } from '@code-wallet/intents';
import { encode as encodeKikCode, KikCode } from '@code-wallet/kikcode';
import * as proto from '@code-wallet/rpc';
import bs58 from 'bs58';
import type { RailHealth } from '../../shared/domain/rail';
import type { ScanCodeDrawing } from '../../shared/domain/scan-code';
import type { Mode } from '../../shared/domain/sale';
import { silentLogger, type Logger } from '../app/logger';
import { RailError } from './errors';
import type { IntentStatus, PaymentRail, PaymentRequest } from './payment-rail';

/** The square a scan code is laid out in, as Code's views use it. */
const SCAN_CODE_SIZE = 200;

/** Where the SDK sends requests when given no endpoint (client utils/useClient.js). */
export const CODE_PRODUCTION_ENDPOINT = 'https://cash.getcode.com/v1';

export interface CodeRailOptions {
  mode: Mode;
  /** Read at every call; undefined means Code's production sequencer. */
  endpoint: () => string | undefined;
  webhookKey: KeyObject;
  /** Per call (default 10 s). */
  timeoutMs?: number;
  /** For the health check, which nobody waits on at the till (default 5 s). */
  healthTimeoutMs?: number;
  now?: () => number;
  logger?: Logger;
}

/** What went wrong with one SDK call, before it is worded for anyone. */
type Failure =
  | { kind: 'timeout'; seconds: number }
  | { kind: 'offline'; message: string }
  | { kind: 'http'; status: number; message: string }
  | { kind: 'unreadable'; message: string }
  | { kind: 'invalid-destination'; message: string }
  | { kind: 'other'; message: string };

class CallTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`no answer within ${seconds} s`);
  }
}

export function createCodeRail(options: CodeRailOptions): PaymentRail {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const healthTimeoutMs = options.healthTimeoutMs ?? 5_000;
  const now = options.now ?? Date.now;
  const name = options.mode === 'live' ? 'code-rail' : 'sandbox-rail';
  const log = (options.logger ?? silentLogger).child(name);
  let current: RailHealth = { state: 'unknown', reason: 'not checked yet', checkedAt: null };
  let checking: Promise<RailHealth> | null = null;
  const listeners = new Set<(health: RailHealth) => void>();

  async function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CallTimeout(Math.round(ms / 100) / 10)), ms);
      timer.unref();
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  const intentOptions = (r: PaymentRequest) => ({
    mode: 'payment' as const,
    amount: r.amount,
    currency: r.currency as never,
    destination: r.destination,
    idempotencyKey: r.idempotencyKey,
  });

  function intentFor(request: PaymentRequest): PaymentRequestIntent {
    try {
      return new PaymentRequestIntent(intentOptions(request));
    } catch (error) {
      throw toRailError('preparing the payment request', classify(error));
    }
  }

  /**
   * The SDK turns every non-2xx answer into "Request failed with status code
   * N" and drops the body, where the sequencer says why (Common.Response
   * message: "usd currency has a maximum amount of 1.00", "unknown method
   * …"). Sending the same bytes again is harmless (the request is idempotent,
   * a status query reads nothing) and lets Counter read that reason.
   */
  async function askWhy(service: string, method: string, body: Uint8Array): Promise<string | null> {
    const endpoint = options.endpoint() ?? CODE_PRODUCTION_ENDPOINT;
    try {
      const envelope = new proto.Common.Request({ service, method, body }).toBinary();
      const res = await fetch(`${endpoint}/api/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: envelope,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.ok) return null;
      const message = proto.Common.Response.fromBinary(bytes).message.trim();
      return message ? message.slice(0, 300) : null;
    } catch {
      return null;
    }
  }

  async function call<T>(what: string, work: () => Promise<T>, why?: () => Promise<string | null>): Promise<T> {
    try {
      return await withTimeout(timeoutMs, work());
    } catch (error) {
      const failure = classify(error);
      const detail = failure.kind === 'http' && why ? await why() : null;
      throw toRailError(what, failure, detail);
    }
  }

  async function request(request: PaymentRequest): Promise<{ intentId: string }> {
    const intent = intentFor(request);
    const intentId = intent.getIntentId();
    const endpoint = options.endpoint();
    const created = await call(
      'creating the payment request',
      () => paymentIntents.create({ ...intentOptions(request), ...(endpoint ? { endpoint } : {}) }),
      async () => askWhy('Messaging', 'sendMessage', (await intent.getSendMessageRequestProto()).toBinary()),
    );
    if (created.id !== intentId) throw new RailError('sequencer-error', 'Code returned a different payment request than the one sent.');
    // The SDK ignores a refusal answered as a success, so ask whether the request exists.
    const status = await statusOf(intentId);
    if (!status.exists) throw new RailError('sequencer-rejected', 'Code did not keep the payment request. Check the deposit address and amount.');
    return { intentId };
  }

  function statusOf(intent: string): Promise<IntentStatus> {
    const endpoint = options.endpoint();
    return call(
      'checking the payment status',
      () => paymentIntents.getStatus({ intent, ...(endpoint ? { endpoint } : {}) }) as Promise<IntentStatus>,
      () => askWhy('MicroPayment', 'getStatus', statusRequestBytes(intent)),
    );
  }

  /**
   * Whether the sequencer answers payment-request calls: the status of a
   * fresh random intent must come back as a well-formed answer ("does not
   * exist"). A sequencer without Code's payment service answers with an
   * error (unknown method); no connection at all is "offline", which says
   * nothing about Code.
   */
  async function runCheck(): Promise<RailHealth> {
    const intent = bs58.encode(randomBytes(32));
    const endpoint = options.endpoint();
    const checkedAt = now();
    try {
      await withTimeout(healthTimeoutMs, paymentIntents.getStatus({ intent, ...(endpoint ? { endpoint } : {}) }));
      return { state: 'available', checkedAt };
    } catch (error) {
      const failure = classify(error);
      switch (failure.kind) {
        case 'offline':
          return { state: 'unknown', reason: 'offline', checkedAt };
        case 'timeout':
          return { state: 'unavailable', reason: 'no answer', detail: `the sequencer did not answer within ${failure.seconds} s`, checkedAt };
        case 'http': {
          const why = await askWhy('MicroPayment', 'getStatus', statusRequestBytes(intent));
          const noService = failure.status === 404 || failure.status === 501 || /unknown method|unimplemented/i.test(why ?? '');
          return {
            state: 'unavailable',
            reason: noService ? 'no payment service' : `error ${failure.status}`,
            detail: `HTTP ${failure.status}${why ? `: ${why}` : ''}`,
            checkedAt,
          };
        }
        case 'unreadable':
          return { state: 'unavailable', reason: 'unreadable answer', detail: failure.message, checkedAt };
        default:
          return { state: 'unavailable', reason: 'error', detail: failure.message, checkedAt };
      }
    }
  }

  function checkHealth(): Promise<RailHealth> {
    checking ??= runCheck()
      .then((health) => {
        const changed = health.state !== current.state || ('reason' in health ? health.reason : '') !== ('reason' in current ? current.reason : '');
        current = health;
        if (changed) {
          const text = health.state === 'available' ? 'available' : `${health.state} (${health.reason}${health.state === 'unavailable' ? `: ${health.detail}` : ''})`;
          log[health.state === 'available' ? 'info' : 'warn'](`Code payments ${text}`);
          for (const fn of listeners) {
            try {
              fn(health);
            } catch (error) {
              log.warn(`a health listener failed: ${(error as Error).message}`);
            }
          }
        }
        return health;
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  return {
    mode: options.mode,
    webhookKey: options.webhookKey,
    prepare(request) {
      const intent = intentFor(request);
      return { intentId: intent.getIntentId(), clientSecret: intent.getClientSecret() };
    },
    request,
    /**
     * What Code's own views draw (code-sdk packages/views, BaseRequest.ts):
     * the request's 20-byte payload (kind, currency, amount, nonce), Reed-Solomon
     * encoded by kikcode's WebAssembly, then laid out as SVG paths on a 200-unit
     * square. The encoding is a view on the WebAssembly heap, hence the copy.
     */
    async scanCode(request): Promise<ScanCodeDrawing> {
      const payload = intentFor(request).rendezvousPayload.toBinary();
      const encoded = Uint8Array.from(await encodeKikCode(payload));
      const drawing = KikCode.generateDescription({ width: SCAN_CODE_SIZE, height: SCAN_CODE_SIZE }, encoded);
      return { size: SCAN_CODE_SIZE, center: drawing.center, arcs: drawing.arcs, dots: drawing.dots };
    },
    registerWebhook(intent, url) {
      const endpoint = options.endpoint();
      return call('registering the webhook', () => webhook.register({ intent, url, ...(endpoint ? { endpoint } : {}) }));
    },
    status: statusOf,
    health: () => current,
    checkHealth,
    onHealth(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

function statusRequestBytes(intent: string): Uint8Array {
  return new proto.GetStatusRequest({ intentId: { value: bs58.decode(intent) } }).toBinary();
}

function classify(error: unknown): Failure {
  if (error instanceof CallTimeout) return { kind: 'timeout', seconds: error.seconds };
  const message = (error as Error)?.message ?? String(error);
  // The SDK wraps every failure inside its fetch call as "Network error …",
  // including an answer it could not decode; only undici's "fetch failed"
  // means the sequencer was not reached at all.
  if (/^Network error TypeError: fetch failed/.test(message)) return { kind: 'offline', message };
  if (/^Network error/.test(message)) return { kind: 'unreadable', message };
  const status = /^Request failed with status code (\d+)/.exec(message);
  if (status) return { kind: 'http', status: Number(status[1]), message };
  if (/invalid address|invalid size|Invalid public key|base58|Non-base58/i.test(message)) return { kind: 'invalid-destination', message };
  return { kind: 'other', message };
}

function toRailError(what: string, failure: Failure, detail: string | null = null): RailError {
  switch (failure.kind) {
    case 'timeout':
      return new RailError('sequencer-unreachable', `Code did not answer within ${failure.seconds} s (${what}). Check the internet connection and try again.`);
    case 'offline':
      return new RailError('sequencer-unreachable', `Could not reach Code while ${what}. Check the internet connection and try again.`, { cause: failure.message });
    case 'unreadable':
      return new RailError('sequencer-error', `Code sent an answer Counter could not read while ${what}. Try again in a moment.`, { cause: failure.message });
    case 'http':
      if (failure.status >= 400 && failure.status < 500 && failure.status !== 404) {
        return new RailError(
          'sequencer-rejected',
          detail
            ? `Code refused the payment request: ${detail}.`
            : `Code did not accept the payment request (status code ${failure.status}). Check the deposit address and amount.`,
          { refusal: detail, cause: failure.message },
        );
      }
      return new RailError('sequencer-error', `Code answered with an error while ${what} (status code ${failure.status}${detail ? `: ${detail}` : ''}). Try again in a moment.`, {
        refusal: detail,
        cause: failure.message,
      });
    case 'invalid-destination':
      return new RailError('invalid-destination', 'The deposit address is not a valid Code address. Check it in Settings.', { cause: failure.message });
    default:
      return new RailError('sequencer-error', `Code could not complete ${what}: ${failure.message}`, { cause: failure.message });
  }
}
