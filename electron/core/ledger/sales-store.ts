import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { MAX_AMOUNT_HUNDREDTHS, normalizeCurrency } from '../../shared/domain/money';
import {
  MODES,
  PROOF_SOURCES,
  type EventOutcome,
  type EventSource,
  type PaymentEvent,
  type Sale,
} from '../../shared/domain/sale';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { parseInput as parse } from './parse-input';
import { toSale, type SaleRow } from './sale-row';

/**
 * The ledger's writes: every sale, every proof of payment, and the
 * settings, plus the single-row reads those writes and the payment flow
 * need. Each operation validates its input first and runs its writes in one
 * IMMEDIATE transaction, so a rejected call writes nothing and two
 * connections never interleave a read-then-write.
 */

/** A raw payload larger than this is cut before it is stored (the webhook listener's own limit is far below). */
const MAX_PAYLOAD_CHARS = 16_384;

const positiveId = z.number().int().positive();
const intentId = z.string().min(1).max(128).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'must be base58');
const destination = z.string().min(32).max(64).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'must be a base58 address');
const amount = z.number().int('must be a whole number of hundredths').positive().max(MAX_AMOUNT_HUNDREDTHS);
const currency = z.string().transform((value, ctx) => {
  const code = normalizeCurrency(value);
  if (!code) {
    ctx.addIssue({ code: 'custom', message: `unknown currency "${value}"` });
    return z.NEVER;
  }
  return code;
});
const webhookUrl = z.string().url().max(2048);
const payload = z.union([z.string(), z.record(z.string(), z.unknown())]);

const createSaleInput = z.object({ amount, currency, mode: z.enum(MODES), destination }).strict();
const attachIntentInput = z.object({ intentId, webhookUrl: webhookUrl.nullish() }).strict();
const proofInput = z
  .object({
    saleId: positiveId.optional(),
    intentId: intentId.optional(),
    source: z.enum(PROOF_SOURCES),
    quarks: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    exchangeRate: z.number().positive().finite().optional(),
    payload,
  })
  .strict()
  .refine((p) => (p.saleId === undefined) !== (p.intentId === undefined), 'give exactly one of saleId or intentId');
const rejectionInput = z
  .object({ saleId: positiveId, source: z.enum(PROOF_SOURCES), reason: z.string().min(1).max(500), payload })
  .strict();
const cancelInput = z.object({ reason: z.string().min(1).max(300).optional() }).strict();
const settingKey = z.string().min(1).max(100).regex(/^[a-zA-Z0-9_.-]+$/);

interface EventRow {
  id: number;
  sale_id: number;
  source: EventSource;
  kind: string;
  outcome: EventOutcome;
  received_at: number;
  payload: string;
}

function toEvent(r: EventRow): PaymentEvent {
  return {
    id: r.id,
    saleId: r.sale_id,
    source: r.source,
    kind: r.kind,
    outcome: r.outcome,
    receivedAt: r.received_at,
    payload: r.payload,
  };
}

function payloadText(value: string | Record<string, unknown>): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_PAYLOAD_CHARS ? `${text.slice(0, MAX_PAYLOAD_CHARS)}…[truncated]` : text;
}

export interface ProofResult {
  sale: Sale;
  /** credited: this proof paid the sale; duplicate: it was already paid; late: paid after cancel/expiry. */
  outcome: 'credited' | 'duplicate' | 'late';
  event: PaymentEvent;
}

export interface SalesStoreOptions {
  db: Database.Database;
  now: () => number;
  /** Throws LedgerError('closed') once the ledger is closed. */
  ensureOpen: () => void;
}

export type SalesStore = ReturnType<typeof createSalesStore>;

