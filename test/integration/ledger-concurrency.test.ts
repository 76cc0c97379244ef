import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import bs58 from 'bs58';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../../electron/core/ledger/ledger';
import { prng } from '../support/prng';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = join(ROOT, 'test', 'support', 'ledger-writer.ts');

const dirs: string[] = [];
const ledgers: Ledger[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'counter-concurrency-'));
  dirs.push(dir);
  return dir;
}
function open(dir: string): Ledger {
  const ledger = createLedger({ dir, timeZone: 'UTC' });
  ledgers.push(ledger);
  return ledger;
}
afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const address = () => bs58.encode(randomBytes(32));
const intentId = () => bs58.encode(randomBytes(16));


/** A ledger-writer child process, its stdout split into lines. */
function startWriter(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { cwd: ROOT });
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.test(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<{ code: number | null; lines: string[]; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines, stderr }));
  });
  return {
    lines,
    closed,
    /** Resolves with the first line (already printed or still to come) that passes `test`; fails if the process ends first. */
    waitForLine(test: (line: string) => boolean): Promise<string> {
      const seen = lines.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ test, resolve })),
        closed.then(({ code }) => {
          throw new Error(`writer ${args.join(' ')} exited (${code}) before the line it was waited for:\n${stderr}`);
        }),
      ]);
    },
    /** Sends the shared start instant; the writer spins until it. */
    startAt(at: number): void {
      child.stdin.end(`${at}\n`);
    },
  };
}

function proofOutcomes(lines: string[]): Map<number, string> {
  const outcomes = new Map<number, string>();
  for (const line of lines) {
    const [what, id, outcome] = line.split(' ');
    if (what === 'proof') outcomes.set(Number(id), outcome!);
  }
  return outcomes;
}

function createdIds(lines: string[]): number[] {
  return lines.filter((l) => l.startsWith('created ')).map((l) => Number(l.split(' ')[1]));
}

