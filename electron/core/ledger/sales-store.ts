import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { hundredthsToDecimalString, MAX_AMOUNT_HUNDREDTHS } from '../../shared/domain/money';
import { tipForPercent } from '../../shared/domain/tip';
import {
  MODES,
  PROOF_SOURCES,
  type EventOutcome,
  type EventSource,
  type PaymentEvent,
  type ProofSource,
  type Sale,
  type Tender,
} from '../../shared/domain/sale';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { currencyInput, positiveId } from './input-schemas';
import { parseInput as parse } from './parse-input';
import { SALE_COLUMNS, TENDER_COLUMNS, toSale, toTender, type SaleRow, type TenderRow } from './sale-row';

/**
 * The ledger's writes: every sale, its tenders, every proof of payment, and
 * the settings, plus the single-row reads those writes and the payment flow
 * need. Each operation validates its input first and runs its writes in one
 * IMMEDIATE transaction, so a rejected call writes nothing and two
 * connections never interleave a read-then-write.
 *
 * A sale is paid by tenders: Code payments (one payment request each, with
 * its own intent, idempotency ref and proofs), cash (with change) and other
 * labelled tenders. The sale's stored status is pending, paid, cancelled or
 * expired; "partly paid" is a pending sale with money taken. The store keeps,
 * in the transaction that changes a tender, the sale's paid sums by kind and
 * these invariants: a sale is paid once its paid tenders cover its amount
 * and its tip; a sale waiting for its tip takes no tender; a
 * cancelled or expired sale has nothing taken (money that arrives late
 * reopens it, flagged); at most one Code tender of a sale is pending, and
 * never on a closed sale.
 */

/** A raw payload larger than this is cut before it is stored (the webhook listener's own limit is far below). */
const MAX_PAYLOAD_CHARS = 16_384;
/**
 * Duplicate proofs of one Code payment kept as events; the rest only
 * increment tenders.duplicate_proofs (a replayed webhook once added an event,
 * and 4.3 MB over 8,180 replays).
 */
export const MAX_DUPLICATE_EVENTS_PER_TENDER = 5;

const intentId = z.string().min(1).max(128).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'must be base58');
const destination = z.string().min(32).max(64).regex(/^[1-9A-HJ-NP-Za-km-z]+$/, 'must be a base58 address');
const amount = z.number().int('must be a whole number of hundredths').positive().max(MAX_AMOUNT_HUNDREDTHS);
const currency = currencyInput;
const webhookUrl = z.string().url().max(2048);
const payload = z.union([z.string(), z.record(z.string(), z.unknown())]);
const reason = z.string().min(1).max(300);
/** Who did it (people.id): null before the owner existed (setup), and for what the app does by itself. */
const personId = z.number().int().positive().nullish();

/** `awaitingTip`: tips are on, so no tender is taken until the tip is chosen (setTip). */
const createSaleInput = z.object({ amount, currency, mode: z.enum(MODES), destination, awaitingTip: z.boolean().optional(), personId }).strict();
/**
 * A chosen tip: its amount (0 for none), the preset percentage it was chosen
 * as (null for a custom amount or none), and who chose it. Whether the
 * percentage is one the shop offers, and the largest custom tip, are the
 * payments service's rules; the ledger keeps the facts consistent.
 */
const tipInput = z
  .object({
    amount: z.number().int('must be a whole number of hundredths').nonnegative().max(MAX_AMOUNT_HUNDREDTHS),
    percent: z.number().int('must be a whole percent').min(1).max(100).nullable(),
    by: z.enum(['customer', 'cashier']),
  })
  .strict();
/**
 * A Code tender's amount, and optionally the intent id its caller derived
 * for it: that id depends on the tender's place on the sale (its idempotency
 * key does), so it comes with the `seq` it was derived for, and both are
 * written in the tender's own transaction.
 */
const codeTenderInput = z
  .object({ amount, seq: z.number().int().positive().optional(), intentId: intentId.optional(), personId })
  .strict()
  .refine((t) => t.intentId === undefined || t.seq !== undefined, 'an intent id needs the seq it was derived for');
const cashTenderInput = z.object({ tendered: amount, personId }).strict();
const otherTenderInput = z.object({ amount, label: z.string().trim().min(1, 'say what it was').max(40), personId }).strict();
const proofInput = z
  .object({
    tenderId: positiveId.optional(),
    intentId: intentId.optional(),
    source: z.enum(PROOF_SOURCES),
    quarks: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    exchangeRate: z.number().positive().finite().optional(),
    payload,
  })
  .strict()
  .refine((p) => (p.tenderId === undefined) !== (p.intentId === undefined), 'give exactly one of tenderId or intentId');
