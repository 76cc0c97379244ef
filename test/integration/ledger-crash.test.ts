import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../electron/core/ledger/ledger';
import { LEDGER_FILE_NAME } from '../../electron/core/ledger/db/open-database';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = join(ROOT, 'test', 'support', 'ledger-writer.ts');
const ROUNDS = 25;
/** The writer must have reported this many commits (after its "opening" line) before it may be killed. */
const MIN_REPORTS = 3;
/** Upper bound of the random delay between "enough reports" and SIGKILL. */
const MAX_KILL_DELAY_MS = 120;

const dirs: string[] = [];
function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `counter-${label}-`));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What the writer said it committed about one sale; each fact must hold in the file afterwards. */
interface Reported {
  amount?: number;
  currency?: string;
  mode?: string;
  destination?: string;
  intentId?: string;
  tenderId?: number;
  /** Taken by a Code payment that paid part of the sale. */
  partly?: number;
  /** Change given by the cash that paid the rest. */
  change?: number;
  paid: boolean;
  paidLate: boolean;
  cancelled: boolean;
  expired: boolean;
}

function reportedFor(all: Map<number, Reported>, id: number): Reported {
  let r = all.get(id);
  if (!r) {
    r = { paid: false, paidLate: false, cancelled: false, expired: false };
    all.set(id, r);
  }
  return r;
}

function applyLine(all: Map<number, Reported>, line: string): void {
  const [what, a, b, c, d] = line.split(' ');
  switch (what) {
    case 'created':
      Object.assign(reportedFor(all, Number(a)), { amount: Number(b), currency: c, mode: d });
      return;
    case 'intent':
      Object.assign(reportedFor(all, Number(a)), { tenderId: Number(b), intentId: c });
      return;
    case 'partly':
      reportedFor(all, Number(a)).partly = Number(b);
      return;
    case 'cash':
      Object.assign(reportedFor(all, Number(a)), { paid: true, change: Number(b) });
      return;
    case 'paid': {
      const r = reportedFor(all, Number(a));
      r.paid = true;
      if (b === 'late') r.paidLate = true;
      return;
    }
    case 'cancelled':
      reportedFor(all, Number(a)).cancelled = true;
      return;
    case 'expired':
      reportedFor(all, Number(a)).expired = true;
      return;
    case 'opening':
      return;
    case 'batch':
      for (const id of (b ?? '').split(',').map(Number)) {
        Object.assign(reportedFor(all, id), { destination: a, paid: true });
      }
      return;
    default:
      throw new Error(`the writer printed an unexpected line: ${line}`);
  }
}

interface Round {
  lines: string[];
  stderr: string;
  signal: NodeJS.Signals | null;
  code: number | null;
}

/**
 * Starts the writer and kills it with SIGKILL at a random moment: once it has
 * reported a few commits, or (`whileOpening`) within a few milliseconds of
 * saying it is opening the ledger, while it replays the last round's WAL.
 */
function runAndKill(dir: string, whileOpening: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { cwd: ROOT });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let killScheduled = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      // A line cut by the kill has no newline yet: it was never fully reported.
      partial = parts.pop() ?? '';
      lines.push(...parts);
      if (killScheduled) return;
      if (whileOpening ? lines.includes('opening') : lines.length > MIN_REPORTS) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * (whileOpening ? 3 : MAX_KILL_DELAY_MS));
      }
    });
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ lines, stderr, code, signal }));
  });
}