describe('ledger concurrency', () => {
  it('two connections in one process interleave sales and proofs without losing a write', () => {
    const dir = tempDir();
    const connections = [open(dir), open(dir)] as const;
    const seed = Date.now();
    const random = prng(seed);
    const other = (i: 0 | 1) => connections[i === 0 ? 1 : 0];
    const shop = address();
    const SALES = 400;
    let late = 0;

    for (let n = 0; n < SALES; n++) {
      const first = random() < 0.5 ? 0 : 1;
      const sale = connections[first].createSale({ amount: 100 + n, currency: 'usd', mode: 'live', destination: shop });
      // The other connection sees the new sale at once and starts its Code payment, with its intent.
      const intent = intentId();
      const { tender } = other(first).addCodeTender(sale.id, { amount: 100 + n, seq: 1, intentId: intent });
      // The first one sees that payment at once and records its webhook URL.
      expect(connections[first].setTenderWebhookUrl(tender.id, 'https://till.example/hook/x').amount, `seed ${seed}`).toBe(100 + n);
      // Now and then the cashier cancels first, so the payment arrives late.
      const cancelled = random() < 0.1;
      if (cancelled) {
        other(first).cancel(sale.id);
        late++;
      }
      // Both connections record a proof for the same Code payment, one by tender id and one by intent.
      const proofs = [
        connections[first].recordProof({ tenderId: tender.id, source: 'webhook', quarks: n, payload: 'jwt' }),
        other(first).recordProof({ intentId: intent, source: 'status_poll', exchangeRate: 1.5, payload: {} }),
      ];
      expect(
        proofs.map((p) => p.outcome),
        `seed ${seed}`,
      ).toEqual([cancelled ? 'late' : 'credited', 'duplicate']);
      // The duplicate filled in the exchange rate the first proof lacked.
      expect(connections[first].getTender(tender.id)).toMatchObject({ status: 'paid', quarks: n, exchangeRate: 1.5, firstProof: 'webhook' });
      expect(connections[first].getSale(sale.id)).toMatchObject({ status: 'paid', paidAmount: 100 + n, firstProof: 'webhook' });
    }

    const db = connections[0].database;
    expect(db.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(SALES);
    expect(db.prepare(`SELECT count(*) FROM sales WHERE status = 'paid'`).pluck().get()).toBe(SALES);
    expect(db.prepare(`SELECT count(*) FROM sales WHERE paid_late = 1`).pluck().get()).toBe(late);
    expect(db.prepare(`SELECT count(*) FROM payment_events WHERE kind = 'proof'`).pluck().get()).toBe(2 * SALES);
    expect(db.prepare(`SELECT count(*) FROM payment_events WHERE outcome IN ('credited', 'late')`).pluck().get()).toBe(SALES);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('two processes and this one writing at once lose no sale and credit each shared sale once', async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const SHARED = 200;
    const OWN = 300;
    const SLOT_MS = 6;
    const shop = address();
    // One Code payment per shared sale: the racers prove the tenders.
    const shared: number[] = [];
    for (let i = 0; i < SHARED; i++) {
      const sale = ledger.createSale({ amount: 5_000 + i, currency: 'eur', mode: 'live', destination: shop });
      const { tender } = ledger.addCodeTender(sale.id, { amount: sale.amount, seq: 1, intentId: intentId() });
      shared.push(tender.id);
    }

    // All three follow one timetable (see `race` in the fixture): at the start
    // of slot i each records a proof for shared sale i, then creates a sale.
    const writers = [
      startWriter([dir, 'race', 'webhook', String(OWN), String(SLOT_MS), shared.join(',')]),
      startWriter([dir, 'race', 'status_poll', String(OWN), String(SLOT_MS), shared.join(',')]),
    ];
    await Promise.all(writers.map((w) => w.waitForLine((l) => l === 'ready')));
    const start = Date.now() + 200;
    for (const w of writers) w.startAt(start);

    const parentOutcomes = new Map<number, string>();
    const parentCreated: number[] = [];
    for (let i = 0; i < Math.max(OWN, SHARED); i++) {
      // Yield while waiting, so the children's output is read and their pipes never fill.
      while (Date.now() < start + i * SLOT_MS) await yieldToEventLoop();
      const tenderId = shared[i];
      if (tenderId !== undefined) {
        parentOutcomes.set(tenderId, ledger.recordProof({ tenderId, source: 'browser_event', payload: 'tap' }).outcome);
      }
      if (i < OWN) parentCreated.push(ledger.createSale({ amount: 7, currency: 'usd', mode: 'sandbox', destination: shop }).id);
    }
    const results = await Promise.all(writers.map((w) => w.closed));

    // No SQLITE_BUSY (or anything else) escaped in either child.
    expect(results.map((r) => ({ code: r.code, stderr: r.stderr }))).toEqual([
      { code: 0, stderr: '' },
      { code: 0, stderr: '' },
    ]);

    // Every sale anyone was told about exists, and no id was handed out twice.
    const created = [...results.flatMap((r) => createdIds(r.lines)), ...parentCreated];
    expect(results.map((r) => createdIds(r.lines).length)).toEqual([OWN, OWN]);
    expect(new Set(created).size).toBe(3 * OWN);
    const db = ledger.database;
    expect(db.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(SHARED + 3 * OWN);
    const existing = new Set(db.prepare('SELECT id FROM sales').pluck().all() as number[]);
    expect(created.filter((id) => !existing.has(id))).toEqual([]);

    // Each shared Code payment: exactly one writer was told "credited", the others "duplicate".
    const outcomes = [...results.map((r) => proofOutcomes(r.lines)), parentOutcomes];
    const wrong = shared.filter((id) => {
      const seen = outcomes.map((o) => o.get(id)).sort();
      return seen.join() !== 'credited,duplicate,duplicate';
    });
    expect(wrong).toEqual([]);

    // …and the file agrees: one crediting event, three proofs, first_proof names the winner, on the tender and its sale.
    const perTender = db
      .prepare(
        `SELECT t.id, t.status, t.first_proof AS firstProof, s.status AS saleStatus, s.first_proof AS saleFirstProof,
           (SELECT count(*) FROM payment_events e WHERE e.tender_id = t.id AND e.kind = 'proof') AS proofs,
           (SELECT group_concat(e.source) FROM payment_events e WHERE e.tender_id = t.id AND e.outcome = 'credited') AS creditedBy
         FROM tenders t JOIN sales s ON s.id = t.sale_id WHERE t.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(shared)) as { id: number; status: string; firstProof: string; saleStatus: string; saleFirstProof: string; proofs: number; creditedBy: string }[];
    expect(perTender).toHaveLength(SHARED);
    expect(
      perTender.filter((t) => t.status !== 'paid' || t.saleStatus !== 'paid' || t.proofs !== 3 || t.creditedBy !== t.firstProof || t.saleFirstProof !== t.firstProof),
    ).toEqual([]);

    // The three really did race: each of them won some sales (were all of
    // one writer's proofs to land before the others', it would win them all).
    const winners = db.prepare(`SELECT DISTINCT first_proof FROM tenders WHERE status = 'paid' ORDER BY 1`).pluck().all();
    expect(winners).toEqual(['browser_event', 'status_poll', 'webhook']);

    // Three writers' triggers kept the totals' rollup exact.
    const counted = db
      .prepare(`SELECT currency, count(*) AS count, sum(paid_amount) AS paidAmount FROM sales GROUP BY currency ORDER BY currency`)
      .all();
    expect(ledger.queries.rangeTotals({ mode: 'all' }).map((t) => ({ currency: t.currency, count: t.count, paidAmount: t.paidAmount }))).toEqual(counted);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it("a writer waits out another process's long transaction instead of failing with SQLITE_BUSY", async () => {
    const dir = tempDir();
    const ledger = open(dir);
    const holder = startWriter([dir, 'hold', '1500']);
    const locked = await holder.waitForLine((l) => l.startsWith('locked '));
    const heldId = Number(locked.split(' ')[1]);

    // This blocks in SQLite's busy handler until the other process commits.
    const sale = ledger.createSale({ amount: 250, currency: 'usd', mode: 'live', destination: address() });
    expect(sale.id).toBe(heldId + 1);
    expect(ledger.getSale(heldId).amount).toBe(100);
    expect(await holder.closed).toMatchObject({ code: 0, stderr: '' });
  });

  it('two processes opening a brand-new ledger at the same moment both succeed', async () => {
    const failures: string[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const dir = tempDir();
      const openers = [startWriter([dir, 'open']), startWriter([dir, 'open'])];
      await Promise.all(openers.map((o) => o.waitForLine((l) => l === 'ready')));
      const start = Date.now() + 100;
      for (const o of openers) o.startAt(start);
      for (const result of await Promise.all(openers.map((o) => o.closed))) {
        if (result.code !== 0) failures.push(result.lines.find((l) => l.startsWith('error ')) ?? result.stderr);
      }
      const ledger = open(dir);
      expect(ledger.database.pragma('integrity_check', { simple: true })).toBe('ok');
    }
    expect(failures).toEqual([]);
  });
});
