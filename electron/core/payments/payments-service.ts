import { z } from 'zod';
import type { ChargeView } from '../../shared/contract';
import { LedgerError } from '../ledger/errors';
import type { Ledger } from '../ledger/ledger';
import type { Mode, ProofSource, Sale } from '../../shared/domain/sale';
import type { ProofResult } from '../ledger/ledger';
import { microPaymentLimit } from '../../shared/domain/payment-limits';
import { isDepositAddress } from '../../shared/domain/deposit-address';
import { hundredthsToDecimal, hundredthsToDecimalString, MAX_AMOUNT_HUNDREDTHS, normalizeCurrency } from '../../shared/domain/money';
import { createCodeSequencer, type CodeSequencer } from './code-sequencer';
import { PaymentsError } from './errors';
import { createReconciler, type ReconcilerTiming } from './reconciler';
import { silentLogger, type Logger } from '../app/logger';


export interface PaymentsConfig {
  mode: Mode;
  /** The shop's Code deposit address (base58, 32 bytes); null until set. */
  destination: string | null;
  /** The sequencer to talk to: the sandbox's URL, or undefined for Code's production sequencer. */
  endpoint?: string;
}

/** What the till needs to show the Code button for a new sale. */
export type ChargeResult = ChargeView;

export type SaleUpdateCause = 'created' | 'credited' | 'duplicate' | 'late' | 'cancelled' | 'expired' | 'failed';

export interface SaleUpdate {
  sale: Sale;
  cause: SaleUpdateCause;
}

export interface PaymentsServiceOptions {
  ledger: Ledger;
  /** Read at every charge and poll, so a settings change applies to the next sale. */
  config: () => PaymentsConfig;
  /**
   * The full webhook URL for new sales, or null when none is reachable (no
   * tunnel): the sale is then created without a webhook and relies on polling.
   * Read at every charge: a tunnel's URL can change at run time.
   */
  webhookUrl: () => string | null;
  sequencer?: CodeSequencer;
  sequencerTimeoutMs?: number;
  timing?: Partial<ReconcilerTiming>;
  now?: () => number;
  logger?: Logger;
}

const chargeInput = z.object({ amount: z.unknown().optional(), currency: z.unknown().optional() }).strict();

export type PaymentsService = ReturnType<typeof createPaymentsService>;

/**
 * The payment request for a sale. Code's idempotency keys are global across
 * merchants: the destination and the sale's random ref make this one unique
 * to this sale, and let the same request (id and client secret) be derived again.
 */
function intentRequestFor(sale: Sale) {
  return {
    amount: hundredthsToDecimal(sale.amount),
    currency: sale.currency,
    destination: sale.destination,
    idempotencyKey: `counter:${sale.destination}:${sale.ref}`,
  };
}

