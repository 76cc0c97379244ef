import type Database from 'better-sqlite3';
import { z } from 'zod';
import { isReportDate, REPORT_DATE_HINT } from '../../shared/domain/local-days';
import type { DrawerOpening, PrintJob, PrintJobKind, PrintJobReason, PrintJobState, ReceiptCopy } from '../../shared/domain/printer';
import { MODES, type Mode } from '../../shared/domain/sale';
import { immediate } from './db/transaction';
import { LedgerError } from './errors';
import { parseInput as parse } from './parse-input';

/**
 * The print queue's rows and the drawer openings (migration 10), on the
 * ledger's connection. It keeps the facts only: what to print, where each
 * job stands, and each drawer opening; what a job prints and where it goes
 * is the print queue's (core/printing/print-queue.ts). Each write is one
 * IMMEDIATE transaction, and a sale is only ever read here, never written.
 */

/** A failure message is stored cut to this (the schema's CHECK), so a long transport error never fails the write that records it. */
const MAX_ERROR_CHARS = 500;

const positiveId = z.number().int().positive();
const copy = z.enum(['customer', 'shop']);
const reportDate = z.string().refine(isReportDate, REPORT_DATE_HINT);
const summaryMode = z.enum(['live', 'sandbox', 'all']);

const enqueueInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('receipt'), reason: z.literal('manual'), saleId: positiveId, copy }).strict(),
  z.object({ kind: z.literal('day-summary'), reason: z.literal('manual'), date: reportDate, mode: summaryMode }).strict(),
  z.object({ kind: z.literal('test'), reason: z.literal('manual') }).strict(),
  z.object({ kind: z.literal('refund'), reason: z.literal('manual'), refundId: positiveId }).strict(),
  z.object({ kind: z.literal('shift-report'), reason: z.literal('manual'), shiftId: positiveId }).strict(),
]);
const autoOnceInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('refund'), refundId: positiveId }).strict(),
  z.object({ kind: z.literal('shift-report'), shiftId: positiveId }).strict(),
]);
const drawerInput = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('cash'), saleId: positiveId, tenderId: positiveId }).strict(),
  z.object({ reason: z.literal('no-sale'), mode: z.enum(MODES), personId: positiveId.nullish() }).strict(),
]);
const autoInput = z.object({ saleId: positiveId, copies: z.array(copy).max(2) }).strict();

interface JobRow {
  id: number;
  kind: PrintJobKind;
  reason: PrintJobReason;
  sale_id: number | null;
  copy: ReceiptCopy | null;
  date: string | null;
  mode: Mode | 'all' | null;
  refund_id: number | null;
  shift_id: number | null;
  state: PrintJobState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  queued_at: number;
  printed_at: number | null;
}

interface OpeningRow {
  id: number;
  at: number;
  reason: 'cash' | 'no-sale';
  sale_id: number | null;
  person_id: number | null;
  shift_id: number | null;
}

function toJob(r: JobRow): PrintJob {
  return {
    id: r.id,
    kind: r.kind,
    reason: r.reason,
    saleId: r.sale_id,
    copy: r.copy,
    date: r.date,
    refundId: r.refund_id,
    shiftId: r.shift_id,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    printedAt: r.printed_at,
  };
}

const toOpening = (r: OpeningRow): DrawerOpening => ({ id: r.id, at: r.at, reason: r.reason, saleId: r.sale_id, personId: r.person_id, shiftId: r.shift_id });

/** A job taken off the queue to print, with what the contract's PrintJob does not carry: the mode an end-of-day report covers. */
export interface ClaimedJob {
  job: PrintJob;
  summaryMode: Mode | 'all' | null;
}

/** What the printer's status is made of. */
export interface QueueCounts {
  queued: number;
  printing: number;
  failed: number;
  /** The most recent failure and when it happened, or null when no job is failed. */
  latestFailure: { message: string; at: number } | null;
  /** When a job last printed, or null. */
  lastPrintedAt: number | null;
}

export interface PrintStoreOptions {
  db: Database.Database;
  now: () => number;
  ensureOpen: () => void;
}

export type PrintStore = ReturnType<typeof createPrintStore>;