/** Every way a crash could leave a sale or a tender half-written; each query returns the offending ids. */
const HALF_WRITTEN: Record<string, string> = {
  'paid Code payment without exactly one crediting proof event': `
    SELECT t.id FROM tenders t WHERE t.kind = 'code' AND t.status = 'paid' AND (
      SELECT count(*) FROM payment_events e WHERE e.tender_id = t.id AND e.kind = 'proof' AND e.outcome IN ('credited', 'late')) != 1`,
  'crediting proof event that disagrees with its tender': `
    SELECT t.id FROM tenders t JOIN payment_events e ON e.tender_id = t.id AND e.kind = 'proof' AND e.outcome IN ('credited', 'late')
    WHERE t.status != 'paid' OR t.first_proof IS NOT e.source OR t.paid_at IS NOT e.received_at OR (e.outcome = 'late') != t.paid_late
      OR e.sale_id != t.sale_id`,
  'proof event on a tender that is not paid': `
    SELECT t.id FROM tenders t WHERE t.status != 'paid' AND EXISTS (
      SELECT 1 FROM payment_events e WHERE e.tender_id = t.id AND e.kind = 'proof')`,
  'paid Code payment without an intent': `SELECT id FROM tenders WHERE kind = 'code' AND status = 'paid' AND intent_id IS NULL`,
  'cash tender without its event': `
    SELECT t.id FROM tenders t WHERE t.kind = 'cash' AND NOT EXISTS (
      SELECT 1 FROM payment_events e WHERE e.tender_id = t.id AND e.outcome = 'tendered' AND e.received_at = t.paid_at)`,
  'sale sums or status that disagree with its tenders': `
    SELECT s.id FROM sales s WHERE s.paid_amount != (SELECT coalesce(sum(t.amount), 0) FROM tenders t WHERE t.sale_id = s.id AND t.status = 'paid')
      OR s.change_given != (SELECT coalesce(sum(t.change), 0) FROM tenders t WHERE t.sale_id = s.id AND t.status = 'paid')
      OR (s.status = 'paid') != (s.paid_amount >= s.amount)
      OR (s.status <> 'pending' AND EXISTS (SELECT 1 FROM tenders t WHERE t.sale_id = s.id AND t.status = 'pending'))`,
  'paid sale without the paying event that covered it': `
    SELECT s.id FROM sales s WHERE s.status = 'paid' AND NOT EXISTS (
      SELECT 1 FROM payment_events e WHERE e.sale_id = s.id AND e.outcome IN ('credited', 'late', 'tendered') AND e.received_at = s.paid_at)`,
  'cancelled state and cancel event disagree': `
    SELECT s.id FROM sales s WHERE (s.status = 'cancelled' OR s.cancelled_at IS NOT NULL) != EXISTS (
      SELECT 1 FROM payment_events e WHERE e.sale_id = s.id AND e.outcome = 'cancelled' AND e.received_at = s.cancelled_at)`,
  'cancelled tender and its cancel event disagree': `
    SELECT t.id FROM tenders t WHERE (t.status = 'cancelled' OR t.cancelled_at IS NOT NULL) != EXISTS (
      SELECT 1 FROM payment_events e WHERE e.tender_id = t.id AND e.outcome = 'cancelled' AND e.received_at = t.cancelled_at)`,
  'expired state and expire event disagree': `
    SELECT s.id FROM sales s WHERE (s.status = 'expired' OR s.expired_at IS NOT NULL) != EXISTS (
      SELECT 1 FROM payment_events e WHERE e.sale_id = s.id AND e.tender_id IS NULL AND e.outcome = 'expired' AND e.received_at = s.expired_at)`,
  'expired tender and its expire event disagree': `
    SELECT t.id FROM tenders t WHERE (t.status = 'expired' OR t.expired_at IS NOT NULL) != EXISTS (
      SELECT 1 FROM payment_events e WHERE e.tender_id = t.id AND e.outcome = 'expired' AND e.received_at = t.expired_at)`,
  'paid late but never closed first': `
    SELECT id FROM sales WHERE paid_late = 1 AND cancelled_at IS NULL AND expired_at IS NULL
    UNION ALL SELECT -id FROM tenders WHERE paid_late = 1 AND cancelled_at IS NULL AND expired_at IS NULL`,
  // Batch sales carry the batch size as their amount and a destination of their own.
  'torn batch': `
    SELECT min(id) FROM sales WHERE amount < 100 GROUP BY destination
    HAVING count(*) != min(amount) OR min(amount) != max(amount) OR sum(status = 'paid') != count(*)`,
  'event for a missing sale or tender, or another sale\'s tender': `
    SELECT e.sale_id FROM payment_events e LEFT JOIN sales s ON s.id = e.sale_id LEFT JOIN tenders t ON t.id = e.tender_id
    WHERE s.id IS NULL OR (e.tender_id IS NOT NULL AND t.sale_id IS NOT e.sale_id)`,
  'tender of a missing sale': `SELECT t.id FROM tenders t LEFT JOIN sales s ON s.id = t.sale_id WHERE s.id IS NULL`,
  'id above the AUTOINCREMENT counter': `
    SELECT id FROM sales WHERE id > (SELECT seq FROM sqlite_sequence WHERE name = 'sales')
    UNION ALL SELECT -id FROM tenders WHERE id > (SELECT seq FROM sqlite_sequence WHERE name = 'tenders')`,
};

function halfWritten(db: Database): Record<string, number[]> {
  const found: Record<string, number[]> = {};
  for (const [problem, sql] of Object.entries(HALF_WRITTEN)) {
    const ids = db.prepare(sql).pluck().all() as number[];
    if (ids.length) found[problem] = ids.slice(0, 10);
  }
  return found;
}

