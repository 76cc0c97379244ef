import { paymentIntents, webhook } from '@code-wallet/client';
import { PaymentRequestIntent } from '@code-wallet/intents';
import { PaymentsError } from './errors';

/**
 * The three calls Counter makes to Code's sequencer, with a timeout each
 * (the SDK has none) and the SDK's plain `Error`s turned into typed ones.
 * `endpoint` undefined means Code's production sequencer.
 */

export interface IntentRequest {
  /** Code's decimal amount (at most two places). */
  amount: number;
  currency: string;
  destination: string;
  idempotencyKey: string;
}

export interface IntentStatus {
  status: 'pending' | 'confirmed';
  exists: boolean;
  codeScanned: boolean;
  intentSubmitted: boolean;
}

export interface CodeSequencer {
  /** The intent id Code will derive for this request; needs no network. */
  intentIdFor(request: IntentRequest): string;
  /** The button's client secret for this request (derived from the idempotency key, like the id). */
  clientSecretFor(request: IntentRequest): string;
  createIntent(request: IntentRequest): Promise<{ id: string; clientSecret: string }>;
  registerWebhook(intentId: string, url: string): Promise<{ success: boolean; message: string }>;
  getStatus(intentId: string): Promise<IntentStatus>;
}

export function createCodeSequencer(options: { endpoint: () => string | undefined; timeoutMs?: number }): CodeSequencer {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(what: string, fn: (endpoint: string | undefined) => Promise<T>): Promise<T> {
    const endpoint = options.endpoint();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new PaymentsError('sequencer-unreachable', `Code did not answer within ${Math.round(timeoutMs / 1000)} s (${what}). Check the internet connection and try again.`)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([fn(endpoint), timeout]);
    } catch (error) {
      throw toPaymentsError(what, error);
    } finally {
      clearTimeout(timer);
    }
  }

  const intentOptions = (r: IntentRequest) => ({
    mode: 'payment' as const,
    amount: r.amount,
    currency: r.currency as never,
    destination: r.destination,
    idempotencyKey: r.idempotencyKey,
  });

  const prepared = (request: IntentRequest) => {
    try {
      return new PaymentRequestIntent(intentOptions(request));
    } catch (error) {
      throw toPaymentsError('preparing the payment request', error);
    }
  };

  return {
    intentIdFor: (request) => prepared(request).getIntentId(),
    clientSecretFor: (request) => prepared(request).getClientSecret(),
    createIntent: (request) => call('creating the payment request', (endpoint) => paymentIntents.create({ ...intentOptions(request), endpoint })),
    registerWebhook: (intent, url) => call('registering the webhook', (endpoint) => webhook.register({ intent, url, endpoint })),
    getStatus: (intent) => call('checking the payment status', (endpoint) => paymentIntents.getStatus({ intent, endpoint }) as Promise<IntentStatus>),
  };
}

function toPaymentsError(what: string, error: unknown): PaymentsError {
  if (error instanceof PaymentsError) return error;
  const message = (error as Error)?.message ?? String(error);
  // The SDK wraps every failure inside its fetch call as "Network error …",
  // including an answer it could not decode; only undici's "fetch failed"
  // means the sequencer was not reached at all.
  if (/^Network error TypeError: fetch failed/.test(message)) {
    return new PaymentsError('sequencer-unreachable', `Could not reach Code while ${what}. Check the internet connection and try again.`, error);
  }
  if (/^Network error/.test(message)) {
    return new PaymentsError('sequencer-error', `Code sent an answer Counter could not read while ${what}. Try again in a moment.`, error);
  }
  const status = /^Request failed with status code (\d+)/.exec(message);
  if (status && Number(status[1]) >= 400 && Number(status[1]) < 500) {
    return new PaymentsError('sequencer-rejected', `Code did not accept the payment request (status code ${status[1]}). Check the deposit address and amount.`, error);
  }
  if (status) {
    return new PaymentsError('sequencer-error', `Code answered with an error while ${what} (status code ${status[1]}). Try again in a moment.`, error);
  }
  if (/invalid address|invalid size|Invalid public key|base58|Non-base58/i.test(message)) {
    return new PaymentsError('invalid-destination', 'The deposit address is not a valid Code address. Check it in Settings.', error);
  }
  return new PaymentsError('sequencer-error', `Code could not complete ${what}: ${message}`, error);
}
