/**
 * The campaign's verdict: the ledger (the shop's record) compared with the
 * sandbox's truth (what "Code" knows was paid) and with what the driver was
 * told, both files read with read-only connections after the app stopped.
 *
 * lost     a payment the sandbox acknowledged or holds as paid whose Code
 *          tender is not paid in the ledger; cash the app answered for that
 *          the ledger does not hold
 * doubled  a tender credited more than once, more cash tenders than cash
 *          handed over, a sale whose sums exceed its paid tenders, or one
 *          paid beyond its amount without a late payment to explain it
 * false    a Code tender paid in the ledger that the sandbox has not paid
 *          (or for another amount), cash recorded that was never handed
 *          over, a sale marked paid its tenders do not cover
 * stuck    a sale still open after the settle period (every open sale was
 *          finished by the driver, so none should be), or whose paid
 *          tenders cover it while it is not paid
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { LEDGER_FILE_NAME } from '../../../electron/core/ledger/db/open-database';
import { sandboxDbPath } from '../../../electron/core/sandbox/sandbox-db';
import { readSandboxTruth, type SandboxTruthRow } from '../../../electron/core/sandbox/sandbox-truth';
import type { DriverState, SaleRecord } from './campaign';

export interface Verdict {
  lost: string[];
  doubled: string[];
  false: string[];
  stuck: string[];
  integrity: { ledger: string; sandbox: string };
}

interface SaleRow {
  id: number;
  amount: number;
  status: string;
  mode: string;
  paid_amount: number;
  code_amount: number;
  cash_amount: number;
  other_amount: number;
  change_given: number;
  paid_late: number;
}
interface TenderRow {
  id: number;
  sale_id: number;
  kind: 'code' | 'cash' | 'other';
  amount: number;
  status: string;
  intent_id: string | null;
  tendered: number | null;
  change: number | null;
  paid_late: number;
  first_proof: string | null;
}

export interface LedgerSnapshot {
  sales: SaleRow[];
  tenders: TenderRow[];
  /** Paying events (credited or late) per tender id. */
  credits: Map<number, number>;
  integrity: string;
}

