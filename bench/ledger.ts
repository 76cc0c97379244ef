/**
 * The ledger at a million sales (SPEC §4.1): how fast a sale is written, how
 * fast the sales log and the day totals answer, how big the file grows, and
 * whether SQLite's plans really use the indexes.
 *
 * BENCH_SALES=50000 npm run bench -- ledger   scales it down (default 1,000,000).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import bs58 from 'bs58';
import { createLedger, type Ledger } from '../electron/core/ledger/ledger';
import { localDateOf } from '../electron/shared/domain/local-days';
import { LEDGER_FILE_NAME } from '../electron/core/ledger/db/open-database';
import type { ProofSource, SaleStatus } from '../electron/shared/domain/sale';
import {
  formatBytes,
  formatCount,
  formatLatency,
  formatMs,
  formatRate,
  quantile,
  timeRuns,
  timeWithin,
  type BenchRow,
} from './bench-table';
import { benchSalesLog } from './sales-log';
import { prng } from '../test/support/prng';

const DEFAULT_SALES = 1_000_000;
/** Sales written one per transaction through `createSale`, the app's own path. */
const API_SAMPLE = 20_000;
const FILL_BATCH = 10_000;
const PAGE_SIZE = 50;
const PAGE_DEPTH = 10_000;
const DAY_MS = 86_400_000;
const SPAN_DAYS = 365;
const TIME_ZONE = 'America/Toronto';
/** A fixed "now", so day boundaries (and a DST change inside the year) are the same on every run. */
const END = Date.UTC(2026, 2, 1, 22, 0);
const START = END - SPAN_DAYS * DAY_MS;
const SALE_LIFETIME_MS = 10 * 60_000;

function salesCount(): number {
  const raw = process.env.BENCH_SALES?.replace(/[_,]/g, '');
  if (!raw) return DEFAULT_SALES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1_000) throw new Error(`BENCH_SALES must be a whole number of at least 1000, not "${process.env.BENCH_SALES}"`);
  return n;
}


function weighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  let roll = random();
  for (const [value, weight] of choices) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return choices[choices.length - 1]![0];
}

/**
 * How a paid sale was paid: one Code payment (most), a split over two or
 * three Code payments, part Code and the rest cash, cash alone (with change),
 * or another tender. Unpaid sales have one Code payment (or, pending, none yet).
 */
type TenderMix = 'code' | 'split' | 'code+cash' | 'cash' | 'other';

/** One synthetic sale: what it is and how it ends. The fill and the API sample share it. */
interface Shape {
  createdAt: number;
  amount: number;
  currency: string;
  mode: 'live' | 'sandbox';
  status: SaleStatus;
  /** For paid sales: closed (cancelled or expired) before the payment came. */
  lateAfter: 'cancelled' | 'expired' | null;
  firstProof: ProofSource;
  /** A second proof (the webhook and the status poll both arrive). */
  duplicate: boolean;
  settledAt: number;
  tenders: TenderMix;
  /** Cash: the change handed back. */
  change: number;
}

function shapeOf(k: number, total: number, random: () => number): Shape {
  const createdAt = START + Math.floor(((k + random()) * SPAN_DAYS * DAY_MS) / total);
  const recent = createdAt > END - SALE_LIFETIME_MS;
  const status: SaleStatus = recent
    ? 'pending'
    : weighted(random, [
        ['paid', 0.88],
        ['cancelled', 0.06],
        ['expired', 0.06],
      ]);
  const lateAfter = status === 'paid' && random() < 0.002 ? (random() < 0.5 ? 'cancelled' : 'expired') : null;
  return {
    createdAt,
    amount: Math.max(5, Math.round(Math.exp(5.5 + random() * 3.5))),
    currency: weighted(random, [
      ['usd', 0.7],
      ['cad', 0.12],
      ['eur', 0.1],
      ['kin', 0.05],
      ['gbp', 0.03],
    ]),
    mode: random() < 0.9 ? 'live' : 'sandbox',
    status,
    lateAfter,
    firstProof: weighted(random, [
      ['webhook', 0.7],
      ['status_poll', 0.26],
      ['browser_event', 0.03],
      ['manual', 0.01],
    ]),
    duplicate: random() < 0.3,
    settledAt: createdAt + 5_000 + Math.floor(random() * 60_000),
    tenders:
      status === 'paid' && !lateAfter
        ? weighted<TenderMix>(random, [
            ['code', 0.8],
            ['split', 0.05],
            ['code+cash', 0.05],
            ['cash', 0.08],
            ['other', 0.02],
          ])
        : 'code',
    change: Math.floor(random() * 500),
  };
}

