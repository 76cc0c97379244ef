import type { BillRequest } from './bill-request';
import { SandboxError } from './errors';
import { RpcError } from './wire-protocol';

/**
 * The sandbox's memory: one record per payment request, keyed by intent id,
 * with the states a sandbox sale can reach. Sandbox intents do not outlive
 * the process, like a Stripe test-mode object nobody looks at again; the
 * ledger keeps the sale itself.
 */

export type SandboxIntentState = 'pending' | 'paid' | 'cancelled';

export interface SandboxIntent {
  id: string;
  /** Decimal amount exactly as the client sent it (native_amount). */
  amount: number;
  /** Currency code as the client sent it (lower case). */
  currency: string;
  /** Merchant deposit address, base58. */
  destination: string;
  /** ms since epoch, when the first sendMessage for this intent arrived. */
  createdAt: number;
  state: SandboxIntentState;
  /** getStatus.codeScanned: the customer scanned (true once paid or cancelled). */
  codeScanned: boolean;
  /** getStatus.intentSubmitted: the customer paid. */
  intentSubmitted: boolean;
  webhookUrl: string | null;
  /** Set when paid. */
  paidAt: number | null;
  quarks: number | null;
  exchangeRate: number | null;
  /** Set when the customer cancelled (rejected the payment in the app). */
  cancelledAt: number | null;
}

export interface IntentStatus {
  exists: boolean;
  codeScanned: boolean;
  intentSubmitted: boolean;
}

/** The RegisterWebhookResponse.Result names, in the sequencer's order of checks. */
export type RegisterOutcome = 'OK' | 'ALREADY_REGISTERED' | 'REQUEST_NOT_FOUND' | 'INTENT_EXISTS';

interface IntentRecord extends SandboxIntent {
  exact: BillRequest['exact'];
  fees: BillRequest['fees'];
}

/** Oldest intents are forgotten past this many, so a flood of requests cannot grow memory without bound. */
export const MAX_SANDBOX_INTENTS = 10_000;

export class IntentStore {
  private readonly records = new Map<string, IntentRecord>();

  constructor(private readonly capacity = MAX_SANDBOX_INTENTS) {}

  get(id: string): SandboxIntent | undefined {
    const record = this.records.get(id);
    return record ? snapshot(record) : undefined;
  }

  list(): SandboxIntent[] {
    return [...this.records.values()].map(snapshot);
  }

  /** Fee taker shares of a paid intent, in basis points of its quarks. */
  feeBasisPoints(id: string): number {
    return this.records.get(id)?.fees.reduce((sum, fee) => sum + fee.basisPoints, 0) ?? 0;
  }

  /**
   * Records a payment request. A retry with identical details is accepted
   * unchanged (that is how idempotency keys work against the sequencer); a
   * different request under the same intent id, or any request for an intent
   * already paid, is refused with the sequencer's messages.
   */
  acceptBill(bill: BillRequest, now: number, checkNew: (bill: BillRequest) => void): 'created' | 'unchanged' {
    const existing = this.records.get(bill.intentId);
    if (existing?.intentSubmitted) throw new RpcError('INVALID_ARGUMENT', 'client submitted intent');
    if (existing) {
      const mismatch = differences(existing, bill);
      if (mismatch) throw new RpcError('INVALID_ARGUMENT', mismatch);
      return 'unchanged';
    }
    checkNew(bill);
    if (this.records.size >= this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
    this.records.set(bill.intentId, {
      id: bill.intentId,
      amount: bill.amount,
      currency: bill.currency,
      destination: bill.destination,
      createdAt: now,
      state: 'pending',
      codeScanned: false,
      intentSubmitted: false,
      webhookUrl: null,
      paidAt: null,
      quarks: null,
      exchangeRate: null,
      cancelledAt: null,
      exact: bill.exact,
      fees: bill.fees,
    });
    return 'created';
  }

  /** micropayment server.go RegisterWebhook, after its URL check: paid, then unknown, then duplicate. */
  registerWebhook(id: string, url: string): RegisterOutcome {
    const record = this.records.get(id);
    if (record?.intentSubmitted) return 'INTENT_EXISTS';
    if (!record) return 'REQUEST_NOT_FOUND';
    if (record.webhookUrl !== null) return 'ALREADY_REGISTERED';
    record.webhookUrl = url;
    return 'OK';
  }

  status(id: string): IntentStatus {
    const record = this.records.get(id);
    if (!record) return { exists: false, codeScanned: false, intentSubmitted: false };
    return { exists: true, codeScanned: record.codeScanned, intentSubmitted: record.intentSubmitted };
  }

  markPaid(id: string, payment: { quarks: number; exchangeRate: number }, now: number): SandboxIntent {
    const record = this.require(id);
    if (record.state === 'paid') throw new SandboxError('intent-already-paid', `sandbox intent ${id} is already paid`);
    if (record.state === 'cancelled') throw new SandboxError('intent-cancelled', `sandbox intent ${id} was cancelled by the customer`);
    record.state = 'paid';
    record.codeScanned = true;
    record.intentSubmitted = true;
    record.paidAt = now;
    record.quarks = record.exact ? record.exact.quarks : payment.quarks;
    record.exchangeRate = record.exact ? record.exact.exchangeRate : payment.exchangeRate;
    return snapshot(record);
  }

  /** The customer scanned and rejected the payment in the Code app (ClientRejectedPayment). */
  markCancelled(id: string, now: number): SandboxIntent {
    const record = this.require(id);
    if (record.state === 'paid') throw new SandboxError('intent-already-paid', `sandbox intent ${id} is already paid and cannot be cancelled`);
    if (record.state === 'pending') {
      record.state = 'cancelled';
      record.codeScanned = true;
      record.cancelledAt = now;
    }
    return snapshot(record);
  }

  private require(id: string): IntentRecord {
    const record = this.records.get(id);
    if (!record) throw new SandboxError('intent-not-found', `no sandbox intent ${JSON.stringify(id)}`);
    return record;
  }
}

function snapshot(record: IntentRecord): SandboxIntent {
  return {
    id: record.id,
    amount: record.amount,
    currency: record.currency,
    destination: record.destination,
    createdAt: record.createdAt,
    state: record.state,
    codeScanned: record.codeScanned,
    intentSubmitted: record.intentSubmitted,
    webhookUrl: record.webhookUrl,
    paidAt: record.paidAt,
    quarks: record.quarks,
    exchangeRate: record.exchangeRate,
    cancelledAt: record.cancelledAt,
  };
}

/** message_handler.go, Part 2.1: the first mismatch, worded as the sequencer words it. */
function differences(existing: IntentRecord, bill: BillRequest): string | null {
  if (existing.destination !== bill.destination) return 'destination mismatches original request';
  if (existing.currency !== bill.currency) return 'exchange currency mismatches original request';
  if (existing.amount !== bill.amount) return 'native amount mismatches original request';
  if (bill.exact && existing.exact?.exchangeRate !== bill.exact.exchangeRate) return 'exchange rate mismatches original request';
  if (bill.exact && existing.exact?.quarks !== bill.exact.quarks) return 'quarks mismatches original request';
  if (existing.fees.length !== bill.fees.length) return `original request configured ${existing.fees.length} fee takers`;
  for (const [i, fee] of existing.fees.entries()) {
    if (fee.destination !== bill.fees[i]?.destination) return `destination for fee at index ${i} mismatches original request`;
    if (fee.basisPoints !== bill.fees[i]?.basisPoints) return `basis points for fee at index ${i} mismatches original request`;
  }
  return null;
}