const rejectionInput = z
  .object({ saleId: positiveId, tenderId: positiveId.optional(), source: z.enum(PROOF_SOURCES), reason: z.string().min(1).max(500), payload })
  .strict();
const cancelInput = z.object({ reason: reason.optional(), personId }).strict();
const settingKey = z.string().min(1).max(100).regex(/^[a-zA-Z0-9_.-]+$/);

/** A row of payment_events; the shop database's rows take this shape too (../shop-db/shop-sale-rows.ts). */
export interface EventRow {
  id: number;
  sale_id: number;
  tender_id: number | null;
  source: EventSource;
  kind: string;
  outcome: EventOutcome;
  received_at: number;
  payload: string;
}

export function toEvent(r: EventRow): PaymentEvent {
  return {
    id: r.id,
    saleId: r.sale_id,
    tenderId: r.tender_id,
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
  tender: Tender;
  /** credited: this proof paid the tender; duplicate: it was already paid; late: paid after the tender was cancelled or expired. */
  outcome: 'credited' | 'duplicate' | 'late';
  event: PaymentEvent;
}

/** A tender just written, with its sale as it now stands. */
export interface TenderResult {
  sale: Sale;
  tender: Tender;
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
      // The shift is the one open now, read in the insert itself: the same transaction, so a close cannot slip between.
      `INSERT INTO sales (ref, amount, currency, mode, status, destination, awaiting_tip, person_id, shift_id, created_at, updated_at)
       VALUES (@ref, @amount, @currency, @mode, 'pending', @destination, @awaitingTip, @personId, (SELECT id FROM shifts WHERE closed_at IS NULL), @now, @now)`,
    ),
    saleById: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE id = ?`),
    salesByIds: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`),
    tendersOfSale: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE sale_id = ? ORDER BY seq`),
    tendersOfSales: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE sale_id IN (SELECT value FROM json_each(?)) ORDER BY sale_id, seq`),
    tenderById: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE id = ?`),
    tenderByIntent: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE intent_id = ?`),
    pendingCodeTender: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE sale_id = ? AND status = 'pending'`),
    nextSeq: db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM tenders WHERE sale_id = ?'),
    insertCodeTender: db.prepare(
      `INSERT INTO tenders (sale_id, seq, kind, amount, status, ref, intent_id, person_id, created_at, updated_at)
       VALUES (@saleId, @seq, 'code', @amount, 'pending', @ref, @intentId, @personId, @now, @now)`,
    ),
    insertPaidTender: db.prepare(
      `INSERT INTO tenders (sale_id, seq, kind, amount, status, first_proof, tendered, change, label, person_id, created_at, updated_at, paid_at)
       VALUES (@saleId, @seq, @kind, @amount, 'paid', 'manual', @tendered, @change, @label, @personId, @now, @now, @now)`,
    ),
    setWebhookUrl: db.prepare('UPDATE tenders SET webhook_url = ? WHERE id = ?'),
    markTenderPaid: db.prepare(
      `UPDATE tenders SET status = 'paid', paid_at = @now, updated_at = @now, first_proof = @source,
         quarks = coalesce(@quarks, quarks), exchange_rate = coalesce(@exchangeRate, exchange_rate), paid_late = @late
       WHERE id = @id`,
    ),
    fillFacts: db.prepare(
      `UPDATE tenders SET quarks = coalesce(quarks, @quarks), exchange_rate = coalesce(exchange_rate, @exchangeRate), updated_at = @now
       WHERE id = @id AND ((quarks IS NULL AND @quarks IS NOT NULL) OR (exchange_rate IS NULL AND @exchangeRate IS NOT NULL))`,
    ),
    cancelTender: db.prepare(`UPDATE tenders SET status = 'cancelled', cancelled_at = ?, updated_at = ? WHERE id = ?`),
    expireTender: db.prepare(`UPDATE tenders SET status = 'expired', expired_at = ?, updated_at = ? WHERE id = ?`),
    paidSums: db.prepare(
      `SELECT coalesce(sum(amount), 0) AS paid, coalesce(sum(iif(kind = 'code', amount, 0)), 0) AS code,
         coalesce(sum(iif(kind = 'cash', amount, 0)), 0) AS cash, coalesce(sum(iif(kind = 'other', amount, 0)), 0) AS other,
         coalesce(sum(change), 0) AS change
       FROM tenders WHERE sale_id = ? AND status = 'paid'`,
    ),
    updateSale: db.prepare(
      `UPDATE sales SET status = @status, paid_amount = @paid, code_amount = @code, cash_amount = @cash, other_amount = @other,
         change_given = @change, paid_at = @paidAt, first_proof = @firstProof, paid_late = @paidLate, updated_at = @now
       WHERE id = @id`,
    ),
    touchSale: db.prepare('UPDATE sales SET updated_at = ? WHERE id = ?'),
    setTip: db.prepare(
      `UPDATE sales SET tip_amount = @amount, tip_percent = @percent, tip_chosen_by = @by, awaiting_tip = 0, updated_at = @now WHERE id = @id`,
    ),
    tenderCount: db.prepare('SELECT count(*) AS n FROM tenders WHERE sale_id = ?'),
    // A closed sale waits for no tip (the schema's CHECK holds it to that).
    cancelSale: db.prepare(
      `UPDATE sales SET status = 'cancelled', awaiting_tip = 0, cancelled_at = @now, updated_at = @now, closed_by = @closedBy WHERE id = @id`,
    ),
    expireSale: db.prepare(`UPDATE sales SET status = 'expired', awaiting_tip = 0, expired_at = ?, updated_at = ? WHERE id = ?`),
    stalePendingTenders: db.prepare(`SELECT ${TENDER_COLUMNS} FROM tenders WHERE status = 'pending' AND created_at < ? ORDER BY created_at, id`),
    stalePendingSales: db.prepare(
      // Both modes as an IN list: mode leads the status index. A sale with a
      // Code payment still waiting, or with money taken, does not expire.
      `SELECT ${SALE_COLUMNS} FROM sales s
       WHERE s.mode IN ('live', 'sandbox') AND s.status = 'pending' AND s.created_at < @cutoff AND s.paid_amount = 0
         AND NOT EXISTS (SELECT 1 FROM tenders t WHERE t.sale_id = s.id AND t.status = 'pending')
       ORDER BY s.created_at, s.id`,
    ),
    openCodeTenders: db.prepare(
      `SELECT ${TENDER_COLUMNS} FROM tenders INDEXED BY tenders_pending WHERE status = 'pending' AND intent_id IS NOT NULL
       UNION ALL
       SELECT ${TENDER_COLUMNS} FROM tenders INDEXED BY tenders_recently_closed
         WHERE status IN ('cancelled', 'expired') AND updated_at >= @since AND intent_id IS NOT NULL
       ORDER BY created_at, id`,
    ),
    insertEvent: db.prepare(
      `INSERT INTO payment_events (sale_id, tender_id, source, kind, outcome, received_at, payload)
       VALUES (@saleId, @tenderId, @source, @kind, @outcome, @now, @payload)`,
    ),
    eventById: db.prepare('SELECT * FROM payment_events WHERE id = ?'),
    duplicateEvents: db.prepare(
      `SELECT count(*) AS n, max(id) AS last FROM payment_events WHERE sale_id = ? AND tender_id = ? AND outcome = 'duplicate'`,
    ),
    countDuplicate: db.prepare('UPDATE tenders SET duplicate_proofs = duplicate_proofs + 1 WHERE id = ?'),
    eventsForSale: db.prepare('SELECT * FROM payment_events WHERE sale_id = ? ORDER BY id'),
    rejectionCount: db.prepare(`SELECT count(*) AS n FROM payment_events WHERE sale_id = ? AND outcome = 'rejected'`),
    getSetting: db.prepare('SELECT value FROM settings WHERE key = ?'),
    allSettings: db.prepare('SELECT key, value FROM settings ORDER BY key'),
    setSetting: db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
  };

  function saleRow(id: number): SaleRow {
    const row = stmt.saleById.get(id) as SaleRow | undefined;
    if (!row) throw new LedgerError('not-found', `No sale with id ${id}`);
    return row;
  }

  function loadSale(id: number): Sale {
    return toSale(saleRow(id), stmt.tendersOfSale.all(id) as TenderRow[]);
  }

  /** Several sales with their tenders, in two queries, by id. */
  function loadSales(ids: readonly number[]): Map<number, Sale> {
    const json = JSON.stringify([...new Set(ids)]);
    const tenders = new Map<number, TenderRow[]>();
    for (const t of stmt.tendersOfSales.all(json) as TenderRow[]) {
      const list = tenders.get(t.sale_id);
      if (list) list.push(t);
      else tenders.set(t.sale_id, [t]);
    }
    return new Map((stmt.salesByIds.all(json) as SaleRow[]).map((r) => [r.id, toSale(r, tenders.get(r.id) ?? [])]));
  }

  function tenderRow(id: number): TenderRow {
    const row = stmt.tenderById.get(id) as TenderRow | undefined;
    if (!row) throw new LedgerError('not-found', `No tender with id ${id}`);
    return row;
  }

  function appendEvent(
    e: { saleId: number; tenderId: number | null; source: EventSource; kind: string; outcome: EventOutcome; payload: string },
    at: number,
  ): PaymentEvent {
    const info = stmt.insertEvent.run({ ...e, now: at });
    return toEvent(stmt.eventById.get(info.lastInsertRowid) as EventRow);
  }

  function write<T>(fn: () => T): T {
    ensureOpen();
    return immediate(db, fn);
  }

  const isOpenRow = (row: SaleRow) => row.status === 'pending';
  /** What the customer owes in all: the sale and its tip. */
  const dueOf = (row: SaleRow) => row.amount + row.tip_amount;
  const outstandingOf = (row: SaleRow) => Math.max(0, dueOf(row) - row.paid_amount);
  const money = (row: SaleRow, hundredths: number) => `${hundredthsToDecimalString(hundredths)} ${row.currency.toUpperCase()}`;

  /** Refuses a tender on a sale that is not open (pending or partly paid), or that still waits for its tip. */
  function requireOpen(row: SaleRow, what: string): void {
    if (!isOpenRow(row)) throw new LedgerError('invalid-transition', `Sale ${row.id} is ${row.status}; ${what} can only be taken on an open sale`);
    if (row.awaiting_tip === 1) throw new LedgerError('tip-pending', `Sale ${row.id} waits for its tip; ${what} can be taken once it is chosen`);
  }

  /**
   * Recomputes the sale from its paid tenders after one of them was paid:
   * the sums by kind, and the status. Covered (amount and tip): paid (now, by `source`).
   * Partly covered after a cancel or expiry: open again, partly paid, flagged
   * (the money arrived; the cashier must see it). `late`: the paying tender
   * had been cancelled or had expired. A sale covered while another Code
   * payment waits (a late one paid it) has that one cancelled, so the
   * customer is not asked to pay twice.
   */
  function settleSale(saleId: number, at: number, source: ProofSource, late: boolean): void {
    const row = saleRow(saleId);
    const sums = stmt.paidSums.get(saleId) as { paid: number; code: number; cash: number; other: number; change: number };
    const closed = row.status === 'cancelled' || row.status === 'expired';
    const covered = sums.paid >= dueOf(row);
    const becomesPaid = covered && row.status !== 'paid';
    if (covered) cancelPendingTender(saleId, at, 'cancel: the sale is paid', 'system', JSON.stringify({ reason: 'the sale is paid' }));
    stmt.updateSale.run({
      id: saleId,
      now: at,
      status: covered ? 'paid' : sums.paid > 0 && closed ? 'pending' : row.status,
      ...sums,
      paidAt: becomesPaid ? at : row.paid_at,
      firstProof: becomesPaid ? source : row.first_proof,
      paidLate: row.paid_late === 1 || late || (sums.paid > 0 && closed) ? 1 : 0,
    });
  }

  /** Cancels the sale's waiting Code tender, if any, logging why; returns it. */
  function cancelPendingTender(saleId: number, at: number, kind: string, source: EventSource, eventPayload: string): TenderRow | null {
    const pending = stmt.pendingCodeTender.get(saleId) as TenderRow | undefined;
    if (!pending) return null;
    stmt.cancelTender.run(at, at, pending.id);
    appendEvent({ saleId, tenderId: pending.id, source, kind, outcome: 'cancelled', payload: eventPayload }, at);
    return pending;
  }

  function createSale(input: unknown): Sale {
    const { awaitingTip, personId: by, ...sale } = parse(createSaleInput, input, 'sale');
    return write(() => {
      const info = stmt.insertSale.run({ ...sale, awaitingTip: awaitingTip ? 1 : 0, personId: by ?? null, ref: randomUUID(), now: now() });
      return loadSale(Number(info.lastInsertRowid));
    });
  }

  /**
   * Records the tip of a sale waiting for one, with its event, in one
   * transaction: the tip's amount (0 for none), the preset it was chosen as,
   * and who chose it; the sale then takes tenders for amount + tip. Refused,
   * writing nothing, unless the sale is open, waits for its tip and has no
   * tender; a second choice of the same tip (the customer and the cashier at
   * once) is refused the same way, so nothing is counted twice.
   */
  function setTip(saleId: unknown, input: unknown): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    const tip = parse(tipInput, input, 'tip');
    return write(() => {
      const row = saleRow(id);
      if (!isOpenRow(row)) throw new LedgerError('invalid-transition', `Sale ${id} is ${row.status}; a tip can only be chosen on an open sale`);
      if (row.awaiting_tip !== 1) {
        const already = row.tip_chosen_by ? ` (its tip was chosen by the ${row.tip_chosen_by})` : '';
        throw new LedgerError('invalid-transition', `Sale ${id} is not waiting for a tip${already}`);
      }
      if ((stmt.tenderCount.get(id) as { n: number }).n > 0) {
        throw new LedgerError('invalid-transition', `Sale ${id} already has tenders; its tip can no longer change`);
      }
      if (row.amount + tip.amount > MAX_AMOUNT_HUNDREDTHS) {
        throw new LedgerError('invalid-input', `A tip of ${money(row, tip.amount)} makes sale ${id} too large for one sale`);
      }
      if (tip.percent !== null && tip.amount !== tipForPercent(row.amount, tip.percent)) {
        throw new LedgerError('invalid-input', `${tip.percent} % of ${money(row, row.amount)} is ${money(row, tipForPercent(row.amount, tip.percent))}, not ${money(row, tip.amount)}`);
      }
      const at = now();
      stmt.setTip.run({ id, ...tip, now: at });
      const choice = tip.percent !== null ? { kind: 'percent', percent: tip.percent } : tip.amount > 0 ? { kind: 'amount', amount: tip.amount } : { kind: 'none' };
      appendEvent(
        { saleId: id, tenderId: null, source: 'manual', kind: 'tip', outcome: 'tipped', payload: JSON.stringify({ choice, amount: tip.amount, by: tip.by }) },
        at,
      );
      return loadSale(id);
    });
  }

  /**
   * Starts a Code payment on an open sale, for at most what it still owes,
   * written before any network call. With `intentId` (derived offline by the
   * caller for `seq`), the tender and its intent are one write, so no crash
   * can leave a waiting Code payment whose intent the ledger does not know.
   * One Code tender waits at a time: a second is a 'conflict' (the caller
   * shows the waiting one).
   */
  function addCodeTender(saleId: unknown, input: unknown): TenderResult {
    const id = parse(positiveId, saleId, 'sale id');
    const tender = parse(codeTenderInput, input, 'Code tender');
    return write(() => {
      const row = saleRow(id);
      requireOpen(row, 'a Code payment');
      const waiting = stmt.pendingCodeTender.get(id) as TenderRow | undefined;
      if (waiting) throw new LedgerError('conflict', `Sale ${id} already has a Code payment waiting (tender ${waiting.id})`, { tenderId: waiting.id });
      if (tender.amount > outstandingOf(row)) {
        throw new LedgerError('invalid-input', `A Code payment of ${money(row, tender.amount)} is more than sale ${id} still owes (${money(row, outstandingOf(row))})`);
      }
      const at = now();
      const { seq } = stmt.nextSeq.get(id) as { seq: number };
      if (tender.seq !== undefined && tender.seq !== seq) {
        throw new LedgerError('conflict', `Sale ${id}'s next tender is number ${seq}, not ${tender.seq}: its tenders changed meanwhile`, { seq });
      }
      if (tender.intentId !== undefined) {
        const other = stmt.tenderByIntent.get(tender.intentId) as TenderRow | undefined;
        if (other) throw new LedgerError('conflict', `Intent ${tender.intentId} already belongs to tender ${other.id} of sale ${other.sale_id}`);
      }
      // The tender's ref is the tail of its idempotency key, `counter:<destination>:<ref>`:
      // the sale's own (random) ref for the first tender, as every sale had
      // before tenders, and `<sale ref>:<seq>` after it. Unique per tender
      // (the column is UNIQUE), and derivable again from what the ledger shows.
      const ref = seq === 1 ? row.ref : `${row.ref}:${seq}`;
      const info = stmt.insertCodeTender.run({
        saleId: id,
        seq,
        amount: tender.amount,
        ref,
        intentId: tender.intentId ?? null,
        personId: tender.personId ?? null,
        now: at,
      });
      stmt.touchSale.run(at, id);
      return { sale: loadSale(id), tender: toTender(tenderRow(Number(info.lastInsertRowid))) };
    });
  }

  /** Records the webhook URL the sequencer accepted for a Code tender's intent, or null when registration failed. */
  function setTenderWebhookUrl(tenderId: unknown, url: unknown): Tender {
    const id = parse(positiveId, tenderId, 'tender id');
    const value = parse(webhookUrl.nullable(), url, 'webhook url');
    return write(() => {
      const tender = tenderRow(id);
      if (tender.kind !== 'code') throw new LedgerError('invalid-transition', `Tender ${id} is a ${tender.kind} tender and has no webhook`);
      stmt.setWebhookUrl.run(value, id);
      return toTender(tenderRow(id));
    });
  }

  /**
   * Records one proof of payment for a Code tender. Idempotent per tender:
   * the first proof marks it paid, every later one is logged as a duplicate
   * (filling in quarks or the exchange rate if the first proof lacked them).
   * A proof for a cancelled or expired tender still marks it paid, flagged.
   * Then the sale is settled from its paid tenders (see settleSale).
   */
  function recordProof(input: unknown): ProofResult {
    const proof = parse(proofInput, input, 'proof of payment');
    return write(() => {
      const at = now();
      const row =
        proof.tenderId !== undefined
          ? (stmt.tenderById.get(proof.tenderId) as TenderRow | undefined)
          : (stmt.tenderByIntent.get(proof.intentId) as TenderRow | undefined);
      if (!row) {
        throw new LedgerError('not-found', proof.tenderId !== undefined ? `No tender with id ${proof.tenderId}` : `No tender for intent ${proof.intentId}`);
      }
      if (row.kind !== 'code') throw new LedgerError('invalid-input', `Tender ${row.id} is a ${row.kind} tender; only a Code payment takes a proof`);
      const facts = { quarks: proof.quarks ?? null, exchangeRate: proof.exchangeRate ?? null };
      let outcome: ProofResult['outcome'];
      if (row.status === 'paid') {
        outcome = 'duplicate';
        stmt.fillFacts.run({ id: row.id, now: at, ...facts });
        // Past the first few, a replay is only counted: thousands of them must not grow the file (migration 8).
        const kept = stmt.duplicateEvents.get(row.sale_id, row.id) as { n: number; last: number | null };
        if (kept.n >= MAX_DUPLICATE_EVENTS_PER_TENDER && kept.last !== null) {
          stmt.countDuplicate.run(row.id);
          const event = toEvent(stmt.eventById.get(kept.last) as EventRow);
          return { sale: loadSale(row.sale_id), tender: toTender(tenderRow(row.id)), outcome, event };
        }
      } else {
        outcome = row.status === 'pending' ? 'credited' : 'late';
        stmt.markTenderPaid.run({ id: row.id, now: at, source: proof.source, late: outcome === 'late' ? 1 : 0, ...facts });
        settleSale(row.sale_id, at, proof.source, outcome === 'late');
      }
      const event = appendEvent(
        { saleId: row.sale_id, tenderId: row.id, source: proof.source, kind: 'proof', outcome, payload: payloadText(proof.payload) },
        at,
      );
      return { sale: loadSale(row.sale_id), tender: toTender(tenderRow(row.id)), outcome, event };
    });
  }

  /** Appends a rejected proof (bad signature, mismatch…) to a known sale's log; the sale and its tenders are untouched. */
  function recordRejection(input: unknown): PaymentEvent {
    const r = parse(rejectionInput, input, 'rejection');
    return write(() => {
      saleRow(r.saleId);
      if (r.tenderId !== undefined && tenderRow(r.tenderId).sale_id !== r.saleId) {
        throw new LedgerError('invalid-input', `Tender ${r.tenderId} is not a tender of sale ${r.saleId}`);
      }
      return appendEvent(
        {
          saleId: r.saleId,
          tenderId: r.tenderId ?? null,
          source: r.source,
          kind: `rejected: ${r.reason}`,
          outcome: 'rejected',
          payload: payloadText(r.payload),
        },
        now(),
      );
    });
  }

  function rejectionCount(saleId: unknown): number {
    ensureOpen();
    return (stmt.rejectionCount.get(parse(positiveId, saleId, 'sale id')) as { n: number }).n;
  }

  /** Writes a cash or other tender, paid at once, after cancelling the sale's waiting Code payment. */
  function addManualTender(
    id: number,
    kind: 'cash' | 'other',
    personId: number | null,
    plan: (row: SaleRow) => { amount: number; tendered: number | null; change: number | null; label: string | null },
  ): TenderResult {
    return write(() => {
      const row = saleRow(id);
      requireOpen(row, kind === 'cash' ? 'cash' : 'another tender');
      const t = plan(row);
      const at = now();
      // The customer pays another way: the Code payment on screen must not also be paid.
      const why = kind === 'cash' ? 'cash taken instead' : `${t.label} taken instead`;
      cancelPendingTender(id, at, `cancel: ${why}`, 'manual', JSON.stringify({ reason: why }));
      const { seq } = stmt.nextSeq.get(id) as { seq: number };
      const info = stmt.insertPaidTender.run({ saleId: id, seq, kind, ...t, personId, now: at });
      const tenderId = Number(info.lastInsertRowid);
      appendEvent(
        {
          saleId: id,
          tenderId,
          source: 'manual',
          kind: kind === 'cash' ? 'cash' : `other: ${t.label}`,
          outcome: 'tendered',
          payload: JSON.stringify(kind === 'cash' ? { tendered: t.tendered, amount: t.amount, change: t.change } : { amount: t.amount, label: t.label }),
        },
        at,
      );
      settleSale(id, at, 'manual', false);
      return { sale: loadSale(id), tender: toTender(tenderRow(tenderId)) };
    });
  }

  /**
   * Cash handed over: it pays up to what the sale still owes, the rest is
   * change. A waiting Code payment is cancelled first.
   */
  function addCashTender(saleId: unknown, input: unknown): TenderResult {
    const id = parse(positiveId, saleId, 'sale id');
    const { tendered, personId: by } = parse(cashTenderInput, input, 'cash tender');
    return addManualTender(id, 'cash', by ?? null, (row) => {
      const paid = Math.min(tendered, outstandingOf(row));
      return { amount: paid, tendered, change: tendered - paid, label: null };
    });
  }

  /** A labelled manual tender (a card on a separate terminal) for up to what the sale still owes. */
  function addOtherTender(saleId: unknown, input: unknown): TenderResult {
    const id = parse(positiveId, saleId, 'sale id');
    const tender = parse(otherTenderInput, input, 'other tender');
    return addManualTender(id, 'other', tender.personId ?? null, (row) => {
      if (tender.amount > outstandingOf(row)) {
        throw new LedgerError('invalid-input', `${tender.label} for ${money(row, tender.amount)} is more than sale ${id} still owes (${money(row, outstandingOf(row))})`);
      }
      return { amount: tender.amount, tendered: null, change: null, label: tender.label };
    });
  }

  /**
   * Cancels a waiting Code payment (refused by Code, replaced, abandoned);
   * the sale stays open. Cancelling it again is harmless.
   */
  function cancelTender(tenderId: unknown, options: unknown = {}): Tender {
    const id = parse(positiveId, tenderId, 'tender id');
    const by = parse(cancelInput, options, 'cancel options');
    return write(() => {
      const tender = tenderRow(id);
      if (tender.status === 'cancelled') return toTender(tender);
      if (tender.status !== 'pending') {
        throw new LedgerError('invalid-transition', `Tender ${id} is ${tender.status} and cannot be cancelled`);
      }
      const at = now();
      stmt.cancelTender.run(at, at, id);
      stmt.touchSale.run(at, tender.sale_id);
      appendEvent(
        {
          saleId: tender.sale_id,
          tenderId: id,
          source: by.reason ? 'system' : 'manual',
          kind: by.reason ? `cancel: ${by.reason}` : 'cancel',
          outcome: 'cancelled',
          payload: JSON.stringify(by.reason ? { reason: by.reason } : {}),
        },
        at,
      );
      return toTender(tenderRow(id));
    });
  }

  /**
   * Cancels an open sale with nothing taken, and its waiting Code payment:
   * by the cashier, or by the app (`reason` says why, in the event log). A
   * partly paid sale is refused ('partly-paid'): money was taken on it.
   */
  function cancel(saleId: unknown, options: unknown = {}): Sale {
    const id = parse(positiveId, saleId, 'sale id');
    const by = parse(cancelInput, options, 'cancel options');
    return write(() => {
      const row = saleRow(id);
      if (row.status === 'cancelled') return loadSale(id);
      if (row.status !== 'pending') throw new LedgerError('invalid-transition', `Sale ${id} is ${row.status} and cannot be cancelled`);
      if (row.paid_amount > 0) {
        throw new LedgerError(
          'partly-paid',
          `Sale ${id} is partly paid (${money(row, row.paid_amount)} of ${money(row, dueOf(row))} taken) and cannot be cancelled: take the rest`,
          { paidAmount: row.paid_amount, amount: row.amount, tipAmount: row.tip_amount },
        );
      }
      const at = now();
      const pending = stmt.pendingCodeTender.get(id) as TenderRow | undefined;
      if (pending) stmt.cancelTender.run(at, at, pending.id);
      stmt.cancelSale.run({ id, now: at, closedBy: by.personId ?? null });
      // One event for the sale, naming the Code payment it cancelled with it.
      appendEvent(
        {
          saleId: id,
          tenderId: pending?.id ?? null,
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

  /**
   * Expires every Code payment still waiting that was started before
   * `cutoff` (ms), then every sale created before it that is left open with
   * nothing taken and no Code payment waiting. A partly paid sale never
   * expires: money was taken on it. Returns the sales changed, by id.
   */
  function expirePendingBefore(cutoff: unknown): Sale[] {
    const before = parse(z.number().int().nonnegative(), cutoff, 'cutoff');
    return write(() => {
      const at = now();
      const changed: number[] = [];
      for (const t of stmt.stalePendingTenders.all(before) as TenderRow[]) {
        stmt.expireTender.run(at, at, t.id);
        stmt.touchSale.run(at, t.sale_id);
        appendEvent({ saleId: t.sale_id, tenderId: t.id, source: 'system', kind: 'expire', outcome: 'expired', payload: '{}' }, at);
        changed.push(t.sale_id);
      }
      for (const s of stmt.stalePendingSales.all({ cutoff: before }) as SaleRow[]) {
        stmt.expireSale.run(at, at, s.id);
        appendEvent({ saleId: s.id, tenderId: null, source: 'system', kind: 'expire', outcome: 'expired', payload: '{}' }, at);
        changed.push(s.id);
      }
      const sales = loadSales(changed);
      return [...sales.values()];
    });
  }

  /**
   * Code payments whose proof could still arrive, of both modes (each is
   * polled through the rail of its own sale's mode): those waiting with an
   * intent, and those cancelled or expired since `closedSince`, so a late
   * payment is still recorded. Oldest first.
   */
  function openCodeTenders(closedSince: unknown): Array<{ tender: Tender; sale: Sale }> {
    ensureOpen();
    const since = parse(z.number().int().nonnegative(), closedSince, 'time');
    const rows = stmt.openCodeTenders.all({ since }) as TenderRow[];
    const sales = loadSales(rows.map((r) => r.sale_id));
    return rows.map((r) => ({ tender: toTender(r), sale: sales.get(r.sale_id)! }));
  }

  function getSale(saleId: unknown): Sale {
    ensureOpen();
    return loadSale(parse(positiveId, saleId, 'sale id'));
  }

  function getTender(tenderId: unknown): Tender {
    ensureOpen();
    return toTender(tenderRow(parse(positiveId, tenderId, 'tender id')));
  }

  /** The Code tender with this intent and its sale, or null. */
  function findTenderByIntent(id: unknown): { tender: Tender; sale: Sale } | null {
    ensureOpen();
    const row = stmt.tenderByIntent.get(parse(intentId, id, 'intent id')) as TenderRow | undefined;
    return row ? { tender: toTender(row), sale: loadSale(row.sale_id) } : null;
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
    setTip,
    addCodeTender,
    setTenderWebhookUrl,
    recordProof,
    recordRejection,
    rejectionCount,
    addCashTender,
    addOtherTender,
    cancelTender,
    cancel,
    expirePendingBefore,
    openCodeTenders,
    getSale,
    getSaleWithEvents,
    getTender,
    findTenderByIntent,
    getSetting,
    setSetting,
    setSettings,
    allSettings,
  };
}