/** The amounts of a paid sale's tenders, in order, with their kinds. */
function tenderPlan(s: Shape): { kind: 'code' | 'cash' | 'other'; amount: number }[] {
  switch (s.tenders) {
    case 'split': {
      const n = s.amount % 2 ? 3 : 2;
      const part = Math.floor(s.amount / n);
      return Array.from({ length: n }, (_, i) => ({ kind: 'code' as const, amount: i < n - 1 ? part : s.amount - part * (n - 1) }));
    }
    case 'code+cash':
      return [
        { kind: 'code', amount: Math.floor(s.amount / 2) },
        { kind: 'cash', amount: s.amount - Math.floor(s.amount / 2) },
      ];
    case 'cash':
      return [{ kind: 'cash', amount: s.amount }];
    case 'other':
      return [{ kind: 'other', amount: s.amount }];
    default:
      return [{ kind: 'code', amount: s.amount }];
  }
}

/** Webhook bodies are compact JWTs of about 450 characters; a pool of them is as big on disk as fresh ones. */
const JWTS = Array.from(
  { length: 256 },
  () => `eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.${randomBytes(250).toString('base64url')}.${randomBytes(64).toString('base64url')}`,
);
const STATUS_ANSWER = JSON.stringify({ status: 'confirmed', exists: true, codeScanned: true, intentSubmitted: true });
const payloadFor = (source: ProofSource, k: number) => (source === 'webhook' ? JWTS[k % JWTS.length]! : STATUS_ANSWER);
const intentId = () => bs58.encode(randomBytes(16));

/**
 * Writes sales [from, to) straight into the tables, in transactions of
 * FILL_BATCH rows: the same rows the ledger's own transitions write (the
 * sale with its paid sums, its tenders, their events), without one fsync
 * per sale, so a million sales take seconds.
 */
