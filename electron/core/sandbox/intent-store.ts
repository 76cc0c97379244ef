import type Database from 'better-sqlite3';
import type { BillRequest } from './bill-request';
import { SandboxError } from './errors';
import { RpcError } from './wire-protocol';

/**
 * The sandbox's payment requests, one row per intent id in the sandbox's own
 * SQLite file (sandbox-db.ts), with the states a sandbox sale can reach.
 * Code's servers keep a payment request and its payment through a crash, so
 * the sandbox does too: every change is committed before the call returns,
 * and a restarted sandbox answers getStatus, registerWebhook and sendMessage
 * retries exactly as before. better-sqlite3 is synchronous, so each method
 * is atomic with respect to the event loop as the in-memory map was.
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

interface IntentRow {
  seq: number;
  id: string;
  amount: number;
  currency: string;
  destination: string;
  created_at: number;
  state: SandboxIntentState;
  webhook_url: string | null;
  paid_at: number | null;
  quarks: number | null;
  exchange_rate: number | null;
  cancelled_at: number | null;
  exact_rate: number | null;
  exact_quarks: number | null;
  fees_json: string;
}

interface IntentRecord extends SandboxIntent {
  exact: BillRequest['exact'];
  fees: BillRequest['fees'];
}

/** Oldest intents are forgotten past this many, so a flood of requests cannot grow the file without bound. */
export const MAX_SANDBOX_INTENTS = 10_000;

export class IntentStore {
  private readonly sql: {
    get: Database.Statement<[string], IntentRow>;
    list: Database.Statement<[], IntentRow>;
    count: Database.Statement<[], { n: number }>;
    insert: Database.Statement<[Record<string, unknown>]>;
    evict: Database.Statement<[number]>;
    forgetDeliveries: Database.Statement<[]>;
    setWebhook: Database.Statement<[string, string]>;
    markPaid: Database.Statement<[number, number, number, string]>;
    markCancelled: Database.Statement<[number, string]>;
  };

  constructor(
    readonly db: Database.Database,
    private readonly capacity = MAX_SANDBOX_INTENTS,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.sql = {
      get: db.prepare('SELECT * FROM intents WHERE id = ?'),
      list: db.prepare('SELECT * FROM intents ORDER BY seq'),
      count: db.prepare('SELECT COUNT(*) AS n FROM intents'),
      insert: db.prepare(
        `INSERT INTO intents (id, amount, currency, destination, created_at, state, exact_rate, exact_quarks, fees_json)
         VALUES (@id, @amount, @currency, @destination, @createdAt, 'pending', @exactRate, @exactQuarks, @fees)`,
      ),
      evict: db.prepare('DELETE FROM intents WHERE seq IN (SELECT seq FROM intents ORDER BY seq LIMIT ?)'),
      // A forgotten intent's finished webhook goes with it; a scheduled one
      // keeps running: Code would not drop a webhook it owes.
      forgetDeliveries: db.prepare(
        "DELETE FROM webhook_deliveries WHERE state <> 'scheduled' AND intent_id NOT IN (SELECT id FROM intents)",
      ),
      setWebhook: db.prepare('UPDATE intents SET webhook_url = ? WHERE id = ? AND webhook_url IS NULL'),
      markPaid: db.prepare("UPDATE intents SET state = 'paid', paid_at = ?, quarks = ?, exchange_rate = ? WHERE id = ?"),
      markCancelled: db.prepare("UPDATE intents SET state = 'cancelled', cancelled_at = ? WHERE id = ?"),
    };
  }

  get(id: string): SandboxIntent | undefined {
    const row = this.sql.get.get(id);
    return row ? snapshot(toRecord(row)) : undefined;
  }

  list(): SandboxIntent[] {
    return this.sql.list.all().map((row) => snapshot(toRecord(row)));
  }

  /** Fee taker shares of a paid intent, in basis points of its quarks. */
  feeBasisPoints(id: string): number {
    return this.record(id)?.fees.reduce((sum, fee) => sum + fee.basisPoints, 0) ?? 0;
  }

  /** The quarks and rate a payment of this intent would carry: the exact ones a "kin" request fixed, else the simulation's. */
  paymentOf(id: string, simulated: { quarks: number; exchangeRate: number }): { quarks: number; exchangeRate: number } {
    const record = this.require(id);
    return record.exact ? { quarks: record.exact.quarks, exchangeRate: record.exact.exchangeRate } : simulated;
  }

