/**
 * The fault campaign's driver: N sales rung up on the real app through the
 * preview's HTTP API, each with a fault drawn from a seeded PRNG, run in
 * small rounds of concurrent sales (and now and then a crowd of many open
 * at once), so process-level faults (SIGKILL, SIGSTOP) also hit whatever
 * else was in flight. The driver behaves like a cashier and a customer: it
 * charges, lets the customer pay each Code payment (the sandbox's Simulate
 * payment), takes cash, cancels, and after a restart carries on with the
 * sale the ledger shows. What it was told (which payments the sandbox
 * acknowledged, which cash it handed over) is kept for the verdict.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LEDGER_FILE_NAME } from '../../../electron/core/ledger/db/open-database';
import { isOpen, outstanding, pendingCodeTender, type Sale } from '../../../electron/shared/domain/sale';
import { prng } from '../prng';
import type { AppProcess } from './app-process';

export const FAULTS = [
  'kill-after-charge',
  'kill-after-ack',
  'kill-random',
  'cancel-then-pay',
  'pay-twice',
  'pay-concurrently',
  'freeze',
  'crowd',
] as const;
export type Fault = (typeof FAULTS)[number];
/** single: one Code payment; split: above the US$1.00 per-payment maximum, so several; mixed: Code and cash. */
export type Shape = 'single' | 'split' | 'mixed';

export interface SalePlan {
  n: number;
  /** Hundredths of USD. */
  amount: number;
  shape: Shape;
  fault: Fault;
  /** Mixed: cash first (part of the amount), then Code for the rest; otherwise one Code payment, then cash. */
  cashFirst: boolean;
  /** Mixed: what the customer hands over beyond what is owed (change). */
  extraCash: number;
  /** Seeds the sale's own draws (delays, how many concurrent payments), so they do not depend on how sales interleave. */
  seed: number;
}

/** What the driver saw happen to one sale. */
export interface SaleRecord {
  plan: SalePlan;
  saleId: number | null;
  /** Cash handed over (tendered), every attempt, answered or not. */
  cashSent: number[];
  /** Cash the app answered for. */
  cashAcked: number[];
  random: () => number;
}

export interface DriverState {
  app: AppProcess;
  /** Intent ids the sandbox acknowledged as paid (Simulate payment answered ok): each must end up paid in the ledger. */
  ackedPaid: Set<string>;
  /** Intent ids the app answered as requested from the sandbox (a charge or a next Code payment with its Code payment shown). */
  ackedRequested: Set<string>;
  records: SaleRecord[];
  /** Sales whose waiting Code payment the sandbox does not know after a kill mid-request; the cashier cancelled them or took cash. */
  unpayable: Array<{ saleId: number; intentId: string | null; acknowledged: boolean; tillShows: boolean; tillNote: string | null; refusal: string }>;
  /** API refusals the driver did not expect, for the report. */
  surprises: string[];
}

const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** The plans of `count` sales from `seed`, grouped in rounds of sales run at once. */
export function planRounds(count: number, seed: number): SalePlan[][] {
  const random = prng(seed);
  const rounds: SalePlan[][] = [];
  let n = 0;
  while (n < count) {
    const crowd = random() < 0.06;
    const size = Math.min(count - n, crowd ? int(random, 10, 18) : int(random, 1, 3));
    const round: SalePlan[] = [];
    for (let i = 0; i < size; i++) {
      const shape: Shape = pick(random, ['single', 'single', 'split', 'mixed'] as const);
      const amount = shape === 'single' ? int(random, 5, 100) : shape === 'split' ? int(random, 101, 400) : int(random, 150, 350);
      const fault: Fault = crowd ? 'crowd' : pick(random, FAULTS.filter((f) => f !== 'crowd'));
      round.push({ n: n++, amount, shape, fault, cashFirst: random() < 0.5, extraCash: pick(random, [0, 0, 5, 50, 500]), seed: Math.floor(random() * 2 ** 31) });
    }
    rounds.push(round);
  }
  return rounds;
}

/** Runs one round: every sale at once; a crowd rings them all up before anyone pays, and may be killed half-way. */
export async function runRound(state: DriverState, round: SalePlan[]): Promise<void> {
  const records = round.map((plan) => {
    const record: SaleRecord = { plan, saleId: null, cashSent: [], cashAcked: [], random: prng(plan.seed) };
    state.records.push(record);
    return record;
  });
  if (round[0]?.fault === 'crowd') {
    const random = records[0]!.random;
    await Promise.all(records.map((r) => charge(state, r)));
    if (random() < 0.5) {
      const kill = sleep(int(random, 0, 150)).then(() => state.app.kill());
      await Promise.all([kill, ...shuffle(random, records).map((r) => complete(state, r, { fault: true }))]);
    } else {
      await Promise.all(shuffle(random, records).map((r) => complete(state, r, { fault: true })));
    }
    return;
  }
  await Promise.all(records.map((r) => runSale(state, r)));
}

