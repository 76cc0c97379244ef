import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import type { Mode } from '../../electron/shared/domain/sale';
import { createWebhookHandler, type WebhookHandlerOptions } from '../../electron/core/webhook/webhook-handler';
import { createWebhookListener, type WebhookListener, type WebhookListenerOptions } from '../../electron/core/webhook/webhook-listener';
import { memoryLogger, type LogEntry } from './memory-logger';
import { randomAddress, tempDir } from './temp-dir';

export interface WebhookFixture {
  ledger: Ledger;
  listener: WebhookListener;
  sandboxKey: { privateKey: KeyObject; publicKey: KeyObject };
  /** Stands in for Code's production key (nobody outside Code can sign with the real one): live sales' webhooks verify with it. */
  liveKey: { privateKey: KeyObject; publicKey: KeyObject };
  setMode(mode: Mode): void;
  /** Every log line as `module: message`. */
  logs: string[];
  /** The same lines with level and fields. */
  entries: LogEntry[];
  close(): Promise<void>;
}

/** A real ledger, webhook handler and listener (in its own thread) on loopback, verifying with a fresh sandbox key and a stand-in live key. */
export async function startWebhookFixture(
  dir = tempDir(),
  listenerOptions: Pick<WebhookListenerOptions, 'requestTimeoutMs' | 'headersTimeoutMs' | 'maxConnections' | 'logFlood'> = {},
  handlerOptions: Pick<WebhookHandlerOptions, 'duplicateLog'> = {},
): Promise<WebhookFixture> {
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  const sandboxKey = generateKeyPairSync('ed25519');
  const liveKey = generateKeyPairSync('ed25519');
  let mode: Mode = 'sandbox';
  const logger = memoryLogger();
  const logs = logger.lines;
  const handler = createWebhookHandler({
    ledger,
    mode: () => mode,
    // Keyed by the claimed sale's mode (each rail's key); `mode` only picks the key for an unknown intent.
    keyFor: (m) => (m === 'live' ? liveKey.publicKey : sandboxKey.publicKey),
    recordProof: (input) => ledger.recordProof(input),
    logger,
    ...handlerOptions,
  });
  const listener = await createWebhookListener({ pathSecret: base64url.encode(randomBytes(18)), onWebhook: handler, logger, ...listenerOptions });
  return {
    ledger,
    listener,
    sandboxKey,
    liveKey,
    logs,
    entries: logger.entries,
    setMode: (m) => (mode = m),
    close: async () => {
      await listener.close();
      ledger.close();
    },
  };
}

/** A pending sale with one Code payment of its whole amount waiting, with its intent, as the payments service leaves it. */
export function pendingSale(ledger: Ledger, amount = 1250, currency = 'usd', mode: Mode = 'sandbox') {
  const destination = randomAddress();
  const sale = ledger.createSale({ amount, currency, mode, destination });
  const intent = randomAddress();
  const { tender } = ledger.addCodeTender(sale.id, { amount, seq: 1, intentId: intent });
  return { sale, tender, intent, destination };
}

export function webhookPayload(sale: { intent: string; destination: string }, overrides: Record<string, unknown> = {}) {
  return {
    amount: 12.5,
    currency: 'USD',
    destination: sale.destination,
    exchangeRate: 0.0000152,
    intent: sale.intent,
    quarks: 82_236_842_105,
    state: 'SUBMITTED',
    ...overrides,
  };
}

/** Signs like Code's sequencer: compact JWS, header exactly {"alg":"EdDSA","typ":"JWT"}, no time claims. */
export function signWebhook(payload: Record<string, unknown>, key: KeyObject): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' }).sign(key);
}