  /**
   * Records a payment request. A retry with identical details is accepted
   * unchanged (that is how idempotency keys work against the sequencer); a
   * different request under the same intent id, or any request for an intent
   * already paid, is refused with the sequencer's messages.
   */
  acceptBill(bill: BillRequest, now: number, checkNew: (bill: BillRequest) => void): 'created' | 'unchanged' {
    const existing = this.record(bill.intentId);
    if (existing?.intentSubmitted) throw new RpcError('INVALID_ARGUMENT', 'client submitted intent');
    if (existing) {
      const mismatch = differences(existing, bill);
      if (mismatch) throw new RpcError('INVALID_ARGUMENT', mismatch);
      return 'unchanged';
    }
    checkNew(bill);
    this.db.transaction(() => {
      const over = this.sql.count.get()!.n - this.capacity + 1;
      if (over > 0) {
        this.sql.evict.run(over);
        this.sql.forgetDeliveries.run();
      }
      this.sql.insert.run({
        id: bill.intentId,
        amount: bill.amount,
        currency: bill.currency,
        destination: bill.destination,
        createdAt: now,
        exactRate: bill.exact?.exchangeRate ?? null,
        exactQuarks: bill.exact?.quarks ?? null,
        fees: JSON.stringify(bill.fees),
      });
    })();
    return 'created';
  }

  /** micropayment server.go RegisterWebhook, after its URL check: paid, then unknown, then duplicate. */
  registerWebhook(id: string, url: string): RegisterOutcome {
    const record = this.record(id);
    if (record?.intentSubmitted) return 'INTENT_EXISTS';
    if (!record) return 'REQUEST_NOT_FOUND';
    if (record.webhookUrl !== null) return 'ALREADY_REGISTERED';
    this.sql.setWebhook.run(url, id);
    return 'OK';
  }

  status(id: string): IntentStatus {
    const record = this.record(id);
    if (!record) return { exists: false, codeScanned: false, intentSubmitted: false };
    return { exists: true, codeScanned: record.codeScanned, intentSubmitted: record.intentSubmitted };
  }

  /**
   * Marks the intent paid (committed when this returns, unless the caller
   * runs it inside its own transaction, as the sequencer does to write the
   * webhook delivery with it).
   */
  markPaid(id: string, payment: { quarks: number; exchangeRate: number }, now: number): SandboxIntent {
    const record = this.require(id);
    if (record.state === 'paid') throw new SandboxError('intent-already-paid', `sandbox intent ${id} is already paid`);
    if (record.state === 'cancelled') throw new SandboxError('intent-cancelled', `sandbox intent ${id} was cancelled by the customer`);
    const paid = this.paymentOf(id, payment);
    this.sql.markPaid.run(now, paid.quarks, paid.exchangeRate, id);
    return this.get(id)!;
  }

  /** The customer scanned and rejected the payment in the Code app (ClientRejectedPayment). */
  markCancelled(id: string, now: number): SandboxIntent {
    const record = this.require(id);
    if (record.state === 'paid') throw new SandboxError('intent-already-paid', `sandbox intent ${id} is already paid and cannot be cancelled`);
    if (record.state === 'pending') this.sql.markCancelled.run(now, id);
    return this.get(id)!;
  }

  private record(id: string): IntentRecord | undefined {
    const row = this.sql.get.get(id);
    return row ? toRecord(row) : undefined;
  }

  private require(id: string): IntentRecord {
    const record = this.record(id);
    if (!record) throw new SandboxError('intent-not-found', `no sandbox intent ${JSON.stringify(id)}`);
    return record;
  }
}

function toRecord(row: IntentRow): IntentRecord {
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    destination: row.destination,
    createdAt: row.created_at,
    state: row.state,
    // The status flags follow from the state: a cancel is a scan without a
    // payment, a payment is a scan and a submission.
    codeScanned: row.state !== 'pending',
    intentSubmitted: row.state === 'paid',
    webhookUrl: row.webhook_url,
    paidAt: row.paid_at,
    quarks: row.quarks,
    exchangeRate: row.exchange_rate,
    cancelledAt: row.cancelled_at,
    exact: row.exact_rate !== null && row.exact_quarks !== null ? { exchangeRate: row.exact_rate, quarks: row.exact_quarks } : null,
    fees: JSON.parse(row.fees_json) as BillRequest['fees'],
  };
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