export function createPrintStore({ db, now, ensureOpen }: PrintStoreOptions) {
  const stmt = {
    insertJob: db.prepare(
      `INSERT INTO print_jobs (kind, reason, sale_id, copy, date, mode, refund_id, shift_id, state, created_at, updated_at, queued_at)
       VALUES (@kind, @reason, @saleId, @copy, @date, @mode, @refundId, @shiftId, 'queued', @now, @now, @now)`,
    ),
    // An automatic refund receipt or Z-report, at most once each (print_jobs_refund_auto_once, print_jobs_shift_auto_once).
    insertAutoOnce: db.prepare(
      `INSERT INTO print_jobs (kind, reason, sale_id, refund_id, shift_id, state, created_at, updated_at, queued_at)
       VALUES (@kind, 'auto', @saleId, @refundId, @shiftId, 'queued', @now, @now, @now)
       ON CONFLICT DO NOTHING`,
    ),
    refundSale: db.prepare('SELECT sale_id FROM refunds WHERE id = ?'),
    shiftExists: db.prepare('SELECT 1 FROM shifts WHERE id = ?'),
    // Once per sale copy (print_jobs_auto_once): a second proof, a poll after the webhook, a restart's sweep all find it there.
    insertAuto: db.prepare(
      `INSERT INTO print_jobs (kind, reason, sale_id, copy, state, created_at, updated_at, queued_at)
       SELECT 'receipt', 'auto', s.id, @copy, 'queued', @now, @now, @now FROM sales s WHERE s.id = @saleId AND s.status = 'paid'
       ON CONFLICT DO NOTHING`,
    ),
    jobById: db.prepare('SELECT * FROM print_jobs WHERE id = ?'),
    saleStatus: db.prepare('SELECT status FROM sales WHERE id = ?'),
    cashTender: db.prepare(`SELECT sale_id, kind, status, person_id FROM tenders WHERE id = ?`),
    saleMode: db.prepare('SELECT mode FROM sales WHERE id = ?'),
    insertOpening: db.prepare(
      `INSERT INTO drawer_openings (at, reason, mode, sale_id, tender_id, print_job_id, person_id, shift_id)
       VALUES (@now, @reason, @mode, @saleId, @tenderId, @jobId, @personId, (SELECT id FROM shifts WHERE closed_at IS NULL))`,
    ),
    openingOfTender: db.prepare('SELECT 1 FROM drawer_openings WHERE tender_id = ?'),
    openingById: db.prepare('SELECT id, at, reason, sale_id, person_id, shift_id FROM drawer_openings WHERE id = ?'),
    nextQueued: db.prepare(`SELECT * FROM print_jobs INDEXED BY print_jobs_by_state WHERE state = 'queued' ORDER BY queued_at, id LIMIT 1`),
    claim: db.prepare(`UPDATE print_jobs SET state = 'printing', attempts = attempts + 1, updated_at = @now WHERE id = @id AND state = 'queued'`),
    printed: db.prepare(`UPDATE print_jobs SET state = 'printed', printed_at = @now, updated_at = @now WHERE id = @id AND state = 'printing'`),
    failed: db.prepare(`UPDATE print_jobs SET state = 'failed', last_error = @message, updated_at = @now WHERE id = @id AND state = 'printing'`),
    requeue: db.prepare(`UPDATE print_jobs SET state = 'queued', queued_at = @now, updated_at = @now WHERE id = @id AND state = 'failed'`),
    printing: db.prepare(`SELECT * FROM print_jobs INDEXED BY print_jobs_by_state WHERE state = 'printing' ORDER BY queued_at, id`),
    // Paid sales since `since` with no automatic receipt: updated_at is at or after paid_at, so the
    // recently-closed index (mode, status, updated_at) finds them without reading older sales.
    paidWithoutAuto: db.prepare(
      `SELECT s.id FROM sales s INDEXED BY sales_recently_closed
       WHERE s.mode IN ('live', 'sandbox') AND s.status = 'paid' AND s.updated_at >= @since AND s.paid_at >= @since
         AND NOT EXISTS (SELECT 1 FROM print_jobs j WHERE j.sale_id = s.id AND j.reason = 'auto' AND j.kind = 'receipt')
       ORDER BY s.paid_at, s.id`,
    ),
    open: db.prepare(`SELECT * FROM print_jobs INDEXED BY print_jobs_by_state WHERE state IN ('queued', 'printing', 'failed') ORDER BY queued_at DESC, id DESC LIMIT ?`),
    latestPrinted: db.prepare(`SELECT * FROM print_jobs INDEXED BY print_jobs_printed WHERE state = 'printed' ORDER BY printed_at DESC LIMIT ?`),
    counts: db.prepare(
      `SELECT coalesce(sum(state = 'queued'), 0) AS queued, coalesce(sum(state = 'printing'), 0) AS printing,
         coalesce(sum(state = 'failed'), 0) AS failed
       FROM print_jobs INDEXED BY print_jobs_by_state WHERE state IN ('queued', 'printing', 'failed')`,
    ),
    latestFailure: db.prepare(
      `SELECT last_error AS message, updated_at AS at FROM print_jobs INDEXED BY print_jobs_failed WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT 1`,
    ),
    lastPrinted: db.prepare(`SELECT max(printed_at) AS at FROM print_jobs WHERE state = 'printed'`),
  };

  function write<T>(fn: () => T): T {
    ensureOpen();
    return immediate(db, fn);
  }

  function jobRow(id: number): JobRow {
    const row = stmt.jobById.get(id) as JobRow | undefined;
    if (!row) throw new LedgerError('not-found', `No print job #${id}.`);
    return row;
  }

  /** Refuses a receipt for a sale that does not exist or is not paid: only a paid sale has one. */
  function requirePaid(saleId: number): void {
    const row = stmt.saleStatus.get(saleId) as { status: string } | undefined;
    if (!row) throw new LedgerError('not-found', `No sale #${saleId}.`);
    if (row.status !== 'paid') throw new LedgerError('invalid-transition', `Sale #${saleId} is ${row.status}: only a paid sale has a receipt to print.`);
  }

  /** The sale a refund was made on; refuses an unknown refund. */
  function refundSaleId(refundId: number): number {
    const row = stmt.refundSale.get(refundId) as { sale_id: number } | undefined;
    if (!row) throw new LedgerError('not-found', `No refund #${refundId}.`);
    return row.sale_id;
  }

  function requireShift(shiftId: number): void {
    if (!stmt.shiftExists.get(shiftId)) throw new LedgerError('not-found', `No shift #${shiftId}.`);
  }

  /**
   * Queues a job asked for at the till: a receipt (a reprint), an end-of-day
   * report, a test receipt, a refund's receipt or a shift's Z-report.
   */
  function enqueue(input: unknown): PrintJob {
    const j = parse(enqueueInput, input, 'print job');
    return write(() => {
      const at = now();
      if (j.kind === 'receipt') requirePaid(j.saleId);
      if (j.kind === 'shift-report') requireShift(j.shiftId);
      // A refund's receipt names its sale too: the sale's jobs are found by it.
      const saleId = j.kind === 'receipt' ? j.saleId : j.kind === 'refund' ? refundSaleId(j.refundId) : null;
      const refundId = j.kind === 'refund' ? j.refundId : null;
      const shiftId = j.kind === 'shift-report' ? j.shiftId : null;
      const info = stmt.insertJob.run({
        kind: j.kind,
        reason: j.reason,
        saleId,
        copy: j.kind === 'receipt' ? j.copy : null,
        date: j.kind === 'day-summary' ? j.date : null,
        mode: j.kind === 'day-summary' ? j.mode : null,
        refundId,
        shiftId,
        now: at,
      });
      return toJob(jobRow(Number(info.lastInsertRowid)));
    });
  }

  /**
   * The automatic receipt of a refund, or Z-report of a shift's close: queued
   * at most once each (a unique index), so a retried call prints one. Null
   * when it was queued already.
   */
  function enqueueAutoOnce(input: unknown): PrintJob | null {
    const j = parse(autoOnceInput, input, 'automatic print job');
    return write(() => {
      if (j.kind === 'shift-report') requireShift(j.shiftId);
      const saleId = j.kind === 'refund' ? refundSaleId(j.refundId) : null;
      const info = stmt.insertAutoOnce.run({
        kind: j.kind,
        saleId,
        refundId: j.kind === 'refund' ? j.refundId : null,
        shiftId: j.kind === 'shift-report' ? j.shiftId : null,
        now: now(),
      });
      return info.changes ? toJob(jobRow(Number(info.lastInsertRowid))) : null;
    });
  }

  /** Queues the automatic receipt of each copy of a paid sale that has none yet; returns the jobs it created (none for a repeat). */
  function enqueueAuto(input: unknown): PrintJob[] {
    const a = parse(autoInput, input, 'automatic receipt');
    return write(() => {
      const at = now();
      const created: PrintJob[] = [];
      for (const c of new Set(a.copies)) {
        const info = stmt.insertAuto.run({ saleId: a.saleId, copy: c, now: at });
        if (info.changes) created.push(toJob(jobRow(Number(info.lastInsertRowid))));
      }
      return created;
    });
  }

  /**
   * A drawer opening and the drawer job that kicks it, in one transaction:
   * for a cash tender (once per tender: null when it already has its
   * opening; by who took it) or for "No sale" in the till's mode (by
   * `personId`). Either way with the shift open at the time.
   */
  function openDrawer(input: unknown): { opening: DrawerOpening; job: PrintJob } | null {
    const d = parse(drawerInput, input, 'drawer opening');
    return write(() => {
      const at = now();
      let mode: Mode;
      let saleId: number | null = null;
      let tenderId: number | null = null;
      let personId: number | null;
      if (d.reason === 'cash') {
        const tender = stmt.cashTender.get(d.tenderId) as { sale_id: number; kind: string; status: string; person_id: number | null } | undefined;
        if (!tender || tender.sale_id !== d.saleId) throw new LedgerError('not-found', `No tender #${d.tenderId} on sale #${d.saleId}.`);
        if (tender.kind !== 'cash') throw new LedgerError('invalid-input', `Tender #${d.tenderId} is not cash: the drawer opens for cash.`);
        if (stmt.openingOfTender.get(d.tenderId)) return null;
        mode = (stmt.saleMode.get(d.saleId) as { mode: Mode }).mode;
        saleId = d.saleId;
        tenderId = d.tenderId;
        personId = tender.person_id;
      } else {
        mode = d.mode;
        personId = d.personId ?? null;
      }
      const job = stmt.insertJob.run({ kind: 'drawer', reason: d.reason, saleId, copy: null, date: null, mode: null, refundId: null, shiftId: null, now: at });
      const jobId = Number(job.lastInsertRowid);
      const opening = stmt.insertOpening.run({ now: at, reason: d.reason, mode, saleId, tenderId, jobId, personId });
      return {
        opening: toOpening(stmt.openingById.get(opening.lastInsertRowid) as OpeningRow),
        job: toJob(jobRow(jobId)),
      };
    });
  }

  /** Takes the oldest queued job to print (printing, one more attempt); null when none waits. */
  function claimNext(): ClaimedJob | null {
    return write(() => {
      const row = stmt.nextQueued.get() as JobRow | undefined;
      if (!row) return null;
      stmt.claim.run({ id: row.id, now: now() });
      return { job: toJob(jobRow(row.id)), summaryMode: row.mode };
    });
  }

  /**
   * Records how a printing job ended. Only a job still printing changes: a
   * result that comes back after the job was marked interrupted is ignored.
   */
  function finish(jobId: unknown, outcome: { printed: true } | { printed: false; message: string }): PrintJob {
    const id = parse(positiveId, jobId, 'print job id');
    return write(() => {
      const at = now();
      if (outcome.printed) stmt.printed.run({ id, now: at });
      else stmt.failed.run({ id, now: at, message: outcome.message.slice(0, MAX_ERROR_CHARS) });
      return toJob(jobRow(id));
    });
  }

  /**
   * Puts a failed job back at the end of the queue (the same job, so a retry
   * prints once). A job already queued or printing is left as it is; a
   * printed one is refused: that is a reprint, a new job.
   */
  function retry(jobId: unknown): { job: PrintJob; requeued: boolean } {
    const id = parse(positiveId, jobId, 'print job id');
    return write(() => {
      const row = jobRow(id);
      if (row.state === 'printed') {
        throw new LedgerError('invalid-transition', `Print job #${id} has already printed; print it again from the sales log or the report.`);
      }
      if (row.state !== 'failed') return { job: toJob(row), requeued: false };
      stmt.requeue.run({ id, now: now() });
      return { job: toJob(jobRow(id)), requeued: true };
    });
  }

  /** Marks every job left printing (the app stopped mid-send) failed with `message`: whether it printed is unknown, so nothing reprints by itself. */
  function interruptPrinting(message: string): PrintJob[] {
    return write(() => {
      const at = now();
      const rows = stmt.printing.all() as JobRow[];
      for (const r of rows) stmt.failed.run({ id: r.id, now: at, message: message.slice(0, MAX_ERROR_CHARS) });
      return rows.map((r) => toJob(jobRow(r.id)));
    });
  }

  /** Paid sales paid at or after `since` (ms) that have no automatic receipt, oldest payment first. */
  function paidWithoutAutoReceipt(since: unknown): number[] {
    ensureOpen();
    const at = parse(z.number().int(), since, 'time');
    return stmt.paidWithoutAuto.pluck().all({ since: at }) as number[];
  }

  /** The jobs waiting, printing or failed (newest first), then the latest printed: at most `limit` in all. */
  function jobs(limit: unknown): PrintJob[] {
    ensureOpen();
    const n = parse(z.number().int().min(1).max(1_000), limit, 'limit');
    const open = stmt.open.all(n) as JobRow[];
    const printed = open.length < n ? (stmt.latestPrinted.all(n - open.length) as JobRow[]) : [];
    return [...open, ...printed].map(toJob);
  }

  function getJob(jobId: unknown): PrintJob {
    ensureOpen();
    return toJob(jobRow(parse(positiveId, jobId, 'print job id')));
  }

  function counts(): QueueCounts {
    ensureOpen();
    const c = stmt.counts.get() as { queued: number; printing: number; failed: number };
    const failure = (stmt.latestFailure.get() as { message: string; at: number } | undefined) ?? null;
    const printed = (stmt.lastPrinted.get() as { at: number | null }).at;
    return { ...c, latestFailure: failure, lastPrintedAt: printed };
  }

  return { enqueue, enqueueAuto, enqueueAutoOnce, openDrawer, claimNext, finish, retry, interruptPrinting, paidWithoutAutoReceipt, jobs, getJob, counts };
}