async function runSale(state: DriverState, record: SaleRecord): Promise<void> {
  const { app } = state;
  const { random } = record;
  const { fault } = record.plan;
  const background: Array<Promise<void>> = [];
  if (fault === 'kill-random') background.push(sleep(int(random, 0, 200)).then(() => app.kill()));
  if (fault === 'freeze') background.push(sleep(int(random, 0, 80)).then(() => app.freeze(int(random, 100, 700))));
  await charge(state, record);
  if (record.saleId !== null && fault === 'kill-after-charge') await app.kill();
  if (record.saleId !== null && fault === 'cancel-then-pay') await cancelThenPay(state, record);
  else await complete(state, record, { fault: true });
  await Promise.all(background);
}

async function charge(state: DriverState, record: SaleRecord): Promise<void> {
  const answer = await state.app.call('charge', { amount: record.plan.amount, currency: 'usd' });
  // Down: the sale may or may not exist; the finish phase finds every open sale in the ledger.
  if (!answer.ok) {
    if (!('down' in answer)) state.surprises.push(`charge ${record.plan.amount}: ${answer.error.code}: ${answer.error.message}`);
    return;
  }
  record.saleId = answer.value.sale.id;
  if (answer.value.codePayment) state.ackedRequested.add(answer.value.codePayment.intentId);
}

/** The cashier cancels, and the customer pays anyway: one after the other, or both at once. */
async function cancelThenPay(state: DriverState, record: SaleRecord): Promise<void> {
  const saleId = record.saleId!;
  const sale = await readSale(state, saleId);
  const intentId = sale ? pendingCodeTender(sale)?.intentId : null;
  const pay = async () => {
    const answer = await state.app.call('simulatePayment', { saleId });
    if (answer.ok && intentId) state.ackedPaid.add(intentId);
  };
  if (record.random() < 0.5) {
    await state.app.call('cancelSale', { saleId });
    await pay();
  } else {
    await Promise.all([state.app.call('cancelSale', { saleId }), pay()]);
  }
  // A payment that beat the cancel leaves a partly paid sale (a split) for the cashier to finish.
  await complete(state, record, { fault: false });
}

/**
 * Drives the sale to paid (or, when its Code payment cannot be paid, to
 * cancelled or paid in cash), as the ledger shows it after each step;
 * survives the app going down under it.
 */
export async function complete(state: DriverState, record: SaleRecord, how: { fault: boolean }): Promise<void> {
  const { app } = state;
  const { random } = record;
  const saleId = record.saleId;
  if (saleId === null) return;
  const fault = how.fault ? record.plan.fault : null;
  let killedAfterAck = false;
  for (let step = 0; step < 30; step++) {
    const sale = await readSale(state, saleId);
    if (!sale) continue;
    if (!isOpen(sale)) return;
    const due = outstanding(sale);
    const cashTaken = sale.tenders.some((t) => t.kind === 'cash');
    if (record.plan.shape === 'mixed' && !cashTaken && (record.plan.cashFirst || sale.paidAmount > 0)) {
      // Cash first: part of the amount, leaving at least Code's minimum for Code; otherwise the rest plus change.
      const tendered = record.plan.cashFirst && sale.paidAmount === 0 ? Math.max(1, Math.min(due - 10, int(random, 10, 150))) : due + record.plan.extraCash;
      await takeCash(state, record, tendered);
      continue;
    }
    let waiting = pendingCodeTender(sale);
    if (!waiting) {
      const next = await app.call('requestCodePayment', { saleId });
      if (!next.ok) {
        if (!('down' in next)) state.surprises.push(`requestCodePayment ${saleId}: ${next.error.code}: ${next.error.message}`);
        continue;
      }
      if (!next.value.codePayment) {
        // Code cannot take it (a note says why): the cashier takes cash.
        if (isOpen(next.value.sale)) await takeCash(state, record, outstanding(next.value.sale));
        continue;
      }
      state.ackedRequested.add(next.value.codePayment.intentId);
      waiting = next.value.sale.tenders.find((t) => t.id === next.value.codePayment!.tenderId) ?? null;
      if (!waiting) continue;
    }
    // null: the app was killed between writing the tender and storing its intent id.
    const intentId = waiting.intentId;
    const times = fault === 'pay-concurrently' ? int(random, 2, 3) : 1;
    const answers = await Promise.all(Array.from({ length: times }, () => app.call('simulatePayment', { saleId })));
    if (fault === 'pay-twice') answers.push(await app.call('simulatePayment', { saleId }));
    const acked = answers.some((a) => a.ok);
    if (acked && intentId) state.ackedPaid.add(intentId);
    if (acked && fault === 'kill-after-ack' && !killedAfterAck) {
      killedAfterAck = true;
      await app.kill();
    }
    if (!acked && intentId && answers.every((a) => !a.ok && a.error.code === 'intent-not-found')) {
      // The sequencer never got this request (the app was killed first): after
      // a restart the reconciler sends it again, so a customer who scans again
      // a moment later can pay. Only if that never happens is it unpayable.
      const retried = await payOnceKnown(state, saleId);
      if (retried === 'paid') {
        state.ackedPaid.add(intentId);
        await creditOf(state, saleId, waiting.id);
        continue;
      }
      if (retried === 'down') continue;
    }
    if (!acked && !answers.some((a) => 'down' in a)) {
      // Refused outright: the sandbox does not know this payment (the app was killed before it asked),
      // or the customer cancelled it. The cashier cancels the sale, or takes cash when part is paid.
      const refusal = answers.find((a) => !a.ok)!.error;
      if (intentId && (refusal.code === 'intent-already-paid' || /already paid/i.test(refusal.message))) {
        // The customer's payment went through before a kill cut its answer off: the sandbox says so, the ledger must follow.
        state.ackedPaid.add(intentId);
        await creditOf(state, saleId, waiting.id);
        continue;
      }
      const again = await readSale(state, saleId);
      if (again && pendingCodeTender(again)?.id === waiting.id) {
        // Does the till still offer this payment to the customer? (It asks for nothing new while one waits.)
        const offered = await app.call('requestCodePayment', { saleId });
        state.unpayable.push({
          saleId,
          intentId,
          acknowledged: intentId !== null && state.ackedRequested.has(intentId),
          tillShows: intentId !== null && offered.ok && offered.value.codePayment?.intentId === intentId,
          tillNote: offered.ok ? offered.value.codeNote : null,
          refusal: `${refusal.code}: ${refusal.message}`,
        });
        if (again.paidAmount === 0) await app.call('cancelSale', { saleId });
        else await takeCash(state, record, outstanding(again));
      }
      continue;
    }
    await creditOf(state, saleId, waiting.id);
  }
  state.surprises.push(`sale ${saleId} still open after 30 steps`);
}