export function createPaymentsService(options: PaymentsServiceOptions) {
  const { ledger } = options;
  const log = (options.logger ?? silentLogger).child('payments');
  const sequencer =
    options.sequencer ??
    createCodeSequencer({ endpoint: () => options.config().endpoint, ...(options.sequencerTimeoutMs ? { timeoutMs: options.sequencerTimeoutMs } : {}) });
  const subscribers = new Set<(update: SaleUpdate) => void>();

  function publish(sale: Sale, cause: SaleUpdateCause): void {
    for (const fn of subscribers) {
      try {
        fn({ sale, cause });
      } catch (error) {
        log.warn(`a subscriber failed: ${(error as Error).message}`);
      }
    }
  }

  /** Writes a proof to the ledger and tells subscribers; used by the webhook, the poller and manual marking. */
  function recordProof(input: { saleId: number; source: ProofSource; quarks?: number; exchangeRate?: number; payload: string | Record<string, unknown> }): ProofResult {
    const result = ledger.recordProof(input);
    publish(result.sale, result.outcome);
    return result;
  }

  const reconciler = createReconciler({
    ledger,
    mode: () => options.config().mode,
    getStatus: (intentId) => sequencer.getStatus(intentId),
    recordProof,
    onExpired: (sale) => publish(sale, 'expired'),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.now ? { now: options.now } : {}),
    logger: options.logger ?? silentLogger,
  });

  function validateCharge(input: unknown): { amount: number; currency: string } {
    const parsed = chargeInput.safeParse(input);
    if (!parsed.success) throw new PaymentsError('invalid-input', 'A charge takes exactly an amount and a currency.');
    const { amount, currency: rawCurrency } = parsed.data;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      throw new PaymentsError('invalid-amount', 'Enter an amount greater than zero.');
    }
    if (amount > MAX_AMOUNT_HUNDREDTHS) throw new PaymentsError('invalid-amount', 'That amount is too large for one sale.');
    const currency = normalizeCurrency(rawCurrency);
    if (!currency) throw new PaymentsError('unknown-currency', `Code does not accept the currency ${JSON.stringify(rawCurrency)}.`);
    // Code's sequencer refuses requests below about 0.05 USD in each currency
    // (0.05 USD itself for USD) and currencies it does not list; saying so
    // here gives the cashier a clear message instead of a refusal.
    const limit = microPaymentLimit(currency);
    if (!limit) throw new PaymentsError('unknown-currency', `Code does not take payments in ${currency.toUpperCase()}.`);
    const minimum = Math.round(limit.min * 100);
    if (amount < minimum) {
      const shown = currency === 'usd' ? `$${hundredthsToDecimalString(minimum)}` : `${hundredthsToDecimalString(minimum)} ${currency.toUpperCase()}`;
      throw new PaymentsError('below-minimum', `Code payments start at ${shown}. Enter a larger amount.`);
    }
    return { amount, currency };
  }

  function validateDestination(destination: string | null): string {
    if (!destination) {
      throw new PaymentsError('no-destination', "Set the shop's Code deposit address in Settings before taking live payments.");
    }
    if (!isDepositAddress(destination)) {
      throw new PaymentsError('invalid-destination', 'The deposit address is not a valid Code address. Check it in Settings.');
    }
    return destination;
  }

  function ledgerCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof LedgerError) {
        const code = error.code === 'not-found' ? 'not-found' : error.code === 'invalid-transition' ? 'invalid-transition' : 'ledger-error';
        throw new PaymentsError(code, error.message, error);
      }
      throw error;
    }
  }

  /**
   * Rings up a sale: validates, writes the pending sale, then asks Code for a
   * payment intent. The intent id is derived (offline, deterministically) and
   * stored before any network call, so a crash at any later point leaves a
   * sale the reconciler can still check. If Code does not take the request,
   * the sale is cancelled with the reason and the error is thrown.
   */
  async function charge(input: unknown): Promise<ChargeResult> {
    const { amount, currency } = validateCharge(input);
    const config = options.config();
    const destination = validateDestination(config.destination);
    const sale = ledgerCall(() => ledger.createSale({ amount, currency, mode: config.mode, destination }));
    const request = intentRequestFor(sale);
    let clientSecret: string;
    let webhookUrl: string | null;
    try {
      const intentId = sequencer.intentIdFor(request);
      ledgerCall(() => ledger.attachIntent(sale.id, { intentId }));
      publish(ledger.getSale(sale.id), 'created');
      const created = await sequencer.createIntent(request);
      if (created.id !== intentId) throw new PaymentsError('sequencer-error', 'Code returned a different payment request than the one sent.');
      clientSecret = created.clientSecret;
      // The SDK ignores a refusal of the request itself, so ask whether it exists.
      const status = await sequencer.getStatus(intentId);
      if (!status.exists) throw new PaymentsError('sequencer-rejected', 'Code did not accept the payment request. Check the deposit address and amount.');
      webhookUrl = await registerWebhook(sale.id, intentId);
    } catch (error) {
      const failure = error instanceof PaymentsError ? error : new PaymentsError('sequencer-error', `Could not create the payment: ${(error as Error).message}`, error);
      try {
        publish(ledger.cancel(sale.id, { reason: `payment request failed: ${failure.message}` }), 'failed');
      } catch (cancelError) {
        log.warn(`could not cancel sale ${sale.id} after a failed charge: ${(cancelError as Error).message}`);
      }
      log.warn(`charge for sale ${sale.id} failed: ${failure.code}: ${failure.message}`);
      throw failure;
    }
    const current = ledger.getSale(sale.id);
    return {
      saleId: sale.id,
      intentId: current.intentId!,
      clientSecret,
      amount: sale.amount,
      currency,
      destination,
      mode: config.mode,
      webhookUrl,
    };
  }

  /**
   * Registers the webhook when a public URL exists. A refusal (INVALID_URL,
   * the tunnel not live yet) never blocks the sale: polling still proves it.
   */
  async function registerWebhook(saleId: number, intentId: string): Promise<string | null> {
    const url = options.webhookUrl();
    if (!url) return null;
    try {
      const result = await sequencer.registerWebhook(intentId, url);
      if (!result.success && result.message !== 'already_registered') {
        log.warn(`webhook for sale ${saleId} not registered (${result.message}); relying on status polling`);
        return null;
      }
    } catch (error) {
      log.warn(`webhook for sale ${saleId} not registered (${(error as Error).message}); relying on status polling`);
      return null;
    }
    ledgerCall(() => ledger.setWebhookUrl(saleId, url));
    return url;
  }

  /**
   * What the till needs to show a sale's Code button again (after a window
   * reload or an app restart): everything is derived from the sale itself,
   * the client secret included, and checked against the stored intent id.
   */
  function resume(saleId: number): ChargeResult {
    const sale = ledgerCall(() => ledger.getSale(saleId));
    const request = intentRequestFor(sale);
    if (!sale.intentId || sequencer.intentIdFor(request) !== sale.intentId) {
      throw new PaymentsError('invalid-transition', `Sale ${saleId} has no payment request to show again.`);
    }
    return {
      saleId: sale.id,
      intentId: sale.intentId,
      clientSecret: sequencer.clientSecretFor(request),
      amount: sale.amount,
      currency: sale.currency,
      destination: sale.destination,
      mode: sale.mode,
      webhookUrl: sale.webhookUrl,
    };
  }

  function cancel(saleId: unknown): Sale {
    const sale = ledgerCall(() => ledger.cancel(saleId));
    publish(sale, 'cancelled');
    return sale;
  }

  return {
    charge,
    resume,
    cancel,
    recordProof,
    /** The sale on the till's screen, polled about once a second; null when idle. */
    focus: (saleId: number | null) => reconciler.focus(saleId),
    subscribe(fn: (update: SaleUpdate) => void): () => void {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    start: () => reconciler.start(),
    stop: () => reconciler.stop(),
    /** One reconciliation pass now (tests, and after the app wakes from sleep). */
    reconcileNow: () => reconciler.runOnce(),
  };
}