function fill(db: Database.Database, from: number, to: number, total: number, random: () => number, destination: string): void {
  const insertSale = db.prepare(
    `INSERT INTO sales (ref, amount, currency, mode, status, destination, created_at, updated_at, paid_at, cancelled_at, expired_at,
       first_proof, paid_late, paid_amount, code_amount, cash_amount, other_amount, change_given)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTender = db.prepare(
    `INSERT INTO tenders (sale_id, seq, kind, amount, status, ref, intent_id, webhook_url, quarks, exchange_rate, first_proof, paid_late,
       tendered, change, label, created_at, updated_at, paid_at, cancelled_at, expired_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO payment_events (sale_id, tender_id, source, kind, outcome, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const webhookUrl = 'https://quiet-river-1234.trycloudflare.com/hooks/5f1c9a';
  const batch = db.transaction((start: number, end: number) => {
    for (let k = start; k < end; k++) {
      const s = shapeOf(k, total, random);
      const paid = s.status === 'paid';
      const closedAt = s.createdAt + (s.status === 'expired' || s.lateAfter === 'expired' ? SALE_LIFETIME_MS : 30_000);
      const cancelledAt = s.status === 'cancelled' || s.lateAfter === 'cancelled' ? closedAt : null;
      const expiredAt = s.status === 'expired' || s.lateAfter === 'expired' ? closedAt : null;
      const plan = paid ? tenderPlan(s) : s.status === 'pending' && random() < 0.5 ? [] : [{ kind: 'code' as const, amount: s.amount }];
      // Each paid tender a few seconds after the one before; the last one's time is the sale's paid_at.
      const firstPaidAt = s.lateAfter ? closedAt + 60_000 : s.settledAt;
      const paidAt = paid ? firstPaidAt + (plan.length - 1) * 20_000 : null;
      const last = plan[plan.length - 1];
      const sums = { code: 0, cash: 0, other: 0 };
      for (const t of plan) if (paid) sums[t.kind] += t.amount;
      const change = paid && plan.some((t) => t.kind === 'cash') ? s.change : 0;
      const updatedAt = paidAt ?? cancelledAt ?? expiredAt ?? s.createdAt;
      const info = insertSale.run(
        randomUUID(),
        s.amount,
        s.currency,
        s.mode,
        s.status,
        destination,
        s.createdAt,
        updatedAt,
        paidAt,
        cancelledAt,
        expiredAt,
        paid ? (last!.kind === 'code' ? s.firstProof : 'manual') : null,
        s.lateAfter ? 1 : 0,
        paid ? s.amount : 0,
        sums.code,
        sums.cash,
        sums.other,
        change,
      );
      const saleId = info.lastInsertRowid;
      if (cancelledAt !== null) insertEvent.run(saleId, null, 'manual', 'cancel', 'cancelled', cancelledAt, '{}');
      if (expiredAt !== null) insertEvent.run(saleId, null, 'system', 'expire', 'expired', expiredAt, '{}');
      for (const [i, t] of plan.entries()) {
        const at = paid ? firstPaidAt + i * 20_000 : null;
        const startedAt = s.createdAt + i * 20_000;
        const status = paid ? 'paid' : s.status;
        if (t.kind === 'code') {
          const tender = insertTender.run(
            saleId, i + 1, 'code', t.amount, status, randomUUID(), intentId(), webhookUrl,
            paid ? Math.floor(random() * 1e12) : null, paid ? 0.00001 + random() * 0.00002 : null, paid ? s.firstProof : null, s.lateAfter ? 1 : 0,
            null, null, null, startedAt, at ?? cancelledAt ?? expiredAt ?? startedAt, at, cancelledAt, expiredAt,
          ).lastInsertRowid;
          if (at !== null) {
            insertEvent.run(saleId, tender, s.firstProof, 'proof', s.lateAfter ? 'late' : 'credited', at, payloadFor(s.firstProof, k));
            if (s.duplicate) {
              const again: ProofSource = s.firstProof === 'webhook' ? 'status_poll' : 'webhook';
              insertEvent.run(saleId, tender, again, 'proof', 'duplicate', at + 1_500, payloadFor(again, k));
            }
          }
        } else {
          const cash = t.kind === 'cash';
          const tender = insertTender.run(
            saleId, i + 1, t.kind, t.amount, 'paid', null, null, null, null, null, 'manual', 0,
            cash ? t.amount + s.change : null, cash ? s.change : null, cash ? null : 'Card', startedAt, at, at, null, null,
          ).lastInsertRowid;
          insertEvent.run(saleId, tender, 'manual', cash ? 'cash' : 'other: Card', 'tendered', at, '{}');
        }
      }
    }
  });
  for (let k = from; k < to; k += FILL_BATCH) batch(k, Math.min(to, k + FILL_BATCH));
}

/**
 * Records the SQL (and first parameters) of every statement whose `.all` runs
 * while installed, so the plans shown below are those of the queries the
 * ledger really runs, not of a copy that could drift from them. It patches
 * the prototype because the ledger prepares most statements while it opens.
 */
function captureStatements(): { seen: Map<string, unknown[]>; restore: () => void } {
  const seen = new Map<string, unknown[]>();
  const proto = Database.prototype as { prepare: Database.Database['prepare'] };
  const original = proto.prepare;
  proto.prepare = function (this: Database.Database, sql: string) {
    const statement = original.call(this, sql);
    const all = statement.all.bind(statement) as (...params: unknown[]) => unknown[];
    statement.all = ((...params: unknown[]) => {
      if (!seen.has(sql)) seen.set(sql, params);
      return all(...params);
    }) as typeof statement.all;
    return statement;
  } as Database.Database['prepare'];
  return { seen, restore: () => void (proto.prepare = original) };
}

/** The sales log's second statement: the tenders of a page's sales. */
const isTendersOfPage = (sql: string) => sql.startsWith('SELECT * FROM tenders WHERE sale_id IN');

/** Runs `fn` once and returns the SQL of the one statement (the tenders lookup aside) it ran for the first time. */
function sqlOf(seen: Map<string, unknown[]>, fn: () => unknown): string {
  const before = new Set(seen.keys());
  fn();
  const added = [...seen.keys()].filter((sql) => !before.has(sql) && !isTendersOfPage(sql));
  if (added.length !== 1) throw new Error(`expected one new statement, saw ${added.length}`);
  return added[0]!;
}

function planRow(db: Database.Database, seen: Map<string, unknown[]>, label: string, sql: string, allowSort: boolean): BenchRow {
  const params = seen.get(sql) ?? [];
  const details = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  const fullScan = details.some((d) => /^SCAN (sales|s|tenders|t)\b/.test(d) && !/USING (COVERING )?INDEX/.test(d));
  const sorts = details.some((d) => d.includes('TEMP B-TREE FOR ORDER BY') || d.includes('TEMP B-TREE FOR RIGHT PART OF ORDER BY'));
  // Walking an index on mode alone is fine under a LIMIT (it stops after a
  // page) but without one it reads every sale of that mode.
  const walksAll = !/\bLIMIT\b/i.test(sql) && details.some((d) => /^(SEARCH|SCAN) (sales|s) USING (COVERING )?INDEX \w+( \(mode=\?\))?$/.test(d));
  // The totals read the rollup table (alias r) by its primary key.
  const primaryKeys = details.flatMap((d) => /^SEARCH (\w+) USING PRIMARY KEY/.exec(d)?.[1] ?? []).map((t) => `${t === 'r' ? 'sales_rollup' : t} primary key`);
  const indexes = [...new Set([...details.flatMap((d) => /USING (?:COVERING )?INDEX (\w+)/.exec(d)?.[1] ?? []), ...primaryKeys])];
  const verdict = fullScan
    ? '✗ full table scan'
    : walksAll
      ? `✗ reads every sale of the mode (${indexes.join(', ')})`
      : sorts && !allowSort
        ? '✗ sorts every match'
        : `✓ ${indexes.join(', ') || 'primary key'}`;
  return { metric: `plan: ${label}`, value: verdict, note: details.join(' / ') };
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

export async function benchLedger(): Promise<BenchRow[]> {
  const total = salesCount();
  const sample = Math.min(API_SAMPLE, total);
  const filled = total - sample;
  const random = prng(0xc0de);
  const destination = bs58.encode(randomBytes(32));
  const dir = mkdtempSync(join(tmpdir(), 'counter-bench-ledger-'));
  const rows: BenchRow[] = [];
  let clock = START;
  let ledger: Ledger | undefined;
  let capture: ReturnType<typeof captureStatements> | undefined;
  const open = () => (ledger = createLedger({ dir, timeZone: TIME_ZONE, now: () => clock }));

  try {
    // 1. The bulk of the history, fast, through the raw handle.
    const bulk = open();
    const fillStart = performance.now();
    // A bigger page cache for the fill only; the measurements below reopen with the app's settings.
    bulk.database.pragma('cache_size = -262144');
    fill(bulk.database, 0, filled, total, random, destination);
    const fillMs = performance.now() - fillStart;
    bulk.close(); // runs PRAGMA optimize, as the app does on quit
    if (filled > 0) {
      rows.push({
        metric: 'bulk fill (not the app path)',
        value: formatRate(filled, fillMs, 'sales'),
        note: `${formatCount(filled)} sales with their tenders and payment events, raw INSERTs through ledger.database, ${formatCount(FILL_BATCH)} per transaction, same rows as the ledger writes; took ${formatMs(fillMs)}`,
      });
    }

    // 2. The newest sales through the real API, one transaction (one fsync) each.
    capture = captureStatements();
    const { seen } = capture;
    const app = open();
    const db = app.database;
    const sync = db.pragma('synchronous', { simple: true });
    const journal = db.pragma('journal_mode', { simple: true });
    const shapes: { id: number; shape: Shape }[] = [];
    const createTimes: number[] = [];
    for (let k = filled; k < total; k++) {
      const shape = shapeOf(k, total, random);
      clock = shape.createdAt;
      const t = performance.now();
      const sale = app.createSale({ amount: shape.amount, currency: shape.currency, mode: shape.mode, destination });
      createTimes.push(performance.now() - t);
      shapes.push({ id: sale.id, shape });
    }
    const createMs = createTimes.reduce((a, b) => a + b, 0);
    rows.push({
      metric: 'createSale, 1 sale per transaction',
      value: formatRate(sample, createMs, 'sales'),
      note: `${formatCount(sample)} calls into a ledger already holding ${formatCount(filled)} sales; synchronous=${sync === 2 ? 'FULL' : String(sync)}, journal_mode=${String(journal)}; ${formatLatency(createTimes.sort((a, b) => a - b))} per call`,
    });

    // …and their lives, through the API: Code payments started (tender, then
    // intent), proofs (sometimes twice), cash, cancel or expiry.
    const startTimes: number[] = [];
    const proofTimes: number[] = [];
    const duplicateTimes: number[] = [];
    const cashTimes: number[] = [];
    const expireTimes: number[] = [];
    const timed = <T>(into: number[], fn: () => T): T => {
      const t = performance.now();
      const result = fn();
      into.push(performance.now() - t);
      return result;
    };
    for (const [k, { id, shape }] of shapes.entries()) {
      if (shape.status === 'pending' && k % 2) continue;
      const plan = shape.status === 'paid' ? tenderPlan(shape) : [{ kind: 'code' as const, amount: shape.amount }];
      for (const [i, t] of plan.entries()) {
        clock = shape.createdAt + 1_000 + i * 20_000;
        if (t.kind === 'cash') {
          timed(cashTimes, () => app.addCashTender(id, { tendered: t.amount + shape.change }));
          continue;
        }
        if (t.kind === 'other') {
          app.addOtherTender(id, { amount: t.amount, label: 'Card' });
          continue;
        }
        // The payments service's writes: the tender with its intent in one
        // transaction, then the webhook URL once the sequencer accepted it.
        // Each plan entry starts one tender, so this one is number i + 1.
        const tender = timed(startTimes, () => {
          const started = app.addCodeTender(id, { amount: t.amount, seq: i + 1, intentId: intentId() }).tender;
          return app.setTenderWebhookUrl(started.id, 'https://quiet-river-1234.trycloudflare.com/hooks/5f1c9a');
        });
        if (shape.status === 'cancelled' || shape.lateAfter === 'cancelled') app.cancel(id);
        if (shape.status === 'expired' || shape.lateAfter === 'expired') {
          // Every older sale is settled by now, so the sweep meets this one only.
          clock = shape.createdAt + SALE_LIFETIME_MS;
          timed(expireTimes, () => app.expirePendingBefore(shape.createdAt + 1));
        }
        if (shape.status !== 'paid') continue;
        clock = shape.settledAt + i * 20_000;
        timed(proofTimes, () => app.recordProof({ intentId: tender.intentId, source: shape.firstProof, payload: payloadFor(shape.firstProof, k) }));
        if (shape.duplicate) {
          timed(duplicateTimes, () => app.recordProof({ tenderId: tender.id, source: 'status_poll', quarks: 123_456_789, payload: STATUS_ANSWER }));
        }
      }
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const [metric, times] of [
      ['start a Code payment (addCodeTender with its intent + setTenderWebhookUrl)', startTimes],
      ['recordProof, first proof (credits)', proofTimes],
      ['recordProof, duplicate proof', duplicateTimes],
      ['addCashTender', cashTimes],
      ['expirePendingBefore, one sale due', expireTimes],
    ] as const) {
      if (!times.length) continue;
      rows.push({
        metric,
        value: formatRate(times.length, sum(times), 'calls'),
        note: `${formatCount(times.length)} calls, ${metric.startsWith('start') ? '2 transactions' : '1 transaction'} each; ${formatLatency(times.sort((a, b) => a - b))}`,
      });
    }

    // 3. The sales log.
    const liveCount = db.prepare(`SELECT count(*) FROM sales WHERE mode = 'live'`).pluck().get() as number;
    const firstPageSql = sqlOf(seen, () => app.queries.listSales());
    const firstPage = timeRuns(() => app.queries.listSales(), 1_000);
    rows.push({
      metric: 'sales log, first page',
      value: formatMs(quantile(firstPage, 0.5)),
      note: `listSales() default (live, ${PAGE_SIZE} newest); ${formatLatency(firstPage)} over 1,000 runs`,
    });

    const statusSql = sqlOf(seen, () => app.queries.listSales({ status: ['cancelled', 'expired'] }));
    const statusPage = timeRuns(() => app.queries.listSales({ status: ['cancelled', 'expired'] }), 500);
    rows.push({
      metric: 'sales log, first page, status filter',
      value: formatMs(quantile(statusPage, 0.5)),
      note: `status cancelled or expired (~12% of sales); ${formatLatency(statusPage)} over 500 runs`,
    });

    const pendingSql = sqlOf(seen, () => app.queries.listSales({ status: ['pending'] }));
    const pendingPage = timeWithin(() => app.queries.listSales({ status: ['pending'] }), 500, 5_000);
    const pendingCount = db.prepare(`SELECT count(*) FROM sales WHERE mode = 'live' AND status = 'pending'`).pluck().get() as number;
    rows.push({
      metric: 'sales log, first page, pending only',
      value: formatMs(quantile(pendingPage, 0.5)),
      note: `a rare status (${formatCount(pendingCount)} live sales); ${formatLatency(pendingPage)} over ${pendingPage.length} runs`,
    });

    const midDay = localDateOf(START + Math.floor((SPAN_DAYS / 2) * DAY_MS), TIME_ZONE);
    const daySql = sqlOf(seen, () => app.queries.listSales({ from: midDay, to: midDay }));
    const dayPage = timeRuns(() => app.queries.listSales({ from: midDay, to: midDay }), 500);
    rows.push({
      metric: 'sales log, first page of one day',
      value: formatMs(quantile(dayPage, 0.5)),
      note: `from = to = ${midDay}, half a year back; ${formatLatency(dayPage)} over 500 runs`,
    });

    const allModesSql = sqlOf(seen, () => app.queries.listSales({ mode: 'all' }));

    const depth = Math.min(PAGE_DEPTH, Math.floor(liveCount / PAGE_SIZE) - 1);
    let cursor: string | null = null;
    const walkStart = performance.now();
    for (let page = 1; page < depth; page++) {
      cursor = app.queries.listSales({}, { cursor }).nextCursor;
      if (!cursor) throw new Error(`the sales log ended after ${page} pages`);
    }
    const walkMs = performance.now() - walkStart;
    const cursorSql = [...seen.keys()].find((sql) => sql.includes('@cursorAt'));
    const deepPage = timeRuns(() => app.queries.listSales({}, { cursor }), 500);
    const deepFirst = app.queries.listSales({}, { cursor }).sales[0];
    rows.push({
      metric: `sales log, page ${formatCount(depth)}`,
      value: formatMs(quantile(deepPage, 0.5)),
      note: `keyset cursor, ${formatCount((depth - 1) * PAGE_SIZE)} sales deep (created ${deepFirst ? localDateOf(deepFirst.createdAt, TIME_ZONE) : '?'}); ${formatLatency(deepPage)} over 500 runs; reached by following ${formatCount(depth - 1)} cursors in ${formatMs(walkMs)} (${formatMs(walkMs / (depth - 1))} a page)`,
    });

    // 4. Day totals.
    const to = localDateOf(END - DAY_MS, TIME_ZONE);
    const from = localDateOf(END - 30 * DAY_MS, TIME_ZONE);
    const totalsSql = sqlOf(seen, () => app.queries.dayTotals({ from, to }));
    const month = timeRuns(() => app.queries.dayTotals({ from, to }), 50, 3);
    const monthSales = db
      .prepare(`SELECT count(*) FROM sales WHERE mode = 'live' AND created_at >= ? AND created_at < ?`)
      .pluck()
      .get(END - 31 * DAY_MS, END) as number;
    rows.push({
      metric: 'day totals, 30 days',
      value: formatMs(quantile(month, 0.5)),
      note: `dayTotals({ from: ${from}, to: ${to} }) in ${TIME_ZONE}, ~${formatCount(monthSales)} live sales; ${formatLatency(month)} over 50 runs`,
    });
    const searched = timeRuns(() => app.queries.dayTotals({ from, to, search: '12.50' }), 50, 3);
    rows.push({
      metric: 'day totals, 30 days, search 12.50',
      value: formatMs(quantile(searched, 0.5)),
      note: `with a search the totals count the matching sales themselves (the rollup has no amounts to search); ${formatLatency(searched)} over 50 runs`,
    });
    const yearFrom = localDateOf(START + DAY_MS, TIME_ZONE);
    const year = timeWithin(() => app.queries.dayTotals({ from: yearFrom, to }), 10, 10_000);
    rows.push({
      metric: 'day totals, whole year',
      value: formatMs(quantile(year, 0.5)),
      note: `${yearFrom} to ${to}, every live sale of the year; ${formatLatency(year)} over ${year.length} runs`,
    });

    // 5. Reconciliation's poll list (both modes).
    clock = END;
    const openSql = sqlOf(seen, () => app.openCodeTenders(END - DAY_MS));
    const openTimes = timeWithin(() => app.openCodeTenders(END - DAY_MS), 200, 5_000);
    rows.push({
      metric: 'openCodeTenders (reconciliation)',
      value: formatMs(quantile(openTimes, 0.5)),
      note: `Code payments waiting plus those closed in the last 24 h, both modes, with their sales (${app.openCodeTenders(END - DAY_MS).length} tenders); ${formatLatency(openTimes)} over ${openTimes.length} runs`,
    });

    // 6. The file.
    const file = join(dir, LEDGER_FILE_NAME);
    const dbBytes = fileSize(file);
    const walBytes = fileSize(`${file}-wal`);
    const salesCountNow = db.prepare('SELECT count(*) FROM sales').pluck().get() as number;
    const events = db.prepare('SELECT count(*) FROM payment_events').pluck().get() as number;
    const tenderCount = db.prepare('SELECT count(*) FROM tenders').pluck().get() as number;
    const parts = db
      .prepare(
        `SELECT CASE WHEN name IN ('sales', 'tenders', 'payment_events', 'sales_rollup') THEN name ELSE 'indexes' END AS part, sum(pgsize) AS bytes
         FROM dbstat WHERE name NOT LIKE 'sqlite_%' OR name LIKE 'sqlite_autoindex_%' GROUP BY part ORDER BY bytes DESC`,
      )
      .all() as { part: string; bytes: number }[];
    rows.push({
      metric: 'database file',
      value: formatBytes(dbBytes),
      note: `${formatCount(salesCountNow)} sales, ${formatCount(tenderCount)} tenders, ${formatCount(events)} payment events, ${formatBytes(dbBytes / salesCountNow)} a sale; ${parts.map((p) => `${p.part} ${formatBytes(p.bytes)}`).join(', ')}`,
    });
    rows.push({
      metric: 'WAL file',
      value: formatBytes(walBytes),
      note: 'after the API sample; wal_autocheckpoint = 1000 pages keeps it near 4 MiB',
    });

    // 7. Plans of the SQL the ledger actually ran.
    capture.restore();
    capture = undefined;
    rows.push(planRow(db, seen, 'sales log, first page', firstPageSql, false));
    if (cursorSql) rows.push(planRow(db, seen, 'sales log, cursor page', cursorSql, false));
    rows.push(planRow(db, seen, 'sales log, two statuses', statusSql, false));
    rows.push(planRow(db, seen, 'sales log, one status', pendingSql, false));
    rows.push(planRow(db, seen, 'sales log, one day', daySql, false));
    rows.push(planRow(db, seen, 'sales log, all modes', allModesSql, false));
    // Grouping a month's rows by day and currency needs a small sort; scanning the table would not be fine.
    rows.push(planRow(db, seen, 'day totals', totalsSql, true));
    rows.push(planRow(db, seen, 'openCodeTenders', openSql, true));
    const tendersOfPageSql = [...seen.keys()].find(isTendersOfPage);
    if (tendersOfPageSql) rows.push(planRow(db, seen, 'sales log, tenders of a page', tendersOfPageSql, true));
    // 8. The same month without planner statistics: what a ledger gets until
    // a connection that saw it grow closes cleanly (PRAGMA optimize runs at
    // close), e.g. a till that has run since install without a clean quit.
    const statTables = db.prepare(`SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'`).pluck().all() as string[];
    const analyzed = statTables.includes('sqlite_stat1')
      ? (db.prepare('SELECT DISTINCT tbl FROM sqlite_stat1 ORDER BY tbl').pluck().all() as string[])
      : [];
    for (const table of statTables) db.exec(`DELETE FROM ${table}`);
    db.exec('ANALYZE sqlite_schema'); // reloads the (now empty) statistics
    const bareStart = performance.now();
    app.queries.dayTotals({ from, to });
    const bareMs = performance.now() - bareStart;
    rows.push({
      metric: 'day totals, 30 days, no statistics',
      value: formatMs(bareMs),
      note: `${analyzed.length ? `same call after emptying ${statTables.join(', ')}` : 'same call (there were no statistics to empty)'}; 1 run`,
    });
    rows.push(planRow(db, seen, 'day totals, no statistics', totalsSql, true));
    rows.push(...(await benchSalesLog(app, dir, END)));
    rows.push({
      metric: 'SQLite',
      value: String(db.prepare('SELECT sqlite_version()').pluck().get()),
      note: `all rows but the last two ran with the planner statistics PRAGMA optimize left when the fill's connection closed: ${analyzed.length ? `sqlite_stat1 for ${analyzed.join(', ')}` : 'none'}`,
    });

    return rows;
  } finally {
    capture?.restore();
    ledger?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