/** Opens a copy of the crashed files (database + WAL, no shared-memory index), so opening it must replay the WAL. */
function checkCopy(dir: string, reported: Map<number, Reported>): { sales: number } {
  const copy = tempDir('crash-check');
  copyFileSync(join(dir, LEDGER_FILE_NAME), join(copy, LEDGER_FILE_NAME));
  copyFileSync(join(dir, `${LEDGER_FILE_NAME}-wal`), join(copy, `${LEDGER_FILE_NAME}-wal`));
  try {
    return checkLedger(copy, reported);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function checkLedger(dir: string, reported: Map<number, Reported>): { sales: number } {
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  try {
    const db = ledger.database;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(halfWritten(db)).toEqual({});

    const lost: string[] = [];
    for (const [id, r] of reported) {
      const sale = db.prepare('SELECT * FROM sales WHERE id = ?').get(id) as
        | { amount: number; currency: string; mode: string; destination: string; status: string; paid_late: number; paid_amount: number; change_given: number; cancelled_at: number | null; expired_at: number | null }
        | undefined;
      if (!sale) {
        lost.push(`sale ${id} is missing`);
        continue;
      }
      const wrong = (what: string) => lost.push(`sale ${id}: ${what} (file has ${JSON.stringify(sale)})`);
      if (r.amount !== undefined && sale.amount !== r.amount) wrong(`amount should be ${r.amount}`);
      if (r.currency !== undefined && sale.currency !== r.currency) wrong(`currency should be ${r.currency}`);
      if (r.mode !== undefined && sale.mode !== r.mode) wrong(`mode should be ${r.mode}`);
      if (r.destination !== undefined && sale.destination !== r.destination) wrong('destination differs');
      if (r.tenderId !== undefined) {
        const tender = db.prepare('SELECT sale_id, intent_id FROM tenders WHERE id = ?').get(r.tenderId) as { sale_id: number; intent_id: string } | undefined;
        if (!tender || tender.sale_id !== id || tender.intent_id !== r.intentId) wrong(`Code payment ${r.tenderId} should hold intent ${r.intentId}`);
      }
      if (r.partly !== undefined && sale.paid_amount < r.partly) wrong(`reported ${r.partly} taken`);
      if (r.change !== undefined && sale.change_given !== r.change) wrong(`reported change ${r.change}`);
      if (r.paid && sale.status !== 'paid') wrong('reported paid');
      if (r.paidLate && sale.paid_late !== 1) wrong('reported paid late');
      // A cancelled or expired sale may since have been paid late, never reopened.
      if (r.cancelled && (sale.cancelled_at === null || (sale.status !== 'cancelled' && sale.status !== 'paid'))) wrong('reported cancelled');
      if (r.expired && (sale.expired_at === null || (sale.status !== 'expired' && sale.status !== 'paid'))) wrong('reported expired');
    }
    expect(lost).toEqual([]);
    // The totals' rollup commits with the sales it counts, or not at all.
    const totals = ledger.queries.rangeTotals({ mode: 'all' });
    const counted = db
      .prepare(
        `SELECT currency, count(*) AS count, sum(paid_amount) AS paidAmount, sum(iif(status <> 'paid', amount - paid_amount, 0)) AS unpaidAmount
         FROM sales GROUP BY currency ORDER BY currency`,
      )
      .all();
    expect(totals.map((t) => ({ currency: t.currency, count: t.count, paidAmount: t.paidAmount, unpaidAmount: t.unpaidAmount }))).toEqual(counted);
    return { sales: db.prepare('SELECT count(*) FROM sales').pluck().get() as number };
  } finally {
    ledger.close();
  }
}

describe('ledger crash safety', () => {
  it(
    'a writer killed at random moments never loses a reported sale or leaves one half-written',
    async () => {
      const dir = tempDir('crash');
      const reported = new Map<number, Reported>();
      let previousSales = 0;

      for (let round = 0; round < ROUNDS; round++) {
        const whileOpening = round % 5 === 4;
        const result = await runAndKill(dir, whileOpening);
        // Dying of anything but our SIGKILL (a failed recovery, a thrown error) fails the test.
        expect({ round, signal: result.signal, code: result.code, stderr: result.stderr }).toEqual({
          round,
          signal: 'SIGKILL',
          code: null,
          stderr: '',
        });
        if (!whileOpening) expect(result.lines.length).toBeGreaterThan(MIN_REPORTS);
        for (const line of result.lines) applyLine(reported, line);

        // A killed writer leaves its WAL behind; the check replays it on a copy,
        // and the next round's writer replays the original.
        expect(statSync(join(dir, `${LEDGER_FILE_NAME}-wal`)).size).toBeGreaterThan(0);
        const { sales } = checkCopy(dir, reported);
        expect(sales).toBeGreaterThanOrEqual(reported.size);
        if (whileOpening) expect(sales).toBeGreaterThanOrEqual(previousSales);
        else expect(sales).toBeGreaterThan(previousSales);
        previousSales = sales;
      }

      // Finally recover the original files in place, as the app would on its next start.
      expect(existsSync(join(dir, `${LEDGER_FILE_NAME}-wal`))).toBe(true);
      expect(checkLedger(dir, reported).sales).toBe(previousSales);
    },
    60_000,
  );
});
