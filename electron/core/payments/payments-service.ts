import { z } from 'zod';
import { tipChoiceSchema, type CodePaymentView, type SaleEventCause, type ScanCodeView, type TillSale } from '../../shared/contract';
import { splitCodePayments } from '../../shared/domain/code-split';
import { isDepositAddress } from '../../shared/domain/deposit-address';
import { formatMoney, hundredthsToDecimal, MAX_AMOUNT_HUNDREDTHS, normalizeCurrency } from '../../shared/domain/money';
import { maximumFromRefusal, microPaymentLimit } from '../../shared/domain/payment-limits';
import type { Actor } from '../../shared/domain/people';
import type { RailHealth } from '../../shared/domain/rail';
import { isOpen, outstanding, pendingCodeTender, totalDue, type Mode, type ProofSource, type Sale, type Tender } from '../../shared/domain/sale';
import { DEFAULT_TIP_SETTINGS, maxTipFor, tipForPercent, tipPrompt, type TipChoice, type TipSettings } from '../../shared/domain/tip';
import { silentLogger, type Logger } from '../app/logger';
import { LedgerError } from '../ledger/errors';
import type { Ledger, ProofResult } from '../ledger/ledger';
import { RailError } from '../rails/errors';
import type { PaymentRail, PaymentRequest } from '../rails/payment-rail';
import { PaymentsError } from './errors';
import { createReconciler, type ReconcilerTiming } from './reconciler';

export interface PaymentsConfig {
  /** The mode new sales are rung up in. */
  mode: Mode;
  /** The shop's Code deposit address (base58, 32 bytes); null until set. */
  destination: string | null;
  /** Whether a sale waits for a tip before its first tender, and what is offered; absent, tips are off. */
  tips?: TipSettings;
}

/**
 * Why a sale changed, as the screens hear it (shared's SaleEventCause):
 * `created` the sale or a new Code payment on it, `credited` a Code payment
 * proved (the sale may be only partly paid), `tendered` cash or another
 * tender taken, `cancelled` the sale or its waiting Code payment cancelled,
 * `expired` the sale or its waiting Code payment expired, `failed` a Code
 * payment request refused (the sale stays open), `tipped` the tip chosen
 * (by the customer or the cashier).
 */
export type SaleUpdateCause = SaleEventCause;

export interface SaleUpdate {
  sale: Sale;
  cause: SaleUpdateCause;
}

/** Code's range for one payment in a currency, as configured, and where a learned maximum goes (the settings). */
export interface CodeLimits {
  /** In hundredths; undefined for a currency Code does not take. */
  codeRange(currency: string): { min: number; max: number } | undefined;
  /** Records the maximum a sequencer's refusal named; false when it was not usable. */
  recordLearnedMaximum(currency: string, hundredths: number): boolean;
}

export interface PaymentsServiceOptions {
  ledger: Ledger;
  /** Read at every charge, so a settings change applies to the next sale. */
  config: () => PaymentsConfig;
  /** One rail per mode: a sale's Code payments always go through the rail of the sale's own mode. */
  rails: Record<Mode, PaymentRail>;
  limits: CodeLimits;
  /**
   * The full webhook URL for a new Code payment of a sale in `mode`, or null
   * when none is reachable (no tunnel): the payment then relies on polling.
   * Read at every request: a tunnel's URL can change at run time.
   */
  webhookUrl: (mode: Mode) => string | null;
  timing?: Partial<ReconcilerTiming>;
  now?: () => number;
  logger?: Logger;
}

const chargeInput = z.object({ amount: z.unknown().optional(), currency: z.unknown().optional() }).strict();
const saleIdInput = z.number().int().positive();
const hundredthsInput = z.number().int().positive().max(MAX_AMOUNT_HUNDREDTHS);
const labelInput = z.string().trim().min(1).max(40);
const tipChooserInput = z.enum(['customer', 'cashier']);

/** What the cashier (and the customer display) is told while a sale waits for its tip. */
export const TIP_PENDING_MESSAGE = 'Choose the tip first, or No tip.';

export type PaymentsService = ReturnType<typeof createPaymentsService>;

/** How a sale's amount is shown to the cashier. */
const money = (hundredths: number, currency: string) => formatMoney(hundredths, currency, 'en');