export function createSalesStore({ db, now, ensureOpen }: SalesStoreOptions) {
  const stmt = {
    insertSale: db.prepare(
      `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at)
       VALUES (@ref, @amount, @currency, @mode, 'pending', @destination, @now, @now)`,
    ),
    saleById: db.prepare('SELECT * FROM sales WHERE id = ?'),
    saleByIntent: db.prepare('SELECT * FROM sales WHERE intent_id = ?'),
    attachIntent: db.prepare('UPDATE sales SET intent_id = ?, webhook_url = ?, updated_at = ? WHERE id = ?'),
    markPaid: db.prepare(
      `UPDATE sales SET status = 'paid', paid_at = @now, updated_at = @now, first_proof = @source,
         quarks = coalesce(@quarks, quarks), exchange_rate = coalesce(@exchangeRate, exchange_rate), paid_late = @late
       WHERE id = @id`,
    ),
    fillFacts: db.prepare(
      `UPDATE sales SET quarks = coalesce(quarks, @quarks), exchange_rate = coalesce(exchange_rate, @exchangeRate), updated_at = @now
       WHERE id = @id AND ((quarks IS NULL AND @quarks IS NOT NULL) OR (exchange_rate IS NULL AND @exchangeRate IS NOT NULL))`,
    ),
    cancel: db.prepare(`UPDATE sales SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?`),
    expire: db.prepare(`UPDATE sales SET status = 'expired', expired_at = ?, updated_at = ? WHERE id = ?`),
    stalePending: db.prepare(`SELECT * FROM sales WHERE status = 'pending' AND created_at < ? ORDER BY created_at, id`),
    openSales: db.prepare(
      // INDEXED BY: left to itself the planner walks a whole mode's sales in
      // created_at order to skip a sort of a few dozen rows.
      `SELECT * FROM sales INDEXED BY sales_log_by_status
         WHERE mode = @mode AND status = 'pending' AND intent_id IS NOT NULL
       UNION ALL
       SELECT * FROM sales INDEXED BY sales_recently_closed
         WHERE mode = @mode AND status IN ('expired', 'cancelled') AND updated_at >= @since AND intent_id IS NOT NULL
       ORDER BY created_at, id`,
    ),
    setWebhookUrl: db.prepare('UPDATE sales SET webhook_url = ? WHERE id = ?'),
    insertEvent: db.prepare(
      `INSERT INTO payment_events (sale_id, source, kind, outcome, received_at, payload)
       VALUES (@saleId, @source, @kind, @outcome, @now, @payload)`,
    ),
    eventById: db.prepare('SELECT * FROM payment_events WHERE id = ?'),
    eventsForSale: db.prepare('SELECT * FROM payment_events WHERE sale_id = ? ORDER BY id'),
    rejectionCount: db.prepare(`SELECT count(*) AS n FROM payment_events WHERE sale_id = ? AND outcome = 'rejected'`),
    getSetting: db.prepare('SELECT value FROM settings WHERE key = ?'),
    allSettings: db.prepare('SELECT key, value FROM settings ORDER BY key'),
    setSetting: db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
  };

  function loadSale(id: number): Sale {
    const row = stmt.saleById.get(id) as SaleRow | undefined;
    if (!row) throw new LedgerError('not-found', `No sale with id ${id}`);
    return toSale(row);
  }

  function appendEvent(e: { saleId: number; source: EventSource; kind: string; outcome: EventOutcome; payload: string }, at: number): PaymentEvent {
    const info = stmt.insertEvent.run({ ...e, now: at });
    return toEvent(stmt.eventById.get(info.lastInsertRowid) as EventRow);
  }

  function write<T>(fn: () => T): T {
    ensureOpen();
    return immediate(db, fn);
  }

  function createSale(input: unknown): Sale {
    const sale = parse(createSaleInput, input, 'sale');
    return write(() => {
      const info = stmt.insertSale.run({ ...sale, ref: randomUUID(), now: now() });
      return loadSale(Number(info.lastInsertRowid));
    });
  }

  function attachIntent(saleId: unknown, input: unknown): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    const intent = parse(attachIntentInput, input, 'intent');
    return write(() => {
      const sale = loadSale(id);
      if (sale.intentId === intent.intentId) return sale;
      if (sale.intentId) {
        throw new LedgerError('conflict', `Sale ${id} already has intent ${sale.intentId}`);
      }
      if (sale.status !== 'pending') {
        throw new LedgerError('invalid-transition', `Sale ${id} is ${sale.status}; an intent can only be attached to a pending sale`);
      }
      const other = stmt.saleByIntent.get(intent.intentId) as SaleRow | undefined;
      if (other) throw new LedgerError('conflict', `Intent ${intent.intentId} already belongs to sale ${other.id}`);
      stmt.attachIntent.run(intent.intentId, intent.webhookUrl ?? null, now(), id);
      return loadSale(id);
    });
  }

  /**
   * Records one proof of payment. Idempotent: the first proof marks the sale
   * paid, every later one is logged as a duplicate (filling in quarks or the
   * exchange rate if the first proof lacked them). A proof for a cancelled or
   * expired sale still marks it paid, flagged for the cashier.
   */
  function recordProof(input: unknown): ProofResult {
    const proof = parse(proofInput, input, 'proof of payment');
    return write(() => {
      const at = now();
      const row =
        proof.saleId !== undefined
          ? (stmt.saleById.get(proof.saleId) as SaleRow | undefined)
          : (stmt.saleByIntent.get(proof.intentId) as SaleRow | undefined);
      if (!row) {
        throw new LedgerError('not-found', proof.saleId !== undefined ? `No sale with id ${proof.saleId}` : `No sale for intent ${proof.intentId}`);
      }
      const facts = { quarks: proof.quarks ?? null, exchangeRate: proof.exchangeRate ?? null };
      let outcome: ProofResult['outcome'];
      if (row.status === 'paid') {
        outcome = 'duplicate';
        stmt.fillFacts.run({ id: row.id, now: at, ...facts });
      } else {
        outcome = row.status === 'pending' ? 'credited' : 'late';
        stmt.markPaid.run({ id: row.id, now: at, source: proof.source, late: outcome === 'late' ? 1 : 0, ...facts });
      }
      const event = appendEvent(
        { saleId: row.id, source: proof.source, kind: 'proof', outcome, payload: payloadText(proof.payload) },
        at,
      );
      return { sale: loadSale(row.id), outcome, event };
    });
  }

  /** Appends a rejected proof (bad signature, mismatch…) to a known sale's log; the sale itself is untouched. */
  function recordRejection(input: unknown): PaymentEvent {
    const r = parse(rejectionInput, input, 'rejection');
    return write(() => {
      loadSale(r.saleId);
      return appendEvent(
        { saleId: r.saleId, source: r.source, kind: `rejected: ${r.reason}`, outcome: 'rejected', payload: payloadText(r.payload) },
        now(),
      );
    });
  }

  function rejectionCount(saleId: unknown): number {
    ensureOpen();
    return (stmt.rejectionCount.get(parse(positiveId, saleId, 'sale id')) as { n: number }).n;
  }

  /**
   * Cancels a pending sale: by the cashier, or by the app when Code never
   * accepted its payment request (`reason` says why, in the event log).
   */
  function cancel(saleId: unknown, options: unknown = {}): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    const by = parse(cancelInput, options, 'cancel options');
    return write(() => {
      const sale = loadSale(id);
      if (sale.status === 'cancelled') return sale;
      if (sale.status !== 'pending') {
        throw new LedgerError('invalid-transition', `Sale ${id} is ${sale.status} and cannot be cancelled`);
      }
      const at = now();
      stmt.cancel.run(at, at, id);
      appendEvent(
        {
          saleId: id,
          source: by.reason ? 'system' : 'manual',
          kind: by.reason ? `cancel: ${by.reason}` : 'cancel',
          outcome: 'cancelled',
          payload: JSON.stringify(by.reason ? { reason: by.reason } : {}),
        },
        at,
      );
      return loadSale(id);
    });
  }

  /** Records the webhook URL the sequencer accepted for a sale's intent, or null when registration failed. */
  function setWebhookUrl(saleId: unknown, url: unknown): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    const value = parse(webhookUrl.nullable(), url, 'webhook url');
    return write(() => {
      loadSale(id);
      stmt.setWebhookUrl.run(value, id);
      return loadSale(id);
    });
  }

  function expireOne(sale: Sale, at: number): Sale {
    stmt.expire.run(at, at, sale.id);
    appendEvent({ saleId: sale.id, source: 'system', kind: 'expire', outcome: 'expired', payload: '{}' }, at);
    return loadSale(sale.id);
  }

  function expire(saleId: unknown): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    return write(() => {
      const sale = loadSale(id);
      if (sale.status === 'expired') return sale;
      if (sale.status !== 'pending') {
        throw new LedgerError('invalid-transition', `Sale ${id} is ${sale.status} and cannot expire`);
      }
      return expireOne(sale, now());
    });
  }

  /** Expires every sale still pending that was created before `cutoff` (ms). */
  function expirePendingBefore(cutoff: unknown): Sale[] {
    const before = parse(z.number().int().nonnegative(), cutoff, 'cutoff');
    return write(() => {
      const at = now();
      return (stmt.stalePending.all(before) as SaleRow[]).map((row) => expireOne(toSale(row), at));
    });
  }

  /**
   * Sales whose payment could still arrive: pending ones, and those cancelled
   * or expired since `closedSince`, so a late payment is still recorded.
   */
  function openSales(mode: unknown, closedSince: unknown): Sale[] {
    ensureOpen();
    const m = parse(z.enum(MODES), mode, 'mode');
    const since = parse(z.number().int().nonnegative(), closedSince, 'time');
    return (stmt.openSales.all({ mode: m, since }) as SaleRow[]).map(toSale);
  }

  function getSale(saleId: unknown): Sale {
    ensureOpen();
    return loadSale(parse(positiveId, saleId, 'sale id'));
  }

  function findSaleByIntent(id: unknown): Sale | null {
    ensureOpen();
    const row = stmt.saleByIntent.get(parse(intentId, id, 'intent id')) as SaleRow | undefined;
    return row ? toSale(row) : null;
  }

  function getSaleWithEvents(saleId: unknown): { sale: Sale; events: PaymentEvent[] } {
    const sale = getSale(saleId);
    return { sale, events: (stmt.eventsForSale.all(sale.id) as EventRow[]).map(toEvent) };
  }

  function getSetting(key: unknown): unknown {
    ensureOpen();
    const row = stmt.getSetting.get(parse(settingKey, key, 'setting key')) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /** A setting's stored JSON text, or the reason it cannot be stored. */
  function settingText(key: string, value: unknown): string {
    if (value === undefined) throw new LedgerError('invalid-input', `Setting "${key}" needs a value`);
    const text = JSON.stringify(value);
    if (text.length > MAX_PAYLOAD_CHARS) throw new LedgerError('invalid-input', `Setting "${key}" is too large`);
    return text;
  }

  function setSetting(key: unknown, value: unknown): void {
    const k = parse(settingKey, key, 'setting key');
    const text = settingText(k, value);
    write(() => stmt.setSetting.run(k, text, now()));
  }

  /** Writes several settings in one transaction: all of them or none. */
  function setSettings(entries: unknown): void {
    const record = parse(z.record(settingKey, z.unknown()), entries, 'settings');
    const rows = Object.entries(record).map(([k, value]) => [k, settingText(k, value)] as const);
    write(() => {
      const at = now();
      for (const [k, text] of rows) stmt.setSetting.run(k, text, at);
    });
  }

  function allSettings(): Record<string, unknown> {
    ensureOpen();
    const rows = stmt.allSettings.all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  return {
    createSale,
    attachIntent,
    recordProof,
    recordRejection,
    rejectionCount,
    cancel,
    setWebhookUrl,
    expire,
    expirePendingBefore,
    openSales,
    getSale,
    findSaleByIntent,
    getSaleWithEvents,
    getSetting,
    setSetting,
    setSettings,
    allSettings,
  };
}