export function readLedger(dataDir: string, checkIntegrity = false): LedgerSnapshot {
  const db = new Database(join(dataDir, LEDGER_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const sales = db.prepare('SELECT id, amount, status, mode, paid_amount, code_amount, cash_amount, other_amount, change_given, paid_late FROM sales').all() as SaleRow[];
    const tenders = db.prepare('SELECT id, sale_id, kind, amount, status, intent_id, tendered, change, paid_late, first_proof FROM tenders').all() as TenderRow[];
    const credits = new Map<number, number>();
    for (const row of db
      .prepare(`SELECT tender_id AS id, count(*) AS n FROM payment_events WHERE outcome IN ('credited', 'late') AND tender_id IS NOT NULL GROUP BY tender_id`)
      .all() as Array<{ id: number; n: number }>) {
      credits.set(row.id, row.n);
    }
    const integrity = checkIntegrity ? integrityOf(db) : 'not checked';
    return { sales, tenders, credits, integrity };
  } finally {
    db.close();
  }
}

function integrityOf(db: Database.Database): string {
  const rows = db.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join('; ');
}

export function sandboxIntegrity(dataDir: string): string {
  const db = new Database(sandboxDbPath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return integrityOf(db);
  } finally {
    db.close();
  }
}

/** Whether the two records agree enough to stop waiting: nothing paid in the sandbox missing from the ledger, no webhook still scheduled, no sale open. */
export function settled(ledger: LedgerSnapshot, truth: SandboxTruthRow[], ackedPaid: Set<string>): boolean {
  const paidTenders = new Set(ledger.tenders.filter((t) => t.status === 'paid' && t.intent_id).map((t) => t.intent_id!));
  if (truth.some((t) => t.state === 'paid' && !paidTenders.has(t.intentId))) return false;
  if ([...ackedPaid].some((id) => !paidTenders.has(id))) return false;
  if (truth.some((t) => t.deliveryState === 'scheduled')) return false;
  return !ledger.sales.some((s) => s.status === 'pending');
}

export interface Observed {
  /** Intents the sandbox acknowledged as paid. */
  ackedPaid: Set<string>;
  records: SaleRecord[];
  /** Code payments the customer could not pay after a restart. */
  unpayable: DriverState['unpayable'];
  /**
   * Also count as stuck a waiting Code payment that a kill left unpayable
   * before the app had answered for it (its request never reached the
   * sandbox, or its intent id was never stored): the cashier can only cancel
   * or take cash. Off by default: see the campaign's report.
   */
  strict?: boolean;
}

export function judge(ledger: LedgerSnapshot, truth: SandboxTruthRow[], observed: Observed, sandboxCheck: string): Verdict {
  const { ackedPaid, records } = observed;
  const v: Verdict = { lost: [], doubled: [], false: [], stuck: [], integrity: { ledger: ledger.integrity, sandbox: sandboxCheck } };
  // A payment request the app had answered for (its Code payment shown to the
  // customer) that the sandbox refused to let the customer pay: the sale could
  // only be cancelled. Code does not forget a request it accepted.
  for (const u of observed.unpayable) {
    if (observed.strict && !u.acknowledged) {
      v.stuck.push(`sale ${u.saleId}: its waiting Code payment (intent ${u.intentId ?? 'never stored'}) could not be paid after a restart: ${u.refusal}`);
    } else if (u.acknowledged) v.stuck.push(`sale ${u.saleId}: its Code payment (intent ${u.intentId}) was shown, then could not be paid: ${u.refusal}`);
  }
  const byIntent = new Map(truth.map((t) => [t.intentId, t]));
  const tenderByIntent = new Map(ledger.tenders.filter((t) => t.intent_id).map((t) => [t.intent_id!, t]));
  const tendersOf = new Map<number, TenderRow[]>();
  for (const t of ledger.tenders) tendersOf.set(t.sale_id, [...(tendersOf.get(t.sale_id) ?? []), t]);

  // Lost: paid at "Code" (or acknowledged as paid to the customer) but not in the ledger.
  const lostIntents = new Set<string>();
  for (const t of truth) if (t.state === 'paid' && tenderByIntent.get(t.intentId)?.status !== 'paid') lostIntents.add(t.intentId);
  for (const id of ackedPaid) if (tenderByIntent.get(id)?.status !== 'paid') lostIntents.add(id);
  for (const id of ackedPaid) {
    // The sandbox itself forgot a payment it acknowledged: Code's word must be as durable as the ledger's.
    if (byIntent.get(id)?.state !== 'paid') v.lost.push(`intent ${id}: Simulate payment answered ok, but the sandbox file does not hold it as paid (${byIntent.get(id)?.state ?? 'absent'})`);
  }
  for (const id of lostIntents) {
    const tender = tenderByIntent.get(id);
    v.lost.push(
      tender
        ? `sale ${tender.sale_id}, tender ${tender.id} (intent ${id}): paid at the sandbox, ${tender.status} in the ledger`
        : `intent ${id}: paid at the sandbox, no tender in the ledger`,
    );
  }

  for (const tender of ledger.tenders) {
    const credits = ledger.credits.get(tender.id) ?? 0;
    if (tender.kind === 'code') {
      if (credits > 1) v.doubled.push(`sale ${tender.sale_id}, tender ${tender.id}: credited ${credits} times`);
      if (tender.status === 'paid') {
        const at = tender.intent_id ? byIntent.get(tender.intent_id) : undefined;
        if (at?.state !== 'paid') v.false.push(`sale ${tender.sale_id}, tender ${tender.id} (intent ${tender.intent_id}): paid in the ledger, ${at?.state ?? 'absent'} at the sandbox`);
        else if (Math.round(at.amount * 100) !== tender.amount) v.false.push(`sale ${tender.sale_id}, tender ${tender.id}: ${tender.amount} in the ledger, ${at.amount} at the sandbox`);
        if (credits === 0) v.false.push(`sale ${tender.sale_id}, tender ${tender.id}: paid with no paying event`);
      }
    }
  }

  const recordOf = new Map(records.filter((r) => r.saleId !== null).map((r) => [r.saleId!, r]));
  for (const sale of ledger.sales) {
    const tenders = tendersOf.get(sale.id) ?? [];
    const paid = tenders.filter((t) => t.status === 'paid');
    const sum = (kind?: string) => paid.filter((t) => !kind || t.kind === kind).reduce((s, t) => s + t.amount, 0);
    const sums = { paid: sum(), code: sum('code'), cash: sum('cash'), other: sum('other') };
    const stored = { paid: sale.paid_amount, code: sale.code_amount, cash: sale.cash_amount, other: sale.other_amount };
    for (const k of Object.keys(sums) as Array<keyof typeof sums>) {
      if (stored[k] > sums[k]) v.doubled.push(`sale ${sale.id}: ${k} ${stored[k]} recorded, its paid tenders make ${sums[k]}`);
      if (stored[k] < sums[k]) v.false.push(`sale ${sale.id}: ${k} ${stored[k]} recorded, its paid tenders make ${sums[k]}`);
    }
    const change = tenders.filter((t) => t.kind === 'cash').reduce((s, t) => s + (t.change ?? 0), 0);
    if (change !== sale.change_given) v.false.push(`sale ${sale.id}: change ${sale.change_given} recorded, its cash tenders gave ${change}`);
    if (sale.paid_amount > sale.amount && !paid.some((t) => t.paid_late)) {
      v.doubled.push(`sale ${sale.id}: paid ${sale.paid_amount} of ${sale.amount} with no late payment`);
    }
    if (sale.status === 'paid' && sums.paid < sale.amount) v.false.push(`sale ${sale.id}: paid, but its tenders cover ${sums.paid} of ${sale.amount}`);
    if (sale.status === 'pending') {
      v.stuck.push(`sale ${sale.id}: still ${sale.paid_amount > 0 ? 'partly paid' : 'pending'} (${sums.paid} of ${sale.amount}) after the settle period`);
    }

    // Cash: what the ledger holds must be what was handed over, once.
    const cash = tenders.filter((t) => t.kind === 'cash');
    const record = recordOf.get(sale.id);
    const sent = [...(record?.cashSent ?? [])];
    for (const t of cash) {
      if (t.tendered !== t.amount + (t.change ?? 0)) v.false.push(`sale ${sale.id}, cash tender ${t.id}: tendered ${t.tendered} ≠ ${t.amount} + change ${t.change}`);
      const i = sent.indexOf(t.tendered ?? -1);
      if (i >= 0) sent.splice(i, 1);
      else v.doubled.push(`sale ${sale.id}, cash tender ${t.id}: ${t.tendered} recorded, not handed over (or more often than handed over)`);
    }
    const recorded = cash.map((t) => t.tendered);
    for (const acked of record?.cashAcked ?? []) {
      const i = recorded.indexOf(acked);
      if (i >= 0) recorded.splice(i, 1);
      else v.lost.push(`sale ${sale.id}: cash ${acked} answered ok but not in the ledger`);
    }
  }
  return v;
}

/** What the run did, for a failure report or COUNTER_FAULT_VERBOSE: the ledger's sales by state, how Code payments were proved, the faults planned, and what the driver met. */
export function describeRun(ledger: LedgerSnapshot, observed: Observed & { surprises: string[] }): string {
  const count = <T>(items: T[], key: (item: T) => string) => {
    const out: Record<string, number> = {};
    for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
    return JSON.stringify(out);
  };
  const code = ledger.tenders.filter((t) => t.kind === 'code');
  const lines = [
    `sales by status ${count(ledger.sales, (s) => s.status + (s.paid_late ? ' (paid late)' : ''))}`,
    `tenders ${count(ledger.tenders, (t) => `${t.kind} ${t.status}`)}`,
    `Code payments proved by ${count(code.filter((t) => t.status === 'paid'), (t) => t.first_proof ?? '?')}`,
    `faults planned ${count(observed.records.filter((r) => r.plan.n >= 0), (r) => r.plan.fault)}`,
    `shapes ${count(observed.records.filter((r) => r.plan.n >= 0), (r) => r.plan.shape)}`,
    `charges never answered (found open by the finish phase) ${observed.records.filter((r) => r.plan.n < 0).length}`,
    `Code payments unpayable after a restart ${observed.unpayable.length} (${observed.unpayable.filter((u) => u.acknowledged).length} answered to the till before the kill, ${observed.unpayable.filter((u) => u.tillShows).length} still offered by the till)`,
    ...observed.unpayable
      .slice(0, 5)
      .map(
        (u) =>
          `unpayable: sale ${u.saleId}, intent ${u.intentId ?? 'never stored'}${u.acknowledged ? ' (answered to the till before)' : ''}` +
          `${u.tillShows ? ', still offered by the till' : ', the till offers no Code payment'}${u.tillNote ? ` (note: ${u.tillNote})` : ''}: ${u.refusal}`,
      ),
    `acknowledged paid ${observed.ackedPaid.size}`,
    ...observed.surprises.slice(0, 20).map((s) => `unexpected: ${s}`),
  ];
  return `fault campaign details:\n  ${lines.join('\n  ')}`;
}

export { readSandboxTruth };