/** The person recorded on a row: who did it, or nobody (before the owner existed, or the app itself). */
const personOf = (by: Actor | null | undefined): number | null => by?.id ?? null;

/** How a Code payment is started: whether the sale is announced with it, and who asked for it. */
interface StartHow {
  announceSale: boolean;
  /** people.id of who asked for it; null before the owner existed. */
  personId: number | null;
}

export function createPaymentsService(options: PaymentsServiceOptions) {
  const { ledger, rails, limits } = options;
  const log = (options.logger ?? silentLogger).child('payments');
  const subscribers = new Set<(update: SaleUpdate) => void>();
  /** Why the last Code request of an open sale failed, until a Code payment is started again or the sale closes. */
  const notes = new Map<number, string>();
  /** A Code payment being started per sale, so a second request for the same sale waits for it instead of racing it. */
  const starting = new Map<number, Promise<TillSale>>();

  function publish(sale: Sale, cause: SaleUpdateCause): void {
    if (!isOpen(sale)) notes.delete(sale.id);
    for (const fn of subscribers) {
      try {
        fn({ sale, cause });
      } catch (error) {
        log.warn(`a subscriber failed: ${(error as Error).message}`);
      }
    }
  }

  /** Writes a Code payment's proof to the ledger and tells subscribers; used by the webhook and the poller. */
  function recordProof(input: {
    tenderId?: number;
    intentId?: string;
    source: ProofSource;
    quarks?: number;
    exchangeRate?: number;
    payload: string | Record<string, unknown>;
  }): ProofResult {
    const result = ledger.recordProof(input);
    publish(result.sale, result.outcome);
    return result;
  }

  const reconciler = createReconciler({
    ledger,
    statusOf: (mode, intentId) => rails[mode].status(intentId),
    recordProof: (input) => recordProof(input),
    onExpired: (sale) => publish(sale, 'expired'),
    onMissing: (entry) => resendMissing(entry),
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.now ? { now: options.now } : {}),
    logger: options.logger ?? silentLogger,
  });

  function ledgerCall<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof LedgerError) {
        const code = LEDGER_CODES[error.code] ?? 'ledger-error';
        throw new PaymentsError(code, error.message, error);
      }
      throw error;
    }
  }

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
    // The shop's currency must be one Code takes, even for a sale that ends up
    // paid in cash: the sales log and the totals are kept per Code currency.
    if (!microPaymentLimit(currency)) throw new PaymentsError('unknown-currency', `Code does not take payments in ${currency.toUpperCase()}.`);
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

  function saleOf(saleId: unknown): Sale {
    const id = saleIdInput.safeParse(saleId);
    if (!id.success) throw new PaymentsError('invalid-input', 'A sale is named by its number.');
    return ledgerCall(() => ledger.getSale(id.data));
  }

  const tipsOf = (): TipSettings => options.config().tips ?? DEFAULT_TIP_SETTINGS;

  /** Refuses a tender on a sale still waiting for its tip. */
  function assertTipChosen(sale: Sale): void {
    if (sale.awaitingTip) throw new PaymentsError('tip-pending', TIP_PENDING_MESSAGE);
  }

  /** Refuses a tender on a sale that can take none, in the cashier's words. */
  function assertOpen(sale: Sale, what: string): void {
    if (isOpen(sale)) return;
    const why =
      sale.status === 'paid' ? `is already paid` : sale.status === 'cancelled' ? 'was cancelled; ring it up again' : 'expired unpaid; ring it up again';
    throw new PaymentsError('invalid-transition', `Cannot ${what}: sale #${sale.id} ${why}.`);
  }

  /**
   * The payment request of one Code tender. Code's idempotency keys are
   * global across merchants: the destination, the sale's random ref and the
   * tender's place on the sale make this one unique to this payment, and let
   * the same request (id and client secret) be derived again from what the
   * ledger shows. The first tender's key is the sale's key from before
   * tenders (`counter:<destination>:<ref>`), so a sale migrated with its one
   * Code payment derives the intent it always had.
   */
  function requestFor(sale: Sale, tender: Pick<Tender, 'seq' | 'amount'>): PaymentRequest {
    return {
      amount: hundredthsToDecimal(tender.amount),
      currency: sale.currency,
      destination: sale.destination,
      idempotencyKey: `counter:${sale.destination}:${tender.seq === 1 ? sale.ref : `${sale.ref}:${tender.seq}`}`,
    };
  }

  function unavailableNote(health: Extract<RailHealth, { state: 'unavailable' }>): string {
    return `Code payments are unavailable (${health.reason}): take cash or another tender.`;
  }

  function belowMinimumNote(sale: Sale, min: number): string {
    return `${money(outstanding(sale), sale.currency)} is below Code's minimum of ${money(min, sale.currency)}: take it in cash or another tender.`;
  }

  /** Why no Code payment is on offer for an open sale with none waiting, from its state alone; null when one can be asked for. */
  function stateNote(sale: Sale): string | null {
    if (!isOpen(sale) || pendingCodeTender(sale)) return null;
    const health = rails[sale.mode].health();
    if (health.state === 'unavailable') return unavailableNote(health);
    const range = limits.codeRange(sale.currency);
    if (!range) return `Code does not take payments in ${sale.currency.toUpperCase()}: take cash or another tender.`;
    if (outstanding(sale) < range.min) return belowMinimumNote(sale, range.min);
    return null;
  }

  /** "Code payment 2 of 3": this payment's place, and how many the sale takes as planned now. */
  function codePaymentView(sale: Sale, tender: Tender, clientSecret: string): CodePaymentView {
    const index = sale.tenders.filter((t) => t.kind === 'code' && t.status === 'paid' && t.seq < tender.seq).length + 1;
    const range = limits.codeRange(sale.currency);
    const after = outstanding(sale) - tender.amount;
    const rest = range && after > 0 ? Math.max(1, splitCodePayments(after, range.max, range.min).length) : 0;
    return {
      saleId: sale.id,
      tenderId: tender.id,
      intentId: tender.intentId!,
      clientSecret,
      amount: tender.amount,
      currency: sale.currency,
      destination: sale.destination,
      mode: sale.mode,
      webhookUrl: tender.webhookUrl,
      index,
      count: index + rest,
    };
  }

  /**
   * What the till shows for a sale: the sale, the Code payment waiting for
   * the customer (derived again from its tender, the client secret
   * included, and checked against the stored intent id), and why no Code
   * payment is offered when none is.
   */
  function tillSale(saleId: unknown): TillSale {
    const sale = saleOf(saleId);
    const waiting = pendingCodeTender(sale);
    let codePayment: CodePaymentView | null = null;
    if (waiting?.intentId) {
      try {
        const prepared = rails[sale.mode].prepare(requestFor(sale, waiting));
        if (prepared.intentId === waiting.intentId) codePayment = codePaymentView(sale, waiting, prepared.clientSecret);
        else log.warn(`sale ${sale.id}: Code payment ${waiting.id} does not derive its stored intent again; not shown`);
      } catch (error) {
        log.warn(`sale ${sale.id}: Code payment ${waiting.id} cannot be shown again: ${(error as Error).message}`);
      }
    }
    // A sale waiting for its tip has no Code payment yet, and needs no reason why.
    const note = isOpen(sale) && !codePayment && !sale.awaitingTip ? (notes.get(sale.id) ?? stateNote(sale)) : null;
    return { sale, codePayment, codeNote: note, tipPrompt: sale.awaitingTip ? tipPrompt(sale.amount, tipsOf()) : null };
  }

  /**
   * Rings up a sale: validates, writes it, then starts its first Code
   * payment, unless Code is known to be unavailable or the amount is below
   * Code's minimum (then `codeNote` says why and the sale waits for cash or
   * another tender). A Code request that fails never fails the charge: the
   * sale stays open and `codeNote` carries the reason. With tips on, the sale
   * waits for its tip instead (`tipPrompt`), and chooseTip starts the payment.
   */
  async function charge(input: unknown, by?: Actor | null): Promise<TillSale> {
    const { amount, currency } = validateCharge(input);
    const config = options.config();
    const destination = validateDestination(config.destination);
    const awaitingTip = (config.tips ?? DEFAULT_TIP_SETTINGS).enabled;
    const personId = personOf(by);
    const sale = ledgerCall(() => ledger.createSale({ amount, currency, mode: config.mode, destination, awaitingTip, personId }));
    if (awaitingTip || stateNote(sale) !== null) {
      publish(sale, 'created');
      return tillSale(sale.id);
    }
    return startOnce(sale, { announceSale: true, personId });
  }

  /** A tip choice as amount and preset, checked against what is offered now and the sale's amount. */
  function tipOf(sale: Sale, choice: TipChoice): { amount: number; percent: number | null } {
    const tips = tipsOf();
    const max = maxTipFor(sale.amount);
    let tip: { amount: number; percent: number | null };
    if (choice.kind === 'none') tip = { amount: 0, percent: null };
    else if (choice.kind === 'percent') {
      if (!tips.presets.includes(choice.percent)) {
        const offered = tips.presets.length ? `the tips offered are ${tips.presets.map((p) => `${p} %`).join(', ')}` : 'no preset tips are offered';
        throw new PaymentsError('invalid-input', `${choice.percent} % is not a tip on offer: ${offered}.`);
      }
      tip = { amount: tipForPercent(sale.amount, choice.percent), percent: choice.percent };
    } else {
      if (!tips.custom) throw new PaymentsError('invalid-input', 'A custom tip is not on offer: choose one of the tips shown, or No tip.');
      if (choice.amount > max) {
        throw new PaymentsError('invalid-amount', `A tip can be at most ${money(max, sale.currency)} on this sale (its own amount).`);
      }
      tip = { amount: choice.amount, percent: null };
    }
    if (sale.amount + tip.amount > MAX_AMOUNT_HUNDREDTHS) throw new PaymentsError('invalid-amount', 'With that tip the sale is too large for one sale.');
    return tip;
  }

  /**
   * The tip of a sale waiting for one, chosen by the customer (on their
   * display) or the cashier: checked against what is offered and written
   * with its event in one ledger transaction, then the sale's first Code
   * payment starts as a charge's does, for amount + tip (split at Code's
   * maximum). A second choice (both at once) is refused: the first stands
   * and nothing is counted twice. A tip of 0 is a choice too ("no tip").
   * The Code payment it starts is the cashier's who chose (`by`), or, when
   * the customer chose, the person who rang the sale up.
   */
  async function chooseTip(saleId: unknown, choiceInput: unknown, byInput: unknown, actor?: Actor | null): Promise<TillSale> {
    const by = tipChooserInput.safeParse(byInput);
    if (!by.success) throw new PaymentsError('invalid-input', 'A tip is chosen by the customer or the cashier.');
    const sale = saleOf(saleId);
    const choice = parseTipChoice(sale, choiceInput);
    assertOpen(sale, 'choose a tip');
    if (!sale.awaitingTip) {
      const why = sale.tipChosenBy ? `its tip was already chosen by the ${sale.tipChosenBy}` : 'it was rung up with tips off';
      throw new PaymentsError('invalid-transition', `Sale #${sale.id} is not waiting for a tip: ${why}.`);
    }
    const tip = tipOf(sale, choice);
    // The ledger checks again, in its transaction, that the sale still waits: a second choice is refused there too.
    const tipped = ledgerCall(() => ledger.setTip(sale.id, { ...tip, by: by.data }));
    log.info(`sale ${sale.id}: tip ${money(tip.amount, sale.currency)} chosen by the ${by.data}`);
    publish(tipped, 'tipped');
    if (stateNote(tipped) !== null) return tillSale(tipped.id);
    return startOnce(tipped, { announceSale: false, personId: personOf(actor) ?? tipped.soldBy?.id ?? null });
  }

  /** The choice as it arrived (from the till or the customer display), refused in words the person choosing understands. */
  function parseTipChoice(sale: Sale, input: unknown): TipChoice {
    const parsed = tipChoiceSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    if (!parsed.error.issues.some((i) => i.path[0] === 'amount')) {
      throw new PaymentsError('invalid-input', 'Choose one of the tips shown, a custom amount, or No tip.');
    }
    const amount = (input as { amount?: unknown }).amount;
    if (typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0) {
      throw new PaymentsError('invalid-amount', `A tip can be at most ${money(maxTipFor(sale.amount), sale.currency)} on this sale (its own amount).`);
    }
    throw new PaymentsError('invalid-amount', 'A tip is an amount of zero or more, to the hundredth.');
  }

  /** The sale's next Code payment ("2 of 3"), or the one already waiting. */
  async function requestCodePayment(saleId: unknown, by?: Actor | null): Promise<TillSale> {
    const sale = saleOf(saleId);
    const inFlight = starting.get(sale.id);
    if (inFlight) return inFlight;
    if (pendingCodeTender(sale)) return tillSale(sale.id);
    assertOpen(sale, 'ask for a Code payment');
    assertTipChosen(sale);
    const range = limits.codeRange(sale.currency);
    if (range && outstanding(sale) < range.min) {
      throw new PaymentsError('invalid-amount', belowMinimumNote(sale, range.min));
    }
    return startOnce(sale, { announceSale: false, personId: personOf(by) });
  }

  function startOnce(sale: Sale, how: StartHow): Promise<TillSale> {
    const started = startCodePayment(sale, { ...how, retried: false }).finally(() => starting.delete(sale.id));
    starting.set(sale.id, started);
    return started;
  }

  /**
   * One Code payment: the tender is written, its intent id derived (offline)
   * and stored, and only then is Code asked, so a crash at any later point
   * leaves a tender the reconciler can still check. Its amount is the first
   * part of the plan for what the sale still owes at the configured maximum.
   * A refusal that names a maximum teaches Counter that maximum (kept in the
   * settings) and the payment is started again, once, on the new plan.
   */
  async function startCodePayment(sale: Sale, how: StartHow & { retried: boolean }): Promise<TillSale> {
    const rail = rails[sale.mode];
    const range = limits.codeRange(sale.currency);
    const plan = range ? splitCodePayments(outstanding(sale), range.max, range.min) : [];
    if (!range || plan.length === 0) {
      if (how.announceSale) publish(sale, 'created');
      return tillSale(sale.id);
    }
    // The intent id is derived offline and written with the tender, in one
    // transaction: a crash at any point leaves either nothing or a waiting
    // Code payment whose intent the reconciler can ask about.
    const seq = sale.tenders.reduce((n, t) => Math.max(n, t.seq), 0) + 1;
    const request = requestFor(sale, { seq, amount: plan[0]! });
    let intentId: string;
    try {
      intentId = rail.prepare(request).intentId;
    } catch (error) {
      const message = (error as Error).message;
      log.warn(`Code payment for sale ${sale.id} could not be prepared: ${message}`);
      notes.set(sale.id, `${message} Take cash or another tender.`);
      publish(sale, how.announceSale ? 'created' : 'failed');
      return tillSale(sale.id);
    }
    let tender: Tender;
    try {
      tender = ledgerCall(() => ledger.addCodeTender(sale.id, { amount: plan[0]!, seq, intentId, personId: how.personId })).tender;
    } catch (error) {
      // Another Code payment is already waiting on the sale, or its tenders changed meanwhile: show what the ledger has.
      if (error instanceof PaymentsError && error.cause instanceof LedgerError && error.cause.code === 'conflict') return tillSale(sale.id);
      throw error;
    }
    try {
      publish(ledger.getSale(sale.id), 'created');
      await rail.request(request);
    } catch (error) {
      const failure =
        error instanceof RailError || error instanceof PaymentsError
          ? error
          : new RailError('sequencer-error', `Could not create the Code payment: ${(error as Error).message}`, { cause: error });
      const after = cancelAfterFailure(tender, failure.message);
      const refusal = failure instanceof RailError ? failure.refusal : null;
      const learned = refusal ? maximumFromRefusal(refusal) : null;
      if (learned !== null && range && learned >= range.min && learned < tender.amount && limits.recordLearnedMaximum(sale.currency, learned)) {
        log.warn(
          `Code refused a ${money(tender.amount, sale.currency)} payment for sale ${sale.id} (${refusal}); ` +
            `the ${sale.currency.toUpperCase()} maximum is now ${money(learned, sale.currency)}`,
        );
        if (!how.retried) return startCodePayment(after, { announceSale: false, personId: how.personId, retried: true });
      }
      publish(after, 'failed');
      log.warn(`Code payment ${tender.id} of sale ${sale.id} failed: ${failure.code}: ${failure.message}`);
      // A refusal of this request says the service is there; anything else may mean it is not.
      if (!(failure instanceof RailError && failure.code === 'sequencer-rejected')) {
        void rail.checkHealth().catch(() => undefined);
      }
      notes.set(sale.id, `${failure.message} Take cash or another tender, or ask Code again.`);
      return tillSale(sale.id);
    }
    await registerWebhook(sale, tender);
    notes.delete(sale.id);
    return tillSale(sale.id);
  }

  /** The tender of a failed request is cancelled with the reason (nobody saw its code, so nobody can pay it); the sale stays open. */
  function cancelAfterFailure(tender: Tender, reason: string): Sale {
    try {
      ledger.cancelTender(tender.id, { reason: `payment request failed: ${reason}` });
    } catch (error) {
      log.warn(`could not cancel Code payment ${tender.id} after a failed request: ${(error as Error).message}`);
    }
    return ledger.getSale(tender.saleId);
  }

  /**
   * Sends again the request of a waiting Code payment the sequencer has never
   * heard of: the app stopped after writing the tender and before Code
   * accepted it. The same idempotency key makes the same request, so a copy
   * that did arrive meanwhile is accepted unchanged. A refusal cancels the
   * payment with the reason, as at the till; no answer leaves it for the
   * next poll. Not while the till itself is still starting that payment.
   */
  async function resendMissing({ tender, sale }: { tender: Tender; sale: Sale }): Promise<void> {
    if (starting.has(sale.id)) return;
    const request = requestFor(sale, tender);
    try {
      if (rails[sale.mode].prepare(request).intentId !== tender.intentId) return;
      await rails[sale.mode].request(request);
    } catch (error) {
      if (error instanceof RailError && (error.code === 'sequencer-rejected' || error.code === 'invalid-destination')) {
        publish(cancelAfterFailure(tender, error.message), 'failed');
        log.warn(`Code payment ${tender.id} of sale ${sale.id}, sent again after a restart, was refused: ${error.message}`);
        return;
      }
      throw error;
    }
    log.info(`Code payment ${tender.id} of sale ${sale.id} was unknown to Code; its request was sent again`);
    await registerWebhook(sale, tender);
  }

  /**
   * Registers the webhook when a public URL exists. A refusal (INVALID_URL,
   * the tunnel not live yet) never blocks the payment: polling still proves it.
   */
  async function registerWebhook(sale: Sale, tender: Tender): Promise<void> {
    const url = options.webhookUrl(sale.mode);
    if (!url) return;
    const intentId = ledger.getTender(tender.id).intentId!;
    try {
      const result = await rails[sale.mode].registerWebhook(intentId, url);
      if (!result.success && result.message !== 'already_registered') {
        log.warn(`webhook for sale ${sale.id}, Code payment ${tender.id} not registered (${result.message}); relying on status polling`);
        return;
      }
    } catch (error) {
      log.warn(`webhook for sale ${sale.id}, Code payment ${tender.id} not registered (${(error as Error).message}); relying on status polling`);
      return;
    }
    try {
      ledger.setTenderWebhookUrl(tender.id, url);
    } catch (error) {
      log.warn(`webhook URL of Code payment ${tender.id} not saved: ${(error as Error).message}`);
    }
  }

  /**
   * The scan code of a sale's waiting Code payment, drawn from the same
   * request its intent was derived from (and checked against the stored
   * intent id), so what the customer scans is exactly what Code was asked for.
   */
  async function scanCode(saleId: unknown, tenderId: unknown): Promise<ScanCodeView> {
    const sale = saleOf(saleId);
    const tender = sale.tenders.find((t) => t.id === tenderId);
    if (!tender || tender.kind !== 'code' || tender.status !== 'pending' || !tender.intentId) {
      throw new PaymentsError('invalid-transition', `Sale #${sale.id} has no such Code payment waiting.`);
    }
    const request = requestFor(sale, tender);
    const rail = rails[sale.mode];
    if (rail.prepare(request).intentId !== tender.intentId) {
      throw new PaymentsError('invalid-transition', `Code payment ${tender.id} of sale #${sale.id} does not derive its stored intent again; its code is not shown.`);
    }
    return { tenderId: tender.id, intentId: tender.intentId, ...(await rail.scanCode(request)) };
  }

  /** Cash handed over: pays up to what the sale still owes, the rest is change. A waiting Code payment is cancelled first. */
  function takeCash(saleId: unknown, tendered: unknown, by?: Actor | null): TillSale {
    const sale = saleOf(saleId);
    const amount = hundredthsInput.safeParse(tendered);
    if (!amount.success) throw new PaymentsError('invalid-amount', 'Enter the cash handed over, more than zero.');
    assertOpen(sale, 'take cash');
    assertTipChosen(sale);
    const after = ledgerCall(() => ledger.addCashTender(sale.id, { tendered: amount.data, personId: personOf(by) })).sale;
    notes.delete(sale.id);
    publish(after, 'tendered');
    return tillSale(after.id);
  }

  /** A labelled manual tender (a card on a separate terminal) for up to what the sale still owes. */
  function takeOther(saleId: unknown, amountInput: unknown, labelInputValue: unknown, by?: Actor | null): TillSale {
    const sale = saleOf(saleId);
    const amount = hundredthsInput.safeParse(amountInput);
    if (!amount.success) throw new PaymentsError('invalid-amount', 'Enter the amount taken, more than zero.');
    const label = labelInput.safeParse(labelInputValue);
    if (!label.success) throw new PaymentsError('invalid-input', 'Say what the tender was (for example "Card"), in at most 40 characters.');
    assertOpen(sale, 'take another tender');
    assertTipChosen(sale);
    const due = outstanding(sale);
    if (amount.data > due) {
      throw new PaymentsError('invalid-amount', `Sale #${sale.id} still owes ${money(due, sale.currency)}; another tender cannot take more than that.`);
    }
    const after = ledgerCall(() => ledger.addOtherTender(sale.id, { amount: amount.data, label: label.data, personId: personOf(by) })).sale;
    notes.delete(sale.id);
    publish(after, 'tendered');
    return tillSale(after.id);
  }

  /**
   * Cancels a sale nothing has paid yet (with its waiting Code payment),
   * recorded as closed by `by`. A partly paid sale cannot be: its money is
   * taken (a manager voids it).
   */
  function cancel(saleId: unknown, by?: Actor | null): Sale {
    const sale = saleOf(saleId);
    if (sale.status === 'partly_paid') {
      throw new PaymentsError(
        'partly-paid',
        `Sale #${sale.id} is partly paid (${money(sale.paidAmount, sale.currency)} of ${money(totalDue(sale), sale.currency)}), so it cannot be cancelled. ` +
          `Take the remaining ${money(outstanding(sale), sale.currency)} in cash or another tender.`,
      );
    }
    if (sale.status === 'paid') throw new PaymentsError('invalid-transition', `Sale #${sale.id} is already paid and cannot be cancelled.`);
    const after = ledgerCall(() => ledger.cancel(sale.id, { personId: personOf(by) }));
    publish(after, 'cancelled');
    return after;
  }

  /**
   * The customer declined the waiting Code payment (the sandbox's "simulate
   * cancel"): that payment is cancelled, and the sale too when nothing has
   * paid it yet; a partly paid sale stays open for another tender.
   */
  function cancelCodePayment(saleId: unknown, reason = 'declined in the Code app'): Sale {
    const sale = saleOf(saleId);
    const waiting = pendingCodeTender(sale);
    if (!waiting) throw new PaymentsError('invalid-transition', `Sale #${sale.id} has no Code payment waiting.`);
    ledgerCall(() => ledger.cancelTender(waiting.id, { reason }));
    const after = sale.paidAmount === 0 ? ledgerCall(() => ledger.cancel(sale.id, { reason })) : ledger.getSale(sale.id);
    publish(after, 'cancelled');
    return after;
  }

  return {
    charge,
    chooseTip,
    requestCodePayment,
    scanCode,
    takeCash,
    takeOther,
    cancel,
    cancelCodePayment,
    /** What the till shows for a sale (after a reload or a restart too). */
    tillSale,
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

const LEDGER_CODES: Partial<Record<LedgerError['code'], PaymentsError['code']>> = {
  'not-found': 'not-found',
  'invalid-transition': 'invalid-transition',
  'invalid-input': 'invalid-input',
  'partly-paid': 'partly-paid',
  'tip-pending': 'tip-pending',
};