/** Scans the waiting Code payment again for up to 3 s while the sequencer does not know it yet. */
async function payOnceKnown(state: DriverState, saleId: number): Promise<'paid' | 'down' | 'unknown'> {
  for (let i = 0; i < 30; i++) {
    await sleep(100);
    const answer = await state.app.call('simulatePayment', { saleId });
    // Already paid: an earlier scan went through before its answer was cut off.
    if (answer.ok || answer.error.code === 'intent-already-paid') return 'paid';
    if ('down' in answer) return 'down';
    if (answer.error.code !== 'intent-not-found') return 'unknown';
  }
  return 'unknown';
}

async function takeCash(state: DriverState, record: SaleRecord, tendered: number): Promise<void> {
  record.cashSent.push(tendered);
  const answer = await state.app.call('takeCash', { saleId: record.saleId!, tendered });
  if (answer.ok) record.cashAcked.push(tendered);
  else if (!('down' in answer)) state.surprises.push(`takeCash ${record.saleId} ${tendered}: ${answer.error.code}: ${answer.error.message}`);
}

/** The sale as the ledger shows it, via the API; null when the app went down meanwhile. */
async function readSale(state: DriverState, saleId: number): Promise<Sale | null> {
  const answer = await state.app.call('getSale', { saleId });
  return answer.ok ? answer.value.sale : null;
}

/** Waits (bounded) until the tender is no longer pending: the webhook or a status poll credited it. */
async function creditOf(state: DriverState, saleId: number, tenderId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const sale = await readSale(state, saleId);
    const tender = sale?.tenders.find((t) => t.id === tenderId);
    if (tender && tender.status !== 'pending') return;
    await sleep(15);
  }
}

function shuffle<T>(random: () => number, items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Ids of the sales the ledger still has open, read from the file (read-only; the app may be running). */
export function openSaleIds(dataDir: string): number[] {
  const db = new Database(join(dataDir, LEDGER_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT id FROM sales WHERE status = 'pending' ORDER BY id`).all() as Array<{ id: number }>).map((r) => r.id);
  } finally {
    db.close();
  }
}

/**
 * After the faults: every sale the ledger still has open is finished as a
 * cashier would after a restart (pay what waits, cancel what cannot be paid,
 * cash for a partly paid sale), including sales whose charge the driver never
 * heard answered.
 */
export async function finishOpenSales(state: DriverState, dataDir: string): Promise<void> {
  const known = new Map(state.records.filter((r) => r.saleId !== null).map((r) => [r.saleId!, r]));
  for (let pass = 0; pass < 3; pass++) {
    const open = openSaleIds(dataDir);
    if (open.length === 0) return;
    await Promise.all(
      open.map(async (saleId) => {
        let record = known.get(saleId);
        if (!record) {
          // A charge answered by nobody (the app was killed under it): the cashier rings up nothing new, only finishes it.
          const plan: SalePlan = { n: -1, amount: 0, shape: 'single', fault: 'kill-random', cashFirst: false, extraCash: 0, seed: saleId };
          record = { plan, saleId, cashSent: [], cashAcked: [], random: prng(saleId) };
          state.records.push(record);
          known.set(saleId, record);
        }
        await complete(state, record, { fault: false });
      }),
    );
  }
}
